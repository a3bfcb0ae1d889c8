"""What the store already knows about an inquiry's text and sender.

:func:`build_history` is pure: the store passes the rows it holds (``id``,
``sender_email``, ``sender_domain``, ``company_name``, ``body``, ``message_id``,
``subject``) and gets back a :class:`History` the judge stage turns into signals
(mass RFQ or scam wave, existing buyer, reply to our mail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .model import Inquiry

SIMILAR_SCORE = 90.0  # rapidfuzz ratio at or above which two texts count as the same
MIN_TEXT = 80  # shorter texts ("pls quote") are too common to compare
COMPARED_CHARS = 600  # texts are compared on their beginning: the store keeps that much of each for history


@dataclass(slots=True)
class History:
    similar_from_others: list[tuple[Any, str, float]] = field(default_factory=list)  # (id, sender, score)
    seen_sender: int = 0  # earlier inquiries from the same address
    seen_company: int = 0  # earlier inquiries from the same company or business domain
    reply_to_ours: bool = False  # answers a message we sent


def _norm(text: str | None) -> str:
    return " ".join((text or "").lower().split())


def build_history(inquiry: Inquiry, candidates: list[dict], *, free_mail: set[str] | None = None,
                  own_message_ids: set[str] | None = None) -> History:
    """Compare one inquiry with stored rows (see the module docstring)."""
    me = _norm(inquiry.sender_email or inquiry.message.from_email)
    domain = (inquiry.sender_domain or "").lower()
    if free_mail is None:  # the enrich stage knows; gmail.com senders are not one company
        known = ((inquiry.enrichment or {}).get("domain") or {}).get("free_mail")
        free_mail = {domain} if known else set()
    company = _norm(inquiry.company_name)
    refs = {inquiry.message.in_reply_to, *inquiry.message.references} - {None, ""}
    hist = History()
    others: dict[int, dict] = {}
    for n, row in enumerate(candidates):
        if inquiry.id is not None and row.get("id") == inquiry.id:
            continue
        same_sender = bool(me) and (row.get("sender_email") or "").lower() == me
        hist.seen_sender += same_sender
        same_company = (bool(company) and _norm(row.get("company_name")) == company) or (
            bool(domain) and domain not in (free_mail or set()) and (row.get("sender_domain") or "").lower() == domain)
        hist.seen_company += same_company and not same_sender
        if row.get("message_id") and row["message_id"] in refs and (own_message_ids is None or row["message_id"] in own_message_ids):
            hist.reply_to_ours = True
        if not same_sender and len(row.get("body") or "") >= MIN_TEXT:
            others[n] = row
    body = (inquiry.message.body or inquiry.message.new_text)[:COMPARED_CHARS]
    hist.similar_from_others = _similar(body, others)
    return hist


@lru_cache(maxsize=4096)
def _processed(text: str) -> str:
    from rapidfuzz import utils

    return utils.default_process(text)


def _similar(body: str, others: dict[int, dict]) -> list[tuple[Any, str, float]]:
    """Rows whose text is nearly the same (rapidfuzz's C loop over all of them, best first)."""
    if len(body or "") < MIN_TEXT or not others:
        return []
    from rapidfuzz import fuzz, process, utils

    choices = {n: _processed(row["body"]) for n, row in others.items()}
    found = process.extract(utils.default_process(body), choices, scorer=fuzz.ratio, processor=None,
                            score_cutoff=SIMILAR_SCORE, limit=20)
    return [(others[n]["id"], others[n].get("sender_email") or "", float(score)) for _, score, n in found]
