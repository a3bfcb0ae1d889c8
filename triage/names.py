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


def person(raw: str) -> dict[str, Any]:
    """{'name', 'first_name', 'last_name', 'gender' (m, f or None)} of a contact's name."""
    words = [w for w in _SPLIT.split(str(raw or "").strip()) if w]
    table = _table()
    titles = {**{w: "m" for w in table["titles"]["male"]}, **{w: "f" for w in table["titles"]["female"]}}
    gender = None
    while words and words[0].lower() in titles:
        gender = titles[words.pop(0).lower()]
    if len(words) > 4 or any(any(ch.isdigit() for ch in w) for w in words):
        words = []  # not a person's name
    first = words[0] if words else ""
    if gender is None and first:
        folded = first.lower()
        names = table["first_names"]
        gender = "m" if folded in names["male"] else "f" if folded in names["female"] else None
    return {"name": " ".join(words), "first_name": first, "last_name": words[-1] if len(words) > 1 else "",
            "gender": gender}


def looks_like_company(text: str) -> bool:
    if len(text) > 80 or len(text) < 2 or text.endswith(("?", ":")) or text.count(" ") > 9:
        return False
    folded = " " + _NOT_WORD.sub(" ", text.lower()) + " "
    return not any((w in folded) if w[-1] in ".:" else (f" {w} " in folded) for w in _table()["not_company"]["words"])
