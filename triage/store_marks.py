"""The user's verdicts and the token counts learned from them, in SQLite (the store's marks code).

``mark`` records a verdict (``triage mark ID CATEGORY``): the inquiry's row and record
then show the user's category, the queue leaves it out unless it is genuine, and its
tokens are counted for that category (the triggers of ``db/0005_user_marks.sql`` train
and untrain, so marking again replaces the verdict). ``load_model`` reads the counts
once for a batch as a :class:`~triage.learning.TokenModel`; ``keep_marks`` puts the
user's category back on inquiries the pipeline has just triaged again.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from triage.errors import NotFound, StoreError
from triage.learning import CATEGORIES, TokenModel, tokens
from triage.store import Store, utcnow


@dataclass(slots=True)
class Mark:
    """A recorded verdict: the user's category, what the judge said, and the verdict it replaced."""

    id: int
    category: str
    judged: str | None
    judged_tier: str | None
    previous: str | None  # the user's earlier verdict on the same inquiry, if any
    tokens: int


def mark(store: Store, ident: int, category: str) -> Mark:
    """Record the user's verdict on inquiry ``ident`` (safe to repeat; a new verdict replaces the old)."""
    if category not in CATEGORIES:
        raise StoreError(f"unknown category {category!r}: use one of {', '.join(CATEGORIES)}")
    row = store.conn.execute(
        "SELECT subject, body, sender_domain, category, tier, json_extract(record, '$.link_hosts') "
        "FROM inquiries WHERE id = ?", (ident,)).fetchone()
    if row is None:
        raise NotFound(f"no inquiry with id {ident}")
    subject, body, domain, judged, judged_tier, hosts = row
    earlier = store.conn.execute("SELECT category, judged, judged_tier FROM marks WHERE inquiry_id = ?",
                                 (ident,)).fetchone()
    if earlier is not None:
        judged, judged_tier = earlier[1], earlier[2]
    learned = tokens(subject, body, domain, json.loads(hosts) if hosts else ())
    with store.transaction() as conn:
        conn.execute("DELETE FROM marks WHERE inquiry_id = ?", (ident,))  # untrains the earlier verdict
        conn.execute("INSERT INTO marks (inquiry_id, category, judged, judged_tier, marked_at, tokens) "
                     "VALUES (?, ?, ?, ?, ?, ?)",
                     (ident, category, judged, judged_tier, utcnow(), json.dumps(learned, ensure_ascii=False)))
        _show_mark(conn, ident, category, judged, judged_tier)
        store.add_event(ident, "marked", detail=f"{category} (judged {judged or '-'})")
    return Mark(ident, category, judged, judged_tier, earlier[0] if earlier else None, len(learned))


def marked_tier(category: str, judged: str | None, judged_tier: str | None) -> str:
    """Anything but genuine is D; mail the judge found genuine keeps its tier, other mail a user calls
    genuine is C (a real buyer the judge knows nothing good about yet)."""
    if category != "genuine":
        return "D"
    return judged_tier if judged == "genuine" and judged_tier else "C"


def _show_mark(conn: Any, ident: int, category: str, judged: str | None, judged_tier: str | None) -> None:
    """The row and its record show the user's category and tier; the record keeps what the judge said."""
    tier = marked_tier(category, judged, judged_tier)
    said = f"{judged} {judged_tier}" if judged and judged_tier else judged or "nothing"
    verdict = f"{tier} - marked {category.replace('_', ' ')} by you (the judge said {said})"
    user_mark = json.dumps({"category": category, "judged": judged, "judged_tier": judged_tier})
    conn.execute(
        "UPDATE inquiries SET category = ?, tier = ?, verdict = ?, record = json_set(record, '$.category', ?, "
        "'$.tier', ?, '$.verdict', ?, '$.user_mark', json(?)) WHERE id = ?",
        (category, tier, verdict, category, tier, verdict, user_mark, ident))


def keep_marks(store: Store, ids: list[int]) -> int:
    """Inquiries just triaged again keep the user's verdict (the judge's new category is remembered
    as what it said). Returns how many were marked."""
    kept = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        rows = store.conn.execute(
            f"SELECT m.inquiry_id, m.category, i.category, i.tier, m.judged, m.judged_tier FROM marks m "
            f"JOIN inquiries i ON i.id = m.inquiry_id WHERE m.inquiry_id IN ({marks}) "
            "AND json_extract(i.record, '$.user_mark') IS NULL", chunk).fetchall()  # (a new record lacks it)
        with store.transaction() as conn:
            for ident, category, now, now_tier, judged, judged_tier in rows:
                conn.execute("UPDATE marks SET judged = ?, judged_tier = ? WHERE inquiry_id = ?",
                             (now, now_tier, ident))
                _show_mark(conn, ident, category, now, now_tier)
                kept += 1
    return kept


def mark_counts(store: Store) -> dict[str, int]:
    """Marked messages per category."""
    return dict(store.conn.execute("SELECT category, count(*) FROM marks GROUP BY category"))


def load_model(store: Store) -> TokenModel | None:
    """The user's token model, read once for a batch; None while fewer than two categories are marked."""
    counts = mark_counts(store)
    if len(counts) < 2:
        return None
    by_token: dict[str, dict[str, int]] = defaultdict(dict)
    for token, category, messages in store.conn.execute("SELECT token, category, messages FROM learned_tokens"):
        by_token[token][category] = messages
    return TokenModel(counts, dict(by_token))
