"""One line about the buyer's background, for the report."""

from __future__ import annotations

from triage.enrich.facts import TYPE_LABELS


def summary(enrichment: dict) -> str:
    """e.g. ``acme-gmbh.de: wholesaler, Hamburg, founded 1987, ~120 staff, sells switches, sockets;
    signature company matches site``."""
    domain = enrichment.get("domain") or {}
    site = enrichment.get("site") or {}
    name = (site.get("final_url") and _host(site["final_url"])) or domain.get("registrable") or domain.get("sender") or "?"
    facts = _domain_flags(domain) + _site_facts(site) + _mx_flags(enrichment.get("mx"))
    tail = _site_flags(site) + _notes(enrichment)
    line = f"{name}: {', '.join(facts) or 'nothing known'}"
    return f"{line}; {'; '.join(tail)}" if tail else line


def _host(url: str) -> str:
    from triage.hostnames import host_of, registrable

    host = host_of(url)
    return registrable(host) or host or url


def _domain_flags(d: dict) -> list[str]:
    out = []
    if d.get("disposable"):
        out.append("throwaway address")
    elif d.get("free_mail"):
        out.append(f"free-mail address ({d.get('registrable')})")
    if d.get("lookalike"):
        out.append(f"look-alike of {d['lookalike']['of']} ({d['lookalike']['how']})")
    if d.get("brand_in_display_name"):
        out.append(f"display name claims {d['brand_in_display_name']}")
    return out + [m for m in d.get("mismatches", [])]


def _site_facts(s: dict) -> list[str]:
    if not s:
        return []
    kind, tie = s.get("business_type"), s.get("business_type_tie") or []
    out = [TYPE_LABELS.get(kind, kind)] if kind else []
    if not kind and tie:
        out.append(f"{' or '.join(TYPE_LABELS.get(t, t) for t in tie)} (unclear)")
    if s.get("city"):
        out.append(s["city"])
    if s.get("founded"):
        out.append(f"founded {s['founded']}")
    if s.get("staff"):
        out.append(f"~{s['staff']} staff")
    elif s.get("size_band"):
        out.append(f"{s['size_band']} size")
    if s.get("branches"):
        out.append(f"{s['branches']} branches")
    if s.get("products"):
        out.append(f"sells {_and(s['products'][:3])}")
    if s.get("ecommerce"):
        out.append("sells online")
    return out


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _mx_flags(mx: dict | None) -> list[str]:
    return ["no MX records"] if mx is not None and not mx.get("has_mx") else []


def _site_flags(s: dict) -> list[str]:
    out = []
    for key, text in (("parked", "domain parked or for sale"), ("placeholder", "placeholder site"),
                      ("redirected_off_domain", f"site redirects to {s.get('final_url')}")):
        if s.get(key):
            out.append(text)
    if s.get("country_conflict"):
        out.append(f"site's country unclear ({' or '.join(s['country_conflict'])})")
    score = s.get("name_matches_signature")
    if score is not None:
        out.append("signature company matches site" if score >= 80 else f"signature company does not match site ({score}/100)")
    return out


def _notes(e: dict) -> list[str]:
    out = list(e.get("errors", [])[:2]) + list(e.get("notes", []))
    if e.get("cache_age_days") is not None:
        out.append(f"cached {e['cache_age_days']:.0f} days ago")
    return out


# The facts whose evidence the report shows, in this order, with their labels.
_EVIDENCE = (("business_type", "type"), ("founded", "founded"), ("staff", "staff"), ("branches", "branches"),
             ("country", "country"))


def evidence_lines(enrichment: dict, width: int = 110) -> list[str]:
    """One line per site fact with the sentence it was read from and the page:
    ``founded 1993: "Elmax to rodzinna hurtownia założona w 1993 roku..." (elmax.pl/o-firmie)``."""
    site = enrichment.get("site") or {}
    evidence = site.get("evidence") or {}
    out = []
    for fact, label in _EVIDENCE:
        proof = evidence.get(fact)
        proofs = proof if isinstance(proof, list) else [proof] if proof else []
        if fact == "country":  # the weightiest piece for the country read (an address over a phone)
            proofs = sorted((p for p in proofs if p.get("country") == site.get("country")), key=lambda p: -p["weight"])
        for one in proofs[:2]:
            value = one.get("type") or one.get("country") or site.get(fact)
            value = TYPE_LABELS.get(value, value)
            approx = "~" if one.get("approximate") else ""
            phrase = one.get("phrase", "")
            phrase = phrase if len(phrase) <= width else phrase[: width - 1] + "…"
            out.append(f'{label} {approx}{value}: "{phrase}" ({_page(one.get("page", ""))})')
            if fact == "country":
                break
    for kind, one in (evidence.get("business_type_against") or {}).items():
        out.append(f'not {TYPE_LABELS.get(kind, kind)}: "{one.get("phrase", "")[:width]}" ({_page(one.get("page", ""))})')
    return out


def _page(url: str) -> str:
    return url.split("//", 1)[-1]
