"""The extraction lexicon (playbooks/extract.toml, extended by $TRIAGE_HOME/extract.toml), compiled once."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.paths import shipped, user_dir

T = TypeVar("T")


def fold(text: str) -> str:
    """Lower case without accents, for matching words across spellings (same length for ASCII text)."""
    if len(text) < 200:  # words, names, lines: they recur from message to message
        return text.lower() if text.isascii() else _fold(text)
    # a message's text: folded once for the several stages that read it, not kept for later messages
    return _fold_recent(text) if len(text) < 20_000 else _folded(text)


def fold_lines(lines: list[str]) -> str:
    """``fold("\n".join(lines))``, from each line's own fold: a message's body is folded once for all
    the stages that read it (see fold), and joined with its subject it would be folded again.

    The same, not approximately: NFKD and the removal of marks work character by character (the
    reordering of marks stops at a line break), and lower case looks across a line break only for
    a final sigma, which sees the end of a string as it sees a line break."""
    return "\n".join([fold(line) for line in lines])


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return _folded(text)


@lru_cache(maxsize=8)
def _fold_recent(text: str) -> str:
    return _folded(text)


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    if text.isascii():
        return text
    text = _marks().sub("", text)
    return _astral().sub(_unless_mark, text) if _astral().search(text) else text


@cache
def _marks() -> re.Pattern:
    """Every combining mark of the Basic Multilingual Plane (the accents NFKD splits off), as one character
    class: one regex pass instead of a Python test per character. Only BMP marks, so that re builds a
    single table lookup: the ~100 ranges of planes 1 and 14 would be tested one by one on every
    character of every text (8x slower) - those rare characters go through _astral instead."""
    codes = [c for c in range(0x10000) if unicodedata.combining(chr(c))]
    spans: list[list[int]] = []
    for c in codes:
        if spans and c == spans[-1][1] + 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans) + "]")


@cache
def _astral() -> re.Pattern:
    """One character beyond the BMP (emoji, musical symbols...): each is tested with unicodedata."""
    return re.compile("[\U00010000-\U0010FFFF]")


def _unless_mark(m: re.Match) -> str:
    ch = m.group()
    return "" if unicodedata.combining(ch) else ch


@dataclass
class Lexicon:
    """The lexicon's data with folded, memoised views (read on every message: must be cheap)."""

    data: dict[str, Any]
    path: Path
    _views: dict = field(default_factory=dict, repr=False)

    def _view(self, key: tuple, build):
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]

    @property
    def units(self) -> dict[str, str]:
        return self._view(("units",), lambda: {fold(w): u for u, words in self.data["units"].items() for w in words})

    def words(self, section: str, key: str) -> list[str]:
        def build():
            try:
                return [fold(w) for w in self.data[section][key]]
            except (KeyError, TypeError):
                raise DataFileError(f"{self.path}: [{section}] needs a list {key!r}") from None

        return self._view(("words", section, key), build)

    def numbered(self, section: str) -> dict[str, int]:
        def build():
            try:
                return {fold(w): int(n) for n, words in self.data[section].items() for w in words}
            except (KeyError, TypeError, ValueError):
                raise DataFileError(f"{self.path}: [{section}] must map numbers to word lists") from None

        return self._view(("numbered", section), build)

    def forms(self, section: str) -> dict[str, str]:
        """``[section]`` as ``word = [the other ways it is written]``, turned round: each way -> the word."""
        def build():
            try:
                return {fold(w): fold(word) for word, ways in self.data.get(section, {}).items() for w in ways}
            except (AttributeError, TypeError):
                raise DataFileError(f"{self.path}: [{section}] must map words to lists of words") from None

        return self._view(("forms", section), build)

    def mapping(self, section: str, key: str | None = None) -> dict[str, str]:
        def build():
            table = self.data.get(section, {})
            table = table.get(key, {}) if key else table
            return {fold(k): v for k, v in table.items() if isinstance(v, str)}

        return self._view(("mapping", section, key), build)


@cache
def _load(path: Path) -> dict[str, Any]:
    return read_toml(path)


def per_home(load: Callable[[str], T]) -> Callable[[], T]:
    """``load(home)`` for the current $TRIAGE_HOME, kept for the last home seen: data read many times a
    message costs one look at the environment, and a changed home is still honoured."""
    last: list = [None, None]  # [home, value]

    def current() -> T:
        home = home_key()
        if last[0] != home:
            last[:] = [home, load(home)]
        return last[1]

    return current


def lexicon() -> Lexicon:
    """The lexicon for the current TRIAGE_HOME."""
    return _current_lexicon()


_current_lexicon = per_home(lambda home: _lexicon(_user_file(home, "extract.toml")))


def home_key() -> str:
    import os

    return os.environ.get("TRIAGE_HOME", "")


@cache
def _user_file(home: str, name: str) -> Path | None:
    """The user's override file, looked up once per TRIAGE_HOME (a running triage does not watch for new files)."""
    path = user_dir() / name
    return path if path.exists() else None


@cache
def _lexicon(user: Path | None) -> Lexicon:
    path = shipped("playbooks") / "extract.toml"
    data = _load(path)
    if user is not None:
        data = merge(data, _load(user))
        path = user
    return Lexicon(data, path)
