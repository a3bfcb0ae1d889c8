"""The extraction lexicon (playbooks/extract.toml, extended by $TRIAGE_HOME/extract.toml), compiled once."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.paths import shipped, user_dir


def fold(text: str) -> str:
    """Lower case without accents, for matching words across spellings (same length for ASCII text)."""
    if text.isascii():
        return text.lower()
    return _fold(text) if len(text) < 20_000 else _fold.__wrapped__(text)  # memoise short texts only


@lru_cache(maxsize=2048)
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _alternation(words: list[str]) -> str:
    """A regular expression matching any of ``words``, factored as a trie.

    Python's re tries every branch of a plain alternation at every position;
    sharing prefixes makes a 250-word list cost about as much as one word.
    """
    trie: dict = {}
    for word in set(words):
        if word:
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


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

    def mapping(self, section: str, key: str | None = None) -> dict[str, str]:
        def build():
            table = self.data.get(section, {})
            table = table.get(key, {}) if key else table
            return {fold(k): v for k, v in table.items() if isinstance(v, str)}

        return self._view(("mapping", section, key), build)


@cache
def _load(path: Path) -> dict[str, Any]:
    return read_toml(path)


def lexicon() -> Lexicon:
    return _lexicon(_user_file(home_key(), "extract.toml"))


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


@cache
def pattern(name: str, words: tuple[str, ...], template: str = r"(?<![\w-])(?:{})(?![\w-])") -> re.Pattern:
    """A compiled alternation of ``words`` (cached by name and words)."""
    return re.compile(template.format(_alternation(list(words))), re.I)
