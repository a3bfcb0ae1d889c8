"""What triage already knows about an inquiry's text and sender.

:func:`build_history` is pure: it gets earlier inquiries as :class:`Seen` records
(or plain rows with ``id``, ``sender_email``, ``sender_domain``, ``company_name``,
``body``, ``message_id``, ``subject``, as the store reads them) and returns a
:class:`History` the judge stage turns into signals (mass RFQ or scam wave,
existing buyer, reply to our mail, a Message-ID another message holds).

:class:`Recent` is the window of latest inquiries a new one is compared with. The
pipeline seeds it from the store and adds each inquiry as soon as it is judged, so
a scam wave inside one mbox is seen on its second copy, not only in the next batch.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from triage.model import Inquiry

SIMILAR_SCORE = 90.0  # rapidfuzz ratio at or above which two texts count as the same
MIN_TEXT = 80  # shorter texts ("pls quote") are too common to compare
COMPARED_CHARS = 600  # texts are compared on their beginning: the store keeps that much of each for history
RECENT = 60  # how many of the latest inquiries every new one is compared with


@dataclass(slots=True)
class History:
    similar_from_others: list[tuple[Any, str, float]] = field(default_factory=list)  # (id, sender, score)
    seen_sender: int = 0  # earlier inquiries from the same address
    seen_company: int = 0  # earlier inquiries from the same company or business domain
    reply_to_ours: bool = False  # answers a message we sent
    # (id, date, sender) of an earlier, different message under the same Message-ID (the store's
    # Store.message_id_taken, or one earlier in this batch: id None); None when the Message-ID is its own
    message_id_taken: tuple[Any, str | None, str | None] | None = None


@dataclass(slots=True, frozen=True)
class Seen:
    """An earlier inquiry, normalised once for the many comparisons it takes part in.

    ``id`` is None for one judged earlier in the same batch and not stored yet.
    """

    key: str  # the store's dedupe key (or the id's text): one inquiry is counted once
    id: int | None
    sender_email: str  # lower case
    sender_domain: str  # lower case
    company: str  # normalised (lower case, single spaces)
    message_id: str | None
    text: str  # the beginning of the text, as rapidfuzz compares it ("" when too short to compare)
    digest: str | None = None  # the message's content digest (triage.identity), for one of this batch
    date: str | None = None  # the message's Date (ISO), for one of this batch


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def seen(row: dict[str, Any] | Seen) -> Seen:
    """A stored row (a dict, as the store reads it) as a :class:`Seen`."""
    if isinstance(row, Seen):
        return row
    return Seen(key=row.get("dedupe_key") or f"id:{row.get('id')}", id=row.get("id"),
                sender_email=(row.get("sender_email") or "").lower(),
                sender_domain=(row.get("sender_domain") or "").lower(), company=_norm(row.get("company_name")),
                message_id=row.get("message_id"), text=_comparable(row.get("body")))


def seen_inquiry(inquiry: Inquiry, key: str) -> Seen:
    """An inquiry judged in this batch, before the store gives it an id."""
    m = inquiry.message
    return Seen(key=key, id=inquiry.id, sender_email=_norm(inquiry.sender_email or m.from_email),
                sender_domain=(inquiry.sender_domain or "").lower(), company=_norm(inquiry.company_name),
                message_id=m.message_id, text=_comparable(_text(inquiry)),
                digest=m.content_digest or None, date=m.date.isoformat() if m.date else None)


class Recent:
    """The latest inquiries, oldest first, at most ``size`` of them."""

    def __init__(self, rows: Iterable[dict[str, Any] | Seen] = (), size: int = RECENT):
        self._rows: deque[Seen] = deque((seen(r) for r in rows), maxlen=size)

    def add(self, item: Seen) -> None:
        self._rows.append(item)

    def __iter__(self) -> Iterator[Seen]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def candidates(*sources: Iterable[dict[str, Any] | Seen], exclude: str = "") -> list[Seen]:
    """The earlier inquiries of several sources (the store's rows of the same sender, the recent window),
    each once, without the inquiry itself (``exclude``: its dedupe key)."""
    out: dict[str, Seen] = {}
    for source in sources:
        for row in source:
            item = seen(row)
            if item.key != exclude:
                out.setdefault(item.key, item)
    return sorted(out.values(), key=lambda item: (item.id is None, item.id or 0))  # oldest first


def message_id_taken(inquiry: Inquiry, stored: list[dict[str, Any]],
                     recent: Iterable[Seen] = ()) -> tuple[Any, str | None, str | None] | None:
    """The first other message under the inquiry's Message-ID, as History.message_id_taken holds it.

    ``stored``: the store's rows under that Message-ID (Store.message_id_holders). When the store holds
    any, the first of them decides (triage.identity.first_other); when it holds none, the first one
    judged earlier in this batch (``recent``, not stored yet: id None) with another content digest."""
    from triage.identity import first_other

    m = inquiry.message
    if not m.message_id or m.kind == "text":
        return None
    if stored:
        first = first_other(stored, m.content_digest, inquiry.sender_email)
        return None if first is None else (first["id"], first["date"], first["sender_email"])
    first = next((item for item in recent if item.id is None and item.message_id == m.message_id
                  and item.digest), None)
    if first is None or not m.content_digest or first.digest == m.content_digest:
        return None
    return (None, first.date, first.sender_email)


def build_history(inquiry: Inquiry, earlier: Iterable[dict[str, Any] | Seen], *, free_mail: set[str] | None = None,
                  own_message_ids: set[str] | None = None, taken: tuple | None = None) -> History:
    """Compare one inquiry with earlier ones (see the module docstring); ``taken`` is what
    :func:`message_id_taken` found."""
    me = _norm(inquiry.sender_email or inquiry.message.from_email)
    domain = (inquiry.sender_domain or "").lower()
    if free_mail is None:  # the enrich stage knows; gmail.com senders are not one company
        known = ((inquiry.enrichment or {}).get("domain") or {}).get("free_mail")
        free_mail = {domain} if known else set()
    company_domain = domain if domain and domain not in free_mail else ""
    company = _norm(inquiry.company_name)
    refs = {inquiry.message.in_reply_to, *inquiry.message.references} - {None, ""}
    items = list(map(seen, earlier))
    if inquiry.id is not None:
        items = [item for item in items if item.id != inquiry.id]
    # one comprehension per question instead of one Python loop asking them all (~60 items a message)
    same_sender = [item.sender_email == me for item in items] if me else [False] * len(items)
    hist = History(seen_sender=sum(same_sender), message_id_taken=taken)
    if company or company_domain:
        hist.seen_company = sum(
            not same and ((bool(company) and item.company == company)
                          or (bool(company_domain) and item.sender_domain == company_domain))
            for item, same in zip(items, same_sender))
    if refs:
        hist.reply_to_ours = any(item.message_id and item.message_id in refs
                                 and (own_message_ids is None or item.message_id in own_message_ids)
                                 for item in items)
    others = [item for item, same in zip(items, same_sender) if not same and item.text]
    hist.similar_from_others = _similar(_comparable(_text(inquiry)), others)
    return hist


def _text(inquiry: Inquiry) -> str:
    return inquiry.message.body or inquiry.message.new_text


def _comparable(text: str | None) -> str:
    """The part of a text history compares, as rapidfuzz's default processor leaves it; "" when too short."""
    text = (text or "")[:COMPARED_CHARS]
    return _processed(text) if len(text) >= MIN_TEXT else ""


@lru_cache(maxsize=4096)
def _processed(text: str) -> str:
    from rapidfuzz import utils

    return utils.default_process(text)


def _similar(text: str, others: list[Seen]) -> list[tuple[Any, str, float]]:
    """Earlier inquiries whose text is nearly the same (rapidfuzz's C loop over all of them, best first)."""
    if not text or not others:
        return []
    from rapidfuzz import fuzz, process

    found = process.extract(text, [o.text for o in others], scorer=fuzz.ratio, processor=None,
                            score_cutoff=SIMILAR_SCORE, limit=20)
    return [(others[n].id, others[n].sender_email, float(score)) for _, score, n in found]
