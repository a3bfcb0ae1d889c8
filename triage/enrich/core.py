"""The enrich stage: what the sender's domains, DNS and website say about the buyer.

:func:`enrich` takes one :class:`~triage.model.Inquiry` and returns the JSON
contract's ``enrichment`` object; :func:`enrich_many` does many at once,
looking each company domain up only once. Nothing here raises on a failed
lookup: failures are recorded in ``errors`` as facts.

The outside world is injected: ``cache`` (see :mod:`triage.enrich.cache`),
``fetcher`` (:class:`~triage.enrich.fetch.Fetcher`), ``resolver`` (dnspython's
or a fake) and ``now``.
"""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime

from triage.enrich.cache import TTL, age, utcnow, worth_caching
from triage.enrich.domains import brand_in_display_name, brand_of, cctld_country, is_disposable, is_free_mail, lookalike
from triage.hostnames import host_of, registrable


BATCH_BUDGET = 120.0  # seconds for all the fresh lookups of one batch
BATCH_SPENT = "lookup failed: batch time budget spent (timeout), not looked up"


def analyse_domains(inquiry) -> dict:
    """The ``domain`` object: offline facts about the sender's domains (no network)."""
    message = inquiry.message
    sender = host_of(message.from_email or inquiry.sender_email) or host_of(inquiry.sender_domain)
    reg = registrable(sender)
    domains = {
        "sender": sender, "registrable": reg,
        "free_mail": is_free_mail(sender), "disposable": is_disposable(sender),
        "cctld_country": cctld_country(sender), "brand": None if is_free_mail(sender) else _brand_name(sender),
        "lookalike": _lookalike(sender, message, inquiry.website),
        "brand_in_display_name": brand_in_display_name(message.from_name, sender),
        "reply_to_domain": _reg_list([host_of(r) for r in message.reply_to]),
        "return_path_domain": registrable(host_of(message.return_path)),
        "website_domain": registrable(host_of(inquiry.website)),
    }
    domains["mismatches"] = _mismatches(domains)
    domains["domains_agree"] = not domains["mismatches"]
    return domains


def _brand_name(host: str | None) -> str | None:
    return (brand_of(host) or {}).get("name")


def _reg_list(hosts: list[str | None]) -> str | None:
    regs = [registrable(h) for h in hosts if h]
    return ", ".join(dict.fromkeys(r for r in regs if r)) or None


def _lookalike(sender: str | None, message, website: str | None) -> dict | None:
    places = [("from", sender), ("website", host_of(website))] + [("reply-to", host_of(r)) for r in message.reply_to]
    for where, host in places:
        found = lookalike(host)
        if found:
            return found | {"where": where, "domain": registrable(host) or host}
    return None


def _mismatches(d: dict) -> list[str]:
    from triage.enrich.data import load, words

    reg, out = d["registrable"], []
    for other in (d["reply_to_domain"] or "").split(", "):
        if other and other != reg:
            out.append(f"Reply-To goes to {other}, not the sender's {reg}")
    services = words(load("domains"), "mail_services", "domains")
    path = d["return_path_domain"]
    if path and path != reg and path not in services:
        out.append(f"Return-Path on {path}, not the sender's {reg}")
    site = d["website_domain"]
    if site and site != reg and not (d["free_mail"] or d["disposable"]):
        out.append(f"signature website {site} is not the sender's domain {reg}")
    return out


# --- what to look up ---------------------------------------------------------------


def plan(domains: dict, website: str | None) -> tuple[str | None, str | None, str | None]:
    """``(company_domain, site_host, reason)``: the domain to look up, the host to fetch
    (None: MX only) and why the site is not fetched."""
    reg = domains["registrable"]
    if domains["free_mail"] or domains["disposable"]:
        return _plan_website(website)
    if not reg:
        return None, None, "no sender domain"
    if domains["brand"]:
        return reg, None, f"well-known brand domain ({domains['brand']}): site not fetched"
    if domains["lookalike"]:
        return reg, None, "look-alike domain: site not fetched"
    site = host_of(website)
    return reg, site if registrable(site) == reg else reg, None


def _plan_website(website: str | None) -> tuple[str | None, str | None, str | None]:
    host = host_of(website)
    reg = registrable(host)
    if not reg or is_free_mail(host) or brand_of(host) or lookalike(host):
        return None, None, "free-mail sender and no company website to check"
    return reg, host, None


# --- one lookup (cached) ---------------------------------------------------------------


def lookup(domain: str, site_host: str | None, *, cache=None, fetcher=None, resolver=None,
           offline: bool = False, refresh: bool = False, now: datetime | None = None,
           batch_deadline: float | None = None) -> dict:
    """``{"mx", "site", "errors", "cache_age_days"}`` for a company domain, from the cache if fresh.

    ``batch_deadline`` (on ``time.monotonic``): past it no fresh lookup starts, and a site is read
    no later than it."""
    now = now or utcnow()
    cached = cache.get(domain) if cache is not None and not refresh else None
    if cached and (offline or age(cached[1], now) <= TTL):
        return cached[0] | {"cache_age_days": round(age(cached[1], now).total_seconds() / 86400, 2)}
    if offline:
        return {"mx": None, "site": None, "errors": [], "cache_age_days": None, "not_looked_up": True}
    if batch_deadline is not None and time.monotonic() >= batch_deadline:
        return {"mx": None, "site": None, "errors": [BATCH_SPENT], "cache_age_days": None}
    data = _fresh(domain, site_host, fetcher, resolver, batch_deadline)
    if cache is not None and worth_caching(data):
        cache.put(domain, data)
    return data | {"cache_age_days": None}


def _fresh(domain: str, site_host: str | None, fetcher, resolver, batch_deadline: float | None = None) -> dict:
    from triage.enrich.mx import lookup_mx

    try:
        mx, errors = lookup_mx(domain, resolver)
        site, site_errors = _site(site_host, fetcher, batch_deadline) if site_host else (None, [])
    except Exception as exc:  # noqa: BLE001 - the stage never raises on a lookup
        return {"mx": None, "site": None, "errors": [f"lookup failed: {type(exc).__name__}: {exc}"[:200]]}
    return {"mx": mx, "site": site, "errors": errors + site_errors}


def _site(host: str, fetcher, batch_deadline: float | None = None) -> tuple[dict | None, list[str]]:
    from triage.enrich.facts import read_site
    from triage.enrich.fetch import Fetcher
    from triage.enrich.site import crawl

    fetcher = fetcher or Fetcher()
    deadline, errors = fetcher.deadline(), []  # one budget for the domain: every scheme, every page
    if batch_deadline is not None and fetcher.clock is time.monotonic:
        deadline = min(deadline, batch_deadline)
    for scheme in fetcher.schemes:
        url = f"{scheme}://{host}/"
        docs, errors = crawl(fetcher, url, deadline)
        if docs:
            return read_site(docs, url), errors
    return None, errors


# --- the stage -------------------------------------------------------------------------


def enrich(inquiry, *, cache=None, fetcher=None, resolver=None, offline: bool = False,
           refresh: bool = False, now: datetime | None = None) -> dict:
    """The ``enrichment`` object for one inquiry. Never raises on a failed lookup."""
    domains = analyse_domains(inquiry)
    domain, site_host, reason = plan(domains, inquiry.website)
    found = lookup(domain, site_host, cache=cache, fetcher=fetcher, resolver=resolver, offline=offline,
                   refresh=refresh, now=now) if domain else {}
    return assemble(inquiry, domains, found, reason, offline)


def assemble(inquiry, domains: dict, found: dict, reason: str | None, offline: bool) -> dict:
    """The enrichment dict from the offline analysis and one (possibly cached) lookup."""
    from triage.enrich.facts import name_match

    site = dict(found["site"]) if found.get("site") else None
    if site is not None:
        site["name_matches_signature"] = name_match(inquiry.company_name, site.get("company_name"))
    notes = [reason] if reason else []
    if found.get("not_looked_up"):
        notes.append("offline: no cached lookup")
    return {
        "domain": domains, "mx": found.get("mx"), "site": site, "errors": list(found.get("errors", [])),
        "notes": notes, "cache_age_days": found.get("cache_age_days"), "offline": offline,
    }


def enrich_many(inquiries: list, *, workers: int = 8, progress=None, batch_budget: float | None = BATCH_BUDGET,
                **kwargs) -> list[dict]:
    """:func:`enrich` for many inquiries, each company domain looked up once, ``workers`` at a time.

    ``progress(done, total)`` is called as inquiries complete (total = number of inquiries).
    ``batch_budget`` seconds bound the whole batch: lookups not started by then are skipped (and not
    cached), so a few slow sites cannot stall hundreds of inquiries.
    """
    if batch_budget is not None and not kwargs.get("offline"):
        kwargs["batch_deadline"] = time.monotonic() + batch_budget
    plans = []
    for inquiry in inquiries:
        domains = analyse_domains(inquiry)
        plans.append((domains, *plan(domains, inquiry.website)))
    if not kwargs.get("offline") and kwargs.get("fetcher") is None:
        from triage.enrich.fetch import Fetcher

        kwargs["fetcher"] = Fetcher()  # one for all: its sessions are per thread
    offline = kwargs.get("offline", False)
    cache = kwargs.get("cache")
    if cache is not None and not offline:
        kwargs["cache"] = _Deferred(cache)  # nothing is stored until the network is known to work
    found = _lookup_all(plans, workers, progress, kwargs)
    unavailable = not offline and lookups_unavailable(found, kwargs.get("resolver"))
    if unavailable:
        found = {d: _unavailable(r) for d, r in found.items()}
    elif isinstance(kwargs.get("cache"), _Deferred):
        kwargs["cache"].flush()
    results = [assemble(inq, p[0], found.get(p[1], {}), p[3], offline) for inq, p in zip(inquiries, plans)]
    if unavailable:
        for result in results:
            result["lookups_unavailable"] = True
            result["notes"].append(UNAVAILABLE)
    return results


# --- a broken network is not a bad domain ------------------------------------------------

UNAVAILABLE = "lookups unavailable: DNS fails for well-known domains too (no network, captive portal or broken resolver)"
BATCH_ALL_FAIL = 5  # this many fresh lookups, every one failing in DNS, is a broken network by itself


def lookups_unavailable(found: dict[str, dict], resolver=None) -> bool:
    """True when every fresh lookup failed in DNS and the network is to blame: well-known domains
    (``[probe] domains`` in domains.toml) fail too, or the batch is large and every lookup failed."""
    from triage.enrich.data import load, words
    from triage.enrich.mx import lookup_mx

    fresh = [r for r in found.values() if r.get("cache_age_days") is None and not r.get("not_looked_up")]
    if not fresh or not all(any(e.startswith("dns:") for e in r.get("errors", [])) for r in fresh):
        return False
    if len(fresh) >= BATCH_ALL_FAIL:
        return True
    probes = words(load("domains"), "probe", "domains")
    return all(lookup_mx(domain, resolver)[0] in (None, {"records": [], "has_mx": False}) for domain in probes)


def _unavailable(result: dict) -> dict:
    """A lookup made while the network was down: no facts, as with --offline."""
    return {"mx": None, "site": None, "errors": [], "cache_age_days": result.get("cache_age_days")} \
        if result.get("cache_age_days") is None else result


class _Deferred:
    """A cache whose puts wait for :meth:`flush` (they are dropped when lookups were unavailable)."""

    def __init__(self, cache):
        self.cache, self.puts = cache, {}

    def get(self, domain):
        return self.cache.get(domain)

    def put(self, domain, data):
        self.puts[domain] = data

    def flush(self):
        for domain, data in self.puts.items():
            self.cache.put(domain, data)


def _lookup_all(plans: list, workers: int, progress, kwargs: dict) -> dict[str, dict]:
    jobs = {p[1]: p[2] for p in plans if p[1]}
    waiting = Counter(p[1] for p in plans if p[1])
    done, total, found = len(plans) - sum(waiting.values()), len(plans), {}
    if progress and done:
        progress(done, total)
    for domain, result in _lookups(jobs, workers, kwargs):
        found[domain] = result
        done += waiting[domain]
        if progress:
            progress(done, total)
    return found


def _lookups(jobs: dict, workers: int, kwargs: dict):
    """(domain, result) as each lookup completes: in this thread offline (only the cache is read, threads
    would cost more than they save), else ``workers`` at a time."""
    if kwargs.get("offline"):
        kwargs.pop("batch_deadline", None)
        for domain, hint in jobs.items():
            yield domain, lookup(domain, hint, **kwargs)
        return
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = {pool.submit(lookup, d, h, **kwargs): d for d, h in jobs.items()}
        for future in as_completed(futures):
            yield futures[future], future.result()
