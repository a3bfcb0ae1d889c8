"""The JSON contract: one object per inquiry, keys other tools rely on.

``to_contract`` is the only place that decides the shape; the store keeps this
object as each inquiry's record, and ``--json`` prints it.
"""

from __future__ import annotations

from typing import Any

from triage.model import Inquiry


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def to_contract(inquiry: Inquiry) -> dict[str, Any]:
    m = inquiry.message
    judgment, persona, draft = inquiry.judgment, inquiry.persona, inquiry.draft
    return {
        "id": inquiry.id,
        "source": {"kind": m.kind, "path": m.path, "message_id": m.message_id, "date": _iso(m.date),
                   "platform": m.platform, "subject": m.subject or None},
        "sender": {"name": inquiry.sender_name, "email": inquiry.sender_email, "domain": inquiry.sender_domain},
        "contact": {"name": inquiry.contact_name, "title": inquiry.contact_title, "phones": inquiry.phones,
                    "website": inquiry.website},
        "company": {"name": inquiry.company_name, "country": inquiry.country, "country_source": inquiry.country_source,
                    "website": inquiry.website or _site_from_domain(inquiry)},
        "request": {
            "products": [{"sku": p.sku, "name": p.name, "score": round(p.score, 1), "text": p.text}
                         for p in inquiry.products],
            "quantity": {"value": _number(inquiry.quantity.value), "unit": inquiry.quantity.unit} if inquiry.quantity else None,
            "volume": {"value": _number(inquiry.volume.value), "unit": inquiry.volume.unit,
                       "period": inquiry.volume.period} if inquiry.volume else None,
            "deadline": _iso(inquiry.deadline),
            "incoterm": inquiry.incoterm,
            "destination": inquiry.destination,
            "certifications": inquiry.certifications,
            "sample_requested": inquiry.sample_requested,
            "payment_terms": inquiry.payment_terms,
            "questions": inquiry.questions,
        },
        "language": inquiry.language,
        "attachments": [{"name": a.name, "type": a.type, "size": a.size} for a in m.attachments],
        "platform_fields": m.platform_fields or None,
        "parse_notes": m.notes,
        "enrichment": inquiry.enrichment,
        "scores": judgment.scores if judgment else None,
        "category": judgment.category if judgment else None,
        "tier": judgment.tier if judgment else None,
        "verdict": judgment.verdict if judgment else None,
        "signals": [{"name": h.name, "group": h.group, "weight": h.weight, "description": h.description,
                     "evidence": h.evidence} for h in judgment.signals] if judgment else None,
        "persona": {"type": persona.type, "confidence": round(persona.confidence, 2), "evidence": persona.evidence}
        if persona else None,
        "draft": {"subject": draft.subject, "body": draft.body, "notes": list(draft.notes)} if draft else None,
        "thread": _thread(m),
        "followups": [{"step": f.step, "due": _iso(f.due), "purpose": f.purpose} for f in inquiry.followups]
        if inquiry.followups else None,
    }


def _thread(m) -> dict[str, Any]:
    """Where the message sits in a conversation: the draft answers the right address and honours the history."""
    return {"reply_to": list(m.reply_to), "in_reply_to": m.in_reply_to, "references": list(m.references),
            "quoted": m.quoted or None, "history": m.history or None, "chat": _chat(m)}


def _chat(m) -> list[dict[str, Any]] | None:
    """A pasted chat's turns in order ({who, at, text, buyer}), as the parse stage read them
    (mailtext._fill_chat), so the draft reads the conversation from the record; None for mail."""
    if not m.chat_turns:
        return None
    buyer = m.platform_fields.get("name")
    return [{"who": who, "at": at, "text": text, "buyer": who == buyer} for who, at, text in m.chat_turns]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _site_from_domain(inquiry: Inquiry) -> str | None:
    enrichment = inquiry.enrichment or {}
    domain = enrichment.get("domain") or {}
    if domain.get("free_mail") is False and inquiry.sender_domain:
        return inquiry.sender_domain
    return None
