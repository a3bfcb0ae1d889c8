"""Checks on the message's own identity: a Message-ID another stored message already holds.

A Message-ID is copied into every reply's References header, so whoever saw a thread can put a
genuine buyer's Message-ID on mail of their own; a broken mailer can also give one ID to every
message it sends. The store answers whether an earlier, different message holds the ID
(:meth:`triage.store.Store.message_id_holders`, compared by :func:`triage.identity.first_other`);
the judge gets the answer as ``History.message_id_taken``: (id, date, sender) of that message, id
None for one judged earlier in the same batch and not stored yet.
"""

from __future__ import annotations

from triage.judge.checks import check
from triage.judge.facts import Facts


@check("message_id_taken")
def _check_message_id_taken(f: Facts, other_sender: bool = True) -> str | None:
    """Fires when an earlier, different message holds this Message-ID and came from another address
    (``other_sender = true``) or from the same one (``other_sender = false``)."""
    taken = getattr(f.history, "message_id_taken", None) if f.history is not None else None
    if not taken:
        return None
    ident, when, holder = taken
    holder = (holder or "").lower()
    if (holder != f.field("sender_email")) != other_sender:
        return None
    where = f"stored as #{ident}" if ident is not None else "earlier in this batch"
    about = ", ".join(x for x in ((when or "")[:10], holder) if x)
    mid = f": {f.message.message_id}" if f.message.message_id else ""
    return f"{where} ({about or 'no date, no sender'}){mid}"  # (cut at 80 characters)
