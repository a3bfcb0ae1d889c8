"""What makes two stored messages the same message.

A Message-ID alone is not an identity: it is copied into every reply's References
header, so anyone who saw one can reuse it. Two messages are the same when they
share the Message-ID *and* their content digest: the sender's address, the Date
header and the body as written (line endings normalised, so
the same message read from an mbox or as an .eml file gives the same digest).
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


def content_digest(raw: bytes, message: Message) -> str:
    """sha256 of who sent it, when, and the body bytes as written (stable across parser versions)."""
    split = _BLANK_LINE.search(raw)
    body = raw[split.end():] if split else b""
    body = body.replace(b"\r\n", b"\n").strip()  # one C-level copy: a regex over 2 million lines costs 1 GB
    sender = (message.from_email or "").strip().lower()
    when = message.date.isoformat() if message.date else ""
    digest = hashlib.sha256()
    for part in (sender.encode("utf-8", "surrogatepass"), when.encode("ascii"), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def reused_note(first_id: int, first_sender: str | None) -> str:
    who = f" from {first_sender}" if first_sender else ""
    return f"{REUSED_NOTE} (#{first_id}{who}): stored as a new inquiry; a reused or forged Message-ID"


def same_message(stored: dict[str, Any], digest: str | None, sender: str | None) -> bool:
    """Whether a stored row (``content_digest``, ``sender_email``) is the message with this digest and
    sender: the same digest; for a row stored before digests (or a message without one), the same sender."""
    if digest and stored.get("content_digest"):
        return digest == stored["content_digest"]
    return (stored.get("sender_email") or "").lower() == (sender or "").lower()


def first_other(holders: list[dict[str, Any]], digest: str | None, sender: str | None) -> dict[str, Any] | None:
    """The first stored row under a Message-ID (``holders``, first stored first) when the message with
    this digest and sender is not it (``id``, ``date``, ``sender_email``); None when the message is the
    first, or nothing holds the Message-ID. The first to arrive keeps it; each later one is flagged."""
    if not holders or same_message(holders[0], digest, sender):
        return None
    return {key: holders[0].get(key) for key in ("id", "date", "sender_email")}
