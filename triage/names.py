"""People's names and company names as the draft may use them (playbooks/draft/names.toml).

``person`` splits a contact's name into first and last, with the title or first name
that tells the form of address; ``looks_like_company`` refuses a job title, a page
label or a sentence given as a company name, so no such text reaches a buyer.
"""

from __future__ import annotations

import re
from typing import Any

_SPLIT = re.compile(r"[\s,]+")
_NOT_WORD = re.compile(r"[^\w:./@-]+")


def _table() -> dict[str, Any]:
    from triage.answers import data

    return data("names.toml")


def person(raw: str, title: str = "", lang: str | None = None, country: str | None = None) -> dict[str, Any]:
    """{'name', 'first_name', 'last_name', 'gender' (m, f or None)} of a contact's name.

    The gender comes from a title before the name, else the first name, else a job title that a
    gendered language writes so ("Acheteuse principale", "Coordinadora", "Einkäuferin"); the last
    name is the first of two surnames where the buyer's language puts the father's first
    ("Carolina Méndez Restrepo" is Sra. Méndez): names.toml [title_words] and [surnames]. Where the
    buyer's language or country writes the family name first ("Szabó Eszter", [order]), the name is
    read that way unless its first word is a known first name ("Eszter Szabó" written for abroad)."""
    words = [w for w in _SPLIT.split(str(raw or "").strip()) if w]
    table = _table()
    titles = {**{w: "m" for w in table["titles"]["male"]}, **{w: "f" for w in table["titles"]["female"]}}
    gender = None
    while words and words[0].lower() in titles:
        gender = titles[words.pop(0).lower()]
    if len(words) > 4 or any(any(ch.isdigit() for ch in w) for w in words):
        words = []  # not a person's name
    names = table["first_names"]
    known = {w for side in ("male", "female") for w in names[side]}
    family_first = len(words) == 2 and _family_first(lang, country, table) and words[0].lower() not in known
    given = words[-1] if family_first else words[0] if words else ""
    if gender is None and given:
        folded = given.lower()
        gender = "m" if folded in names["male"] else "f" if folded in names["female"] else None
    if gender is None and title:
        gender = _title_gender(title, table)
    last = words[0] if family_first else _surname(words, lang, table)
    return {"name": " ".join(words), "first_name": given, "last_name": last, "gender": gender}


def _family_first(lang: str | None, country: str | None, table: dict[str, Any]) -> bool:
    order = table.get("order", {})
    return (lang or "") in order.get("family_first_languages", []) or \
        (country or "").upper() in order.get("family_first_countries", [])


def _title_gender(title: str, table: dict[str, Any]) -> str | None:
    said = set(re.findall(r"[^\W\d_]+", title.lower()))
    words = table.get("title_words", {})
    male, female = said & set(words.get("male", [])), said & set(words.get("female", []))
    return "f" if female and not male else "m" if male and not female else None


def _surname(words: list[str], lang: str | None, table: dict[str, Any]) -> str:
    """The surname to address: the last word, or where ``lang`` writes two surnames (father's first),
    the first of them with its particles ("de la Fuente") when the name has three words or more."""
    if len(words) < 2:
        return ""
    surnames = table.get("surnames", {})
    if lang not in surnames.get("paternal_first", []) or len(words) < 3:
        return words[-1]
    particles = set(surnames.get("particles", []))
    taken = []
    for word in words[1:]:
        taken.append(word)
        if word.lower() not in particles:
            break
    return " ".join(taken) if taken and taken[-1].lower() not in particles else words[-1]


def looks_like_company(text: str) -> bool:
    if len(text) > 80 or len(text) < 2 or text.endswith(("?", ":")) or text.count(" ") > 9:
        return False
    folded = " " + _NOT_WORD.sub(" ", text.lower()) + " "
    return not any((w in folded) if w[-1] in ".:" else (f" {w} " in folded) for w in _table()["not_company"]["words"])
