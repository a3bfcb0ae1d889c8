"""Where triage finds its shipped data and the user's own directory.

Shipped data (playbooks/, templates/, db/) sits at the top of a source checkout
and inside the installed package (setup.cfg maps them to triage.playbooks, ...).
The user's directory is ``$TRIAGE_HOME`` or the platform's user data directory.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_HERE = Path(__file__).resolve().parent


@cache
def shipped(name: str) -> Path:
    """The shipped data directory ``name`` (``playbooks``, ``templates`` or ``db``)."""
    for candidate in (_HERE / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"shipped data directory {name!r} is missing from the installation")


def user_dir() -> Path:
    """The user's triage directory: ``$TRIAGE_HOME`` or the platform's user data dir (created once)."""
    return _user_dir(os.environ.get("TRIAGE_HOME", ""))


@cache
def _user_dir(env: str) -> Path:
    if env:
        path = Path(env).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir("triage", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return user_dir() / "triage.db"


def profile_path() -> Path:
    return user_dir() / "profile.toml"
