"""What the browser reads and writes in SQLite beyond the queue (the only web code that runs SQL):
figures for the charts, the thread of an inquiry, and the salesperson's own verdict on one.
"""

from __future__ import annotations

from typing import Any

from triage.store import Store

# The salesperson's marks: the category they set, so the inquiry leaves the queue for good.
MARKS = ("spam", "phishing", "not_inquiry")


def mark(store: Store, ident: int, category: str) -> None:
    """Set the inquiry's category by hand (spam, phishing, not an inquiry); its follow-ups stop.
    The verdict is the user's mark, as ``triage mark`` records it (triage.store_marks): the token
    model learns from it too."""
    from triage.store_marks import mark as record_mark

    if category not in MARKS:
        raise ValueError(f"category must be one of {', '.join(MARKS)}")
    store.row(ident)
    with store.transaction() as conn:
        conn.execute("UPDATE followups SET status = 'stopped' WHERE inquiry_id = ? AND status = 'pending'", (ident,))
        record_mark(store, ident, category)


def thread(store: Store, ident: int) -> list[dict[str, Any]]:
    """Every stored message of the inquiry's conversation, oldest first."""
    root = store.row(ident)["thread_id"] or ident
    sql = ("SELECT id, received, sender_email, subject, body, category FROM inquiries "
           "WHERE id = ? OR thread_id = ? ORDER BY received, id")
    return list(store.db.query(sql, [root, root]))


def weekly_categories(store: Store, weeks: int = 12) -> list[tuple[str, str, int]]:
    """(ISO week start, category, count) of the latest ``weeks`` weeks with inquiries."""
    sql = ("SELECT date(substr(received, 1, 10), 'weekday 1', '-7 days') AS week, coalesce(category, '?'), count(*) "
           "FROM inquiries WHERE received IS NOT NULL GROUP BY week, category ORDER BY week")
    rows = [(w, c, n) for w, c, n in store.conn.execute(sql) if w]
    keep = sorted({w for w, _, _ in rows})[-weeks:]
    return [r for r in rows if r[0] in keep]


def tiers(store: Store) -> list[tuple[str, int, int]]:
    """(tier, inquiries, won) for each tier."""
    sql = ("SELECT coalesce(tier, '?'), count(*), sum(status = 'won') FROM inquiries "
           "GROUP BY tier ORDER BY tier")
    return [(t, n, w or 0) for t, n, w in store.conn.execute(sql)]


def countries(store: Store, limit: int = 10) -> list[tuple[str, int]]:
    sql = ("SELECT country, count(*) AS n FROM inquiries WHERE country IS NOT NULL AND category = 'genuine' "
           "GROUP BY country ORDER BY n DESC, country LIMIT ?")
    return [(c, n) for c, n in store.conn.execute(sql, (limit,))]
