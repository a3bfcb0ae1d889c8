"""MX records of the sender's domain, with dnspython and a short timeout.

The resolver is a parameter: anything with ``resolve(name, "MX", lifetime=...)``
returning records with ``.preference`` and ``.exchange`` will do; tests pass a
fake one and never touch the network.
"""

from __future__ import annotations

LIFETIME = 2.0


def default_resolver():
    """The system's resolver, or the nameserver named in ``TRIAGE_NAMESERVER`` (``host`` or
    ``host:port``): a company network whose own DNS server answers for outside names."""
    import os

    import dns.resolver

    named = os.environ.get("TRIAGE_NAMESERVER", "").strip()
    if not named:
        return dns.resolver.Resolver()
    resolver = dns.resolver.Resolver(configure=False)
    host, _, port = named.rpartition(":") if named.count(":") == 1 else (named, "", "")
    resolver.nameservers = [host]
    if port:
        resolver.port = int(port)
    return resolver


def lookup_mx(domain: str, resolver=None, lifetime: float = LIFETIME) -> tuple[dict | None, list[str]]:
    """``({"records": [...], "has_mx": bool}, errors)``; a failed lookup gives ``(None, [reason])``."""
    resolver = resolver or default_resolver()
    try:
        answer = resolver.resolve(domain, "MX", lifetime=lifetime)
    except Exception as exc:  # noqa: BLE001 - every DNS failure becomes a fact
        return _failure(domain, exc)
    records = sorted((int(r.preference), str(r.exchange).rstrip(".").lower()) for r in answer)
    hosts = [host for _, host in records if host]  # RFC 7505 null MX is "."
    return {"records": hosts, "has_mx": bool(hosts)}, []


def _failure(domain: str, exc: Exception) -> tuple[dict | None, list[str]]:
    kind = type(exc).__name__
    if kind == "NXDOMAIN":
        return {"records": [], "has_mx": False}, [f"dns: {domain} does not exist"]
    if kind == "NoAnswer":
        return {"records": [], "has_mx": False}, []
    if kind in ("LifetimeTimeout", "Timeout", "timeout"):
        return None, ["dns: timeout"]
    return None, [f"dns: {kind}"]
