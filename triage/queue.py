"""Today's work: pure functions over the rows ``store_followups.due_items`` returns.

``build`` turns rows into :class:`Item` values (kind: new, due or overdue),
``order`` sorts them by tier then due date, ``render``/``to_json`` show them, and
``followups_to_ics`` writes pending steps as RFC 5545 calendar events.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

TIER_ORDER = {"A": 0, "B": 1, "C": 2, "D": 3}


@dataclass(slots=True)
class Item:
    id: int
    kind: str  # new, due, overdue
    tier: str | None
    category: str | None
    persona: str | None
    buyer: str
    product: str
    subject: str
    received: str | None
    due: str | None
    days_late: int
    step: int | None
    purpose: str | None
    next_step: str
    last_touch: str


def build(rows: Iterable[dict[str, Any]], day: date, lang: str = "en") -> list[Item]:
    """Items for ``day``, ordered; their cells worded in ``lang`` (``playbooks/labels.toml``)."""
    from triage.report import labels

    words = labels(lang)
    return order(_item(row, day, words) for row in rows)


def order(items: Iterable[Item]) -> list[Item]:
    """Tier A first (unjudged after D), then the oldest due date, then the id."""
    return sorted(items, key=lambda i: (TIER_ORDER.get(i.tier or "", 4), i.due or i.received or "", i.id))


def _item(row: dict[str, Any], day: date, words: dict[str, str]) -> Item:
    due = row.get("due") or (row.get("received") or day.isoformat())[:10]
    late = max((day - date.fromisoformat(due)).days, 0)
    step = row.get("step")
    return Item(
        id=row["id"],
        kind="overdue" if late and step not in (None, 0) else ("new" if step in (None, 0) else "due"),
        tier=row.get("tier"),
        category=row.get("category"),
        persona=row.get("persona"),
        buyer=buyer_label(row),
        product=(row.get("products") or "").replace(" ", ", ") or "-",
        subject=row.get("subject") or "",
        received=(row.get("received") or "")[:10] or None,
        due=due,
        days_late=late,
        step=step,
        purpose=row.get("purpose"),
        next_step=_next_step(row, words),
        last_touch=_last_touch(row, words),
    )


def buyer_label(row: dict[str, Any]) -> str:
    company = row.get("company_name")
    person = row.get("contact_name") or row.get("sender_name")
    if company and person:
        return f"{person}, {company}"
    return company or person or row.get("sender_email") or "(unknown)"


def _next_step(row: dict[str, Any], words: dict[str, str]) -> str:
    step = row.get("step")
    if step in (None, 0):
        return words["queue_safe_reply"] if row.get("category") == "competitor" else words["queue_first_reply"]
    return words["queue_step"].format(step=step, purpose=purpose_label(row.get("purpose"), words))


def purpose_label(purpose: str | None, words: dict[str, str]) -> str:
    """A follow-up purpose in words (``purpose_<name>`` in labels.toml), else its name."""
    return words.get(f"purpose_{purpose}", purpose or "follow-up")


def _last_touch(row: dict[str, Any], words: dict[str, str]) -> str:
    if row.get("last_touch"):
        step, day = row.get("last_step"), row["last_touch"][:10]
        return words["queue_reply_sent"].format(date=day) if step == 0 else words["queue_step_sent"].format(step=step, date=day)
    return words["queue_received"].format(date=(row.get("received") or "?")[:10])


# -- showing ---------------------------------------------------------------------------

_HEADERS = ("id", "tier", "when", "buyer", "product", "last touch", "next step")


def render(items: list[Item], day: date, *, width: int = 110) -> str:
    """A plain-text table of the items, with a one-line summary above it."""
    if not items:
        return f"Nothing due on {day}."
    counts = {k: sum(1 for i in items if i.kind == k) for k in ("overdue", "due", "new")}
    summary = f"{day}: {counts['overdue']} overdue, {counts['due']} due, {counts['new']} new"
    rows = [_cells(i) for i in items]
    widths = _widths(rows, width)
    lines = [summary, "", _line(_HEADERS, widths), _line(tuple("-" * w for w in widths), widths)]
    lines += [_line(r, widths) for r in rows]
    return "\n".join(lines)


def _cells(item: Item) -> tuple[str, ...]:
    when = {"new": "new", "due": "today"}.get(item.kind, f"{item.days_late}d late")
    if item.kind == "new" and item.days_late:
        when = f"new, {item.days_late}d"
    from triage.report import safe

    return (str(item.id), item.tier or "?", when, safe(item.buyer), safe(item.product), safe(item.last_touch),
            safe(item.next_step))


def _widths(rows: list[tuple[str, ...]], total: int) -> list[int]:
    widths = [max(len(h), *(len(r[n]) for r in rows)) for n, h in enumerate(_HEADERS)]
    flexible = (3, 4)  # buyer and product give way first
    excess = sum(widths) + 2 * (len(widths) - 1) - total
    for n in flexible:
        if excess > 0:
            cut = min(excess, widths[n] - 12)
            if cut > 0:
                widths[n] -= cut
                excess -= cut
    return widths


def _line(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(_fit(c, w) for c, w in zip(cells, widths)).rstrip()


def _fit(text: str, width: int) -> str:
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


def to_json(items: list[Item], day: date) -> str:
    return json.dumps({"date": day.isoformat(), "items": [asdict(i) for i in items]}, ensure_ascii=False, indent=2)


# -- calendars -------------------------------------------------------------------------


def followups_to_ics(rows: Iterable[dict[str, Any]], *, now: datetime | None = None) -> str:
    """Pending follow-up steps as an iCalendar (RFC 5545) text: one all-day VEVENT per step.

    ``rows`` are dicts with ``id`` (or ``inquiry_id``), ``step``, ``due`` (ISO date)
    and ``purpose``; the buyer columns (company_name, contact_name, sender_email,
    products, subject) fill the summary and description when present.
    """
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//triage//follow-ups//EN", "CALSCALE:GREGORIAN"]
    for row in rows:
        lines += _vevent(row, stamp)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _vevent(row: dict[str, Any], stamp: str) -> list[str]:
    ident = row.get("inquiry_id", row.get("id"))
    due = date.fromisoformat(str(row["due"])[:10])
    from triage.report import labels

    purpose = purpose_label(row.get("purpose"), labels("en"))
    summary = f"Follow up #{ident} {buyer_label(row)}: {purpose}"
    description = f"Inquiry {ident}, step {row.get('step')}: {purpose}\n{row.get('subject') or ''}".strip()
    return [
        "BEGIN:VEVENT",
        f"UID:triage-{ident}-{row.get('step')}@triage",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{due:%Y%m%d}",
        f"DTEND;VALUE=DATE:{due + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)
