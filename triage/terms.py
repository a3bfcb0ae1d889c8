"""The trade term a buyer asks on ('FOB Ningbo', '报CIF价') and the place a C- or D-term names ('CIF Lagos',
'DDP our warehouse Dallas', 'Dar es Salaam', '运到汉堡').

Split from request.py, whose keyed patterns (``compiled``) and script classes (CJK, SPACED) it shares.
"""

from __future__ import annotations

import re
from itertools import chain

from triage.lexicon import Lexicon, lexicon
from triage.matching import pattern
from triage.request import CJK, HAS_CJK, SPACED, compiled


# '\b(EXW|FOB|...)\b', with the leading '\b' written after the term as a look-behind over the term and the
# character before it (every term is three characters and opens with a letter, so that '\b' is 'no word
# character before'): the same matches, but a pattern that opens with the terms lets the regex engine
# skip ahead to their first letters instead of trying every position (~4x faster).
# (the boundaries are SPACED ones: 'FOB宁波', '报CIF价')
_INCOTERM = re.compile(rf"(EXW|FOB|FCA|FAS|CFR|CNF|C&F|CIF|CPT|CIP|DAP|DPU|DAT|DDP|DDU)(?<!{SPACED}...)(?!{SPACED})")


def incoterm(text: str, field: str | None = None) -> str | None:
    for source in ((field or "").upper(), text):
        match = _INCOTERM.search(source)
        if match:
            term = match.group(1)
            return {"CNF": "CFR", "C&F": "CFR"}.get(term, term)
    return None


# '\b(?:CFR|...)', written as _INCOTERM is (the '\b' after the term, as a look-behind over it)
_DESTINATION = re.compile(
    r"(?:CFR|CNF|CIF|CPT|CIP|DAP|DPU|DDP|DDU)(?<!\w...)[ \t]+((?:port[ \t]+(?:of[ \t]+)?)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2})"
)
_PORT_OF = re.compile(r"^port\s+of\s+", re.I)
_PLACE_TAIL = re.compile(r"\s+(?:port|and|or|with|for|by|pls|please|price)\b.*$", re.I)
_SKIP_PLACES = {"price", "prices", "terms", "basis", "and", "or", "please", "only", "pricing"}
_DESTINATION_TERMS = ("CFR", "CNF", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP", "DDU")  # one is in every match


def destination(text: str, field: str | None = None) -> str | None:
    """The place in 'CIF Lagos', 'DDP Avonmouth' (C- and D- terms name the destination; EXW, FCA and
    FOB name the seller's side), in '运到汉堡', '目的港：汉堡', 'CIF汉堡' (the lexicon's [destination]),
    or a platform's destination field."""
    if field:
        return field.strip()
    if any(term in text for term in _DESTINATION_TERMS):  # most texts: no walk through them
        tail, led = compiled("destination-words", _place_words)
        matches = sorted(chain(led.finditer(text), _DESTINATION.finditer(text)), key=lambda m: m.start())  # stable
        for match in matches:
            place = _PORT_OF.sub("", match.group(1))
            place = _PLACE_TAIL.sub("", place)
            if place.split()[0].lower() in _SKIP_PLACES:
                continue
            more = tail.match(text, match.start(1) + len(place)) if place == match.group(1) else None
            return (place + (more.group(0) if more else "")).strip(" .,;")
    if _ARABIC_PLACE.search(text):
        return _arabic_destination(text)
    return _cjk_destination(text) if HAS_CJK.search(text) else None


# 'CIF الدمام', 'CFR ميناء جدة': Arabic script has no capitals, so the place is the Arabic word after the
# term (after a word for the port, extract.toml [destination] arabic_leads), unless it is a small word.
_ARABIC_PLACE = re.compile(r"(?:CFR|CNF|CIF|CPT|CIP|DAP|DPU|DDP|DDU)[ \t]+[\u0621-\u064a]")


def _arabic_destination(text: str) -> str | None:
    table = lexicon().data.get("destination", {})
    leads = "|".join(map(re.escape, table.get("arabic_leads", []))) or "(?!)"
    skip = set(table.get("arabic_not_places", []))
    found = re.finditer(rf"(?:{'|'.join(_DESTINATION_TERMS)})[ \t]+(?:(?:{leads})[ \t]+)?([\u0621-\u064a]{{2,}})", text)
    return next((m.group(1) for m in found if m.group(1) not in skip), None)


def _place_words(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    """(the rest of a place name written with small linking words: 'Dar| es Salaam', 'Rio| de Janeiro',
    'Frankfurt| am Main'; a place after a word for the site: 'DAP chantier Namur', 'DDP our warehouse
    Dallas'), from the lexicon's [destination] particles and place_leads."""
    table = lex.data.get("destination", {})
    particles = "|".join(re.escape(w) for w in table.get("particles", [])) or "(?!)"
    leads = "|".join(re.escape(w) for w in sorted(table.get("place_leads", []), key=len, reverse=True)) or "(?!)"
    name = r"[A-Z][\w'’-]+"
    tail = re.compile(rf"(?:[ \t]+(?:{particles})[ \t]+{name})+(?:[ \t]+{name})?")
    terms = "|".join(_DESTINATION_TERMS)
    led = re.compile(rf"(?:{terms})(?<!\w...)[ \t]+(?i:{leads})[ \t]+(?:(?i:in|at|en|à|a|de|in der)[ \t]+)?"
                     rf"({name}(?:[ \t]+{name}){{0,2}})")
    return tail, led


def _cjk_destination(text: str) -> str | None:
    """The place after a Chinese, Japanese or Korean destination word: a run of those scripts' characters,
    cut before the first end word from its third character on ('CIF价格' names no place: it opens with one)."""
    regex, ends = compiled("cjk-destination", _cjk_destination_words)
    for match in regex.finditer(text):
        place = match.group(1)
        if place.startswith(ends):
            continue
        cut = min((i for i in (place.find(end, 2) for end in ends) if i >= 2), default=len(place))
        return place[:cut]
    return None


def _cjk_destination_words(lex: Lexicon) -> tuple[re.Pattern, tuple[str, ...]]:
    cues = tuple(lex.data.get("destination", {}).get("cjk_cues", [])) + _DESTINATION_TERMS
    ends = tuple(lex.data.get("destination", {}).get("cjk_ends", []))
    return pattern("cjk-destination", cues, f"(?:{{}})[ \t]*[:：]?[ \t]*([{CJK}]{{{{2,16}}}})"), ends
