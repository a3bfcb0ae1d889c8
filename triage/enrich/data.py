"""The enrich stage's data files: ``playbooks/enrich/*.toml``.

Each file is read once, checked strictly (a wrong key or type raises
:class:`~triage.errors.DataFileError` naming the file and the key), and merged
with the user's own file of the same name under ``$TRIAGE_HOME/enrich/`` if
there is one: the user's lists are added to the shipped ones.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.paths import shipped, user_dir




def load(name: str) -> dict[str, Any]:
    """The data file ``name`` (e.g. ``"site"``), shipped plus the user's additions."""
    return _load(name, _user_file(os.environ.get("TRIAGE_HOME"), name))


@cache
def _user_file(home: str | None, name: str) -> Path:
    """The user's ``enrich/<name>.toml`` (``home`` is only the cache key: $TRIAGE_HOME; read per message)."""
    return user_dir() / "enrich" / f"{name}.toml"


@cache
def _load(name: str, user: Path) -> dict[str, Any]:
    data = read_toml(shipped("playbooks") / "enrich" / f"{name}.toml")
    if user.is_file():
        data = merge(data, read_toml(user))
    return _checked(name, data)


def words(data: dict, *keys: str, path: str = "") -> list[str]:
    """The list of strings at ``data[k1][k2]...``, or DataFileError naming the key."""
    node: Any = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise DataFileError(f"{path or 'enrich data'}: missing key {'.'.join(keys)!r}")
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(w, str) for w in node):
        raise DataFileError(f"{path or 'enrich data'}: {'.'.join(keys)!r} must be a list of strings")
    return [w.lower() for w in node]


_REQUIRED = {
    "free_mail": [("groups",)],
    "brands": [],
    "domains": [("cctld", "generic"), ("mail_services", "domains"), ("probe", "domains")],
    "site": [("pages", "about"), ("pages", "contact"), ("pages", "products"), ("same_trade", "places"),
             ("same_trade", "manufacturer_words"), ("products", "words"), ("parked", "phrases"),
             ("placeholder", "phrases"), ("ecommerce", "phrases"), ("ecommerce", "hosts"),
             ("social", "hosts"), ("legal_forms", "words")],
    "reading": [("negation", "before"), ("negation", "after"), ("negation", "cancel"), ("approx", "words"),
                ("founded", "strong"), ("founded", "weak"), ("founded", "not_before"), ("staff", "after"),
                ("staff", "before"), ("branches", "after"), ("branches", "before"), ("area", "square_metres"),
                ("area", "square_feet"), ("numbers", "joiners"), ("negation", "and"), ("customers", "after"),
                ("terms", "proclitics")],
}


def _checked(name: str, data: dict) -> dict:
    where = f"playbooks/enrich/{name}.toml"
    for keys in _REQUIRED.get(name, []):
        if keys == ("groups",):
            for group in data.get("groups") or _missing(where, "groups"):
                words(data, "groups", group, path=where)
        else:
            words(data, *keys, path=where)
    check = {"brands": _check_brands, "domains": _check_homoglyphs, "site": _check_types,
             "reading": _check_reading}.get(name)
    if check:
        check(data, where)
    return data


def _missing(where: str, key: str):
    raise DataFileError(f"{where}: missing key {key!r}")


def _check_brands(data: dict, where: str) -> None:
    for i, brand in enumerate(data.get("brand") or _missing(where, "brand")):
        for key in ("name", "kind"):
            if not isinstance(brand.get(key), str):
                raise DataFileError(f"{where}: brand[{i}].{key} must be a string")
        words(brand, "domains", path=f"{where} brand[{i}]")
        for key in ("display", "short"):
            if key in brand:
                words(brand, key, path=f"{where} brand[{i}]")


def _check_homoglyphs(data: dict, where: str) -> None:
    for i, pair in enumerate(data.get("homoglyph", [])):
        if not (isinstance(pair.get("fake"), str) and isinstance(pair.get("real"), str)):
            raise DataFileError(f"{where}: homoglyph[{i}] needs string keys 'fake' and 'real'")


def _check_types(data: dict, where: str) -> None:
    types = data.get("business_types") or _missing(where, "business_types")
    for name in types:
        words(data, "business_types", name, path=where)
    if not isinstance(data["placeholder"].get("min_words", 0), int):
        raise DataFileError(f"{where}: placeholder.min_words must be an integer")


def _check_reading(data: dict, where: str) -> None:
    for key, value in (data.get("weights") or _missing(where, "weights")).items():
        if not isinstance(value, (int, float)):
            raise DataFileError(f"{where}: weights.{key} must be a number")
    for name in data.get("types") or _missing(where, "types"):
        for strength in ("strong", "weak"):
            words(data, "types", name, strength, path=where)
    for table in ("units", "small", "large"):
        if not all(isinstance(v, int) for v in (data["numbers"].get(table) or _missing(where, f"numbers.{table}")).values()):
            raise DataFileError(f"{where}: numbers.{table} values must be integers")
    tables = {"approximate": data["numbers"].get("approximate", {})}
    for lang, own in data["numbers"].get("languages", {}).items():
        tables |= {f"languages.{lang}.{name}": own.get(name, {}) for name in ("units", "large")}
    for name, table in tables.items():
        if not isinstance(table, dict) or not all(isinstance(v, int) for v in table.values()):
            raise DataFileError(f"{where}: numbers.{name} values must be integers")
    for key in ("address", "address_cap", "phone", "phone_cap", "cctld", "conflict_share"):
        if not isinstance(data.get("country", {}).get(key), (int, float)):
            raise DataFileError(f"{where}: country.{key} must be a number")
