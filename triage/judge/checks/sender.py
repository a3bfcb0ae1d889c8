"""Checks on the sender: mail domain, free mail, look-alike domains, display names, authentication, links."""

from __future__ import annotations

import re
from functools import lru_cache
import os
from typing import Any

from triage.judge.checks import check
from triage.judge.evidence import truncate
from triage.judge.facts import Facts, is_free_mail, own_domains, own_tuple, protected_set, registrable, url_host


@check("mail_domain_missing")
def _check_mail_domain(f: Facts, nonexistent: bool = False) -> str | None:
    """The sender's (non-free) domain has no MX records, or does not exist at all (a DNS fact from enrich)."""
    mx = f.enrichment.get("mx")
    domain = f.field("sender_domain")
    if not mx or mx.get("has_mx") or not domain or is_free_mail(f, domain):
        return None
    missing = any("does not exist" in e for e in f.enrichment.get("errors") or [])
    if nonexistent != missing:
        return None
    return f"{domain} does not exist in DNS" if missing else f"{domain} has no MX records: it receives no mail"



@check("domain_fact")
def _check_domain_fact(f: Facts, key: str = "", equals: Any = True) -> str | None:
    value = f.domain_info.get(key)
    if value is None or value != equals:
        return None
    return f"{f.field('sender_domain')}: {key}"



@check("free_mail")
def _check_free_mail(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    return f"{domain} is free mail" if domain and is_free_mail(f, domain) else None



@check("business_domain")
def _check_business_domain(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    if not domain or is_free_mail(f, domain) or f.domain_info.get("disposable"):
        return None
    if f.domain_info.get("lookalike"):
        return None
    return f"writes from {domain}"



@check("internal_sender")
def check_internal(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    return f"{domain} is our own domain" if domain and registrable(domain) in own_domains(f) else None



_ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


@check("forwards_outside_mail")
def _check_forwards_outside(f: Facts) -> str | None:
    """Mail from our own domain whose quoted or forwarded part holds a writer from outside: a colleague
    passing on someone's mail (a buyer's inquiry from a fair), which is judged by what it passes on."""
    own = own_domains(f)
    if registrable(f.field("sender_domain") or "") not in own:
        return None
    for m in _ADDRESS.finditer(f.field("quoted") or ""):
        if registrable(m.group(1).lower()) not in own:
            return f"passes on mail from {m.group(0)}"
    return None



@check("reply_to_differs")
def _check_reply_to(f: Facts) -> str | None:
    sender = registrable(f.field("sender_domain") or "")
    for dom in f.field("reply_to_domains") or [f.domain_info.get("reply_to_domain") or ""]:
        if dom and sender and registrable(dom) != sender:
            return f"Reply-To {dom}, From {sender}"
    return None



_DOMAIN_IN_TEXT = re.compile(r"(?:@|www\.|https?://)([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)



@check("signature_domain_differs")
def _check_signature_domain(f: Facts) -> str | None:
    sender = registrable(f.field("sender_domain") or "")
    if not sender or is_free_mail(f, sender):
        return None
    own = own_domains(f)
    for m in _DOMAIN_IN_TEXT.finditer(f.field("signature")):
        dom = registrable(m.group(1).rstrip("."))
        if dom != sender and dom not in own and not is_free_mail(f, dom) and "." in dom:
            return f"signature shows {dom}, From is {sender}"
    return None



_NOT_ALNUM = re.compile(r"[^a-z0-9]")



@check("signature_matches_domain")
def _check_signature_matches(f: Facts) -> str | None:
    if f.site.get("name_matches_signature"):
        return "website company name matches the signature"
    sender = registrable(f.field("sender_domain") or "")
    if not sender or is_free_mail(f, sender):
        return None
    sig = f.field("signature").lower()
    if sender in sig:
        return f"signature shows {sender}"
    label = sender.split(".")[0].replace("-", "")
    company = _NOT_ALNUM.sub("", (f.inquiry.company_name or "").lower())
    if len(label) >= 4 and company and (label in company or company[:6] in label):
        return f"company {f.inquiry.company_name} matches {sender}"
    return None



@lru_cache(maxsize=16)
def _frozen(own: tuple[str, ...]) -> frozenset[str]:
    """frozenset(own), once per profile (its hash is then computed once, not per message)."""
    return frozenset(own)



@lru_cache(maxsize=8)
def _phishing_affixes(home: str | None) -> frozenset[str]:
    """enrich.domains.phishing_affixes() per $TRIAGE_HOME (its only input: the data file is
    read once per home), without building the data file's path on every message."""
    from triage.enrich.domains import phishing_affixes

    return phishing_affixes()



@lru_cache(maxsize=4096)
def _skeleton(domain: str) -> str:
    d = domain.lower()
    for a, b in (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("-", "")):
        d = d.replace(a, b)
    return d



@lru_cache(maxsize=8192)
def near(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    la, lb = a.split(".")[0], b.split(".")[0]
    if a == b or la == lb:
        return False
    if _skeleton(la) == _skeleton(lb):
        return True
    return len(lb) >= 5 and Levenshtein.distance(la, lb) <= (1 if len(lb) < 8 else 2)



@lru_cache(maxsize=8192)
def _embeds(a: str, brand: str, affixes: frozenset[str] = frozenset()) -> bool:
    """``a`` is the brand's name plus a phishing word (rnaersk-line.com, made-in-china-member.com,
    docusign-notify.net); 'swiftelec.co.uk' or 'target-lighting.com' are companies of their own."""
    la, lb = _skeleton(a.split(".")[0]), _skeleton(brand.split(".")[0])
    if a == brand or len(lb) < 5 or lb not in la or la == lb:
        return False
    rest = la.replace(lb, " ").split()
    return bool(rest) and all(part in affixes for part in rest)



@lru_cache(maxsize=4096)
def _posed_targets(reg: str, listed: frozenset[str], own: frozenset[str], affixes: frozenset[str]) -> frozenset[str]:
    """The protected domains (listed or our own) that reg looks like, memoised per sender domain."""
    return frozenset(t for t in listed | own if t != reg and (near(reg, t) or _embeds(reg, t, affixes)))



@check("lookalike_domain")
def _check_lookalike(f: Facts) -> str | None:
    info = f.domain_info.get("lookalike")
    if info:
        return f"{f.field('sender_domain')} looks like {info.get('of')} ({info.get('how', '')})"
    listed, own = f.lists.get("protected_domains", frozenset()), own_tuple(f)
    protected = protected_set(listed, own)
    # domains of the conversation we had (quoted thread), not the sender's own signature
    targets = protected | {registrable(m.group(1)) for m in _DOMAIN_IN_TEXT.finditer(f.message.quoted)}
    affixes = _phishing_affixes(os.environ.get("TRIAGE_HOME"))
    thread_only = bool(targets - protected)
    candidates = {f.field("sender_domain"), *f.field("reply_to_domains")}
    for cand in filter(None, candidates):
        reg = registrable(cand)
        if reg in f.lists.get("freemail", ()):
            continue
        posed = _posed_targets(reg, listed, _frozen(own), affixes)
        if not posed and not thread_only:
            continue
        for target in targets - {reg}:  # in this order, as ever: the first target found is named
            if target in posed or (target not in protected and near(reg, target)):
                return f"{reg} looks like {target}"
    return None



@check("brand_in_display_name")
def _check_brand_name(f: Facts) -> str | None:
    brand = f.domain_info.get("brand_in_display_name")
    if brand:
        return f"display name claims {brand}"
    name = f.field("from_name").lower()
    domain = registrable(f.field("sender_domain") or "")
    if not name or not domain:
        return None
    rx, real = _brand_regex(f.lists.get("brands", frozenset()))
    m = rx.search(name) if rx else None
    if m and domain != real[m.group(0)]:
        return f"display name '{f.field('from_name')}' from {domain}"
    return None



@lru_cache(maxsize=8)
def _brand_regex(entries: frozenset[str]) -> tuple[re.Pattern | None, dict[str, str]]:
    real = {w: d for w, _, d in (e.partition("=") for e in entries) if w}
    if not real:
        return None, real
    words = sorted(real, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b"), real



_AUTH_RE = re.compile(r"\b(spf|dkim|dmarc)=(\w+)", re.I)



@check("auth_failure")
def _check_auth(f: Facts, results: list[str] | None = None) -> str | None:
    bad = set(results or ["fail", "softfail"])
    header = f.field("auth_results")
    low = header.lower()
    if not any(word in low for word in bad):
        return None  # a result that counts is written somewhere in the header, whatever its case
    found = [f"{k.lower()}={v.lower()}" for k, v in _AUTH_RE.findall(header) if v.lower() in bad]
    return ", ".join(dict.fromkeys(found)) or None



_LINK_TEXT_DOMAIN = re.compile(r"\s*([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b", re.I)



@check("link_text_mismatch")
def _check_link_text(f: Facts) -> str | None:
    for link in f.message.links:
        m = _DOMAIN_IN_TEXT.search(link.text or "") or _LINK_TEXT_DOMAIN.match(link.text or "")
        host = url_host(link.href)
        if m and host and registrable(m.group(1)) != registrable(host):
            return f"'{truncate(link.text, 30)}' goes to {host}"
    return None



@check("deceptive_link_host")
def _check_deceptive_host(f: Facts) -> str | None:
    hosts = f.field("link_hosts")
    if not hosts:
        return None
    protected = protected_set(f.lists.get("protected_domains", frozenset()), own_tuple(f))
    for host in hosts:
        reg = registrable(host)
        if reg in protected:
            continue
        for target in protected:
            if host.startswith(target + ".") or ("." + target + ".") in host or near(reg, target):
                return f"{host} poses as {target}"
    return None



_IP_HOST = re.compile(r"\d{1,3}(\.\d{1,3}){3}")



@check("bare_ip_link")
def _check_ip_link(f: Facts) -> str | None:
    for host in f.field("link_hosts"):
        if _IP_HOST.fullmatch(host):
            return f"link to {host}"
    return None

