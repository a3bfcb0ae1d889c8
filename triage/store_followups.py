"""The follow-up plan and the daily queue in SQLite (the only follow-up code that runs SQL).

Every function takes a :class:`~triage.store.Store` and, where time matters, the
day to act on (``today``), so that tests and ``--date`` can move the clock.

Invariant: an inquiry's pending steps fall due in step order. A step done late,
or a snooze, moves every later pending step by the same number of days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from triage.model import FollowUp
from triage.errors import TriageError
from triage.store import Store

ACTIVE = ("new", "open")
CLOSED = ("replied", "won", "lost")
# Categories that get a reply, so an unanswered one is work for today.
REPLY_CATEGORIES = ("genuine", "competitor")

_ITEM_COLUMNS = (
    "i.id, i.status, i.tier, i.category, i.persona, i.received, i.subject, i.products, "
    "i.company_name, i.contact_name, i.sender_name, i.sender_email, i.country, i.language"
)
_DUE_SQL = f"""
SELECT {_ITEM_COLUMNS}, f.step, f.due, f.purpose
FROM (SELECT inquiry_id, MIN(step) AS step FROM followups
      WHERE status = 'pending' AND due <= :day GROUP BY inquiry_id) AS n
JOIN followups f ON f.inquiry_id = n.inquiry_id AND f.step = n.step
JOIN inquiries i ON i.id = n.inquiry_id
WHERE i.status IN ('new', 'open')
  AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.inquiry_id = i.id AND m.category <> 'genuine')
"""
_NEW_SQL = f"""
SELECT {_ITEM_COLUMNS}, NULL AS step, NULL AS due, NULL AS purpose
FROM inquiries i
WHERE i.status = 'new'
  AND (i.category IS NULL OR i.category IN ('genuine', 'competitor'))
  AND (i.received IS NULL OR substr(i.received, 1, 10) <= :day)
  AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.inquiry_id = i.id)
  AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.inquiry_id = i.id AND m.category <> 'genuine')
"""
_LAST_TOUCH_SQL = """
SELECT inquiry_id, MAX(done_at), MAX(step) FROM followups
WHERE status = 'done' AND inquiry_id IN ({ids}) GROUP BY inquiry_id
"""


# -- the plan --------------------------------------------------------------------


def save_plan(store: Store, ident: int, plan: Iterable[FollowUp], *, new: bool = False) -> int:
    """Store ``plan`` for an inquiry, replacing its pending steps and keeping the ones done
    (``new``: the inquiry was just created, so it has no steps yet).

    Returns the number of steps written.
    """
    with store.transaction() as conn:
        done: set[int] = set()
        if not new:
            conn.execute("DELETE FROM followups WHERE inquiry_id = ? AND status = 'pending'", (ident,))
            done = {r[0] for r in conn.execute("SELECT step FROM followups WHERE inquiry_id = ?", (ident,))}
        rows = [(ident, f.step, f.due.isoformat(), f.purpose, f.status) for f in plan if f.step not in done]
        conn.executemany(
            "INSERT INTO followups (inquiry_id, step, due, purpose, status) VALUES (?, ?, ?, ?, ?)", rows
        )
    return len(rows)


def plan(store: Store, ident: int) -> list[dict[str, Any]]:
    """All steps of an inquiry, in order."""
    return list(store.db.query("SELECT * FROM followups WHERE inquiry_id = ? ORDER BY step", [ident]))


def next_step(store: Store, ident: int) -> dict[str, Any] | None:
    rows = store.db.query(
        "SELECT * FROM followups WHERE inquiry_id = ? AND status = 'pending' ORDER BY step LIMIT 1", [ident]
    )
    return next(iter(rows), None)


def ensure_plan(store: Store, ident: int, *, today: date) -> list[dict[str, Any]]:
    """The inquiry's steps; plans them first (from its stored record) if it has none."""
    steps = plan(store, ident)
    if steps:
        return steps
    from triage.followup import plan_followups

    record = store.get(ident)
    start = _day(record.get("source", {}).get("date")) or today
    save_plan(store, ident, plan_followups(record, start=min(start, today)))
    return plan(store, ident)


# -- actions -----------------------------------------------------------------------


def mark_done(store: Store, ident: int, *, today: date) -> dict[str, Any] | None:
    """The current step was sent today. Returns that step (None: a reply without a plan).

    Safe to repeat: when a step was already recorded as sent today and the next one is not due yet,
    nothing changes and that step is returned with ``repeat`` set (``done`` twice advances once)."""
    ensure_plan(store, ident, today=today)
    step = next_step(store, ident)
    earlier = store.conn.execute(
        "SELECT id, step, due, purpose FROM followups WHERE inquiry_id = ? AND status = 'done' AND done_at = ? "
        "ORDER BY step DESC LIMIT 1", (ident, today.isoformat())).fetchone()
    if earlier is not None and (step is None or date.fromisoformat(step["due"]) > today):
        return {"id": earlier[0], "step": earlier[1], "due": earlier[2], "purpose": earlier[3], "repeat": True}
    with store.transaction() as conn:
        if step is not None:
            conn.execute(
                "UPDATE followups SET status = 'done', done_at = ? WHERE id = ?", (today.isoformat(), step["id"])
            )
            _shift_pending(conn, ident, (today - date.fromisoformat(step["due"])).days)
        conn.execute("UPDATE inquiries SET status = 'open' WHERE id = ? AND status = 'new'", (ident,))
        detail = f"step {step['step']} ({step['purpose']})" if step else "reply"
        store.add_event(ident, "sent", detail=f"{detail} on {today}")
    return step


def snooze(store: Store, ident: int, days: int, *, today: date) -> date:
    """Move the next pending step to ``days`` after today (or after its due date, if later)."""
    store.row(ident)
    step = next_step(store, ident)
    if step is None and plan(store, ident):
        raise TriageError(f"inquiry {ident} has no pending step to snooze (all sent or stopped)")
    with store.transaction() as conn:
        if step is None:
            new_due = today + timedelta(days=days)
            conn.execute(
                "INSERT INTO followups (inquiry_id, step, due, purpose) VALUES (?, 0, ?, 'reply')",
                (ident, new_due.isoformat()),
            )
        else:
            due = date.fromisoformat(step["due"])
            new_due = max(due, today) + timedelta(days=days)
            _shift_pending(conn, ident, (new_due - due).days)
        store.add_event(ident, "snoozed", detail=f"to {new_due}")
    return new_due


def stop(store: Store, ident: int, status: str, *, reason: str | None = None, today: date | None = None) -> int:
    """Close the inquiry (replied, won, lost): pending steps become 'stopped'. Returns how many."""
    if status not in CLOSED:
        raise ValueError(f"status must be one of {', '.join(CLOSED)}")
    store.row(ident)
    with store.transaction() as conn:
        cur = conn.execute(
            "UPDATE followups SET status = 'stopped' WHERE inquiry_id = ? AND status = 'pending'", (ident,)
        )
        conn.execute("UPDATE inquiries SET status = ?, status_reason = ? WHERE id = ?", (status, reason, ident))
        detail = " ".join(x for x in (reason, f"on {today}" if today else None) if x)
        store.add_event(ident, status, detail=detail or None)
    return cur.rowcount


def snapshot(store: Store, ident: int) -> dict[str, Any]:
    """The inquiry's status and follow-up steps as they are, for :func:`undo`."""
    status, reason = store.conn.execute("SELECT status, status_reason FROM inquiries WHERE id = ?", (ident,)).fetchone()
    steps = store.conn.execute("SELECT id, step, due, purpose, status, done_at FROM followups WHERE inquiry_id = ?",
                               (ident,)).fetchall()
    return {"id": ident, "status": status, "reason": reason, "steps": steps}


def undo(store: Store, taken: dict[str, Any], what: str) -> None:
    """Put the inquiry back as :func:`snapshot` found it (its steps and status), with an event saying so."""
    ident = taken["id"]
    with store.transaction() as conn:
        conn.execute("DELETE FROM followups WHERE inquiry_id = ?", (ident,))
        conn.executemany("INSERT INTO followups (id, inquiry_id, step, due, purpose, status, done_at) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?)", [(r[0], ident, *r[1:]) for r in taken["steps"]])
        conn.execute("UPDATE inquiries SET status = ?, status_reason = ? WHERE id = ?",
                     (taken["status"], taken["reason"], ident))
        store.add_event(ident, "undone", detail=what)


def _shift_pending(conn: Any, ident: int, days: int) -> None:
    if days > 0:
        conn.execute(
            "UPDATE followups SET due = date(due, ?) WHERE inquiry_id = ? AND status = 'pending'",
            (f"+{days} days", ident),
        )


# -- the queue -------------------------------------------------------------------------


def due_items(store: Store, day: date) -> list[dict[str, Any]]:
    """Today's work as rows: inquiries whose next step is due by ``day``, and new ones never planned.

    Each row has the inquiry's columns, ``step``/``due``/``purpose`` of the next
    step (None for a new inquiry without a plan), ``last_touch`` (the day the
    last step was sent, or None) and ``last_step``. Unordered: see triage.queue.
    """
    params = {"day": day.isoformat()}
    rows = [dict(r) for r in store.db.query(_DUE_SQL, params)]
    rows += [dict(r) for r in store.db.query(_NEW_SQL, params)]
    _add_last_touch(store, rows)
    return rows


def _add_last_touch(store: Store, rows: list[dict[str, Any]]) -> None:
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["last_touch"], r["last_step"] = None, None
    ids = list(by_id)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        sql = _LAST_TOUCH_SQL.format(ids=", ".join("?" * len(chunk)))
        for inquiry_id, done_at, step in store.conn.execute(sql, chunk):
            by_id[inquiry_id]["last_touch"], by_id[inquiry_id]["last_step"] = done_at, step


def upcoming(store: Store, *, start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    """Pending steps of open inquiries due between ``start`` and ``end`` (inclusive), for calendars."""
    sql = (
        f"SELECT {_ITEM_COLUMNS}, f.step, f.due, f.purpose FROM followups f "
        "JOIN inquiries i ON i.id = f.inquiry_id "
        "WHERE f.status = 'pending' AND i.status IN ('new', 'open') AND f.due >= :start AND f.due <= :end "
        "ORDER BY f.due, i.id, f.step"
    )
    params = {"start": (start or date.min).isoformat(), "end": (end or date.max).isoformat()}
    return [dict(r) for r in store.db.query(sql, params)]


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
