"""The mailbox reader's rows in SQLite (the only mailbox code that runs SQL).

Per IMAP folder: the UIDVALIDITY it was read under and the last UID stored, so a
second ``triage fetch`` reads only what is new. Per sent reply (by Message-ID):
the inquiry it answered and when. Per draft put in a Drafts folder: its
Message-ID, so the same reply is not put there twice.
"""

from __future__ import annotations

from typing import Any

from triage.store import Store, utcnow


def position(store: Store, account: str, folder: str) -> tuple[int, int] | None:
    """(uidvalidity, last_uid) where the last fetch of ``folder`` stopped, or None if never read."""
    row = store.conn.execute(
        "SELECT uidvalidity, last_uid FROM mailbox_folders WHERE account = ? AND folder = ?", (account, folder)
    ).fetchone()
    return (row[0], row[1]) if row else None


def save_position(store: Store, account: str, folder: str, uidvalidity: int, last_uid: int) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO mailbox_folders (account, folder, uidvalidity, last_uid, updated_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(account, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
            "last_uid = excluded.last_uid, updated_at = excluded.updated_at",
            (account, folder, uidvalidity, last_uid, utcnow()),
        )


def positions(store: Store) -> list[dict[str, Any]]:
    return list(store.db.query("SELECT * FROM mailbox_folders ORDER BY account, folder"))


def record_sent(store: Store, message_id: str, inquiry_id: int | None, account: str, sent_at: str | None) -> bool:
    """Remember a sent message; False if it was read before (nothing to do again)."""
    with store.transaction() as conn:
        cur = conn.execute(
            "INSERT OR IGNORE INTO mailbox_sent (message_id, inquiry_id, account, sent_at) VALUES (?, ?, ?, ?)",
            (message_id, inquiry_id, account, sent_at),
        )
    return cur.rowcount == 1


def last_sent(store: Store, inquiry_id: int) -> str | None:
    """When the salesperson last wrote to this inquiry's buyer (read from a Sent folder)."""
    row = store.conn.execute("SELECT MAX(sent_at) FROM mailbox_sent WHERE inquiry_id = ?", (inquiry_id,)).fetchone()
    return row[0] if row else None


def record_draft(store: Store, inquiry_id: int, account: str, message_id: str) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT OR IGNORE INTO mailbox_drafts VALUES (?, ?, ?, ?)",
                     (inquiry_id, account, message_id, utcnow()))
        store.add_event(inquiry_id, "drafted", detail=f"draft {message_id} saved to {account}")


def has_draft(store: Store, inquiry_id: int, account: str) -> bool:
    row = store.conn.execute("SELECT 1 FROM mailbox_drafts WHERE inquiry_id = ? AND account = ? LIMIT 1",
                             (inquiry_id, account)).fetchone()
    return row is not None


def save_draft_edit(store: Store, inquiry_id: int, subject: str, body: str) -> None:
    """Keep the salesperson's edited draft (the browser's draft box) for this inquiry."""
    store.row(inquiry_id)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO draft_edits VALUES (?, ?, ?, ?) ON CONFLICT(inquiry_id) DO UPDATE SET "
            "subject = excluded.subject, body = excluded.body, saved_at = excluded.saved_at",
            (inquiry_id, subject, body, utcnow()),
        )
        store.add_event(inquiry_id, "draft_edited")


def draft_edit(store: Store, inquiry_id: int) -> dict[str, Any] | None:
    row = store.conn.execute("SELECT subject, body, saved_at FROM draft_edits WHERE inquiry_id = ?",
                             (inquiry_id,)).fetchone()
    return {"subject": row[0], "body": row[1], "saved_at": row[2]} if row else None
