"""Reading a finished draft as the buyer would: template leftovers and the language of each line.

``leftovers`` lists what must never reach a buyer: unrendered Jinja, a Python value
printed as text ('None', 'nan', '[]', '{}'), doubled spaces, words or punctuation, a
greeting with no name in it, a placeholder other than the one sanctioned marker
``<<to fill: ...>>``, a line in another language than the draft's. ``line_languages``
tells the language of each line from the stopwords and scripts of
playbooks/languages.toml (the data ``triage.persona`` reads too), so the test suite
and bench/draft_bar.py judge drafts by the same rule.

The buyer's own words quoted in a draft ("...", «...») and the sanctioned markers are
not the template's text: they are taken out before a line is read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from triage.persona import language_scripts, language_words

MARKER = re.compile(r"<<to fill: [^<>\n]+>>")
QUOTED = re.compile(r'"[^"\n]*"|«[^»\n]*»|„[^“”\n]*[“”]|“[^”\n]*”|「[^」\n]*」|“[^“\n]*“')
_ADDRESS = re.compile(r"\S+@\S+|\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|net|org|cn|de|fr|es)\b", re.I)

_CHECKS: list[tuple[str, re.Pattern[str]]] = [
    ("unrendered Jinja", re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")),
    ("a Python value as text", re.compile(r"\b(?:None|nan|NaN|null|undefined|True|False)\b|\[\]|\{\}|\(\)|''")),
    ("an unfilled {field}", re.compile(r"\{[A-Za-z_][\w.]*\}")),
    ("a placeholder that is not the <<to fill: ...>> marker",
     re.compile(r"\[[^\]\n]*\]|<<|>>|(?<![\w@.])<[^<>@\n]*>|\b(?:XXX+|TBD|TODO|FIXME|lorem ipsum)\b|_{3,}", re.I)),
    ("a doubled space", re.compile(r"(?<=\S) {2,}(?=\S)")),
    ("doubled punctuation", re.compile(r"(?<![.])\.\.(?![.])|,,|::|;;|[,;:]\s*[,.;]|\s\.,|\.\s+,|\s+[,.](?!\d)|\(\s*\)")),
]
_DOUBLED_WORD = re.compile(r"\b([^\W\d_]{2,})\s+\1\b", re.I)


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def line_language(line: str, *, min_words: int = 4) -> str | None:
    """The language of one line: its script when most of its letters are not Latin, else the language
    with the most stopwords among its words (at least two, and two more than the runner-up's share
    is not needed: a tie is None). None when the line is too short to tell."""
    letters = [ch for ch in line if ch.isalpha()]
    if not letters:
        return None
    scripts = language_scripts()
    counts: dict[str, int] = {}
    for ch in letters:
        cp = ord(ch)
        for lo, hi, lang in scripts:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
                break
    if counts and sum(counts.values()) * 2 >= len(letters):
        return max(counts, key=counts.get)
    words = {w.lower() for w in _WORD.findall(line)}
    if len(words) < min_words:
        return None
    hits = sorted(((n, lang) for lang, n in stopword_hits(words).items()), reverse=True)
    (best, lang), (second, _) = hits[0], hits[1]
    return lang if best >= 2 and best > second else None


def stopword_hits(words: set[str]) -> dict[str, int]:
    """How many of the distinct words are stopwords of each language."""
    return {lang: len(words & ws) for lang, ws in language_words().items()}


def foreign(line: str, lang: str) -> str | None:
    """The other language a line is clearly in: told by its script, or by at least two more of
    that language's stopwords than of ``lang``'s (words shared by close languages do not decide)."""
    found = line_language(line)
    if found is None or found == lang:
        return None
    words = {w.lower() for w in _WORD.findall(line)}
    if not words or found in {lang for _, _, lang in language_scripts()}:
        return found
    hits = stopword_hits(words)
    return found if hits[found] - hits.get(lang, 0) >= 2 else None


def line_languages(body: str, *, ignore: Iterable[str] = ()) -> list[tuple[str, str | None]]:
    """(line, language or None) for each line of the draft's own text (quotes, markers, addresses and
    the ``ignore`` names, e.g. product and company names, taken out)."""
    names = _names(ignore)
    out = []
    for raw in body.splitlines():
        line = _masked(own_text(raw), names, " ")
        if line.strip():
            out.append((raw, line_language(line)))
    return out


def _names(ignore: Iterable[str]) -> list[str]:
    return sorted({n.strip() for n in ignore if n and len(n.strip()) > 2}, key=len, reverse=True)


def _masked(line: str, names: list[str], mask: str) -> str:
    for name in names:
        line = line.replace(name, mask)
    return line


def own_text(line: str, ignore: Iterable[str] = ()) -> str:
    """The line without the buyer's quoted words, the sanctioned markers, addresses and ``ignore`` names."""
    return _masked(_ADDRESS.sub(" ", QUOTED.sub(" ", MARKER.sub(" ", line))), _names(ignore), " ")


def leftovers(body: str, lang: str, *, greetings: Iterable[str] = (), ignore: Iterable[str] = (),
              doubled_ok: Iterable[str] = ()) -> list[str]:
    """Every problem found, as 'what: the line'. ``greetings`` are the language's greeting forms
    (phrases.toml [greet]); ``ignore`` names that may be in any language (products, companies);
    ``doubled_ok`` words a language doubles on purpose ("nous nous", "que que")."""
    problems = []
    names = _names(ignore)
    for line in body.splitlines():
        own = _masked(QUOTED.sub("Q", MARKER.sub("MARK", line)), names, "\u00a7")
        problems += [f"{what}: {line.strip()}" for what, pattern in _CHECKS if pattern.search(own)]
        doubled = [m.group(1) for m in _DOUBLED_WORD.finditer(own) if m.group(1).lower() not in set(doubled_ok)]
        if doubled:
            problems.append(f"a doubled word ({doubled[0]}): {line.strip()}")
    forms = list(greetings)
    first = body.lstrip().splitlines()[0] if body.strip() else ""
    if forms and not any(_greeting(f).fullmatch(first.strip()) for f in forms):
        problems.append(f"a greeting with no name (or none of the language's forms): {first}")
    for raw in body.splitlines():
        found = foreign(_masked(own_text(raw), names, " "), lang)
        if found:
            problems.append(f"a line in {found}, not {lang}: {raw.strip()}")
    return problems


@functools.lru_cache(maxsize=256)
def _greeting(form: str) -> re.Pattern[str]:
    """A greeting form ('Dear Mr {last},') as a pattern whose every slot holds a name."""
    parts = re.split(r"\{\w+\}", form)
    return re.compile(r"[^\W\d_][^\s,]*(?:[ '-][^\W\d_][^\s,]*)*".join(re.escape(p) for p in parts))
