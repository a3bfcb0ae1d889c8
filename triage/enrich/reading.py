"""Reading a company's pages the way a careful person does: what it is, how big, where.

Every page is cut into sentences, each with a weight for where it stands (the About
page and headings count most, the footer and menus least). Then:

* business type: every type's terms (``playbooks/enrich/reading.toml`` [types]) add
  their sentence's weight, a negated term ("we do not manufacture") subtracts; a
  runner-up within ``tie_margin`` of the best is a tie, reported as such;
* founded, staff, branches, floor area: a number (digits or number words in a dozen
  languages) next to a noun or a founding verb;
* size band: from the headcount, else the branches, else the floor area;
* country: postal addresses, phone numbers and the ccTLD, weighed; a close second
  is a conflict.

Each fact carries its evidence: the page, the sentence and the term.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache

from triage import geo
from triage.enrich.data import load, words
from triage.enrich.domains import cctld_country, host_of

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "address", "div", "section", "article",
           "footer", "nav", "header", "dd", "dt", "blockquote", "title", "main", "body", "ul", "ol", "table", "tr",
           "aside", "figcaption", "caption", "label", "form"}
_HEADINGS = {"title", "h1", "h2"}
_FRAMES = {"footer": "footer", "nav": "navigation", "header": "navigation"}
_CELLS = {"td", "th"}
_CARDS = {"div", "li", "section", "article", "figure", "a"}  # a block that may join its short children
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"'«“(¿¡]?[^\W\d_a-z])|(?<=[。！？；])")


@dataclass(slots=True)
class Sentence:
    page: str
    text: str  # lower case
    raw: str
    weight: float
    lang: str = ""  # the page's language (``<html lang>``, two letters), "" if it does not say


# --- sentences ---------------------------------------------------------------


def sentences(docs: list) -> list[Sentence]:
    """Every sentence of the pages with its weight (page kind times where it stands)."""
    weights = load("reading")["weights"]
    about = words(load("site"), "pages", "about")
    out: list[Sentence] = []
    seen: set[str] = set()  # a title, menu or footer repeated on every page counts once
    for i, doc in enumerate(docs):
        page = _page_weight(doc, i, about, weights)
        lang = _lang(doc)
        for text, zone in _blocks(doc):
            zone_weight = weights.get(zone, 1.0)
            for part in _SENTENCE_END.split(text):
                part = part.strip()
                if len(part) > 1 and part.lower() not in seen:
                    seen.add(part.lower())
                    out.append(Sentence(doc.url, part.lower(), part, page * zone_weight, lang))
    return out


def _lang(doc) -> str:
    html = doc.soup.find("html")
    value = str(html.get("lang", "")) if html is not None else ""
    return value.strip().lower()[:2]


def _page_weight(doc, index: int, about: list[str], weights: dict) -> float:
    if index == 0:
        return weights["home_page"]
    path = doc.url.split("//", 1)[-1].partition("/")[2].lower()
    title = (doc.soup.title.get_text(" ", strip=True).lower() if doc.soup.title else "")
    if any(key.replace(" ", "-") in path or key.replace(" ", "") in path.replace("-", "") or key in title
           for key in about):
        return weights["about_page"]
    return weights["other_page"]


def _blocks(doc) -> list[tuple[str, str]]:
    """``(text, zone)`` per block element, zone one of heading, navigation (menus), footer, body.

    A table row is one block, and a definition list's term with its description, so that
    "創業 | 1958年" or "Employees | 120" read as one sentence."""
    groups: dict[int, list] = {}
    cards: dict[int, object] = {}
    for string in doc.soup.find_all(string=True):
        text = str(string).strip()
        if not text or type(string).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
            continue
        text = _counter(string, text)
        block, zone = None, "body"
        for parent in string.parents:
            name = parent.name or ""
            if (block is None or block.name in _CELLS) and name in _BLOCKS:
                block = parent if block is None or name == "tr" else block
            if name in _HEADINGS and zone == "body":
                zone = "heading"
            frame = _FRAMES.get(name) or _framelike(parent)
            if frame:
                zone = frame
                break
        if block is not None and block.name == "dd":  # "<dt>設立</dt><dd>2003年</dd>" is one sentence
            block = block.find_previous_sibling("dt") or block
        block = _card(block, cards)
        key = id(block)
        groups.setdefault(key, [zone, []])[1].append(text)
    out = [(re.sub(r"\s+", " ", " ".join(parts)), zone) for zone, parts in groups.values()]
    meta = doc.soup.find("meta", attrs={"name": "description"})
    if meta and meta.get("content", "").strip():
        out.append((meta["content"].strip(), "heading"))
    return out


def _counter(string, text: str) -> str:
    """A stats counter's number: "<span data-count="120">0</span>" shows 0 until a script counts up."""
    attrs = getattr(string.parent, "attrs", None) or {}
    if not re.fullmatch(r"[\d.,+ ]*", text):
        return text
    for name, value in attrs.items():
        if name.startswith("data-") and isinstance(value, str) and re.fullmatch(r"\d[\d.,]*", value.strip()):
            return value.strip() + text.lstrip("0123456789.,")
    return text


def _card(block, cards: dict):
    """A stat card, a facts row or a timeline entry written as blocks side by side
    ("<div>48</div><div>employees</div>", "<div>Founded</div><div>1996</div>", "<div>1983</div><p>...</p>")
    is one sentence: a short block joins its parent when the parent holds little else."""
    if block is None:
        return block
    if id(block) not in cards:
        parent, joined = block.parent, block
        if (parent is not None and parent.name in _CARDS and block.name not in _HEADINGS
                and len(block.get_text(" ", strip=True)) <= 30
                and len(parent.find_all(True, recursive=False)) <= 3 and len(parent.get_text(" ", strip=True)) <= 240):
            joined = parent
        cards[id(block)] = joined
    return cards[id(block)]


def _framelike(tag) -> str | None:
    """"footer" or "navigation" for a ``<div class="footer">`` or ``<div id="main-menu">``."""
    attrs = getattr(tag, "attrs", None) or {}
    marks = " ".join([str(attrs.get("id", ""))] + [str(c) for c in attrs.get("class", []) or []]).lower()
    if any(m in marks for m in ("footer", "cookie", "copyright")):
        return "footer"
    if any(m in marks for m in ("navbar", "menu", "breadcrumb", "nav")):
        return "navigation"
    return None


# --- terms ---------------------------------------------------------------------


@lru_cache(maxsize=256)
def _term_regex(terms: tuple[str, ...], proclitics: tuple[str, ...] = ()) -> re.Pattern | None:
    """One regex for a list of terms: "word" whole, "stem*" any ending (also inside a phrase:
    "instalacj* elektryczn*"), "*part*" inside a compound;
    Chinese and Japanese terms anywhere; an Arabic term also with the letters glued before it
    (``proclitics``: "و", "ب", "لل", "ال": "للمقاولات" is "مقاولات")."""
    glued = "|".join(re.escape(p) for p in sorted(proclitics, key=len, reverse=True))
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        inside, prefix = term.startswith("*"), term.endswith("*")
        # "instalacj* elektryczn*": every word of a phrase may be a stem
        core = " ".join(re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w)
                        for w in term.strip("*").split(" "))
        if not term.strip("*"):
            continue
        if _CJK.search(term):
            parts.append(core)
            continue
        start = "" if inside or not term.strip("*")[:1].isalnum() else r"(?<!\w)"
        if start and glued and _ARABIC.match(term):
            start = rf"(?<!\w)(?:{glued})?"
        end = r"\w*" if prefix else (r"(?!\w)" if term[-1:].isalnum() else "")
        parts.append(f"{start}{core}{end}")
    return re.compile("|".join(parts)) if parts else None


def find_terms(text: str, terms: list[str]) -> list[re.Match]:
    regex = _regex(terms)
    return list(regex.finditer(text)) if regex else []


def _regex(terms: list[str]) -> re.Pattern | None:
    return _term_regex(tuple(terms), tuple(words(load("reading"), "terms", "proclitics")))


def _customer(sentence: str, start: int, end: int | None = None) -> bool:
    """The term names who the company sells to ("for contractors", "für Elektroinstallateure",
    "電気工事店さまのための")."""
    data = load("reading")["customers"]
    before = re.findall(r"[\w']+", sentence[max(0, start - 30):start])[-2:]
    markers = set(words(data, "before"))
    if any(word in markers for word in before) or " ".join(before) in markers:
        return True
    if _listed_after_marker(sentence[max(0, start - 90):start], markers, set(words(load("reading"), "negation", "and"))):
        return True
    if end is None:
        return False
    after = sentence[end:end + int(data.get("after_window", 8))]
    after = re.split(r"[。、，,.;；:：!?！？]", after, maxsplit=1)[0]
    return any(marker in after for marker in words(data, "after"))


def _others(sentence: str, start: int, lang: str = "") -> bool:
    """The term names other companies, the suppliers or partners: "leading manufacturers",
    "Vertriebspartner namhafter Hersteller", "von über 300 Herstellern", "de grandes fabricantes"."""
    before = re.findall(r"[\w'’]+", sentence[max(0, start - 40):start])[-2:]
    markers = set(words(load("reading"), "others", "before"))
    if any(word in markers for word in before) or " ".join(before) in markers:
        return True
    last = re.findall(r"[\w'’.,$€£¥]+", sentence[max(0, start - 20):start])[-1:]  # not the price "$9.95 Add to cart"
    return any((number_value(word.rstrip(".,"), lang) or 0) >= 2 for word in last)  # "300 Herstellern", not "un fabricant"


def _listed_after_marker(head: str, markers: set[str], ands: set[str]) -> bool:
    """"for builders, panel makers and electrical contractors": the term is a later item of a
    list of customers (items of at most three words, joined by commas or "and")."""
    tokens = re.findall(r"[\w'’-]+|[^\w\s]", head)
    items, words_in_item, right = 0, 0, ""
    for token in reversed(tokens):
        if items and (token in markers or f"{token} {right}" in markers):  # "for", "we supply"
            return True
        right = token
        if token in (",", "、", "/") or token in ands:
            items, words_in_item = items + 1, 0
        elif token[0].isalnum():
            words_in_item += 1
            if words_in_item > 3:
                return False
        else:
            return False
    return False


def _negated(sentence: str, start: int, end: int) -> bool:
    data = load("reading")["negation"]
    window = int(data.get("window", 4))
    before = re.findall(r"[\w'’]+|[^\w\s]", sentence[max(0, start - 60):start].replace("n't", " not"))
    stops = set(words(data, "stop"))
    cut = max((i for i, w in enumerate(before) if w in stops or w in ",;:"), default=-1)
    words_before = [w for w in before[cut + 1:] if w[0].isalnum() or w[0] == "_"][-window:]
    negators, cancel = set(words(data, "before")), set(words(data, "cancel"))
    for i, word in enumerate(words_before):
        if word in negators:
            following = words_before[i + 1] if i + 1 < len(words_before) else ""
            if following not in cancel and not following[:1].isdigit():
                return True
    head = re.split(r"[，,。；;：:、!！?？]", sentence[max(0, start - 8):start])[-1]  # "不是工厂，是外贸公司"
    for stop in (w for w in stops if _CJK.search(w) and w in head):
        head = head.rsplit(stop, 1)[-1]
    if any(n in head for n in words(data, "before") if _CJK.search(n)):
        return True
    after = sentence[end:end + 40]
    if any(_CJK.search(n) and n in after[:24] for n in words(data, "after")):
        return True
    return _negated_after(re.findall(r"[\w'’]+|[^\w\s]", after), data)


def _negated_after(tokens: list[str], data: dict) -> bool:
    """"vi tillverkar inte", "wij produceren zelf niets", "üretici değiliz": a negation among the next
    words, before any punctuation or "and"/"but" (``stop``, ``and``), and not "nicht nur" (``cancel``)."""
    negators, cancel = set(words(data, "after")), set(words(data, "cancel"))
    ends = set(words(data, "stop")) | set(words(data, "and"))
    window = [w for w in tokens[:int(data.get("window", 4)) + 1]]
    for i, word in enumerate(window):
        if word in ends or not (word[0].isalnum() or word[0] == "_"):
            return False
        if word in negators:
            following = window[i + 1] if i + 1 < len(window) else ""
            return following not in cancel
    return False


# --- business type ----------------------------------------------------------------


def business_type(docs: list, sents: list[Sentence] | None = None) -> dict:
    """``{"business_type", "business_type_tie", "business_type_scores", "evidence"}``."""
    data = load("reading")
    weights = data["weights"]
    sents = sents if sents is not None else sentences(docs)
    scores: dict[str, float] = {}
    evidence: dict[str, dict] = {}
    against: dict[str, dict] = {}
    for kind, lists in data["types"].items():
        used: dict[str, int] = {}
        total, best = 0.0, None
        for s in sents:
            found = [(m, factor) for strength, factor in (("strong", 1.0), ("weak", weights["weak"]))
                     for m in find_terms(s.text, words(lists, strength))]
            found = [(m, f) for m, f in found if used.get(m.group(0), 0) < weights["per_term_cap"]
                     and not _customer(s.text, m.start(), m.end()) and not (f == 1.0 and _others(s.text, m.start(), s.lang))]
            # "we supply electricians and homeowners": who the customers are says what the company is
            found += [(m, weights["weak"]) for m in find_terms(s.text, words(lists, "served") if "served" in lists else [])
                      if _customer(s.text, m.start(), m.end()) and used.get(m.group(0), 0) < weights["per_term_cap"]]
            if not found:
                continue
            negated = [(m, f) for m, f in found if _negated(s.text, m.start(), m.end())]
            if negated:  # one sentence is one piece of evidence per type, for or against
                m, f = max(negated, key=lambda x: x[1])
                used[m.group(0)] = used.get(m.group(0), 0) + 1
                total -= weights["against"] * f * s.weight
                against.setdefault(kind, _proof(s, m.group(0)))
                continue
            m, f = max(found, key=lambda x: (x[1], len(x[0].group(0))))
            used[m.group(0)] = used.get(m.group(0), 0) + 1
            gain = f * s.weight
            total += gain
            if best is None or gain > best[0]:
                best = (gain, _proof(s, m.group(0)))
        if total:
            scores[kind] = round(total, 2)
        if best:
            evidence[kind] = best[1]
    ranked = sorted((k for k in scores if scores[k] >= weights["min_score"]), key=lambda k: -scores[k])
    out = {"business_type": None, "business_type_tie": [], "business_type_scores": scores, "evidence": {}}
    if not ranked:
        return out | {"evidence": {"business_type_against": against} if against else {}}
    top = scores[ranked[0]]
    tied = [k for k in ranked if scores[k] >= top * (1 - weights["tie_margin"])]
    if len(tied) > 1:
        out["business_type_tie"] = tied
        out["evidence"]["business_type"] = [evidence[k] | {"type": k} for k in tied if k in evidence]
    else:
        out["business_type"] = ranked[0]
        out["evidence"]["business_type"] = [evidence[ranked[0]] | {"type": ranked[0]}]
    if against:
        out["evidence"]["business_type_against"] = against
    return out


def _distinct(matches: list[re.Match]) -> list[re.Match]:
    seen, out = set(), []
    for m in matches:
        if m.group(0) not in seen:
            seen.add(m.group(0))
            out.append(m)
    return out


def _proof(s: Sentence, term: str) -> dict:
    return {"page": s.page, "phrase": s.raw[:240], "term": term}


# --- numbers -------------------------------------------------------------------------


def _number_words(lang: str = "") -> tuple[dict[str, tuple[str, int]], set[str], re.Pattern]:
    """word -> (kind, value), the joiners, and a regex for a number written in words or digits;
    with the words that count only on a page in ``lang`` (Turkish "on" = 10)."""
    return _number_table(id(load("reading")), lang)


@lru_cache(maxsize=64)
def _number_table(_data_id: int, lang: str) -> tuple[dict[str, tuple[str, int]], set[str], re.Pattern]:
    data = load("reading")["numbers"]
    own = data.get("languages", {}).get(lang, {}) if lang else {}
    table = {k.lower(): ("unit", int(v)) for k, v in (data["units"] | own.get("units", {})).items()}
    # "une quarantaine", "ein Dutzend", "decenas": multiply what stands before them, like "hundred"
    table |= {k.lower(): ("small", int(v)) for k, v in (data["small"] | data.get("approximate", {})).items()}
    table |= {k.lower(): ("large", int(v)) for k, v in (data["large"] | own.get("large", {})).items()}
    joiners = {j.lower() for j in data["joiners"]}
    morph = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    glue = "|".join(re.escape(j) for j in sorted(joiners, key=len, reverse=True))
    word = rf"(?:{morph})(?:(?:{glue})?(?:{morph}))*"
    spelled = rf"(?<!\w){word}(?:[\s-]+(?:(?:{glue})[\s-]+)?{word})*(?!\w)"
    cjk = "|".join(re.escape(w) for w in table if _CJK.search(w))
    # not the "7" of "24/7 support staff" nor a part of "1/2"
    digits = r"(?<![\d.,/])\d{1,3}(?:[,.'’ \u00a0]\d{3})+(?![\d/])|(?<![\d.,/])\d+(?![\d/])"
    pattern = rf"(?P<num>{digits}|(?:{cjk})+|{spelled})"
    return table, joiners, re.compile(pattern)


def number_value(text: str, lang: str = "") -> int | None:
    """The value of "1,200", "zweihundertfünfzig", "twenty-five", "二百五十", "une quarantaine", else None."""
    clean = text.strip()
    if re.fullmatch(r"[\d,.'’ \u00a0]+", clean):
        digits = re.sub(r"\D", "", clean)
        return int(digits) if digits else None
    table, joiners, _ = _number_words(lang)
    keys = sorted(table, key=len, reverse=True)
    total = current = pending = 0
    found = False
    rest = clean.lower()
    while rest:
        rest = rest.lstrip(" -\u00a0")
        if not rest:
            break
        key = next((k for k in keys if rest.startswith(k)), None)
        if key is None:
            joiner = next((j for j in sorted(joiners, key=len, reverse=True) if rest.startswith(j)), None)
            if joiner is None:
                return None
            rest = rest[len(joiner):]
            continue
        kind, value = table[key]
        found = True
        if kind == "unit":
            pending += value
        elif kind == "small":
            current += (pending or 1) * value
            pending = 0
        else:
            total += (current + pending or 1) * value
            current = pending = 0
        rest = rest[len(key):]
    return total + current + pending if found else None


def _counts(sents: list[Sentence], after: list[str], before: list[str], low: int, high: int) -> list[tuple]:
    """``(value, sentence, term, approximate)`` for every count next to one of the nouns, but not
    one that counts the customers ("we serve 2,000 electricians")."""
    data = load("reading")
    approx = "|".join(re.escape(w) for w in sorted(words(data, "approx", "words"), key=len, reverse=True))
    vague = set(data["numbers"].get("approximate", {})) | set(words(data, "approx", "words"))
    fill = rf"(?:\s*(?:{approx})\s*|\s+\w+\s+|\s+\w['’])?"  # "une soixantaine d'employés"
    proclitics = tuple(words(data, "terms", "proclitics"))
    found = []
    row = int(data["weights"].get("facts_row_chars", 40))
    for s in sents:
        _, _, number = _number_words(s.lang)
        # a facts row or stat card, "Mitarbeitende 38", "Standorte | 4": the noun may come first
        label_first = tuple(before) + (tuple(after) if len(s.text) <= row else ())
        for regex in _count_regexes(tuple(after), label_first, number.pattern, approx, fill, proclitics):
            for m in regex.finditer(s.text):
                value = number_value(m.group("num"), s.lang)
                if value is None or not low <= value <= high or _counts_customers(s.text, m.start()):
                    continue
                around = s.text[max(0, m.start() - 16):m.end()]
                approximate = any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", around) for w in vague)
                found.append((value, s, m.group(0), approximate))
    return found


def _counts_customers(sentence: str, start: int) -> bool:
    """"we serve 2,000 electricians", "für 500 Installateure": the word right before the count
    is a customer word, so the count is of the customers."""
    before = re.findall(r"[\w']+", sentence[max(0, start - 20):start])[-1:]
    return bool(before) and before[0] in set(words(load("reading"), "customers", "before"))


@lru_cache(maxsize=64)
def _count_regexes(after: tuple, before: tuple, number: str, approx: str, fill: str,
                   proclitics: tuple = ()) -> list[re.Pattern]:
    after_re, before_re = _term_regex(after, proclitics), _term_regex(before, proclitics)
    out = [re.compile(rf"{number}\s*\+?{fill}\s*(?P<noun>{after_re.pattern})")] if after_re else []
    if before_re:
        out.append(re.compile(rf"(?P<noun>{before_re.pattern})[\s:：]*(?:(?:{approx})\s*)?{number}"))
    return out


def _pick(found: list[tuple]) -> tuple | None:
    """The count from the weightiest sentence (the larger if equal)."""
    return max(found, key=lambda f: (f[1].weight, f[0])) if found else None


def staff(sents: list[Sentence]) -> tuple | None:
    data = load("reading")["staff"]
    return _pick(_counts(sents, words(data, "after"), words(data, "before"), data["min"], data["max"]))


def branches(sents: list[Sentence]) -> tuple | None:
    data = load("reading")["branches"]
    return _pick(_counts(sents, words(data, "after"), words(data, "before"), data["min"], data["max"]))


def area_m2(sents: list[Sentence]) -> tuple | None:
    data = load("reading")["area"]
    metres = _counts(sents, words(data, "square_metres"), [], 20, 10_000_000)
    feet = [(round(v * 0.0929), s, t, a) for v, s, t, a in _counts(sents, words(data, "square_feet"), [], 200, 100_000_000)]
    return _pick(metres + feet)


_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,]\d)")


def founded(sents: list[Sentence]) -> tuple | None:
    """``(year, sentence, term)``: a year beside a founding word, the earliest; "since 1998" only if
    nothing better."""
    data = load("reading")["founded"]
    this_year = date.today().year
    stops = words(data, "not_before")
    for strength in ("strong", "weak"):
        found = []
        for s in sents:
            terms = find_terms(s.text, words(data, strength))
            if not terms:
                continue
            for y in _YEAR.finditer(s.text):
                year = int(y.group(1))
                head = s.text[max(0, y.start() - 8):y.start()]
                if year > this_year or any(re.search(rf"(?<!\w){re.escape(w)}\W*$", head) for w in stops):
                    continue
                term = min(terms, key=lambda t: abs(t.start() - y.start()))
                if strength == "weak" and not (0 <= y.start() - term.end() <= 4):
                    continue  # "since" must stand right before the year
                if strength == "strong" and abs(term.start() - y.start()) > 120:
                    continue
                found.append((year, s, term.group(0)))
        if found:
            return min(found, key=lambda f: (f[0], -f[1].weight))
    return _timeline_start(sents, this_year)


def _timeline_start(sents: list[Sentence], this_year: int) -> tuple | None:
    """A history told as a timeline ("1983 Two toolmakers rent a unit", "1995 The first branch", ...):
    with ``timeline_entries`` entries or more on one page, each led by a year, the earliest is the start."""
    least = int(load("reading")["weights"].get("timeline_entries", 3))
    pages: dict[str, list[tuple[int, Sentence]]] = {}
    for s in sents:
        lead = re.match(r"\W*(1[89]\d\d|20\d\d)(?!\d)", s.text)
        if lead and int(lead.group(1)) <= this_year:
            pages.setdefault(s.page, []).append((int(lead.group(1)), s))
    starts = [min(entries, key=lambda e: e[0]) for entries in pages.values() if len({y for y, _ in entries}) >= least]
    if not starts:
        return None
    year, s = min(starts, key=lambda e: e[0])
    return year, s, str(year)


def size_band(staff_n: int | None, branches_n: int | None, area: int | None) -> tuple[str | None, str | None]:
    """``(band, from)``: from the headcount, else the branches, else the floor area."""
    data = load("reading")["size_bands"]
    if staff_n:
        band = next(b["name"] for b in data["bands"] if staff_n <= b["max"])
        return band, "staff"
    for value, table, source in ((branches_n, data["by_branches"], "branches"), (area, data["by_area"], "area")):
        if value:
            for row in table:
                if value >= row["min"]:
                    return row["band"], source
    return None, None


# --- country ------------------------------------------------------------------------------

_POSTCODE = re.compile(r"(?<!\d)(?:\d{2}[- ]?\d{3}|\d{4,6}|\d{3}-\d{4})(?!\d)|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b")


def _country_name(text: str) -> str | None:
    data = load("reading")["country"]
    folded = text.lower()
    hits = [(folded.rfind(n), code) for n, code in data["names"].items()
            if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded)]
    if hits:
        return max(hits)[1]
    return geo.country_from_address(text) or _region(text)


def _region(text: str) -> str | None:
    """The country of a region named in a CJK address ("浙江省", "〒"), else None."""
    hits = [(text.find(n), code) for n, code in load("reading")["country"].get("regions", {}).items() if n in text]
    return min(hits)[1] if hits else None


def _address_lines(doc) -> list[str]:
    blocks = [a.get_text(" ", strip=True) for a in doc.soup.find_all("address")]
    lines = [line.strip() for line in doc.raw_text.split("\n")]
    blocks += [line for line in lines if 8 < len(line) <= 160 and
               ((_POSTCODE.search(line) and "," in line) or (re.search(r"\d", line) and _region(line)))]
    return list(dict.fromkeys(re.sub(r"\s+", " ", b) for b in blocks if b))


def country(docs: list, asked_url: str, phones: list[str]) -> dict:
    """``{"country", "country_conflict", "evidence": {"country": [...]}}`` from addresses, phones, ccTLD."""
    data = load("reading")["country"]
    votes: dict[str, float] = {}
    proof: list[dict] = []

    def vote(code, weight, kind, page, phrase):
        if code and code != "ZZ":
            votes[code] = votes.get(code, 0.0) + weight
            proof.append({"country": code, "kind": kind, "page": page, "phrase": phrase[:200], "weight": weight})

    per_country: dict[str, int] = {}
    for doc in docs:
        for item in doc.ld:
            address = item.get("address")
            for one in address if isinstance(address, list) else [address]:
                code = str(one.get("addressCountry", "")) if isinstance(one, dict) else ""
                code = code if len(code) == 2 else (_country_name(code) if code else None)
                if code:
                    text = ", ".join(str(v) for k, v in one.items() if not k.startswith("@")) if isinstance(one, dict) else str(one)
                    vote(code.upper(), data["address"], "address", doc.url, text)
        for line in _address_lines(doc):
            code = _country_name(line)
            if code and per_country.get(code, 0) < data["address_cap"]:
                per_country[code] = per_country.get(code, 0) + 1
                vote(code, data["address"], "address", doc.url, line)
    phonenumbers = geo.phone_lib()
    per_phone: dict[str, int] = {}
    for number in phones:
        code = phonenumbers.region_code_for_number(phonenumbers.parse(number))
        if code and per_phone.get(code, 0) < data["phone_cap"]:
            per_phone[code] = per_phone.get(code, 0) + 1
            vote(code, data["phone"], "phone", docs[0].url, number)
    tld = cctld_country(host_of(docs[0].url) or "") or cctld_country(host_of(asked_url) or "")
    vote(tld, data["cctld"], "cctld", docs[0].url, host_of(docs[0].url) or "")
    if not votes:
        return {"country": None, "country_conflict": [], "evidence": {}}
    ranked = sorted(votes, key=lambda c: -votes[c])
    close = [c for c in ranked[1:] if votes[c] >= votes[ranked[0]] * data["conflict_share"]]
    best = ranked[0] if not close or votes[close[0]] < votes[ranked[0]] else None
    return {"country": best, "country_conflict": [ranked[0], *close] if close else [],
            "country_scores": {c: round(votes[c], 1) for c in ranked},
            "evidence": {"country": proof[:8]}}


_INTERNATIONAL = re.compile(r"(?:\+|00)\s?\d[\d\s().-]{6,18}\d")


def national_phones(docs: list, region: str | None) -> list[str]:
    """Phone numbers written in national format ("(713) 555-0142", "040 7890 1234") read as ``region``'s."""
    if not region:
        return []
    found = []
    for doc in docs:
        text = _INTERNATIONAL.sub(" ", doc.raw_text)  # the tail of "+48 58 301 22 33" is not a national number
        for match in re.finditer(r"(?<![\w+])\(?0?\d{2,4}\)?[\s./-]\d{2,4}[\s./-]\d{2,5}(?:[\s./-]\d{2,4})?(?!\w)",
                                 text):
            e164 = geo.e164(match.group(0), region)
            if e164 and e164 not in found:
                found.append(e164)
    return found[:4]


# --- all together ------------------------------------------------------------------------


def read(docs: list, asked_url: str, phones: list[str]) -> dict:
    """The weighed facts and their evidence, for :func:`triage.enrich.facts.read_site`."""
    sents = sentences(docs)
    out = business_type(docs, sents)
    evidence = out.pop("evidence")
    facts = {"founded": founded(sents), "staff": staff(sents), "branches": branches(sents), "area_m2": area_m2(sents)}
    for name, found in facts.items():
        out[name] = found[0] if found else None
        if found:
            evidence[name] = _proof(found[1], found[2]) | ({"approximate": True} if found[3:4] == (True,) else {})
    where = country(docs, asked_url, phones)
    region = where["country"] or (where["country_conflict"] or [None])[0]
    extra = [p for p in national_phones(docs, region) if p not in phones]
    if extra:
        where = country(docs, asked_url, phones + extra)
    evidence.update(where.pop("evidence"))
    out.update(where)
    out["evidence"] = evidence
    return out
