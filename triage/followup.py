"""Follow-up plans: the steps after the first reply, each with a due date and a purpose.

The cadence is data (``playbooks/cadence.toml``, overridden key by key by
``$TRIAGE_HOME/cadence.toml``): the tier sets the days and the purposes to pick
from, the persona scales the gaps, caps the number of steps and moves its
preferred purposes to the front. Step 0 is the first reply, due on ``start``.
"""

from __future__ import annotations

from functools import lru_cache
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.model import FollowUp
from triage.paths import shipped, user_dir

PLANNED_TIERS = ("A", "B", "C")
PERSONAS = ("driver", "analytical", "amiable", "expressive")


@dataclass(frozen=True, slots=True)
class TierCadence:
    days: tuple[int, ...]
    purposes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonaCadence:
    scale: float = 1.0
    max_steps: int = 0
    prefer: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cadence:
    purposes: dict[str, str]  # name -> label
    tiers: dict[str, TierCadence]
    personas: dict[str, PersonaCadence]

    def label(self, purpose: str) -> str:
        return self.purposes.get(purpose, purpose)


# -- loading -------------------------------------------------------------------


def cadence_path() -> Path:
    return shipped("playbooks") / "cadence.toml"


def load_cadence(path: Path | None = None, user: Path | None = None) -> Cadence:
    """The shipped cadence (or ``path``), with the user's file merged over it (memoised per file state)."""
    path = path or cadence_path()
    user = user if user is not None else user_dir() / "cadence.toml"
    return _load_cadence(path, user, _stamp(path), _stamp(user))


def _stamp(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


@lru_cache(maxsize=16)
def _load_cadence(path: Path, user: Path, _path_stamp, user_stamp) -> Cadence:
    data = read_toml(path)
    if user_stamp is not None and user.is_file():
        data = merge(data, read_toml(user), extend_lists=False)
        path = user
    return parse_cadence(data, str(path))




def parse_cadence(data: dict[str, Any], where: str) -> Cadence:
    """Validate a cadence table; DataFileError names ``where`` and the key."""
    purposes = {name: _str(t, "label", f"{where}: purposes.{name}") for name, t in _tables(data, "purposes", where)}
    tiers = {name: _tier(t, f"{where}: tiers.{name}", purposes) for name, t in _tables(data, "tiers", where)}
    personas = {name: _persona(t, f"{where}: personas.{name}", purposes) for name, t in _tables(data, "personas", where)}
    for tier in PLANNED_TIERS:
        if tier not in tiers:
            raise DataFileError(f"{where}: missing key tiers.{tier}")
    return Cadence(purposes, tiers, personas)


def _tables(data: dict[str, Any], key: str, where: str) -> list[tuple[str, dict[str, Any]]]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise DataFileError(f"{where}: missing table [{key}]")
    for name, table in value.items():
        if not isinstance(table, dict):
            raise DataFileError(f"{where}: {key}.{name} must be a table")
    return list(value.items())


def _str(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataFileError(f"{where}.{key} must be a non-empty string")
    return value


def _tier(table: dict[str, Any], where: str, purposes: dict[str, str]) -> TierCadence:
    days = table.get("days")
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and d > 0 for d in days):
        raise DataFileError(f"{where}.days must be a list of positive whole days")
    if days != sorted(set(days)):
        raise DataFileError(f"{where}.days must be strictly ascending")
    names = _purpose_list(table, "purposes", where, purposes)
    if len(names) < len(days):
        raise DataFileError(f"{where}.purposes needs at least one purpose per day ({len(days)})")
    return TierCadence(tuple(days), tuple(names))


def _persona(table: dict[str, Any], where: str, purposes: dict[str, str]) -> PersonaCadence:
    scale = table.get("scale", 1.0)
    if not isinstance(scale, (int, float)) or isinstance(scale, bool) or not 0.1 <= scale <= 10:
        raise DataFileError(f"{where}.scale must be a number between 0.1 and 10")
    max_steps = table.get("max_steps", 0)
    if not isinstance(max_steps, int) or isinstance(max_steps, bool) or max_steps < 0:
        raise DataFileError(f"{where}.max_steps must be a whole number >= 0")
    prefer = _purpose_list(table, "prefer", where, purposes) if "prefer" in table else []
    return PersonaCadence(float(scale), max_steps, tuple(prefer))


def _purpose_list(table: dict[str, Any], key: str, where: str, purposes: dict[str, str]) -> list[str]:
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{where}.{key} must be a list of purpose names")
    for name in value:
        if name not in purposes or name == "reply":
            raise DataFileError(f"{where}.{key}: unknown purpose {name!r} (define [purposes.{name}])")
    if len(set(value)) != len(value):
        raise DataFileError(f"{where}.{key}: a purpose is listed twice")
    return value


# -- planning --------------------------------------------------------------------


def plan_followups(inquiry: Any, *, start: date, cadence: Cadence | None = None) -> list[FollowUp]:
    """Step 0 (the reply, due ``start``) and the follow-ups; [] unless genuine tier A-C."""
    category, tier, persona = _judged(inquiry)
    if category != "genuine" or tier not in PLANNED_TIERS:
        return []
    cadence = cadence or load_cadence()
    steps = schedule(cadence, tier, persona)
    plan = [FollowUp(0, start, "reply")]
    plan += [FollowUp(n, start + timedelta(days=day), purpose) for n, (day, purpose) in enumerate(steps, 1)]
    return plan


def schedule(cadence: Cadence, tier: str, persona: str | None) -> list[tuple[int, str]]:
    """(days after the reply, purpose) for each follow-up of this tier and persona."""
    base = cadence.tiers[tier]
    style = cadence.personas.get(persona or "", PersonaCadence())
    days = _scaled(base.days, style.scale)
    purposes = [p for p in style.prefer if p in base.purposes]
    purposes += [p for p in base.purposes if p not in purposes]
    steps = list(zip(days, purposes))
    return steps[: style.max_steps] if style.max_steps else steps


def _scaled(days: tuple[int, ...], scale: float) -> list[int]:
    out: list[int] = []
    for day in days:
        out.append(max(round(day * scale), out[-1] + 1 if out else 1))
    return out


def _judged(inquiry: Any) -> tuple[str | None, str | None, str | None]:
    """(category, tier, persona type) of an Inquiry or a stored record."""
    if isinstance(inquiry, dict):
        persona = inquiry.get("persona") or {}
        return inquiry.get("category"), inquiry.get("tier"), persona.get("type") if isinstance(persona, dict) else persona
    judgment, persona = inquiry.judgment, inquiry.persona
    return (
        judgment.category if judgment else None,
        judgment.tier if judgment else None,
        persona.type if persona else None,
    )
