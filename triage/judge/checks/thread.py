"""Checks on the thread: a reply with no earlier mail, a reply to ours, what history knows of the sender."""

from __future__ import annotations

import re
from typing import Any

from triage.judge.checks import check
from triage.judge.evidence import truncate
from triage.judge.facts import Facts, own_domains, word_regex


_REPLY_PREFIX = re.compile(r"\s*(re|aw|sv|r|rif)\s*:", re.I)



@check("fake_reply_subject")
def _check_fake_reply(f: Facts) -> str | None:
    m = f.message
    if _REPLY_PREFIX.match(m.subject) and not (m.in_reply_to or m.references or m.quoted.strip()):
        return f"'{truncate(m.subject, 40)}' but no earlier thread"
    return None



@check("in_thread")
def _check_in_thread(f: Facts) -> str | None:
    if f.history is not None and getattr(f.history, "reply_to_ours", False):
        return "replies to our earlier mail"
    own = own_domains(f)
    quoted = f.message.quoted.lower()
    if quoted and any(d in quoted for d in own):
        return "quotes our earlier mail"
    name = getattr(f.profile, "name", "") or ""  # the short name the seller signs with
    if quoted and len(name) >= 4 and word_regex(name.lower(), "").search(quoted):
        return "quotes our earlier mail"
    return None



@check("history")
def _check_history(f: Facts, key: str = "", min: float = 1) -> str | None:
    h = f.history
    if h is None:
        return None
    value = getattr(h, key, None)
    if isinstance(value, list):
        if len(value) < min:
            return None
        return f"{len(value)} similar: " + ", ".join(_similar_one(*x) for x in value[:3])
    if isinstance(value, bool):
        return key.replace("_", " ") if value else None
    if isinstance(value, (int, float)) and value >= min:
        return f"{key.replace('_', ' ')}: {value:g} earlier"
    return None



def _similar_one(ident: Any, sender: str, score: float) -> str:
    """'#12 x@y.com (97)', or for one earlier in the same batch (not stored yet) 'x@y.com (97, this batch)'."""
    return f"#{ident} {sender} ({score:.0f})" if ident is not None else f"{sender} ({score:.0f}, this batch)"

