"""What a message offers to the signals: named fields (``field = "text"`` in data), computed once
per message, and the derived facts several checks share (our products, our domains, free mail).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from itertools import compress
from typing import Any, Callable, Iterable

from triage.matching import FieldPlan, WordIndex, gate_of, gated, planned, word_index_of
from triage.model import Inquiry


TEXT = "text"



INDEXED = {TEXT}  # fields used by enough patterns to index



def domain_of(address: str | None) -> str:
    if not address or "@" not in address:
        return ""
    return address.rsplit("@", 1)[1].strip(" >").lower()



class Facts:
    """One inquiry seen through named fields, computed once and cached."""

    def __init__(self, inquiry: Inquiry, profile: Any, history: Any, today: date | None,
                 lists: dict[str, frozenset[str]], plans: dict[str, FieldPlan] | None = None,
                 learned: Any = None):
        self.inquiry = inquiry
        self.learned = learned  # the user's token model (triage.learning.TokenModel), or None
        self.message = inquiry.message
        self.profile = profile
        self.history = history
        self.today = today
        self.lists = lists
        self.enrichment = inquiry.enrichment or {}
        self.plans = plans or {}
        self._cache: dict[str, Any] = {}
        self._low: dict[str, list[str]] = {}
        self._idx: dict[str, list[WordIndex | None]] = {}
        self._scans: dict[str, list[tuple[str, int, list[list[int]]]]] = {}

    def field(self, name: str) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            found = self._cache[name] = FIELDS[name](self)
            return found

    def lowered(self, name: str) -> list[str]:
        found = self._low.get(name)
        if found is None:
            if name == "all_text" and _all_text_follows_text(self.message):
                rest = self.message.text[len(self.message.new_text):]
                found = [self.lowered(TEXT)[0] + rest.lower()]  # (see _all_text_follows_text)
            else:
                found = [v.lower() for v in values_of(self.field(name))]
            self._low[name] = found
        return found

    def scans(self, name: str, plan: FieldPlan) -> list[tuple[str, int, list[list[int]]]]:
        """Per value of an indexed field: (lowered text, gate bits, lead positions) of the plan's scan.

        Kept for the whole message, and scanned again when a check's regex got a bit after it
        (the first time it searches): every regex's bit then has its gate and lead positions."""
        found = self._scans.get(name)
        if found is None or found and len(found[0][2]) < len(plan.slots):
            found = self._scans[name] = [(text, *plan.scan(index))
                                         for text, index in zip(self.lowered(name), self.word_index(name))]
        return found

    def live(self, name: str, plan: FieldPlan) -> int:
        """Bits of the plan's regexes that may match some value of the field: the gate is open
        and, for a regex with a lead, some word starts with it."""
        bits = 0
        for _text, gates, starts in self.scans(name, plan):
            bits |= gates & (plan.unled | sum(compress(plan.bits, starts)))  # the bits of the slots with a start
        return bits

    def word_index(self, name: str) -> list[tuple]:
        """Per value of the field: see :func:`word_index_of`."""
        index = self._idx.get(name)
        if index is None:
            values = self.lowered(name)
            index = self._idx[name] = [word_index_of(v) if name in INDEXED else None for v in values]
        return index

    @property
    def domain_info(self) -> dict:
        return self.enrichment.get("domain") or {}

    @property
    def site(self) -> dict:
        return self.enrichment.get("site") or {}



def _f_body(f: Facts) -> str:
    m = f.message
    return m.body or m.new_text or m.text



def _f_text(f: Facts) -> str:
    m = f.message
    new = m.new_text or "\n".join(x for x in (m.body, m.signature) if x) or m.text
    return f"{m.subject}\n{new}"



def _all_text_follows_text(m: Any) -> bool:
    """The all_text field is the text field (subject, new text) plus the rest of the message's text
    (the quoted part), and lowering the two apart gives what lowering all of it gives: str.lower
    maps every character on its own but a capital sigma (σ or ς by its neighbours)."""
    return bool(m.text and m.new_text) and m.text.startswith(m.new_text) \
        and "\u03a3" not in m.text and "\u03a3" not in m.subject



def _f_sender_domain(f: Facts) -> str:
    return (f.inquiry.sender_domain or domain_of(f.inquiry.sender_email)
            or domain_of(f.message.from_email))



def _f_title(f: Facts) -> str:
    if f.inquiry.contact_title:
        return f.inquiry.contact_title
    return "\n".join(f.message.signature.splitlines()[:5])



_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", re.I)



def url_host(href: str) -> str:
    m = _URL_HOST.match(href.strip())
    return m.group(1).lower() if m else ""



FIELDS: dict[str, Callable[[Facts], Any]] = {
    "subject": lambda f: f.message.subject,
    "body": _f_body,
    "text": _f_text,
    "all_text": lambda f: f"{f.message.subject}\n{f.message.text or _f_text(f)}",
    "quoted": lambda f: f.message.quoted,
    "signature": lambda f: f.message.signature,
    "title": _f_title,
    "from_name": lambda f: f.message.from_name or f.inquiry.sender_name or "",
    "sender_email": lambda f: (f.inquiry.sender_email or f.message.from_email or "").lower(),
    "sender_domain": _f_sender_domain,
    "reply_to_domains": lambda f: [domain_of(a) for a in f.message.reply_to if domain_of(a)],
    "return_path_domain": lambda f: domain_of(f.message.return_path),
    "auth_results": lambda f: f.message.auth_results,
    "mailer": lambda f: f.message.mailer,
    "headers": lambda f: f.message.headers,
    "attachments": lambda f: [a.name for a in f.message.attachments],
    "link_hrefs": lambda f: [l.href for l in f.message.links],
    "link_hosts": lambda f: [h for h in (url_host(l.href) for l in f.message.links) if h],
    "link_texts": lambda f: [l.text for l in f.message.links if l.text],
    "company_name": lambda f: f.inquiry.company_name or "",
    "platform": lambda f: f.message.platform or "",
    "platform_fields": lambda f: "\n".join(f"{k}: {v}" for k, v in f.message.platform_fields.items()),
    "country": lambda f: f.inquiry.country or "",
    "website": lambda f: f.inquiry.website or "",
}



def values_of(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]



def search_field(f: Facts, fld: str, rx: re.Pattern) -> list[re.Match]:
    """Matches of a built-in regex in a lower-cased field, gated like data patterns."""
    gate, lead = gate_of(rx)
    plan = f.plans.get(fld)
    slot = plan.slot(rx, gate, lead) if plan is not None else None
    out = []
    if slot is None:
        for text, index in zip(f.lowered(fld), f.word_index(fld)):
            out.extend(gated(rx, gate, text, index, lead))
    else:  # the message's scan of the field (see Facts.scans), as _planned_runner reads it
        for text, gates, starts in f.scans(fld, plan):
            out.extend(planned(rx, slot, lead, text, (gates, starts)))
    return out



def in_range(n: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or n >= lo) and (hi is None or n < hi)



def our_products(f: Facts) -> list[Any]:
    if "_ours" not in f._cache:
        found = []
        for pm in f.inquiry.products:
            prod = _profile_product(f.profile, pm.sku) if pm.sku else None
            if prod is not None and all(p.sku != prod.sku for p in found):
                found.append(prod)
        f._cache["_ours"] = found
    return f._cache["_ours"]



def _profile_product(profile: Any, sku: str) -> Any:
    if profile is None:
        return None
    getter = getattr(profile, "product", None)
    if callable(getter):
        return getter(sku)
    return next((p for p in getattr(profile, "products", []) if p.sku == sku), None)



def order_quantity(f: Facts, container_pcs: int = 0) -> float | None:
    q = f.inquiry.quantity
    if q is None or not q.value:
        return None
    unit = (q.unit or "pcs").lower()
    if unit.startswith("container"):
        return q.value * container_pcs if container_pcs else None
    return float(q.value)



def upper_set(values: Iterable[str]) -> set[str]:
    return {v.strip().upper() for v in values if v}



@lru_cache(maxsize=4096)
def registrable(domain: str) -> str:
    """The registrable domain (public suffix list bundled with tldextract: mail.obi.de -> obi.de)."""
    from triage.extract import registrable_domain

    return registrable_domain(domain) if domain else ""



def own_domains(f: Facts) -> set[str]:
    if "_own" not in f._cache:
        f._cache["_own"] = set(own_tuple(f))  # from the tuple the message has already
    return f._cache["_own"]



def profile_domain_tuple(profile: Any) -> tuple[str, ...]:
    company = getattr(profile, "company", None) or {}
    listed = company.get("domains")
    listed = listed if isinstance(listed, str) else tuple(listed or ())
    values = (company.get(key) for key in ("website", "email", "domain"))
    return _company_domains(listed, *(v if isinstance(v, str) else None for v in values))



def own_tuple(f: Facts) -> tuple[str, ...]:
    if "_own_t" not in f._cache:
        f._cache["_own_t"] = profile_domain_tuple(f.profile)
    return f._cache["_own_t"]



@lru_cache(maxsize=16)
def protected_set(listed: frozenset[str], own: tuple[str, ...]) -> set[str]:
    """``set(listed) | set(own)``, built once per list and profile instead of per message.

    Built exactly as the checks built it per message (same members, same insertion
    order), so iterating it names the same first target. Callers must not mutate it."""
    return set(listed) | set(own)



@lru_cache(maxsize=64)
def _company_domains(listed: str | tuple[str, ...], *values: Any) -> tuple[str, ...]:
    """The company's registrable domains, in order (memoised: every message asks again)."""
    domains = [listed] if isinstance(listed, str) else list(listed)
    for value in values:
        if isinstance(value, str) and value:
            domains.append(domain_of(value) or url_host(value) or value)
    return tuple(registrable(d.lower().removeprefix("www.")) for d in domains if d)



def is_free_mail(f: Facts, domain: str) -> bool:
    if domain == f.field("sender_domain") and f.domain_info.get("free_mail") is not None:
        return bool(f.domain_info.get("free_mail"))
    return domain in f.lists.get("freemail", ()) or registrable(domain) in f.lists.get("freemail", ())



@lru_cache(maxsize=1024)
def word_regex(word: str, suffix: str) -> re.Pattern:
    """The word (plus suffix) as a whole word, compiled once (re's own cache is shared by every stage)."""
    return re.compile(rf"\b{re.escape(word)}{suffix}\b")

