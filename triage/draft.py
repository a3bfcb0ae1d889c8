"""The draft stage: the reply a salesperson who analysed the buyer would write.

``draft_reply`` picks the most specific Jinja template for the inquiry's
category, tier and persona in the buyer's language (English if there is none),
fills it with plain facts (``context``) and returns a :class:`Draft`; phishing,
scam, spam and not-an-inquiry get no draft (``warning`` says why and what not to
do for the first two). ``draft_followup`` writes follow-up step N.

Template lookup (first hit wins), for each language in (buyer's, "en"):
  reply-<category>-<tier>-<persona>, reply-<category>-<tier>,
  reply-<category>-<persona>, reply-<category>, reply
  followup-<purpose>-<persona>, followup-<purpose>, followup-<persona>, followup
each as ``<lang>/<name>.j2``, in ``$TRIAGE_HOME/templates/`` before the shipped
``templates/``; ``default:<lang>/<name>.j2`` always names the shipped one, so a
user's template can extend it. The buyer's words only ever reach a template as
data; a missing variable is an error (StrictUndefined).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from triage.draft_history import (
    buyer_said, chat_turns, earlier_prices, new_text, our_speakers, settled_in_chat, short_question,
    thread_facts, with_thread_quantity,
)
from triage.errors import TemplateError
from triage.model import Draft, Inquiry
from triage.profile import salesperson as salesperson_of
from triage.quote import as_date as _date  # one reading of a date for the offer and the draft
from triage.templating import default_environment, phrases, render, select

NO_DRAFT = {"phishing", "scam", "spam", "not_inquiry"}
WEAK = 50  # a MAN score below this is a gap worth a question

GAP_ORDER = ("quantity", "authority", "destination", "timeline", "certification", "volume")


# -- which templates -----------------------------------------------------------------


def reply_names(category: str | None, tier: str | None, persona: str | None) -> list[str]:
    """Reply template names, most specific first."""
    c = category or "genuine"
    names = []
    if tier and persona:
        names.append(f"reply-{c}-{tier}-{persona}")
    if tier:
        names.append(f"reply-{c}-{tier}")
    if persona:
        names.append(f"reply-{c}-{persona}")
    return names + [f"reply-{c}", "reply"]


def followup_names(purpose: str, persona: str | None) -> list[str]:
    """Follow-up template names, most specific first."""
    names = [f"followup-{purpose}-{persona}"] if persona else []
    names.append(f"followup-{purpose}")
    if persona:
        names.append(f"followup-{persona}")
    return names + ["followup"]


# -- the stage -----------------------------------------------------------------------

FILL = re.compile(r"<<to fill: ([^<>]+)>>")


def draft_reply(inquiry: Inquiry | dict[str, Any], profile: Any, *, lang: str | None = None,
                env: Any = None, today: date | None = None, salesperson: str | None = None) -> Draft | None:
    """The reply draft, or None for phishing, scam, spam and not_inquiry."""
    if isinstance(inquiry, Inquiry) and inquiry.judgment and inquiry.judgment.category in NO_DRAFT:
        return None  # before building the record: most mail that gets no draft is spam
    record, text = record_and_text(inquiry)
    if record.get("category") in NO_DRAFT:
        return None
    env = env or default_environment()
    thread = thread_facts(record, text)
    kind = "closing" if thread["closing"] and record.get("category") == "genuine" else record.get("category")
    if kind != "closing" and _chat(record) and record.get("category") == "genuine":
        kind = "chat"
    names = reply_names(kind, record.get("tier"), _persona_type(record))
    return _draft(env, names, record, text, profile, lang, today, thread=thread, salesperson=salesperson)


def draft_followup(record_or_inquiry: Inquiry | dict[str, Any], step: int, profile: Any, *,
                   lang: str | None = None, env: Any = None, today: date | None = None,
                   salesperson: str | None = None) -> Draft:
    """The text of follow-up step ``step`` (step 0 is the reply itself)."""
    record, text = record_and_text(record_or_inquiry)
    if record.get("category") in NO_DRAFT:
        raise TemplateError(f"a {record.get('category')} message gets no follow-up")
    if step == 0:
        return draft_reply(record_or_inquiry, profile, lang=lang, env=env, today=today,  # type: ignore[return-value]
                           salesperson=salesperson)
    planned = _planned_step(record, step)
    env = env or default_environment()
    names = followup_names(planned["purpose"], _persona_type(record))
    return _draft(env, names, record, text, profile, lang, today, step=planned, salesperson=salesperson)


def _draft(env: Any, names: list[str], record: dict[str, Any], text: str, profile: Any, lang: str | None,
           today: date | None, step: dict[str, Any] | None = None, thread: dict[str, Any] | None = None,
           salesperson: str | None = None) -> Draft:
    template, used, notes = select(env, names, lang or record.get("language"))
    context = build_context(record, profile, lang=used, today=today, step=step, text=text, thread=thread,
                            salesperson=salesperson)
    context["t"] = phrases(env, used)
    delivered = context["quote"]["term"] in ("DAP", "DPU", "DDP")  # a door, not a port
    context["quote"]["place"] = context["quote"]["place"] or context["t"].get("your_door" if delivered else "your_port", "")
    body = render(template, context)
    notes += context["notes"]
    notes += [f"to fill: {item}" for item in dict.fromkeys(FILL.findall(body))]
    return Draft(subject=reply_subject(record, profile), body=body, template=template.name, language=used,
                 notes=notes)


def _planned_step(record: dict[str, Any], step: int) -> dict[str, Any]:
    for planned in record.get("followups") or []:
        if int(planned.get("step", -1)) == step:
            return {"step": step, "due": _date(planned.get("due")), "purpose": planned.get("purpose")}
    from triage.followup import plan_followups

    start = _date((record.get("source") or {}).get("date")) or date.today()
    for planned in plan_followups(record, start=start):
        if planned.step == step:
            return {"step": step, "due": planned.due, "purpose": planned.purpose}
    raise TemplateError(f"the inquiry has no follow-up step {step}")


def warning(inquiry: Inquiry | dict[str, Any]) -> list[str]:
    """For phishing and scam: the verdict, the reasons (the judgment's hits) and what not to do."""
    record, _ = record_and_text(inquiry)
    category = record.get("category")
    if category not in ("phishing", "scam"):
        return []
    lines = [f"{'Phishing' if category == 'phishing' else 'Scam'}: do not reply, do not act on this message."]
    lines += [_reason(h) for h in _reasons(record.get("signals") or [], category)]
    return lines + _dont(category, record)


def _reasons(hits: list[dict[str, Any]], category: str) -> list[dict[str, Any]]:
    """The hits that make it phishing or scam: that group's, then the bad authenticity signs."""
    own = [h for h in hits if h.get("group") in (category, "category") and float(h.get("weight") or 0) > 0]
    bad = [h for h in hits if h.get("group") == "authenticity" and float(h.get("weight") or 0) < 0]
    ranked = sorted(own, key=lambda h: -abs(float(h.get("weight") or 0)))
    ranked += sorted(bad, key=lambda h: float(h.get("weight") or 0))
    return ranked[:6]


def _reason(hit: dict[str, Any]) -> str:
    evidence = str(hit.get("evidence") or "").strip().replace("\n", " ")
    text = hit.get("description") or hit.get("name")
    return f"Why: {text}" + (f" ({evidence[:120]})" if evidence else "")


def _dont(category: str, record: dict[str, Any]) -> list[str]:
    names = ", ".join(a.get("name", "") for a in record.get("attachments") or [] if a.get("name"))
    attach = f"the attachment ({names})" if names else "any attachment or file it links to"
    if category == "phishing":
        return [
            f"Do not open {attach}.",
            "Do not click its links or log in through them; reach the platform or bank by typing its address.",
            "Do not send passwords, verification codes or bank details in reply.",
        ]
    return [
        "Do not pay any fee (registration, certification, accreditation, customs) to win an order.",
        "Do not ship free samples to an address you cannot verify.",
        f"Do not open {attach}, and do not accept overpayment or changed bank details.",
    ]


# -- the record the templates read -----------------------------------------------------


def record_and_text(obj: Inquiry | dict[str, Any]) -> tuple[dict[str, Any], str]:
    """(the JSON contract record, the message text): a stored record passes through with its body."""
    if isinstance(obj, dict):
        return obj, str(obj.get("body") or "")
    from triage.contract import to_contract

    m = obj.message
    return to_contract(obj), m.text or m.body or m.new_text


def _persona_type(record: dict[str, Any]) -> str | None:
    persona = record.get("persona")
    return persona.get("type") if isinstance(persona, dict) else persona


def _chat(record: dict[str, Any]) -> bool:
    source = record.get("source") or {}
    return source.get("platform") in CHAT_PLATFORMS or source.get("kind") == "chat"


CHAT_PLATFORMS = {"whatsapp", "wechat", "chat", "telegram", "line", "skype", "linkedin"}


def build_context(record: dict[str, Any], profile: Any, *, lang: str = "en", today: date | None = None,
                  step: dict[str, Any] | None = None, text: str = "", thread: dict[str, Any] | None = None,
                  salesperson: str | None = None) -> dict[str, Any]:
    """The plain values every template receives (see templates/README.md)."""
    from triage.answers import answer_questions, certificate_answers, market_mark
    from triage.quote import build_quote

    stated = record.get("request") or {}
    thread = thread or thread_facts(record, text)
    request = with_thread_quantity(stated, thread)
    today = today or date.today()
    said = buyer_said(record, text, thread) if _chat(record) else new_text(text, thread)
    buyer = _buyer(record, said, lang)
    if step:
        buyer["returned"] = ""  # a greeting is returned once, in the reply, not in every follow-up
    competitor = record.get("category") == "competitor"
    products = [p for p in (_product_view(m, profile) for m in request.get("products") or [] if m.get("sku")) if p]
    earlier = earlier_prices(thread["quoted"], products)
    offer_text = said
    if request is not stated:  # "quantities as per your offer": the lines, their counts and place as quoted
        offer_text, request = _with_thread_offer(said, thread, request)
    request = {**request, "deadline": _goods_date(record, said, request.get("deadline"))}
    quote = build_quote(request, products, profile, text=offer_text, country=buyer["country"],
                        earlier=earlier, today=today, moq_only=competitor)
    if request is not stated:  # a count our own offer named stands: no MOQ gap raised against it now
        for line in quote["lines"]:
            line["moq_gap"] = 0 if line["earlier"] else line["moq_gap"]
    asked = [str(c) for c in request.get("certifications") or []]
    market = None if asked else market_mark(buyer["country"])
    certs = certificate_answers(asked or ([market] if market else []), products, list(profile.certifications), text)
    seller = _seller(profile, salesperson)
    facts = {"terms": seller["terms"], "quote": quote, "certs": certs, "seller": seller, "today": today,
             "cert_names": [c["asked"] for c in certs] + _mark_names()}
    asked_questions = [str(q) for q in request.get("questions") or []]
    settled = (settled_in_chat(asked_questions, chat_turns(record, text), our_speakers(record, thread))
               if _chat(record) else {})
    questions = [] if competitor else answer_questions([q for q in asked_questions if q not in settled], facts)
    for q in questions:
        q["short"] = short_question(q["question"])
    answered = {a["kind"] for q in questions for a in q["answers"]}
    notes = _notes(record, quote, certs, thread, profile)
    notes += [f"answered in the chat already: \"{q}\" ({reply[:80]})" for q, reply in settled.items()]
    return {
        "lang": lang,
        "today": today,
        "valid_until": today + timedelta(days=14),
        "buyer": buyer,
        "products": products,
        "quote": quote,
        "other_products": [p.get("name") for p in request.get("products") or [] if not p.get("sku") and p.get("name")],
        "quantity": _quantity(request.get("quantity")),
        "incoterm": request.get("incoterm"),
        "destination": request.get("destination"),
        "sample_requested": bool(request.get("sample_requested")) and not thread["samples_done"],
        "samples_done": bool(thread["samples_done"]),
        "questions": questions,
        "answered": sorted(answered),
        "certs_answered": sorted({c["asked"] for q in questions for a in q["answers"] for c in a.get("certs", [])}),
        "certs": certs,
        "market": market,
        "hook": None if thread["in_thread"] else hook(record, said),
        "gaps": [] if thread["in_thread"] else gaps(record, certs, market, said),
        "thread": {"in_thread": thread["in_thread"], "closing": bool(thread["closing"]),
                   "earlier": bool(earlier)},
        "category": record.get("category") or "genuine",
        "tier": record.get("tier") or "",
        "persona": _persona_type(record) or "",
        "seller": seller,
        "subject": _subject(record),
        "step": step or {},
        "notes": notes,
    }


def _with_thread_offer(said: str, thread: dict[str, Any], request: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The buyer's new words and the quoted offer they accept, read for the order lines; the place the
    offer named when the reply names none ("CIF Mombasa" in the quoted offer)."""
    from triage.terms import destination

    quoted = re.sub(r"(?m)^[ \t]*>+[ \t]?", "", thread["quoted"] or "")
    if not request.get("destination"):
        request = {**request, "destination": destination(quoted)}
    return f"{said}\n{quoted}", request


def _goods_date(record: dict[str, Any], said: str, stated: Any) -> str | None:
    """The date the goods are wanted, for the draft to meet: the extracted deadline read again without
    the dates for samples, the offer, a reply or the deposit ("samples by 18 Dec ... on site by 26 Feb")."""
    from triage.dates import deadline

    if not stated:
        return None
    sent = _date((record.get("source") or {}).get("date")) or date.today()
    if deadline(said, sent) is None:
        return str(stated)  # the text does not hold the date (a form's field, a stored record): it stands
    found = deadline(said, sent, goods_only=True)
    return found.isoformat() if found else None


def _mark_names() -> list[str]:
    from triage.answers import data

    marks = data("certificates.toml").get("marks", {})
    return sorted({s for m in marks.values() for s in m.get("satisfies", [])} | set(marks))


def _notes(record: dict[str, Any], quote: dict[str, Any], certs: list[dict[str, Any]], thread: dict[str, Any],
           profile: Any) -> list[str]:
    notes = []
    if quote["lines"]:
        notes.append("prices are the profile's breaks at the buyer's quantity (never the floor); check before sending")
    platform = (record.get("source") or {}).get("platform")
    if platform and platform not in CHAT_PLATFORMS and platform not in ("website-form", "platform"):
        notes.append(f"a {platform} lead: answer on {platform} (its message centre), not to the relay address")
    if _chat(record):
        notes.append(f"a {platform or 'chat'} conversation: send this in the chat, not by e-mail")
    elif not reply_address(record):
        notes.append("no address reaches the buyer (no-reply or platform relay): answer on the platform")
    for line in quote["lines"]:
        if line["changed_from"] is not None and line["price"] is not None:
            notes.append(f"{line['sku']}: kept the price offered in the thread (USD {line['price']:.2f}) instead of "
                         f"USD {line['changed_from']:.2f}; explain any change to the buyer")
    notes += [f"{c['asked']}: {c['note']}" for c in certs
              if c["note"] and (c["missing"] or c["report"] or any(not ok["same"] for ok in c["ok"]))]
    if thread["closing"]:
        notes.append(f"the buyer is closing (\"{thread['closing']}\"): attach the proforma invoice")
    return notes


def _buyer(record: dict[str, Any], text: str = "", reply_lang: str | None = None) -> dict[str, Any]:
    """The buyer as the draft addresses them. A name the mail opens by greeting ("陈经理，您好") is the
    reader's, our salesperson's, not the buyer's: the sender's name then, if it is another."""
    from triage.names import greets_reader, person, returned_greeting, signed_name

    contact, sender, company = (record.get(k) or {} for k in ("contact", "sender", "company"))
    names = [n for n in (contact.get("name"), sender.get("name"), signed_name(text)) if n and not greets_reader(n, text)]
    name = person(names[0] if names else "", contact.get("title") or "", record.get("language"),
                  company.get("country"), text=text, reply_lang=reply_lang)
    return {
        **name,
        "title": contact.get("title") or "",
        "company": company_name(company.get("name"), contact.get("title")),
        "country": (company.get("country") or "").upper(),
        "website": company.get("website") or contact.get("website") or "",
        "email": sender.get("email") or "",
        "returned": returned_greeting(text, reply_lang),  # "وعليكم السلام" to a buyer who opened with "السلام عليكم"
    }


def company_name(value: Any, title: Any = None) -> str:
    """The company's name if it passes as one: not a job title, a page label or a sentence."""
    from triage.names import looks_like_company

    text = str(value or "").strip()
    return text if text and text != (title or "") and looks_like_company(text) else ""


def _product_view(match: dict[str, Any], profile: Any) -> dict[str, Any] | None:
    from triage.quote import price_breaks

    product = profile.product(match["sku"])
    if product is None:
        return None
    return {
        "sku": product.sku,
        "name": product.name,
        "asked": (match.get("text") or "").strip(),
        "moq": product.moq,
        "unit": product.unit,
        "certifications": list(product.certifications),
        "breaks": price_breaks(product),
        "aliases": list(product.aliases),
        "pcs_per_40hq": product.pcs_per_40hq,
    }


def _quantity(raw: Any) -> dict[str, Any] | None:
    if not raw or not raw.get("value"):
        return None
    value = raw["value"]
    return {"value": int(value) if float(value).is_integer() else value, "unit": raw.get("unit") or "pcs"}


def gaps(record: dict[str, Any], certs: list[dict[str, Any]], market: str | None, text: str = "") -> list[str]:
    """What the reply should ask, from the MAN gaps: at most three, most important first. Who decides is
    not asked of a buyer who said it (``_authority_stated``)."""
    request, scores = record.get("request") or {}, record.get("scores") or {}
    found = set()
    if not _quantity(request.get("quantity")):
        found.add("quantity")
    if _weak(scores, "authority") and not _authority_stated(record, text):
        found.add("authority")
    if not (request.get("destination") or request.get("incoterm")):
        found.add("destination")
    if not request.get("deadline") and (_weak(scores, "need") or "destination" not in found):
        found.add("timeline")
    if not certs and not market:
        found.add("certification")
    if _weak(scores, "money", 40) and not request.get("volume"):
        found.add("volume")  # not asked of a buyer who stated it ("about 3,000 pcs a month")
    return [g for g in GAP_ORDER if g in found][:3]


def _authority_stated(record: dict[str, Any], text: str) -> bool:
    """The buyer said who decides ("I decide", "our MD will sign off": thread.toml [authority_stated]), or
    signs as the one who does (an owner's or general manager's title, [authority_titles], in the contact's
    title or the closing lines of the mail)."""
    from triage.answers import said

    closing = "\n".join([ln for ln in (text or "").splitlines() if ln.strip()][-8:])
    title = str((record.get("contact") or {}).get("title") or "")
    return bool(said(text, "authority_stated") or said(f"{title}\n{closing}", "authority_titles"))


def _weak(scores: dict[str, Any], key: str, threshold: int = WEAK) -> bool:
    value = scores.get(key)
    return value is not None and float(value) < threshold


_STATED = re.compile(r"^\d[\d,.]*\+?\s+[^\W\d]+(?:\s+[^\W\d]+){0,3}$")


def hook(record: dict[str, Any], text: str = "") -> dict[str, Any] | None:
    """One fact learned about the buyer: from enrichment first, else a stated count from their message
    ("14 branches"): a number right before the words, nothing else, and no need over a period ("800 USB
    outlets a month" is what they use, not what they are)."""
    from triage.request import said_per_period

    enrichment = record.get("enrichment") or {}
    site = enrichment.get("site")
    if isinstance(site, dict) and not site.get("parked") and not site.get("placeholder"):
        fact = {k: site.get(k) for k in ("business_type", "city", "branches", "staff", "founded")}
        fact["branches"] = _count(fact["branches"])
        fact["staff"] = _count(fact["staff"])
        if any(fact.values()):
            return {"source": "site", **fact}
    for hit in record.get("signals") or []:
        if not _is_hook(hit):
            continue
        evidence = str(hit.get("evidence") or "").strip().strip('"')
        if _STATED.match(evidence) and not said_per_period(text, evidence):
            return {"source": "message", "text": evidence}
    return None


def _is_hook(hit: dict[str, Any]) -> bool:
    """A hit whose signal declares ``hook = true`` (its evidence tells the buyer's size) and that counted for them."""
    return _declares(hit, "hook") and float(hit.get("weight") or 0) > 0


def _declares(hit: dict[str, Any], key: str) -> bool:
    """Whether the signal of a stored hit declares ``key`` (see playbooks/signals/README.md)."""
    from triage.judge.signals import current_signals

    signal = current_signals().indexed(str(hit.get("name") or ""))
    return bool(signal is not None and getattr(signal, key))


def _count(value: Any) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _seller(profile: Any, salesperson: str | None = None) -> dict[str, Any]:
    from triage.profile import salesperson as pick

    company = dict(profile.company)
    person = pick(profile, salesperson)
    return {
        **company,
        "name": company.get("name", ""),
        "short_name": profile.name,
        "salesperson": person.get("name", ""),
        "signature": person.get("signature", ""),
        "title": person.get("title", ""),
        "email": person.get("email") or company.get("email") or "",
        "website": company.get("website") or "",
        "markets": [str(m) for m in company.get("markets") or []],
        "references": [str(r) for r in company.get("references") or []],
        "terms": dict(profile.terms),
        "held": list(profile.certifications),
    }


def _subject(record: dict[str, Any]) -> str:
    return (record.get("subject") or (record.get("source") or {}).get("subject") or "").strip()


def reply_subject(record: dict[str, Any], profile: Any) -> str:
    subject = _subject(record)
    if not subject:
        names = [p.get("name") or p.get("sku") for p in (record.get("request") or {}).get("products") or []]
        return f"{profile.name}: " + (", ".join(n for n in names if n) or "your inquiry")
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


_REPLY_PREFIX = re.compile(r"(?i)^(re|aw|sv|rv|res|回复|答复)\s*[:：]")


# -- the reply as a mail message ---------------------------------------------------------


def reply_message(record: dict[str, Any], draft: Draft, profile: Any, *, headers: Any = None,
                  who: str | None = None) -> Any:
    """An EmailMessage that threads under the buyer's message (In-Reply-To, References).

    ``headers`` are the original message's headers (an email.message.Message) when
    the source file is at hand; otherwise the record's addresses and Message-ID.
    """
    import email.errors
    from email.message import EmailMessage
    from email.utils import formataddr, formatdate, make_msgid

    from email.policy import SMTP

    original = _original_ids(record, headers)
    msg = EmailMessage(policy=SMTP.clone(max_line_length=998))
    sender = profile.company.get("email") or ""
    person = salesperson_of(profile, who)
    sender = person.get("email") or sender
    msg["From"] = formataddr((person.get("name") or profile.name, sender)) if sender else profile.name
    try:  # a damaged stored header or address: the record's own sender, else a clear error
        msg["To"] = reply_address(record, headers) or ""
    except (ValueError, TypeError, IndexError, email.errors.HeaderParseError):
        fallback = (record.get("sender") or {}).get("email") or ""
        if "@" not in fallback or any(c.isspace() or ord(c) < 32 for c in fallback):
            raise TemplateError(f"no usable address to reply to ({fallback[:80]!r})") from None
        msg["To"] = fallback
    msg["X-Unsent"] = "1"  # Outlook and Thunderbird open the file as a draft to edit and send
    msg["Subject"] = draft.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(sender.split("@")[-1] or None) if sender else None)
    if original["message_id"]:
        msg["In-Reply-To"] = original["message_id"]
        msg["References"] = " ".join([*original["references"], original["message_id"]])
    msg.set_content(draft.body)
    return msg


def reply_address(record: dict[str, Any], headers: Any = None) -> str:
    """The buyer's address: Reply-To when it is the buyer's (same domain as From, or a genuine mail with
    no reply-to signal against it), else From; never a no-reply or platform relay address ("" then:
    answer on the platform)."""
    from email.utils import getaddresses

    sender = (record.get("sender") or {}).get("email") or ""
    if headers is not None and headers.get("From"):
        sender = next((a for _, a in getaddresses([str(headers["From"])]) if a), sender)
    reply_to = list((record.get("thread") or record.get("message") or {}).get("reply_to") or [])
    if headers is not None and headers.get("Reply-To"):
        reply_to = [a for _, a in getaddresses([str(headers["Reply-To"])]) if a]
    candidates = ([reply_to[0]] if reply_to and _trust_reply_to(record, sender, reply_to[0]) else []) + [sender]
    return next((a for a in candidates if a and not relay_address(a)), "")


def relay_address(address: str) -> bool:
    """A no-reply mailbox or a platform's relay: a reply there never reaches the buyer."""
    from triage.answers import data

    table = data("thread.toml").get("addresses", {})
    local, _, domain = address.lower().rpartition("@")
    if any(word in local for word in table.get("no_reply", [])):
        return True
    return any(domain == d or domain.endswith("." + d) for d in table.get("platform_domains", []))


def _trust_reply_to(record: dict[str, Any], sender: str, reply_to: str) -> bool:
    if sender and reply_to.split("@")[-1].lower() == sender.split("@")[-1].lower():
        return True
    flagged = any(_declares(h, "distrust_reply_to") for h in record.get("signals") or [])
    return record.get("category") == "genuine" and not flagged


def _original_ids(record: dict[str, Any], headers: Any) -> dict[str, Any]:
    message_id = (record.get("source") or {}).get("message_id")
    references = list((record.get("message") or {}).get("references") or [])
    if headers is not None:
        message_id = str(headers.get("Message-ID") or message_id or "").strip() or None
        references = str(headers.get("References") or "").split() or references
    return {"message_id": message_id, "references": [r for r in references if r != message_id]}


def original_headers(record: dict[str, Any]) -> Any:
    """The original .eml's headers, if its file is still there (else None)."""
    from email.parser import BytesHeaderParser
    from email.policy import compat32

    source = record.get("source") or {}
    path = Path(source["path"]) if source.get("kind") == "eml" and source.get("path") else None
    if path is None or not path.is_file():
        return None
    with path.open("rb") as fh:
        return BytesHeaderParser(policy=compat32).parse(fh)  # compat32: a damaged header stays text
