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

import functools
import re
import weakref
from dataclasses import asdict, is_dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from triage.errors import TemplateError
from triage.model import Draft, Inquiry
from triage.paths import shipped, user_dir

NO_DRAFT = {"phishing", "scam", "spam", "not_inquiry"}
WEAK = 50  # a MAN score below this is a gap worth a question

# Certification a market expects, to raise it when the buyer did not name one.
MARKET_CERTS = {
    "US": "UL", "CA": "cUL", "GB": "UKCA", "AU": "SAA", "NZ": "SAA", "SA": "SASO", "IN": "BIS",
    **{c: "CE" for c in "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()},
}
# Words that show what the buyer asked about (topics the reply must answer).
TOPIC_WORDS = {
    "price": ["price", "pricing", "quote", "quotation", "cost", "precio", "cotiza", "priced"],
    "lead_time": ["lead time", "delivery", "production time", "how soon", "entrega", "plazo"],
    "payment": ["payment", "t/t", "l/c", "letter of credit", "pago", "deposit"],
    "samples": ["sample", "muestra"],
    "moq": ["moq", "minimum order", "minimum quantity", "mínimo", "minimo"],
    "catalogue": ["catalog", "catálogo", "catalogo", "brochure", "price list"],
    "oem": ["private label", "oem", "our brand", "our logo", "own brand", "marca propia", "nuestra marca", "empaque"],
    "company": ["your company", "your factory", "since when", "about you", "su empresa", "fábrica", "fabrica"],
    "references": ["customers in", "references", "other customers", "clientes en", "referencias"],
    "call": ["call", "video", "meeting", "llamada", "videollamada", "zoom", "teams"],
}
# Signals whose evidence says something about the buyer's size, usable as the hook.
HOOK_SIGNALS = ("branches", "staff", "employees", "offices", "stores", "founded", "years")
GAP_ORDER = ("quantity", "authority", "destination", "timeline", "certification", "volume")


# -- the template environment -------------------------------------------------------


def environment(user: Path | None = None, shipped_dir: Path | None = None) -> Any:
    """A Jinja environment: the user's templates, then the shipped ones, ``default:`` = shipped."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined

    shipped_dir = shipped_dir or shipped("templates")
    user = user if user is not None else user_dir() / "templates"
    loaders: list[Any] = [PrefixLoader({"default": FileSystemLoader(str(shipped_dir))}, delimiter=":")]
    if user.is_dir():
        loaders.append(FileSystemLoader(str(user)))
    loaders.append(FileSystemLoader(str(shipped_dir)))
    env = _environment_class()(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=fmt_num, usd=fmt_usd, day=fmt_day, and_list=and_list, days=fmt_days)
    return env


@functools.cache
def _environment_class() -> type:
    """jinja2's Environment, with ``a.b`` on a plain dict (every value of the draft context) looked up
    as the key directly, and each template's globals in a plain dict.

    Environment.getattr tries ``getattr(obj, "b")`` first and ``obj["b"]`` when that raises; for an
    object of type exactly dict, the attribute exists only if ``b`` is in dir(dict) (a dict has no
    instance attributes), so any other name goes straight to the key: the same value or the same
    Undefined, without raising and catching an AttributeError (~60 lookups a draft).
    """
    from jinja2 import Environment

    dict_attributes = frozenset(dir(dict))

    class DraftEnvironment(Environment):
        def getattr(self, obj: Any, attribute: str) -> Any:
            if type(obj) is dict and attribute not in dict_attributes:
                try:
                    return obj[attribute]
                except (TypeError, LookupError, AttributeError):
                    return self.undefined(obj=obj, name=attribute)
            return super().getattr(obj, attribute)

        def make_globals(self, d: Any) -> dict[str, Any]:
            """A template's globals over the environment's as one dict, not Jinja's ChainMap of the
            two, which each render reads key by key in Python (the new context copies it, the import
            of the macros compares its keys with the context's): ~9 us a draft. The same names and
            values, since the environment's globals are never changed once it is made."""
            return {**self.globals, **(d or {})}

    return DraftEnvironment


def default_environment() -> Any:
    """The environment for the current user directory (cached; templates reload when changed)."""
    return _cached_environment(user_dir())


@functools.lru_cache(maxsize=8)
def _cached_environment(home: Path) -> Any:
    """One environment per user directory (looked up by the directory itself, without building the
    templates path on every draft)."""
    return environment(home / "templates")


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


def select(env: Any, names: list[str], lang: str | None) -> tuple[Any, str, list[str]]:
    """(template, language used, notes): the buyer's language if it has one, else English.

    Which name wins is looked up once per environment (a miss costs a file lookup in every template
    directory); the template itself is still reloaded when its file changes.
    """
    wanted = (lang or "en").lower()
    chosen = _CHOSEN.setdefault(env, {})
    key = (tuple(names), wanted)
    if key not in chosen:
        chosen[key] = _choose(env, names, wanted)
    name, code = chosen[key]
    notes = [] if code == wanted else [f"no {wanted!r} template for this reply: drafted in English"]
    return env.get_template(name), code, notes


_CHOSEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # environment -> {(names, lang): (name, lang)}


def _choose(env: Any, names: list[str], wanted: str) -> tuple[str, str]:
    from jinja2 import TemplatesNotFound

    for code in dict.fromkeys([wanted, "en"]):
        try:
            return env.select_template([f"{code}/{n}.j2" for n in names]).name, code
        except TemplatesNotFound:
            continue
    raise TemplateError(f"no template found among: {', '.join(n + '.j2' for n in names)}")


def render(template: Any, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError as JinjaError

    try:
        text = template.render(**context)
    except JinjaError as exc:
        raise TemplateError(f"template {template.name}: {exc}") from None
    return tidy(text)


_BULLET = re.compile(r"[ \t]*- ")
_GAP_BEFORE_BULLET = re.compile(r"\n\n+(?=[ \t]*- )")  # a line's end, blank lines, a bullet line
_DOUBLE_STOP = re.compile(r"(?<![.])\.\.(?![.])")
_BLANK_LINES = re.compile(r"\n\n\n+")  # \n{3,}, written so that re looks for "\n\n" first


def tidy(text: str) -> str:
    """Trailing spaces off, no blank line inside a list, at most one blank line, no doubled full stop."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = _GAP_BEFORE_BULLET.sub(functools.partial(_list_gap, text), text)
    if ".." in text:  # what every match holds (the pattern is tried at every position)
        text = _DOUBLE_STOP.sub(".", text)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


def _list_gap(text: str, gap: re.Match) -> str:
    r"""The blank lines between two bullet lines go, others stay: the same as
    ``(?m)^([ \t]*- .*)\n\n+(?=[ \t]*- )`` -> ``\1\n`` (tried at every line start), with the gap
    found first (re skips ahead to its newlines) and then the line before it checked."""
    line_start = text.rfind("\n", 0, gap.start()) + 1
    return "\n" if _BULLET.match(text, line_start) else gap.group()


# -- the stage -----------------------------------------------------------------------


def draft_reply(inquiry: Inquiry | dict[str, Any], profile: Any, *, lang: str | None = None,
                env: Any = None, today: date | None = None) -> Draft | None:
    """The reply draft, or None for phishing, scam, spam and not_inquiry."""
    if isinstance(inquiry, Inquiry) and inquiry.judgment and inquiry.judgment.category in NO_DRAFT:
        return None  # before building the record: most mail that gets no draft is spam
    record = as_record(inquiry)
    if record.get("category") in NO_DRAFT:
        return None
    env = env or default_environment()
    names = reply_names(record.get("category"), record.get("tier"), _persona_type(record))
    return _draft(env, names, record, profile, lang, today)


def draft_followup(record_or_inquiry: Inquiry | dict[str, Any], step: int, profile: Any, *,
                   lang: str | None = None, env: Any = None, today: date | None = None) -> Draft:
    """The text of follow-up step ``step`` (step 0 is the reply itself)."""
    record = as_record(record_or_inquiry)
    if record.get("category") in NO_DRAFT:
        raise TemplateError(f"a {record.get('category')} message gets no follow-up")
    if step == 0:
        return draft_reply(record, profile, lang=lang, env=env, today=today)  # type: ignore[return-value]
    planned = _planned_step(record, step)
    env = env or default_environment()
    names = followup_names(planned["purpose"], _persona_type(record))
    return _draft(env, names, record, profile, lang, today, step=planned)


def _draft(env: Any, names: list[str], record: dict[str, Any], profile: Any, lang: str | None,
           today: date | None, step: dict[str, Any] | None = None) -> Draft:
    template, used, notes = select(env, names, lang or record.get("language"))
    context = build_context(record, profile, lang=used, today=today, step=step)
    body = render(template, context)
    notes += context["notes"]
    if "[" in body:
        notes.append("fill in the [bracketed] parts before sending")
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
    record = as_record(inquiry)
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


def as_record(obj: Inquiry | dict[str, Any]) -> dict[str, Any]:
    """The JSON-contract view of an Inquiry (a stored record passes through)."""
    if isinstance(obj, dict):
        return obj
    m = obj.message
    judgment, persona = obj.judgment, obj.persona
    return {
        "id": obj.id,
        "body": m.body or m.new_text or m.text,
        "source": {"kind": m.kind, "path": m.path, "message_id": m.message_id,
                   "date": m.date.isoformat() if m.date else None, "subject": m.subject or None},
        "message": {"from_email": m.from_email, "reply_to": list(m.reply_to), "references": list(m.references)},
        "sender": {"name": obj.sender_name or m.from_name, "email": obj.sender_email or m.from_email,
                   "domain": obj.sender_domain},
        "contact": {"name": obj.contact_name, "title": obj.contact_title, "phones": obj.phones,
                    "website": obj.website},
        "company": {"name": obj.company_name, "country": obj.country, "website": obj.website},
        "request": _request(obj),
        "language": obj.language,
        "attachments": [{"name": a.name, "type": a.type, "size": a.size} for a in m.attachments],
        "enrichment": obj.enrichment or {},
        "scores": dict(judgment.scores) if judgment else {},
        "category": judgment.category if judgment else None,
        "tier": judgment.tier if judgment else None,
        "signals": [{"name": h.name, "group": h.group, "weight": h.weight, "description": h.description,
                     "evidence": h.evidence} for h in judgment.signals] if judgment else [],
        "persona": {"type": persona.type, "confidence": persona.confidence, "evidence": persona.evidence}
        if persona else None,
        "followups": [{"step": f.step, "due": f.due.isoformat(), "purpose": f.purpose} for f in obj.followups],
    }


def _request(obj: Inquiry) -> dict[str, Any]:
    return {
        "products": [{"sku": p.sku, "name": p.name, "score": p.score, "text": p.text} for p in obj.products],
        "quantity": asdict(obj.quantity) if is_dataclass(obj.quantity) else None,
        "deadline": obj.deadline.isoformat() if obj.deadline else None,
        "incoterm": obj.incoterm,
        "destination": obj.destination,
        "certifications": list(obj.certifications),
        "sample_requested": obj.sample_requested,
        "payment_terms": obj.payment_terms,
        "questions": list(obj.questions),
    }


def _persona_type(record: dict[str, Any]) -> str | None:
    persona = record.get("persona")
    return persona.get("type") if isinstance(persona, dict) else persona


def build_context(record: dict[str, Any], profile: Any, *, lang: str = "en", today: date | None = None,
                  step: dict[str, Any] | None = None) -> dict[str, Any]:
    """The plain values every template receives (see templates/README.md)."""
    request = record.get("request") or {}
    buyer = _buyer(record)
    products = [_product_view(p, profile, request) for p in request.get("products") or [] if p.get("sku")]
    products = [p for p in products if p]
    notes: list[str] = []
    if products:
        notes.append("prices are indicative breaks from the profile (never the floor price); check before sending")
    certs = _certs(request, products, profile, buyer["country"])
    topics = _topics(record)
    today = today or date.today()
    return {
        "lang": lang,
        "today": today,
        "valid_until": today + timedelta(days=14),
        "buyer": buyer,
        "products": products,
        "other_products": [p.get("name") or p.get("text") for p in request.get("products") or [] if not p.get("sku")],
        "quantity": _quantity(request.get("quantity")),
        "deadline": _date(request.get("deadline")),
        "incoterm": request.get("incoterm"),
        "destination": request.get("destination"),
        "payment_terms": request.get("payment_terms"),
        "sample_requested": bool(request.get("sample_requested")),
        "questions": [str(q) for q in request.get("questions") or []],
        "topics": topics,
        "certs": certs,
        "hook": hook(record, lang),
        "gaps": gaps(record, certs),
        "category": record.get("category") or "genuine",
        "tier": record.get("tier") or "",
        "persona": _persona_type(record) or "",
        "seller": _seller(profile),
        "subject": _subject(record),
        "step": step or {},
        "order_by": _order_by(request, profile),
        "notes": notes,
    }


def _buyer(record: dict[str, Any]) -> dict[str, Any]:
    contact, sender, company = (record.get(k) or {} for k in ("contact", "sender", "company"))
    name = (contact.get("name") or sender.get("name") or "").strip()
    parts = name.split()
    return {
        "name": name,
        "first_name": parts[0] if parts else "",
        "last_name": parts[-1] if len(parts) > 1 else "",
        "title": contact.get("title") or "",
        "company": company.get("name") or "",
        "country": (company.get("country") or "").upper(),
        "website": company.get("website") or contact.get("website") or "",
        "email": sender.get("email") or "",
    }


def _product_view(match: dict[str, Any], profile: Any, request: dict[str, Any]) -> dict[str, Any] | None:
    product = profile.product(match["sku"])
    if product is None:
        return None
    breaks = price_breaks(product)
    quantity = _quantity(request.get("quantity"))
    single = len([p for p in request.get("products") or [] if p.get("sku")]) == 1
    quote = _quote_at(breaks, quantity["value"]) if quantity and single else None
    return {
        "sku": product.sku,
        "name": product.name,
        "asked": (match.get("text") or "").strip(),
        "moq": product.moq,
        "unit": product.unit,
        "certifications": list(product.certifications),
        "breaks": breaks,
        "quote": quote,
    }


def price_breaks(product: Any) -> list[dict[str, Any]]:
    """Prices at MOQ, 3x and 10x MOQ: the top of the range down to a quarter above the floor."""
    if product.price_min is None or not product.moq:
        return []
    low, high = product.price_min, product.price_max or product.price_min
    span = high - low
    steps = ((1, high), (3, low + span * 0.55), (10, low + span * 0.25))
    return [{"qty": product.moq * k, "price": round(price, 2)} for k, price in steps]


def _quote_at(breaks: list[dict[str, Any]], quantity: float) -> dict[str, Any] | None:
    eligible = [b for b in breaks if b["qty"] <= quantity]
    return {"qty": quantity, "price": eligible[-1]["price"]} if eligible else None


def _quantity(raw: Any) -> dict[str, Any] | None:
    if not raw or not raw.get("value"):
        return None
    value = raw["value"]
    return {"value": int(value) if float(value).is_integer() else value, "unit": raw.get("unit") or "pcs"}


def _certs(request: dict[str, Any], products: list[dict[str, Any]], profile: Any, country: str) -> dict[str, Any]:
    """Certifications asked (or the market's), split into held on the product and not held."""
    asked = [str(c) for c in request.get("certifications") or []]
    market = MARKET_CERTS.get(country) if not asked else None
    ok, missing = [], []
    for cert in asked or ([market] if market else []):
        skus = [p["sku"] for p in products if _has(p["certifications"], cert)]
        if skus and len(skus) == len(products):
            ok.append({"cert": cert, "skus": skus})
        else:
            lacking = [p for p in products if p["sku"] not in skus]
            carried = list(dict.fromkeys(c for p in lacking for c in p["certifications"]))
            missing.append({"cert": cert, "skus": [p["sku"] for p in lacking], "carried": carried,
                            "company_holds": _has(profile.certifications, cert)})
    return {"asked": asked, "market": market, "ok": ok, "missing": missing}


def _has(held: list[str], cert: str) -> bool:
    return cert.lower() in {h.lower() for h in held}


def _topics(record: dict[str, Any]) -> list[str]:
    request = record.get("request") or {}
    text = " ".join([*(request.get("questions") or []), record.get("body") or ""]).lower()
    found = [t for t, words in TOPIC_WORDS.items() if any(w in text for w in words)]
    if request.get("sample_requested") and "samples" not in found:
        found.append("samples")
    if request.get("payment_terms") and "payment" not in found:
        found.append("payment")
    return found


def gaps(record: dict[str, Any], certs: dict[str, Any]) -> list[str]:
    """What the reply should ask, from the MAN gaps: at most three, most important first."""
    request, scores = record.get("request") or {}, record.get("scores") or {}
    found = set()
    if not _quantity(request.get("quantity")):
        found.add("quantity")
    if _weak(scores, "authority"):
        found.add("authority")
    if not (request.get("destination") or request.get("incoterm")):
        found.add("destination")
    if not request.get("deadline") and (_weak(scores, "need") or "destination" not in found):
        found.add("timeline")
    if not certs["asked"] and not certs["market"]:
        found.add("certification")
    if _weak(scores, "money", 40):
        found.add("volume")
    return [g for g in GAP_ORDER if g in found][:3]


def _weak(scores: dict[str, Any], key: str, threshold: int = WEAK) -> bool:
    value = scores.get(key)
    return value is not None and float(value) < threshold


def hook(record: dict[str, Any], lang: str = "en") -> dict[str, str] | None:
    """One thing learned about the buyer: from enrichment first, else from their own message."""
    enrichment = record.get("enrichment") or {}
    text = _enrichment_fact(enrichment, lang)
    if text:
        return {"text": text, "source": "site"}
    for hit in record.get("signals") or []:
        name = str(hit.get("name") or "")
        if name.startswith(HOOK_SIGNALS) and float(hit.get("weight") or 0) > 0 and hit.get("evidence"):
            return {"text": str(hit["evidence"]).strip().strip('"'), "source": "message"}
    return None


def _enrichment_fact(enrichment: dict[str, Any], lang: str = "en") -> str | None:
    for key in ("hook", "summary_text"):
        value = enrichment.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    site = enrichment.get("site")
    if not isinstance(site, dict) or site.get("parked") or site.get("placeholder"):
        return None
    return site_fact(site, lang)


_TYPE_LABELS = {
    "en": {"same_trade_factory": "a manufacturer", "ecommerce_seller": "an online seller",
           "sourcing_agent": "a sourcing agent", "retailer": "a retail chain", "wholesaler": "a wholesaler",
           "distributor": "a distributor", "importer": "an importer", "contractor": "a contractor",
           "brand_owner": "a brand owner", None: "a company"},
    "es": {"same_trade_factory": "un fabricante", "ecommerce_seller": "una tienda en línea",
           "sourcing_agent": "un agente de compras", "retailer": "una cadena minorista", "wholesaler": "un mayorista",
           "distributor": "un distribuidor", "importer": "un importador", "contractor": "un contratista",
           "brand_owner": "una marca", None: "una empresa"},
}
_SITE_WORDS = {
    "en": {"you": "you are", "in": "in", "with": "with", "branches": "branches", "staff": "about {} staff",
           "since": "since", "selling": "selling", "and": "and"},
    "es": {"you": "son", "in": "en", "with": "con", "branches": "sucursales", "staff": "unos {} empleados",
           "since": "desde", "selling": "que vende", "and": "y"},
}


def site_fact(site: dict[str, Any], lang: str = "en") -> str | None:
    """What the buyer's website says about them: 'you are a distributor in Houston with 14 branches'."""
    words, labels = _SITE_WORDS.get(lang, _SITE_WORDS["en"]), _TYPE_LABELS.get(lang, _TYPE_LABELS["en"])
    kind = site.get("business_type")
    parts = [labels.get(kind) or str(kind).replace("_", " ")]
    if site.get("city"):
        parts.append(f"{words['in']} {site['city']}")
    extras = [f"{site['branches']} {words['branches']}" if site.get("branches") else None,
              words["staff"].format(site["staff"]) if site.get("staff") else None]
    if any(extras):
        parts.append(f"{words['with']} " + and_list([e for e in extras if e], words["and"]))
    if site.get("founded"):
        parts.append(f"{words['since']} {site['founded']}")
    if site.get("products"):
        parts.append(f"{words['selling']} {and_list(site['products'][:3], words['and'])}")
    if len(parts) == 1:
        description = site.get("description")
        return description.strip() if isinstance(description, str) and description.strip() else None
    return f"{words['you']} " + " ".join(parts)


TERM_DEFAULTS = {
    "port": "[port]", "incoterm_note": "[incoterms]", "payment": "[payment terms]", "lc": "",
    "lead_time": "[lead time]", "lead_time_days": ["[lead time]"], "samples": "[sample terms]",
    "sample_days": ["[sample days]"],
}
COMPANY_DEFAULTS = {"kind": "manufacturer", "city": "[city]", "founded": "[year]", "staff": "[staff]",
                    "factories": "[factories]", "trade": "[what you make]"}


def _seller(profile: Any) -> dict[str, Any]:
    company = {**COMPANY_DEFAULTS, **profile.company}
    terms = {**TERM_DEFAULTS, **profile.terms}
    return {
        **company,
        "name": company.get("name", ""),
        "short_name": profile.name,
        "salesperson": company.get("salesperson") or "",
        "email": company.get("email") or "",
        "website": company.get("website") or "",
        "markets": list(company.get("markets") or []),
        "products": [p.name for p in profile.products],
        "terms": terms,
        "held": list(profile.certifications),
        "not_held": list(profile.not_held),
    }


def _order_by(request: dict[str, Any], profile: Any) -> date | None:
    """The last day to pay the deposit so that goods reach the buyer by their deadline (sea freight)."""
    deadline = _date(request.get("deadline"))
    days = (profile.terms.get("lead_time_days") or [35])[-1]
    if deadline is None:
        return None
    return deadline - timedelta(days=int(days) + 30)


def _subject(record: dict[str, Any]) -> str:
    return (record.get("subject") or (record.get("source") or {}).get("subject") or "").strip()


def reply_subject(record: dict[str, Any], profile: Any) -> str:
    subject = _subject(record)
    if not subject:
        names = [p.get("name") or p.get("sku") for p in (record.get("request") or {}).get("products") or []]
        return f"{profile.name}: " + (", ".join(n for n in names if n) or "your inquiry")
    return subject if _REPLY_PREFIX.match(subject) else f"Re: {subject}"


_REPLY_PREFIX = re.compile(r"(?i)^(re|aw|sv|rv|res)\s*:")  # compiled once, not looked up in re's cache


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


# -- filters ---------------------------------------------------------------------------


def fmt_days(span: Any) -> str:
    """[25, 35] -> '25-35', [7, 7] -> '7', 30 -> '30'."""
    values = list(span) if isinstance(span, (list, tuple)) else [span]
    values = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
    return "-".join(values)

_MONTHS = {
    "en": "January February March April May June July August September October November December".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split(),
}
_DAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split(),
    "es": "lunes martes miércoles jueves viernes sábado domingo".split(),
}


def fmt_num(value: Any) -> str:
    number = float(value)
    return f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"


def fmt_usd(value: Any) -> str:
    return f"USD {float(value):.2f}"


def fmt_day(value: Any, lang: str = "en") -> str:
    day = _date(value)
    if day is None:
        return str(value)
    months, days = _MONTHS.get(lang, _MONTHS["en"]), _DAYS.get(lang, _DAYS["en"])
    if lang == "es":
        return f"{days[day.weekday()]} {day.day} de {months[day.month - 1]}"
    return f"{days[day.weekday()]} {day.day} {months[day.month - 1]}"


def and_list(items: Any, word: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


# -- the reply as a mail message ---------------------------------------------------------


def reply_message(record: dict[str, Any], draft: Draft, profile: Any, *, headers: Any = None) -> Any:
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
    msg["From"] = formataddr((profile.company.get("salesperson") or profile.name, sender)) if sender else profile.name
    try:  # a damaged stored header or address: the record's own sender, else a clear error
        msg["To"] = reply_address(record, headers)
    except (ValueError, TypeError, IndexError, email.errors.HeaderParseError):
        fallback = (record.get("sender") or {}).get("email") or ""
        if "@" not in fallback or any(c.isspace() or ord(c) < 32 for c in fallback):
            raise TemplateError(f"no usable address to reply to ({fallback[:80]!r})") from None
        msg["To"] = fallback
    msg["Subject"] = draft.subject
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=(sender.split("@")[-1] or None) if sender else None)
    if original["message_id"]:
        msg["In-Reply-To"] = original["message_id"]
        msg["References"] = " ".join([*original["references"], original["message_id"]])
    msg.set_content(draft.body)
    return msg


def reply_address(record: dict[str, Any], headers: Any = None) -> str:
    """Reply-To when it is trustworthy (same domain as From, or a genuine mail with no reply-to
    signal against it), else From."""
    from email.utils import getaddresses

    sender = (record.get("sender") or {}).get("email") or ""
    if headers is not None and headers.get("From"):
        sender = next((a for _, a in getaddresses([str(headers["From"])]) if a), sender)
    reply_to = list((record.get("message") or {}).get("reply_to") or [])
    if headers is not None and headers.get("Reply-To"):
        reply_to = [a for _, a in getaddresses([str(headers["Reply-To"])]) if a]
    if reply_to and _trust_reply_to(record, sender, reply_to[0]):
        return reply_to[0]
    return sender


def _trust_reply_to(record: dict[str, Any], sender: str, reply_to: str) -> bool:
    if sender and reply_to.split("@")[-1].lower() == sender.split("@")[-1].lower():
        return True
    flagged = any("reply" in str(h.get("name", "")).lower() for h in record.get("signals") or [])
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
