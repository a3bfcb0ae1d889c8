"""The extraction lexicon (playbooks/extract.toml, extended by $TRIAGE_HOME/extract.toml), compiled once."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from triage.errors import DataFileError
from triage.paths import shipped, user_dir


def fold(text: str) -> str:
    """Lower case without accents, for matching words across spellings."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass
class Lexicon:
    data: dict[str, Any]
    path: Path

    @property
    def units(self) -> dict[str, str]:
        return {fold(w): unit for unit, words in self.data["units"].items() for w in words}

    def words(self, section: str, key: str) -> list[str]:
        try:
            return [fold(w) for w in self.data[section][key]]
        except (KeyError, TypeError):
            raise DataFileError(f"{self.path}: [{section}] needs a list {key!r}") from None

    def numbered(self, section: str) -> dict[str, int]:
        try:
            return {fold(w): int(n) for n, words in self.data[section].items() for w in words}
        except (KeyError, TypeError, ValueError):
            raise DataFileError(f"{self.path}: [{section}] must map numbers to word lists") from None

    def mapping(self, section: str, key: str | None = None) -> dict[str, str]:
        table = self.data.get(section, {})
        table = table.get(key, {}) if key else table
        return {fold(k): v for k, v in table.items() if isinstance(v, str)}


@cache
def _load(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"{path}: {exc}") from None


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out


def lexicon() -> Lexicon:
    user = user_dir() / "extract.toml"
    return _lexicon(user if user.exists() else None)


@cache
def _lexicon(user: Path | None) -> Lexicon:
    path = shipped("playbooks") / "extract.toml"
    data = _load(path)
    if user is not None:
        data = _merge(data, _load(user))
        path = user
    return Lexicon(data, path)


@cache
def pattern(name: str, words: tuple[str, ...], template: str = r"(?<![\w-])(?:{})(?![\w-])") -> re.Pattern:
    """A compiled alternation of ``words`` (cached by name and words)."""
    return re.compile(template.format(_alternation(list(words))), re.I)
