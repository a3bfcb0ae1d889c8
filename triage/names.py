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


def person(raw: str, title: str = "", lang: str | None = None, country: str | None = None,
           text: str = "", reply_lang: str | None = None) -> dict[str, Any]:
    """{'name', 'first_name', 'last_name', 'gender' (m, f or None), 'honorific'} of a contact's name.

    A name in Han characters is read the Chinese way (``chinese``): family name first and the title
    a Chinese reply greets with ("honorific": 经理, 总, 先生...); other names have no honorific.

    The gender comes from a title before the name, else the first name, else a job title that a
    gendered language writes so ("Acheteuse principale", "Coordinadora", "Einkäuferin"); the last
    name is the first of two surnames where the buyer's language puts the father's first
    ("Carolina Méndez Restrepo" is Sra. Méndez): names.toml [title_words] and [surnames]. Where the
    buyer's language or country writes the family name first ("Szabó Eszter", [order]), the name is
    read that way unless its first word is a known first name ("Eszter Szabó" written for abroad). A
    Russian family name's ending tells the gender ([surname_endings]) for a reply in that language
    (``reply_lang``, else the buyer's)."""
    table = _table()
    if _HAN_NAME.match(str(raw or "").strip()) and _chinese_name(str(raw).strip(), lang, country, table):
        return chinese(str(raw).strip(), title, text, table)
    words = [w for w in _SPLIT.split(str(raw or "").strip()) if w]
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
    if gender is None and last:  # (a reply in another language greets by the full name: no "Mr Ковалёв")
        gender = _ending_gender(last, reply_lang or lang, table)
    return {"name": " ".join(words), "first_name": given, "last_name": last, "gender": gender, "honorific": ""}


_HAN_NAME = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff ·]{0,7}$")


def _chinese_name(name: str, lang: str | None, country: str | None, table: dict[str, Any]) -> bool:
    zh = table.get("chinese", {})
    return (lang or "") in zh.get("languages", []) or (country or "").upper() in zh.get("countries", []) or \
        any(name.endswith(h) and len(name) > len(h) for h in zh.get("honorifics", []))


def chinese(raw: str, title: str = "", text: str = "", table: dict[str, Any] | None = None) -> dict[str, Any]:
    """A Chinese name ("陈伟明", "王总", "欧阳娜娜", "李先生"): family name first, then the given name; the
    honorific is the title the name carries ("王总"), else the one its job title stands for (names.toml
    [chinese.from_title]; a title written next to the name in ``text`` counts, as a signature block
    puts it), else 先生 / 女士 from the gender."""
    table = table or _table()
    zh = table.get("chinese", {})
    name = raw.replace(" ", "").replace("·", "")
    honorific = next((h for h in sorted(zh.get("honorifics", []), key=len, reverse=True)
                      if name.endswith(h) and len(name) > len(h)), "")
    name = name[: len(name) - len(honorific)] if honorific else name
    compound = next((c for c in zh.get("compound_surnames", []) if name.startswith(c)), "")
    family = compound or name[:1]
    given = name[len(family):]
    if not honorific and given:
        honorific = _signed_as(family, text, zh)
    titles = {**{w: "m" for w in table["titles"]["male"]}, **{w: "f" for w in table["titles"]["female"]}}
    gender = titles.get(honorific)
    honorific = "" if gender else zh.get("short", {}).get(honorific, honorific)  # 先生 / 女士: a job title first
    honorific = honorific or _title_honorific(" ".join([title or "", title_near(raw, text)]), zh)
    if not honorific and gender:
        honorific = "先生" if gender == "m" else "女士"
    return {"name": family + given, "first_name": given, "last_name": family, "gender": gender,
            "honorific": honorific}


def _title_honorific(title: str, zh: dict[str, Any]) -> str:
    folded = title.lower()
    return next((h for h, said in zh.get("from_title", {}).items() if any(w in folded for w in said)), "")


def title_near(name: str, text: str, lines: int = 3) -> str:
    """The line of the name's last mention in ``text`` and the lines after it (a signature block:
    "陈伟明\n采购经理", "王总\n宏达电气\n总经理"), for the title a Chinese greeting uses."""
    at = (text or "").rfind(name) if name else -1
    if at < 0:
        return ""
    start = text.rfind("\n", 0, at) + 1
    return "\n".join(text[start:].split("\n")[:lines])


def _signed_as(family: str, text: str, zh: dict[str, Any]) -> str:
    """The honorific the writer signs with ("王总" under a mail from 王建国), never the one the mail opens
    by greeting ("王经理，您好" greets the reader)."""
    text = text or ""
    for h in sorted(zh.get("honorifics", []), key=len, reverse=True):
        for found in re.finditer(re.escape(family + h), text):
            if text[: found.start()].strip() or not greets_reader(family + h, text[found.start():]):
                return h
    return ""


def signed_name(text: str) -> str:
    """A Chinese signature the header does not name: a line of its own below the opening that is a family
    name and a title ("张女士", "王总"), the last such line."""
    zh = _table().get("chinese", {})
    titles = "|".join(map(re.escape, sorted(zh.get("honorifics", []), key=len, reverse=True))) or "(?!)"
    signed = re.compile(rf"^[\u4e00-\u9fff]{{1,2}}(?:{titles})$")
    lines = [ln.strip() for ln in (text or "").strip().split("\n")][1:]
    return next((ln for ln in reversed(lines) if signed.match(ln)), "")


def greets_reader(name: str, text: str) -> bool:
    """Whether the mail opens by greeting ``name`` ("陈经理，您好！"): then it is the reader, our salesperson,
    not the buyer who writes."""
    zh = _table().get("chinese", {})
    opening = (text or "").lstrip()
    if not name or not opening.startswith(name):
        return False
    rest = opening[len(name):].lstrip()
    return any(rest.startswith(w) for w in zh.get("greeting_words", []))


def _family_first(lang: str | None, country: str | None, table: dict[str, Any]) -> bool:
    order = table.get("order", {})
    return (lang or "") in order.get("family_first_languages", []) or \
        (country or "").upper() in order.get("family_first_countries", [])


def _title_gender(title: str, table: dict[str, Any]) -> str | None:
    said = set(re.findall(r"[^\W\d_]+", title.lower()))
    words = table.get("title_words", {})
    male, female = said & set(words.get("male", [])), said & set(words.get("female", []))
    return "f" if female and not male else "m" if male and not female else None


def _ending_gender(last: str, lang: str | None, table: dict[str, Any]) -> str | None:
    """A Russian family name's gender by its ending (names.toml [surname_endings]): Сапарова f, Иванов m."""
    endings = table.get("surname_endings", {})
    if lang not in endings.get("languages", []):
        return None
    folded = last.lower()
    if any(folded.endswith(e) for e in endings.get("female", [])):
        return "f"
    return "m" if any(folded.endswith(e) for e in endings.get("male", [])) else None


def _surname(words: list[str], lang: str | None, table: dict[str, Any]) -> str:
    """The surname to address: the last word, or where ``lang`` writes two surnames (father's first),
    the father's: the second-last of the name's parts (a particle belongs to the word after it: "de la
    Fuente"), so "Rosa Elena Villarreal Garza" is Sra. Villarreal; with three parts whose middle one is
    a first name ("María José García") the last."""
    if len(words) < 2:
        return ""
    surnames = table.get("surnames", {})
    if lang not in surnames.get("paternal_first", []) or len(words) < 3:
        return words[-1]
    particles = set(surnames.get("particles", []))
    parts: list[str] = []
    pending: list[str] = []
    for word in words:
        pending.append(word)
        if word.lower() not in particles:
            parts.append(" ".join(pending))
            pending = []
    if pending or len(parts) < 3:
        return parts[-1] if parts and not pending else words[-1]
    known = {w for side in ("male", "female") for w in table["first_names"][side]}
    if len(parts) == 3 and parts[1].lower() in known:
        return parts[-1]
    return parts[-2]


def looks_like_company(text: str) -> bool:
    if len(text) > 80 or len(text) < 2 or text.endswith(("?", ":")) or text.count(" ") > 9:
        return False
    folded = " " + _NOT_WORD.sub(" ", text.lower()) + " "
    return not any((w in folded) if w[-1] in ".:" else (f" {w} " in folded) for w in _table()["not_company"]["words"])


def returned_greeting(text: str, reply_lang: str | None) -> str:
    """The greeting the reply returns when the buyer opens with one a reply answers in kind
    ("السلام عليكم" -> "وعليكم السلام ورحمة الله وبركاته"): playbooks/draft/greetings.toml [[returned]],
    its ``reply`` in the reply's language (else its ``default``); "" when the buyer opened with none."""
    from triage.answers import data

    opening = " ".join([ln.strip() for ln in (text or "").splitlines() if ln.strip()][:3]).lower()
    for record in data("greetings.toml").get("returned", []):
        opened, reply = record.get("opened"), record.get("reply")
        if not isinstance(opened, list) or not isinstance(reply, dict) or "default" not in reply:
            from triage.errors import DataFileError

            raise DataFileError(f"playbooks/draft/greetings.toml: [[returned]] {record.get('name', '?')} needs "
                                "a list 'opened' and a table 'reply' with a 'default'")
        if any(str(p).lower() in opening for p in opened):
            return str(reply.get(reply_lang or "", reply["default"]))
    return ""
