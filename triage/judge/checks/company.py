"""Checks on the buyer's company: branches, staff, years in business, website facts, platform numbers."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Any

from triage.judge.checks import check
from triage.judge.facts import Facts, in_range, search_field
from triage.matching import lower_pattern


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "deux": 2, "trois": 3,
                 "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "duas": 2, "três": 3}



_NUM_BEFORE = re.compile(r"(\d{1,3}(?:[,.]\d{3})+|\d+|" + "|".join(_NUMBER_WORDS)
                         + r")\+?[\s-]+(?:[a-zà-ÿ&-]+\s+){0,2}$")



_BRANCH_WORDS = re.compile(
    r"\b(branches|stores|outlets|locations|warehouses|shops|showrooms|depots|dcs|sucursales|tiendas|"
    r"almacenes|filiales|lojas|filialen|niederlassungen|magasins|agences|punti vendita|filiali|"
    r"oddzia\w+|fióktelep\w*|points? of sale)\b")



_STAFF_WORDS = re.compile(r"\b(staff|employees|workers|empleados|colaboradores|"
                          r"mitarbeiter\w*|salariés|employés|funcionários|dipendenti)\b")



_YEAR_WORDS = re.compile(r"\b(?:since|founded in|established in|est\.|desde|depuis|seit|dal)\s+((?:19|20)\d\d)\b"
                         r"|\b(years)\s+(?:in business|in the (?:trade|market|industry|business)|of experience|"
                         r"of trading|trading|on the market)\b"
                         r"|\b(años|anos|ans|jahre\w*|anni)\s+(?:en el (?:mercado|sector)|no mercado|de experiencia|"
                         r"de experiência|d'expérience|am markt|im geschäft|di esperienza|sul mercato)\b")



_GAP_NOT_A_COUNT = re.compile(r"\b(?:pcs|pc|pieces?|units?|nos|sets?|cartons?|x|for|of|to|per|each|"
                              r"piezas|unidades|peças|pièces|stück|stk)\b", re.I)



def _to_int(word: str) -> int:
    word = word.lower()
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return int(_NUMBER_MARKS.sub("", word))



_NUMBER_MARKS = re.compile(r"[,.]")



def _count_before(f: Facts, rx: re.Pattern) -> tuple[int, str]:
    """The largest number written just before one of rx's keywords ("14 branches")."""
    key = "_count_" + rx.pattern[:30]
    if key in f._cache:
        return f._cache[key]
    best, evidence = 0, ""
    for fld in ("text", "platform_fields"):
        for i, m in enumerate(search_field(f, fld, rx)):
            text = m.string
            n = _NUM_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if n and _GAP_NOT_A_COUNT.search(n.group(0)):
                continue  # "500 pcs GFCI outlets", "400 units for locations": a quantity, not branches
            count = _to_int(n.group(1)) if n else 0
            if count > best:
                best, evidence = count, text[n.start():m.end()]
    f._cache[key] = (best, evidence)
    return best, evidence



def _best_count(rx: re.Pattern, f: Facts, site_value: Any = None) -> tuple[int, str]:
    best, evidence = _count_before(f, rx)
    if isinstance(site_value, (int, float)) and site_value > best:
        best, evidence = int(site_value), f"website: {site_value}"
    return best, evidence



@check("branches")
def _check_branches(f: Facts, min: int = 1, max: int | None = None) -> str | None:
    n, evidence = _best_count(_BRANCH_WORDS, f, f.site.get("branches"))
    return evidence if n and in_range(n, min, max) else None



@check("staff")
def _check_staff(f: Facts, min: int = 1, max: int | None = None) -> str | None:
    n, evidence = _best_count(_STAFF_WORDS, f, f.site.get("staff"))
    return evidence if n and in_range(n, min, max) else None



@check("years_in_business")
def _check_years(f: Facts, min: int = 10, max: int | None = None) -> str | None:
    year_now = (f.today or (f.message.date.date() if f.message.date else date.today())).year
    best, evidence = 0, ""
    for m in search_field(f, "text", _YEAR_WORDS):
        if m.group(1):
            years = year_now - int(m.group(1))
        else:
            n = _NUM_BEFORE.search(m.string, m.start() - 30 if m.start() > 30 else 0, m.start())
            years = _to_int(n.group(1)) if n else 0
        if years > best:
            best, evidence = years, m.string[m.start() - 12 if m.start() > 12 else 0:m.end()]
    founded = f.site.get("founded")
    if isinstance(founded, int) and year_now - founded > best:
        best, evidence = year_now - founded, f"website: founded {founded}"
    return evidence if best and in_range(best, min, max) else None



@check("site_fact")
def _check_site_fact(f: Facts, key: str = "", equals: Any = True) -> str | None:
    value = f.site.get(key)
    return f"website {key}: {value}" if value is not None and value == equals else None



@check("platform_number")
def _check_platform_number(f: Facts, pattern: str = "", min: float = 0, max: float | None = None) -> str | None:
    for m in (m for fld in ("platform_fields", "text") for m in search_field(f, fld, compiled_pattern(pattern))):
        raw = m.group(1).lower().replace(",", "").strip()
        mult = 1000 if raw.endswith("k") else 1_000_000 if raw.endswith("m") else 1
        n = float(re.sub(r"[^\d.]", "", raw).strip(".") or 0) * mult
        if in_range(n, min, max):
            return m.group(0)
    return None



@lru_cache(maxsize=256)
def compiled_pattern(pattern: str) -> re.Pattern:
    return re.compile(lower_pattern(pattern), re.M)

