"""Checks for what kind of mail a message is (issue 15): the marks of mail that is no inquiry.

The signals that use them are data in ``playbooks/signals/mailkind.toml``.
"""

from __future__ import annotations

from triage.judge.checks import check
from triage.judge.facts import Facts


@check("many_links")
def _check_many_links(f: Facts, min: int = 10) -> str | None:
    """Many distinct link targets: a newsletter, a notification or a lure page, not a buyer's letter."""
    targets = {link.href for link in f.message.links}
    return f"{len(targets)} distinct links" if len(targets) >= min else None


def _header_fields(f: Facts) -> dict[str, str]:
    """The message's sending header fields as {lower-case name: lower-case value} (first of each)."""
    found = f._cache.get("_sending_headers")
    if found is None:
        found = {}
        for line in f.message.headers.split("\n"):
            name, sep, value = line.partition(":")
            if sep:
                found.setdefault(name.strip().lower(), value.strip().lower())
        f._cache["_sending_headers"] = found
    return found


@check("header")
def _check_header(f: Facts, present: list[str] = (), values: dict[str, list[str]] | None = None) -> str | None:
    """A header field named in ``present`` is there, or one in ``values`` starts with one of its values."""
    fields = _header_fields(f)
    for name in present:
        if name in fields:
            return f"{name}: {fields[name][:60]}"
    for name, wanted in (values or {}).items():
        value = fields.get(name)
        if value is not None and value.startswith(tuple(wanted)):
            return f"{name}: {value[:60]}"
    return None
