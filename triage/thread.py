"""Which stored conversation a message continues when its headers do not say (no In-Reply-To, no
References: a webmail that drops them, a buyer who writes again from the same address).

A message joins the latest stored conversation of the same address whose subject is the same once
the mail clients' reply and forward prefixes (playbooks/draft/thread.toml [subject]: "Re:", "AW:",
"回复:", "Fwd:"), spaces, brackets and case are set aside, or whose opening lines its quoted history
repeats. ``history`` is then what that conversation already said, newest first: each earlier message
of the buyer and the reply drafted to it, so the draft honours the prices and samples offered there and
asks nothing again. Only the store's reads are used here (address_messages, conversation).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_SPACE = re.compile(r"\s+")
_BRACKETS = re.compile(r"^[\[\(【（][^\]\)】）]{0,20}[\]\)】）]\s*")  # "[EXT]", "(Ext)", "【外部】"


def subject_key(subject: str | None) -> str:
    """'RE: AW: Fwd:  RFQ  duplex receptacles' -> 'rfq duplex receptacles': the conversation's name."""
    from triage.answers import words

    pattern = _prefix_pattern(tuple(words("thread.toml", "subject")))
    text = _SPACE.sub(" ", str(subject or "")).strip()
    while text:
        before = text
        text = _BRACKETS.sub("", text)
        if pattern is not None:
            text = pattern.sub("", text)
        text = text.strip()
        if text == before:
            break
    return text.casefold()


@cache
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern | None:
    """The reply and forward prefixes ("Re:", "AW[2]:") as one pattern, the longest tried first."""
    if not prefixes:
        return None
    ordered = sorted(prefixes, key=len, reverse=True)
    return re.compile(r"^(?:" + "|".join(map(re.escape, ordered)) + r")\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*", re.I)


def _lines(text: str) -> list[str]:
    """The text's lines without quote marks and spaces, the short ones left out (greetings, names)."""
    out = []
    for line in (text or "").splitlines():
        line = _SPACE.sub(" ", re.sub(r"^[\s>]+", "", line)).strip().casefold()
        if len(line) >= 25:
            out.append(line)
    return out


def _quotes(quoted: str, body: str) -> bool:
    """Whether the quoted history repeats the opening lines of an earlier message (two lines, or its only one)."""
    earlier = _lines(body)[:3]
    if not earlier:
        return False
    seen = set(_lines(quoted))
    return sum(line in seen for line in earlier) >= min(2, len(earlier))


def conversation_of(store: Any, message: Any, own_id: int | None = None) -> int | None:
    """The stored conversation (its first inquiry's id) that a message without threading headers continues."""
    if store is None or message.in_reply_to or message.references or not message.from_email:
        return None
    key = subject_key(message.subject)
    for row in store.address_messages(message.from_email, limit=LOOK_BACK):  # latest first
        if own_id is not None and row["id"] >= own_id:
            continue
        if row.get("message_id") and row["message_id"] == message.message_id:
            continue
        same_subject = bool(key) and subject_key(row.get("subject")) == key
        if same_subject or (message.quoted and _quotes(message.quoted, store.row(row["id"]).get("body") or "")):
            return row["thread_id"] or row["id"]
    return None


LOOK_BACK = 50  # the address's latest stored messages a conversation is looked for in
HISTORY_MESSAGES = 10  # the conversation's latest messages its history holds: older offers are superseded


def attach_history(store: Any, message: Any) -> int | None:
    """Give a message that continues a stored conversation without quoting it that conversation's
    history (``message.history``, which the draft reads); the conversation's id, or None."""
    root = conversation_of(store, message)
    if root is not None and not (message.quoted or "").strip():
        message.history = history(store, root)
    return root


def history(store: Any, root: int) -> str:
    """What the conversation said lately (its latest HISTORY_MESSAGES messages), newest first as a
    mail client quotes it: each reply drafted to the buyer above the buyer's message it answers."""
    parts = []
    for row in store.conversation(root, latest=HISTORY_MESSAGES):
        parts.append(str(row.get("body") or "").strip())
        if row.get("draft"):
            parts.append(str(row["draft"]).strip())
    return "\n\n".join(p for p in reversed(parts) if p)
