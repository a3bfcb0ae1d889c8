"""The values that flow between pipeline stages.

parse  -> :class:`Message` (what the mail or pasted text says, decoded)
extract-> :class:`Inquiry` (the buyer's request, normalised; holds the Message)
enrich -> ``Inquiry.enrichment`` (a plain dict, the JSON contract's ``enrichment``)
score  -> :class:`Judgment`
persona-> :class:`Persona`
draft  -> :class:`Draft` and a list of :class:`FollowUp`

Every stage is a function of plain values; none of these classes does I/O.
``contract.to_contract`` turns an Inquiry into the JSON contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class Attachment:
    name: str
    type: str
    size: int


@dataclass(slots=True)
class Link:
    """A hyperlink found in the message: its visible text and its target."""

    text: str
    href: str


@dataclass(slots=True)
class Message:
    """One message as the parse stage read it: headers, text parts, attachments.

    ``text`` is the whole readable body; ``new_text`` is what the writer wrote now
    (quoted history removed), split into ``body`` and ``signature``.
    """

    kind: str  # "eml", "mbox" or "text"
    path: str | None = None
    message_id: str | None = None
    date: datetime | None = None
    subject: str = ""
    from_name: str = ""
    from_email: str | None = None
    reply_to: list[str] = field(default_factory=list)
    return_path: str | None = None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    auth_results: str = ""
    mailer: str = ""
    text: str = ""
    new_text: str = ""
    quoted: str = ""
    body: str = ""
    signature: str = ""
    from_html: bool = False
    links: list[Link] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    forwarded: list[Message] = field(default_factory=list)
    platform: str | None = None  # "alibaba", "made-in-china", "global-sources", "whatsapp", ...
    platform_fields: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what was truncated, guessed or could not be read
    raw_hash: str = ""  # sha256 of the normalised content, for de-duplication of pasted text
    headers: str = ""  # how the mail was sent: the bulk/automation header fields, one "name: value" a line
    content_digest: str = ""  # sender, Date, Subject, Reply-To and body as written (triage.identity): same Message-ID, same message?
    history: str = ""  # the stored conversation a message continues without quoting it (triage.thread), for the draft
    chat_turns: list[tuple[str, str, str]] = field(default_factory=list)  # a pasted chat's (speaker, time, text), in order


@dataclass(slots=True)
class ProductMatch:
    sku: str | None  # None: a product the buyer named that is not in our catalogue
    name: str
    score: float  # 0-100, rapidfuzz match score
    text: str = ""  # the words in the message that matched


@dataclass(slots=True)
class Quantity:
    value: float
    unit: str = "pcs"


@dataclass(slots=True)
class Volume:
    """What the buyer uses over a period ("about 3,000 pcs a month", "annual need 40k"): not the order."""

    value: float
    unit: str = "pcs"
    period: str = "year"  # "month" or "year"


@dataclass(slots=True)
class Hit:
    """One signal that fired, with the evidence that fired it."""

    name: str
    group: str  # money, authority, need, authenticity, category
    weight: float
    description: str
    evidence: str


@dataclass(slots=True)
class Judgment:
    scores: dict[str, int]  # money, authority, need, authenticity: 0-100
    category: str  # genuine, phishing, scam, competitor, spam, not_inquiry
    tier: str  # A, B, C, D
    signals: list[Hit] = field(default_factory=list)
    verdict: str = ""
    advice: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Persona:
    type: str | None  # driver, analytical, amiable, expressive or None
    confidence: float
    evidence: list[str] = field(default_factory=list)
    assertiveness: float = 0.0
    responsiveness: float = 0.0
    advice: list[str] = field(default_factory=list)  # "how to handle this buyer", from the playbook


@dataclass(slots=True)
class Draft:
    subject: str
    body: str
    template: str = ""
    language: str = "en"
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class FollowUp:
    step: int
    due: date
    purpose: str
    status: str = "pending"  # pending, done, snoozed, stopped


@dataclass(slots=True)
class Inquiry:
    """The buyer's request, read off one message."""

    message: Message
    id: int | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    sender_domain: str | None = None
    contact_name: str | None = None
    contact_title: str | None = None
    phones: list[str] = field(default_factory=list)  # E.164
    website: str | None = None
    company_name: str | None = None
    country: str | None = None  # ISO 3166 alpha-2
    country_source: str | None = None  # signature, address, phone, cctld, platform, text, destination
    products: list[ProductMatch] = field(default_factory=list)
    quantity: Quantity | None = None
    volume: Volume | None = None  # a monthly or yearly need, beside the order quantity
    deadline: date | None = None
    incoterm: str | None = None
    destination: str | None = None
    certifications: list[str] = field(default_factory=list)
    sample_requested: bool = False
    payment_terms: str | None = None
    questions: list[str] = field(default_factory=list)
    language: str | None = None
    # filled by later stages
    enrichment: dict[str, Any] | None = None
    judgment: Judgment | None = None
    persona: Persona | None = None
    draft: Draft | None = None
    followups: list[FollowUp] = field(default_factory=list)
