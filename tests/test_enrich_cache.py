"""DNS through an injected resolver, the per-domain cache, offline and refresh modes."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import dns.exception
import dns.resolver
import pytest

from sites.helpers import FakeResolver, inquiry, local_fetcher, page, requested, serve
from triage.enrich import DictCache, enrich, summary
from triage.enrich.mx import lookup_mx

T0 = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)


def test_mx_records_sorted_by_preference():
    resolver = FakeResolver({"acme.de": [(20, "mx2.acme.de."), (10, "MX1.acme.de.")]})
    assert lookup_mx("acme.de", resolver) == ({"records": ["mx1.acme.de", "mx2.acme.de"], "has_mx": True}, [])


@pytest.mark.parametrize("answer, mx, errors", [
    ([], {"records": [], "has_mx": False}, []),
    ([(0, ".")], {"records": [], "has_mx": False}, []),  # RFC 7505 null MX
    (dns.resolver.NoAnswer(), {"records": [], "has_mx": False}, []),
    (dns.resolver.NXDOMAIN(), {"records": [], "has_mx": False}, ["dns: acme.de does not exist"]),
    (dns.resolver.LifetimeTimeout(timeout=2.0, errors={}), None, ["dns: timeout"]),
    (dns.resolver.NoNameservers(), None, ["dns: NoNameservers"]),
])
def test_mx_failures_are_facts(answer, mx, errors):
    assert lookup_mx("acme.de", FakeResolver({"acme.de": answer})) == (mx, errors)


def test_no_mx_shows_in_summary():
    e = enrich(inquiry("a@nomx-co.com"), resolver=FakeResolver({"nomx-co.com": []}), offline=False,
               fetcher=_nowhere())
    assert e["mx"] == {"records": [], "has_mx": False} and "no MX records" in summary(e)


def _nowhere():
    """A fetcher whose every lookup fails without touching the network."""
    from triage.enrich import Fetcher

    def no_dns(*args, **kwargs):
        raise OSError("no network in tests")

    return Fetcher(getaddrinfo=no_dns)


def test_unexpected_failure_is_recorded_not_raised():
    class Broken:
        def resolve(self, *args, **kwargs):
            raise RuntimeError("boom")

    e = enrich(inquiry("a@acme.de"), resolver=Broken(), fetcher=_nowhere())
    assert e["errors"][0].startswith("dns: RuntimeError") or "boom" in e["errors"][0]


@pytest.fixture
def site(httpserver):
    serve(httpserver, "acme.de", "/", page("factory/index.html"))
    return local_fetcher(httpserver, "acme.de")


def test_cached_lookup_costs_no_network(httpserver, site):
    cache, resolver = DictCache(clock=lambda: T0), FakeResolver()
    first = enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=resolver, now=T0)
    hits = len(requested(httpserver))
    second = enrich(inquiry("b@acme.de"), cache=cache, fetcher=site, resolver=resolver, now=T0 + timedelta(days=3))
    assert len(requested(httpserver)) == hits and len(resolver.calls) == 1
    assert first["cache_age_days"] is None and second["cache_age_days"] == 3.0
    assert second["site"]["company_name"] == first["site"]["company_name"]
    assert "cached 3 days ago" in summary(second)


def test_expired_entry_is_looked_up_again(httpserver, site):
    cache = DictCache(clock=lambda: T0)
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=FakeResolver(), now=T0)
    again = enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=FakeResolver(), now=T0 + timedelta(days=15))
    assert again["cache_age_days"] is None and len(requested(httpserver, "/")) == 2


def test_refresh_ignores_the_cache(httpserver, site):
    cache = DictCache(clock=lambda: T0)
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=FakeResolver(), now=T0)
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=FakeResolver(), now=T0, refresh=True)
    assert len(requested(httpserver, "/")) == 2


def test_offline_uses_only_the_cache(httpserver, site):
    cache, resolver = DictCache(clock=lambda: T0), FakeResolver()
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=resolver, now=T0)
    old = enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=resolver, offline=True,
                 now=T0 + timedelta(days=40))
    none = enrich(inquiry("a@other-co.de"), cache=cache, fetcher=site, resolver=resolver, offline=True)
    assert len(requested(httpserver, "/")) == 1 and len(resolver.calls) == 1
    assert old["offline"] and old["cache_age_days"] == 40.0 and old["site"]["same_trade"]
    assert none["site"] is None and none["mx"] is None and none["domain"]["cctld_country"] == "DE"
    assert "offline: no cached lookup" in none["notes"]


def test_transient_failures_are_not_cached():
    cache = DictCache()
    resolver = FakeResolver({"acme.de": dns.resolver.LifetimeTimeout(timeout=2.0, errors={})})
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=_nowhere(), resolver=resolver)
    assert cache.rows == {}


def test_cache_is_keyed_by_company_domain(httpserver, site):
    cache = DictCache()
    enrich(inquiry("a@acme.de"), cache=cache, fetcher=site, resolver=FakeResolver())
    assert list(cache.rows) == ["acme.de"] and set(cache.rows["acme.de"][0]) == {"mx", "site", "errors"}


def test_enrichment_is_json_ready(httpserver, site):
    import json

    e = enrich(inquiry("a@acme.de", name="A", company="Hongda"), fetcher=site, resolver=FakeResolver())
    assert json.loads(json.dumps(e)) == e
    assert set(e) == {"domain", "mx", "site", "errors", "notes", "cache_age_days", "offline"}
