"""What makes two stored messages the same message.

A Message-ID alone is not an identity: it is copied into every reply's References
header, so anyone who saw one can reuse it. Two messages are the same when they
share the Message-ID *and* their content digest: the sender's address, the Date
header, the Subject and Reply-To headers as written and the body as written (line
endings and header folding normalised, so the same message read from an mbox or as
an .eml file gives the same digest). Headers added in transit (Received, a client's
status fields) are left out; Reply-To is in, so a copy that only redirects the
answers elsewhere is a different message and never replaces the stored one.
A different message arriving under a known Message-ID is stored as a new inquiry
and noted: a forged or reused Message-ID is itself a reason for doubt.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from triage.model import Message

# The note a message gets when its Message-ID is already stored for another message; the text is
# what the reader sees in parse_notes, its start is how the note is recognised again.
REUSED_NOTE = "Message-ID already stored for a different message"

_BLANK_LINE = re.compile(rb"\r?\n[ \t]*\r?\n")


# The headers a sender writes that change what an answer does (a subject, where replies go); the first of each.
_SENDER_HEADERS = (re.compile(rb"^subject:((?:[^\n]*)(?:\r?\n[ \t][^\n]*)*)", re.I | re.M),
                   re.compile(rb"^reply-to:((?:[^\n]*)(?:\r?\n[ \t][^\n]*)*)", re.I | re.M))


# Digests carry the version of how they were made: one of another version (or none, for rows stored
# before digests) is not compared, and the row is matched by sender as before (its re-import renews it).
DIGEST_VERSION = "v2:"
_HEAD_SEARCHED = 1 << 20  # how much of a header block is searched for them (hostile headers run to megabytes)


def content_digest(raw: bytes, message: Message) -> str:
    """sha256 of who sent it, when, its Subject and Reply-To as written, and the body bytes as written
    (stable across parser versions)."""
    split = _BLANK_LINE.search(raw)
    body = raw[split.end():] if split else b""
    body = body.replace(b"\r\n", b"\n").strip()  # one C-level copy: a regex over 2 million lines costs 1 GB
    head = raw[: split.start()] if split else raw
    sender = (message.from_email or "").strip().lower()
    when = message.date.isoformat() if message.date else ""
    digest = hashlib.sha256()
    for part in (sender.encode("utf-8", "surrogatepass"), when.encode("ascii"), *_written(head), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return DIGEST_VERSION + digest.hexdigest()


def _written(head: bytes) -> list[bytes]:
    """The sender's headers (see _SENDER_HEADERS) as written, unfolded, with single spaces; b"" when absent."""
    out = []
    for header in _SENDER_HEADERS:
        found = header.search(head, 0, _HEAD_SEARCHED)
        out.append(b" ".join(found.group(1).split()) if found else b"")
    return out


def reused_note(first_id: int, first_sender: str | None) -> str:
    who = f" from {first_sender}" if first_sender else ""
    return f"{REUSED_NOTE} (#{first_id}{who}): stored as a new inquiry; a reused or forged Message-ID"


def same_message(stored: dict[str, Any], digest: str | None, sender: str | None) -> bool:
    """Whether a stored row (``content_digest``, ``sender_email``) is the message with this digest and
    sender: the same digest; for a row stored before digests of this version (or a message without one),
    the same sender."""
    theirs = stored.get("content_digest") or ""
    if digest and theirs.startswith(DIGEST_VERSION):
        return digest == theirs
    return (stored.get("sender_email") or "").lower() == (sender or "").lower()


def first_other(holders: list[dict[str, Any]], digest: str | None, sender: str | None) -> dict[str, Any] | None:
    """The first stored row under a Message-ID (``holders``, first stored first) when the message with
    this digest and sender is not it (``id``, ``date``, ``sender_email``); None when the message is the
    first, or nothing holds the Message-ID. The first to arrive keeps it; each later one is flagged."""
    if not holders or same_message(holders[0], digest, sender):
        return None
    return {key: holders[0].get(key) for key in ("id", "date", "sender_email")}
