"""What the buyer asked, and the profile's answer to each point (or what the salesperson must fill).

Data: playbooks/draft/topics.toml (what a question is about), certificates.toml (what
each mark certifies), thread.toml (closing words, samples already tested). The user's
``$TRIAGE_HOME/playbooks/draft/<file>`` replaces the shipped file of the same name.
Nothing here is worded for the buyer: each answer is a topic and its facts; the
templates phrase it in the buyer's language.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from triage.datafiles import read_toml
from triage.errors import DataFileError
from triage.paths import shipped, user_dir


@functools.lru_cache(maxsize=16)
def _load(name: str, home: Path) -> dict[str, Any]:
    """The user's playbooks/draft/<name> if there is one, else the shipped file."""
    path = home / "playbooks" / "draft" / name
    return read_toml(path if path.is_file() else shipped("playbooks") / "draft" / name)


def data(name: str) -> dict[str, Any]:
    return _load(name, user_dir())


def _words(table: dict[str, Any], path: str) -> list[str]:
    words = table.get("words")
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        raise DataFileError(f"playbooks/draft: {path}.words must be a list of strings")
    return [w.lower() for w in words]


@functools.lru_cache(maxsize=16)
def _word_lists(name: str, home: Path, group: str | None = None) -> dict[str, list[str]]:
    """Each ``[section]`` (or ``[group.section]``) of a draft data file: its words, checked and lowered once."""
    table = _load(name, home)
    sections = table.get(group, {}) if group else table
    return {key: _words(value, f"{group}.{key}" if group else key)
            for key, value in sections.items() if isinstance(value, dict) and "words" in value}


def words(name: str, section: str) -> list[str]:
    """The words of ``[section]`` in the draft data file ``name`` (lower case; [] when there is none)."""
    return list(_word_lists(name, user_dir()).get(section, ()))


def said(text: str, section: str) -> str | None:
    """The first phrase of thread.toml's [section] found in the text, or None."""
    folded = (text or "").lower()
    return next((w for w in _word_lists("thread.toml", user_dir()).get(section, ()) if w in folded), None)


# -- questions -----------------------------------------------------------------------------


def topics_of(question: str) -> list[str]:
    """The topics a question is about, in topics.toml's order ([] for a mere greeting)."""
    folded = f" {question.lower()} "
    if any(w in folded for w in _word_lists("topics.toml", user_dir()).get("greetings", ())):
        return []
    return [name for name, words in _word_lists("topics.toml", user_dir(), "topics").items()
            if any(w in folded for w in words)]


def answer_questions(questions: list[str], facts: dict[str, Any]) -> list[dict[str, Any]]:
    """Each question with its answers: [{topic, ...facts}] or a fill item when the profile has none."""
    table = data("topics.toml").get("topics", {})
    out = []
    for question in questions:
        topics = topics_of(question)
        if not topics and _greeting(question):
            continue
        if "certificate" not in topics and certs_named(question, facts["cert_names"]):
            topics = ["certificate", *topics]  # "Do you have SONCAP?": a mark the buyer asks about by name
        found = [_answer(table[t].get("answer", "none"), question, facts) for t in topics]
        if _asks_the_date(question, facts):
            found.append({"kind": "timing"})  # "Can you do it before Feb 15?": the buyer's own date, met or not
        answers = list({a["kind"]: a for a in found if a}.values())
        open_part = not answers or not all(found)  # a point of it the profile cannot answer ("and our brand?")
        out.append({"question": _clean(question), "answers": answers,
                    "fill": f"answer to \"{_marker_safe(_clean(question))}\"" if open_part else None})
    return out


def _marker_safe(text: str) -> str:
    """The buyer's words inside a <<to fill: ...>> marker: an angle bracket of theirs ("UGR < 19") would
    end the marker early, so it is written as the sign a reader takes the same way (‹ ›)."""
    return text.replace("<", "‹").replace(">", "›")


def _asks_the_date(question: str, facts: dict[str, Any]) -> bool:
    """Whether the question names the buyer's deadline (the date the offer's timing is worked against)."""
    from triage.dates import deadline

    timing = facts["quote"].get("timing") or {}
    wanted = timing.get("deadline")
    if not wanted or not any(ch.isdigit() for ch in question):
        return False
    today = facts.get("today") or timing.get("ready") or wanted
    return deadline(question, min(today, wanted)) == wanted


def is_greeting(question: str) -> bool:
    """A mere greeting written as a question ("Tudo bem?"): no topic, a greeting word; the draft does not answer it."""
    return not topics_of(question) and _greeting(question)


def _greeting(question: str) -> bool:
    folded = question.lower()
    return any(w in folded for w in _word_lists("topics.toml", user_dir()).get("greetings", ()))


_LABEL = re.compile(r"^\s*(?:[a-z]\)|\d+[.)]|[-*•])\s*", re.I)


def _clean(question: str) -> str:
    return _LABEL.sub("", question.strip())[:200]


def _answer(kind: str, question: str, facts: dict[str, Any]) -> dict[str, Any] | None:
    terms, quote = facts["terms"], facts["quote"]
    if kind == "price":
        return {"kind": "price"} if quote["lines"] and all(ln["price"] is not None for ln in quote["lines"]) else None
    if kind == "incoterm":
        return {"kind": "incoterm"} if quote["lines"] else None
    if kind == "moq":
        return {"kind": "moq"} if quote["lines"] else None
    if kind == "certificate":
        named = certs_named(question, facts["cert_names"])
        found = [c for c in facts["certs"] if c["asked"] in named] if named else []
        return {"kind": "certificate", "certs": found} if found else None
    if kind in ("payment", "lead_time", "samples"):
        return {"kind": kind} if terms.get(kind) else None
    if kind == "company":
        return {"kind": "company"} if facts["seller"].get("founded") else None
    if kind == "references":
        return {"kind": "references"} if facts["seller"].get("references") else None
    if kind == "catalogue":
        return {"kind": "catalogue"} if terms.get("catalogue") else None
    return None


# -- certificates ------------------------------------------------------------------------


def _marks() -> dict[str, Any]:
    return data("certificates.toml").get("marks", {})


def certs_named(text: str, names: list[str]) -> set[str]:
    """The certificate names the text names, as written or by an extraction alias ("ЕАС" in Cyrillic is EAC)."""
    from triage.request import certifications

    folded = f" {text.lower()} "
    # (no letter of any script beside the name: "CE" is not in "pièce")
    found = {n for n in names if re.search(rf"(?<![^\W\d_]){re.escape(n.lower())}(?![^\W\d_])", folded)}
    return found | (set(certifications(text)) & set(names))


def market_mark(country: str) -> str | None:
    markets = data("certificates.toml").get("markets", {})
    if country in markets and isinstance(markets[country], str):
        return markets[country]
    return markets.get("EU") if country in markets.get("countries_eu", []) else None


def certificate_answers(asked: list[str], products: list[dict[str, Any]], held: list[str], text: str) -> list[dict[str, Any]]:
    """Per certificate asked (or the market's): which lines carry a mark that covers it, and how."""
    marks = _marks()
    out = []
    for name in asked:
        report = _as_standard(name, text)
        covering = {m for m, spec in marks.items()
                    if name.lower() in {s.lower() for s in spec.get("satisfies", [])} or m.lower() == name.lower()}
        lines = []
        for p in products:
            via = [c for c in p["certifications"] if c in covering or c.lower() == name.lower()]
            lines.append({"sku": p["sku"], "via": via, "carried": p["certifications"]})
        ok = [ln for ln in lines if ln["via"]]
        out.append({
            "asked": name,
            "report": report,
            "ok": [{"sku": ln["sku"], "via": ln["via"][0], "same": ln["via"][0].lower() == name.lower()} for ln in ok],
            "missing": [{"sku": ln["sku"], "carried": ln["carried"]} for ln in lines if not ln["via"]],
            "company_holds": any(h in covering or h.lower() == name.lower() for h in held),
            "note": " ".join(marks[m].get("note", "") for m in covering if m in marks and marks[m].get("note")),
        })
    return out


def _as_standard(name: str, text: str) -> str | None:
    """'DIN VDE 0620-1' when the buyer names the mark's body as part of a standard, not the mark."""
    match = _standard_number(name).search(text or "")
    if match is None:
        return None
    series = _SERIES.search(text, max(0, match.start() - 12), match.start())  # "DIN " or "EN " before it
    return text[series.start() if series else match.start():match.end()].strip()


@functools.lru_cache(maxsize=256)
def _standard_number(name: str) -> re.Pattern:
    """The mark's name followed by a standard's number ("VDE 0620-1"): a literal start re finds fast."""
    return re.compile(rf"{re.escape(name)}\s+\d[\d.\-/]*(?:-\d+)?", re.I)


_SERIES = re.compile(r"(?:DIN|EN|IEC)\s+$", re.I)
