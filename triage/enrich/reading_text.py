"""The text of a company's pages as weighed sentences, and the terms found in them.

Every page is cut into sentences, each with a weight for where it stands (the About page and
headings count most, the footer and menus least). A table row, a definition, a stat card and a
timeline entry are one sentence. :func:`find_terms` matches the lexicon's terms (whole words,
stems, compounds, CJK, Arabic with its proclitics); the cue functions say whether a term names the
customers or is denied. The decisions are in :mod:`triage.enrich.reading` and
:mod:`triage.enrich.reading_numbers`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from triage.enrich.data import load, words

_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "address", "div", "section", "article",
           "footer", "nav", "header", "dd", "dt", "blockquote", "title", "main", "body", "ul", "ol", "table", "tr",
           "aside", "figcaption", "caption", "label", "form"}
_HEADINGS = {"title", "h1", "h2"}
_FRAMES = {"footer": "footer", "nav": "navigation", "header": "navigation"}
_CELLS = {"td", "th"}
_CARDS = {"div", "li", "section", "article", "figure", "a"}  # a block that may join its short children
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
# not after "St.", "Dr.", "Co.", "TP." ("Standorte: Winterthur · St. Gallen · Chur" is one sentence)
_SENTENCE_END = re.compile(r"(?<![A-Z][A-Za-z]\.)(?<=[.!?;])\s+(?=[\"'«“(¿¡]?[^\W\d_a-z])|(?<=[。！？；])")


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
                    out.append(Sentence(doc.url, ascii_digits(part.lower()), part, page * zone_weight, lang))
    return out


def ascii_digits(text: str) -> str:
    """Every decimal digit of any script as its ASCII digit, one character for one: "١٩٨٥" is "1985",
    "१२०" is "120" (``unicodedata.decimal``), so that years and counts read alike in every script."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in text)


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
    is one sentence: a short block that is only a number or only words joins its parent when the
    parent holds little else ("<div>2006 建厂</div>" is a card already)."""
    if block is None:
        return block
    if id(block) not in cards:
        parent, joined = block.parent, block
        text = block.get_text(" ", strip=True)
        if (parent is not None and parent.name in _CARDS and block.name not in _HEADINGS
                and block.find(list(_BLOCKS)) is None  # a leaf: "<div>48</div>", not the card around it
                and len(text) <= 30 and not (re.search(r"\d", text) and re.search(r"[^\W\d_]", text))
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
def term_regex(terms: tuple[str, ...], proclitics: tuple[str, ...] = ()) -> re.Pattern | None:
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
        if CJK.search(term):
            parts.append(core)
            continue
        start = "" if inside or not term.strip("*")[:1].isalnum() else r"(?<!\w)"
        if start and glued and _ARABIC.match(term):
            start = rf"(?<!\w)(?:{glued})?"
        end = r"\w*" if prefix else (r"(?!\w)" if term[-1:].isalnum() else "")
        parts.append(f"{start}{core}{end}")
    return re.compile("|".join(parts)) if parts else None


def lexicon(*keys: str, optional: bool = False) -> tuple[str, ...]:
    """The lower-cased words of ``playbooks/enrich/reading.toml`` at ``keys``, read once per data file
    (``optional``: a key that may be absent gives no words)."""
    return _lexicon(id(load("reading")), keys, optional)


@lru_cache(maxsize=512)
def _lexicon(_data_id: int, keys: tuple[str, ...], optional: bool) -> tuple[str, ...]:
    node = load("reading")
    if optional and not _has_keys(node, keys):
        return ()
    return tuple(words(node, *keys))


def _has_keys(node, keys: tuple[str, ...]) -> bool:
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def lexicon_set(*keys: str) -> frozenset[str]:
    """:func:`lexicon` as a set, for membership tests."""
    return _lexicon_set(id(load("reading")), keys)


@lru_cache(maxsize=512)
def _lexicon_set(_data_id: int, keys: tuple[str, ...]) -> frozenset[str]:
    return frozenset(lexicon(*keys))


def find_terms(text: str, terms: list[str] | tuple[str, ...]) -> list[re.Match]:
    regex = _regex(terms)
    return list(regex.finditer(text)) if regex else []


def _regex(terms: list[str]) -> re.Pattern | None:
    return term_regex(tuple(terms), lexicon("terms", "proclitics"))


def is_customer(sentence: str, start: int, end: int | None = None) -> bool:
    """The term names who the company sells to ("for contractors", "für Elektroinstallateure",
    "電気工事店さまのための")."""
    data = load("reading")["customers"]
    before = re.findall(r"[\w']+", sentence[max(0, start - 30):start])[-2:]
    markers = lexicon_set("customers", "before")
    if any(word in markers for word in before) or " ".join(before) in markers:
        return True
    ands = lexicon_set("negation", "and")
    glued = _ARABIC.match(sentence[start:start + 1] or " ") and sentence[start] in ands  # "والمقاولين": "and" glued on
    if _listed_after_marker(sentence[max(0, start - 90):start], markers, ands, items=1 if glued else 0):
        return True
    if end is None:
        return False
    after = sentence[end:end + int(data.get("after_window", 8))]
    after = re.split(r"[。、，,.;；:：!?！？]", after, maxsplit=1)[0]
    return any(marker in after for marker in lexicon("customers", "after"))


def _listed_after_marker(head: str, markers: set[str], ands: set[str], items: int = 0) -> bool:
    """"for builders, panel makers and electrical contractors": the term is a later item of a
    list of customers (items of at most three words, joined by commas or "and")."""
    tokens = re.findall(r"[\w'’-]+|[^\w\s]", head)
    words_in_item, right = (0 if items else 1), ""  # the term itself is the last item
    for token in reversed(tokens):
        bare = token[1:] if _ARABIC.match(token) and token[:1] in ands else token  # "ونوردها": and + "we supply them"
        if items and words_in_item and (bare in markers or f"{token} {right}" in markers):  # "for", "we supply"
            return True
        right = token
        if token in (",", "、", "/") or token in ands:
            if not words_in_item:  # an empty item: "...account aan en bestel tegen" is no list
                return False
            items, words_in_item = items + 1, 0
        elif token[0].isalnum():
            words_in_item += 1
            if words_in_item > 3:
                return False
        else:
            return False
    return False


def is_negated(sentence: str, start: int, end: int, lang: str = "") -> bool:
    """A negation before the term ("we do not manufacture"), right before it in CJK ("不生产"), after it
    ("vi tillverkar inte", "メーカーではありません") or as its ending ("yapmıyoruz"); on a page in ``lang``
    not the words that are no negation there (Portuguese "no" is "in the": "no atacado")."""
    data = load("reading")["negation"]
    window = int(data.get("window", 4))
    before = re.findall(r"[\w'’]+|[^\w\s]", sentence[max(0, start - 60):start].replace("n't", " not"))
    stops = lexicon_set("negation", "stop")
    cut = max((i for i, w in enumerate(before) if w in stops or w in ",;:"), default=-1)
    words_before = [w for w in before[cut + 1:] if w[0].isalnum() or w[0] == "_"][-window:]
    negators, cancel = lexicon_set("negation", "before"), lexicon_set("negation", "cancel")
    negators = negators - frozenset(lexicon("negation", "languages", lang, "not", optional=True)) if lang else negators
    for i, word in enumerate(words_before):
        if word in negators:
            following = words_before[i + 1] if i + 1 < len(words_before) else ""
            if following not in cancel and not following[:1].isdigit():
                return True
    head = re.split(r"[，,。；;：:、!！?？]", sentence[max(0, start - 8):start])[-1]  # "不是工厂，是外贸公司"
    for stop in (w for w in stops if CJK.search(w) and w in head):
        head = head.rsplit(stop, 1)[-1]
    if any(n in head for n in negators if CJK.search(n)):
        return True
    if any(head.endswith(n) for n in lexicon("negation", "right_before")):  # "我们自己不生产": 不 right before the term
        return True
    after = sentence[end:end + 40]
    if any(CJK.search(n) and n in after[:24] for n in lexicon("negation", "after")):
        return True
    if any(sentence[:end].endswith(n) for n in lexicon("negation", "suffixes")):  # Turkish "üretim yapmıyoruz"
        return True
    return _negated_after(re.findall(r"[\w'’]+|[^\w\s]", after), data)


def _negated_after(tokens: list[str], data: dict) -> bool:
    """"vi tillverkar inte", "wij produceren zelf niets", "üretici değiliz": a negation among the next
    words, before any punctuation or "and"/"but" (``stop``, ``and``), and not "nicht nur" (``cancel``)."""
    negators, cancel = lexicon_set("negation", "after"), lexicon_set("negation", "cancel")
    ends = lexicon_set("negation", "stop") | lexicon_set("negation", "and")
    window = [w for w in tokens[:int(data.get("window", 4)) + 1]]
    for i, word in enumerate(window):
        if word in ends or not (word[0].isalnum() or word[0] == "_"):
            return False
        if word in negators:
            following = window[i + 1] if i + 1 < len(window) else ""
            return following not in cancel
    return False
