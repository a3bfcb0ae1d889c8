"""Reading a company's pages the way a careful person does: what it is, how big, where.

Every page is cut into sentences, each with a weight for where it stands (the About
page and headings count most, the footer and menus least). Then:

* business type: every type's terms (``playbooks/enrich/reading.toml`` [types]) add
  their sentence's weight, a negated term ("we do not manufacture") subtracts; a
  runner-up within ``tie_margin`` of the best is a tie, reported as such. What the site
  says of itself in the first person ("wij zijn een groothandel", [self]) counts double;
  a type named of another company ("made by leading manufacturers", "el fabricante
  Lumex", [others]) not at all; layouts count as weak terms of the types that name
  them ([types.X] cues: a shop's weekend hours, shelf prices);
* founded, staff, branches, floor area: a number (digits or number words in a dozen
  languages) next to a noun or a founding verb;
* size band: from the headcount, else the branches, else the floor area;
* country: postal addresses, phone numbers and the ccTLD, weighed; a close second
  is a conflict.

Each fact carries its evidence: the page, the sentence and the term.

By concern: the sentences and the term matching are in :mod:`triage.enrich.reading_text`, the
numbers (founded, staff, branches, area, size band) in :mod:`triage.enrich.reading_numbers`; this
module decides the business type and the country and puts the facts together.
"""

from __future__ import annotations

import re

from triage import geo
from triage.enrich.data import load, words
from triage.enrich.domains import cctld_country
from triage.hostnames import host_of
from triage.enrich.reading_numbers import area_m2, branches, founded, number_value, size_band, staff
from triage.enrich.reading_text import CJK, Sentence, lexicon, lexicon_set, is_customer, is_negated, find_terms, sentences, term_regex

__all__ = ["area_m2", "branches", "business_type", "country", "founded", "number_value", "read", "sentences",
           "size_band", "staff"]


# --- business type ----------------------------------------------------------------


def business_type(docs: list, sents: list[Sentence] | None = None) -> dict:
    """``{"business_type", "business_type_tie", "business_type_scores", "evidence"}``."""
    data = load("reading")
    weights = data["weights"]
    sents = sents if sents is not None else sentences(docs)
    scores: dict[str, float] = {}
    evidence: dict[str, dict] = {}
    against: dict[str, dict] = {}
    names = _trade_names(sents)
    cues = _cues(sents)
    wider = _strong_spans(sents, data["types"])
    for kind in data["types"]:
        lists = {key: lexicon("types", kind, key, optional=True) for key in ("strong", "weak", "served", "not", "in_name")}
        used: dict[str, int] = {}
        total, best = 0.0, None
        for i, s in enumerate(sents):
            found = [(m, f, d) for m, f, d in _terms_for(s, lists, weights, names)
                     if used.get(m.group(0), 0) < weights["per_term_cap"] and not _inside_other(m, kind, wider[i])]
            found += [(m, weights["weak"], False) for m in cues[i] if m.group(0) in data["types"][kind].get("cues", [])
                      and used.get(m.group(0), 0) < weights["per_term_cap"]]
            if not found:
                continue
            negated = [(m, f, d) for m, f, d in found if is_negated(s.text, m.start(), m.end(), s.lang)]
            found = [(m, f) for m, f, d in found if (m, f, d) not in negated]
            # "no tooling charge" is no denial of being a works; "we do not sell to the public" is one of a shop
            negated = [(m, 1.0) for m, f, d in negated if d]
            if negated:  # one sentence is one piece of evidence per type, for or against
                m, f = max(negated, key=lambda x: x[1])
                used[m.group(0)] = used.get(m.group(0), 0) + 1
                total -= weights["against"] * f * s.weight
                against.setdefault(kind, _proof(s, m.group(0)))
                continue
            if not found:
                continue
            m, f = max(found, key=lambda x: (x[1], len(x[0].group(0))))
            used[m.group(0)] = used.get(m.group(0), 0) + 1
            gain = f * s.weight * (weights["self_statement"] if _says_itself(s.text, m.start()) else 1.0)
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


def _strong_spans(sents: list[Sentence], types: dict) -> list[list[tuple[int, int, list[str]]]]:
    """Per sentence, ``(start, end, absorbed)`` of the strong terms of the types that declare
    ``absorbs`` (the types whose words their terms hold: an online shop holds a shop)."""
    strong = {kind: lexicon("types", kind, "strong") for kind in types if types[kind].get("absorbs")}
    return [[(m.start(), m.end(), types[kind]["absorbs"]) for kind, terms in strong.items()
             for m in find_terms(s.text, terms)] for s in sents]


def _inside_other(m: re.Match, kind: str, spans: list[tuple[int, int, list[str]]]) -> bool:
    """The term is part of a longer strong term of a type that absorbs ``kind``: the "магазин" of
    "онлайн-магазин", the "shop" of "online shop" are the online seller's, not a shop's."""
    return any(kind in absorbed and a <= m.start() and m.end() <= b and b - a > m.end() - m.start()
               for a, b, absorbed in spans)


def _terms_for(s: Sentence, lists: dict, weights: dict, names: list[str]) -> list[tuple[re.Match, float, bool]]:
    """``(match, factor, denial)`` for one type's terms in one sentence: strong 1, weak ``weights.weak``,
    but a weak word in the company's own name is strong ("Ridgeway Electrical Wholesale"); not the
    terms that name the customers or the suppliers; the customers that tell the type (served).
    ``denial``: negated, the term is evidence against (a strong term, or a served customer)."""
    # "Quadros de distribuição", "distribution boards": a product named with the type's word
    other = [(n.start(), n.end()) for n in find_terms(s.text, lists["not"])]
    found = [(m, 1.0 if factor < 1.0 and _in_name(s.text, m, names) else factor)
             for strength, factor in (("strong", 1.0), ("weak", weights["weak"]))
             for m in find_terms(s.text, lists[strength])
             if not any(a <= m.start() and m.end() <= b for a, b in other)]
    found += [(m, 1.0) for m in find_terms(s.text, lists["in_name"]) if _in_name(s.text, m, names)]
    found = [(m, f, f == 1.0) for m, f in found if not is_customer(s.text, m.start(), m.end())
             and not (f == 1.0 and not _in_name(s.text, m, names) and _others(s.text, m.start(), s.lang, s.raw))]
    # "for homeowners and DIY": who the customers are says what the company is
    markers = lexicon_set("customers", "before")
    found += [(m, weights["weak"], True) for m in find_terms(s.text, lists["served"])
              if is_customer(s.text, m.start(), m.end()) or m.group(0).split(" ")[0] in markers]  # "ao público"
    return found


def _says_itself(sentence: str, start: int) -> bool:
    """"wij zijn een groothandel", "jesteśmy hurtownią", "我们是一家工程公司": the site says what it is, in
    the first person, at most three words (eight CJK characters) before the term ([self] before)."""
    head = re.split(r"[;:,.!?，。；：]", sentence[max(0, start - 60):start])[-1]
    for phrase in lexicon("self", "before"):
        if CJK.search(phrase):
            if phrase in head[-(len(phrase) + 8):]:
                return True
            continue
        at = [m for m in re.finditer(rf"(?<!\w){re.escape(phrase)}(?!\w)", head)]
        asked = at and re.findall(r"[\w'’]+", head[:at[-1].start()])[-1:]  # "Quem somos", "Who we are": a menu label
        if at and len(re.findall(r"[\w\u0300-\u036f'’-]+", head[at[-1].end():])) <= 3 and not (  # "i̇talyan" is one word
                asked and asked[0] in lexicon_set("self", "not_after")):
            return True
    return False


def _cues(sents: list[Sentence]) -> list[list[re.Match]]:
    """Per sentence, the layouts that tell a type without its words (``[cues]``, named in a type's
    ``cues``): "weekend_hours", a weekend day and a clock time ("Lunes a sábado de 9:30 a 20:00"),
    and "shelf_prices", a short line ending in a price, on a page with two of them or more."""
    data = load("reading")["cues"]
    weekend = term_regex(tuple(words(data, "weekend")))
    money = "|".join(re.escape(m) for m in sorted(words(data, "money"), key=len, reverse=True))
    price = re.compile(rf"(?:{money})\s?\d[\d.,]*\s*$|\d[\d.,]*\s?(?:{money})\s*$")
    clock = re.compile(r"(?<![\d.,])\d{1,2}(?:[:.h]\d{2}|\s?[ap]\.?m\b)|\bnoon\b")
    out: list[list[re.Match]] = []
    for s in sents:
        found = []
        if weekend and weekend.search(s.text) and clock.search(s.text):
            found.append(_cue("weekend_hours"))
        if len(s.text) <= int(data["price_line_chars"]) and price.search(s.text) and re.search(r"[^\W\d_]{3}", s.text):
            found.append(_cue("shelf_prices"))
        out.append(found)
    per_page: dict[str, int] = {}
    for s, found in zip(sents, out):
        per_page[s.page] = per_page.get(s.page, 0) + sum(1 for m in found if m.group(0) == "shelf_prices")
    return [[m for m in found if m.group(0) != "shelf_prices" or per_page[s.page] >= 2] for s, found in zip(sents, out)]


def _cue(name: str) -> re.Match:
    """A match that stands for a cue: its text is the cue's name (evidence and the per-term cap use it)."""
    return re.match(re.escape(name), name)


def _trade_names(sents: list[Sentence]) -> list[str]:
    """The company's names as written before a legal form: "ridgeway electrical wholesale" from
    "Ridgeway Electrical Wholesale Ltd" (up to four words; ``[terms] legal_forms``)."""
    forms = "|".join(re.escape(f) for f in sorted(words(load("reading"), "terms", "legal_forms"), key=len, reverse=True))
    # capitalised words before a capitalised form: "Ridgeway Electrical Wholesale Ltd", not "liefern wir ab Lager"
    regex = re.compile(rf"(?<!\w)((?:[^\W\d_a-z][\w&'’-]*\s+){{1,4}})(?P<form>(?i:{forms}))(?!\w)")
    names = [m.group(1).strip().lower() for s in sents for m in regex.finditer(s.raw)
             if m.group("form")[0].isupper() and all(w[0].isupper() or len(w) <= 3 for w in m.group(1).split())]
    return list(dict.fromkeys(names))


def _in_name(text: str, m: re.Match, names: list[str]) -> bool:
    for name in names:
        at = text.find(name, max(0, m.end() - len(name)))
        if 0 <= at <= m.start() and m.end() <= at + len(name):
            return True
    return False


def _distinct(matches: list[re.Match]) -> list[re.Match]:
    seen, out = set(), []
    for m in matches:
        if m.group(0) not in seen:
            seen.add(m.group(0))
            out.append(m)
    return out


def _proof(s: Sentence, term: str) -> dict:
    return {"page": s.page, "phrase": s.raw[:240], "term": term}


def _others(sentence: str, start: int, lang: str = "", raw: str = "") -> bool:
    """The term names other companies, the suppliers or partners: "leading manufacturers",
    "Vertriebspartner namhafter Hersteller", "von über 300 Herstellern", "de grandes fabricantes"."""
    before = re.findall(r"[\w'’]+", sentence[max(0, start - 40):start])[-2:]
    markers = lexicon_set("others", "before")
    if any(word in markers for word in before) or " ".join(before) in markers:
        return True
    if re.match(r"[\w'’]+", sentence[start:]).group(0) in lexicon_set("others", "words"):
        return True
    word_end = start + len(re.match(r"[\w'’]*", sentence[start:]).group(0))
    if any(sentence[word_end:word_end + 24].lstrip().startswith(a) for a in lexicon("others", "after")):
        return True
    if _third_person(sentence, start, before, raw if len(raw) == len(sentence) else ""):
        return True
    head = sentence[max(0, start - 6):start]  # "代表您与工厂打交道", "寻找并审核工厂": no spaces to split at
    if any(CJK.search(m) and head.endswith(m) for m in markers):
        return True
    last = re.findall(r"[\w'’.,$€£¥]+", sentence[max(0, start - 20):start])[-1:]  # not the price "$9.95 Add to cart"
    return any((number_value(word.rstrip(".,"), lang) or 0) >= 2 for word in last)  # "300 Herstellern", not "un fabricant"


def _third_person(sentence: str, start: int, before: list[str], raw: str = "") -> bool:
    """The term names another company: "made by the manufacturer", "par le fabricant" (``third_person``);
    "el fabricante Lumex", "vom Hersteller Lumio" (one of ``articles``, the term, a name); "Aurion LED
    (fabrikant, Dongguan)", in brackets in a clause that says nothing of "we" (``first_person``)."""
    word_end = start + len(re.match(r"[\w'’]*", sentence[start:]).group(0))
    if _says_itself(sentence, start):  # "somos el distribuidor oficial de Schneider"
        return False
    if raw and before and before[-1] in lexicon_set("others", "articles"):
        following = re.findall(r"[^\W\d_][\w&-]*", raw[word_end:word_end + 40])[:2]  # "fabricant allemand Lichtwerk"
        tokens = re.findall(r"[^\W\d_]+", raw)
        title_case = sum(w[0].isupper() for w in tokens) * 2 > len(tokens)  # "The Manufacturer Of Cables" is a heading
        if not title_case and any(w[0].isupper() for w in following):
            return True
    marks = lexicon_set("others", "third_person")
    if any(w in marks for w in before) or " ".join(before) in marks:  # "made by leading manufacturers"
        return True
    cut = [m.end() for m in re.finditer(r"[;:,.!?]", sentence[:start])]
    end = re.search(r"[;:,.!?]", sentence[word_end:])
    clause = sentence[cut[-1] if cut else 0:word_end + end.start() if end else len(sentence)]
    first = lexicon("others", "first_person")
    if set(re.findall(r"[\w'’]+", clause)) & lexicon_set("others", "first_person") or any(CJK.search(w) and w in clause for w in first):
        return False
    return sentence.rfind("(", 0, start) > sentence.rfind(")", 0, start)


# --- country ------------------------------------------------------------------------------

_POSTCODE = re.compile(r"(?<!\d)(?:\d{2}[- ]?\d{3}|\d{4,6}|\d{3}-\d{4})(?!\d)|\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"
                       r"|\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")  # ... and a Canadian one, "M5J 2S1"


def _country_name(text: str) -> str | None:
    data = load("reading")["country"]
    folded = text.lower()
    hits = [(folded.rfind(n), code) for n, code in data["names"].items()
            if re.search(rf"(?<!\w){re.escape(n)}(?!\w)", folded)]
    if hits:
        return max(hits)[1]
    return geo.country_from_address(text) or _state(text) or _region(text)


def _state(text: str) -> str | None:
    """The country of a state or province written out before its postcode: "Dallas, Texas 75202",
    "Toronto, Ontario M5J 2S1" (``[country.states]``)."""
    data = load("reading")["country"]
    for name, code in data.get("states", {}).items():
        masks = data.get("postcodes", {}).get(code, [])
        postcode = "|".join(_mask(m) for m in masks)
        if postcode and re.search(rf"(?<!\w){re.escape(name)},?\s+(?:{postcode})(?!\w)", text):
            return code
    return None


def _mask(mask: str) -> str:
    """A postcode format as written in the data ("A9A 9A9": A a capital letter, 9 a digit) as a regex."""
    return "".join({"A": "[A-Z]", "9": r"\d", " ": r"\s?"}.get(c, re.escape(c)) for c in mask)


def _region(text: str) -> str | None:
    """The country of a region named in a CJK address ("浙江省", "〒"), else None."""
    hits = [(text.find(n), code) for n, code in load("reading")["country"].get("regions", {}).items() if n in text]
    return min(hits)[1] if hits else None


def _address_lines(doc) -> list[str]:
    blocks = [a.get_text(" ", strip=True) for a in doc.soup.find_all("address")]
    # a footer line joins its parts with dots or bars: "ООО «Светофор» · ИНН 5036178842 · 142116, Московская обл., г. Подольск"
    lines = [part.strip() for line in doc.raw_text.split("\n") for part in re.split(r"\s[·|•]\s", line)]
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
    facts = {"founded": founded(sents), "staff": staff(sents), "branches": branches(sents, docs), "area_m2": area_m2(sents)}
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
