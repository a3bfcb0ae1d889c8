"""Reading triage's data files: TOML, strict about errors, and a user's file merged over a shipped one."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from triage.errors import DataFileError


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's tables; any problem is a DataFileError that names the file."""
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise DataFileError(f"{path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from None


def merge(base: dict[str, Any], extra: dict[str, Any], *, extend_lists: bool = True) -> dict[str, Any]:
    """``extra`` over ``base``: tables merged key by key, lists added to (or replaced), values replaced."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, extend_lists=extend_lists)
        elif extend_lists and isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = out[key] + value
        else:
            out[key] = value
    return out
