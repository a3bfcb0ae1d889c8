"""A broken network is told apart from a bad domain, with a real local DNS server."""

from __future__ import annotations

from sites.dns_server import LocalDns
from sites.helpers import inquiry
from triage.enrich import DictCache, enrich_many
from triage.enrich.core import UNAVAILABLE

BUYERS = [inquiry("anna@nordlicht-handel.de"), inquiry("raj@kaveri-traders.in")]


def test_every_name_missing_is_a_broken_network_not_bad_domains(tmp_path):
    cache = DictCache()
    with LocalDns() as dns_server:  # NXDOMAIN for everything, well-known domains too
        results = enrich_many(BUYERS, resolver=dns_server.resolver(), cache=cache, fetcher=_no_fetch())
    for result in results:
        assert result["lookups_unavailable"] is True
        assert result["mx"] is None and result["site"] is None
        assert not any("does not exist" in e for e in result["errors"])
        assert result["notes"].count(UNAVAILABLE) == 1
    assert "iana.org" in dns_server.asked
    assert cache.rows == {}  # nothing learnt from a broken network is kept


def test_a_missing_domain_on_a_working_network_is_still_reported():
    with LocalDns({"iana.org": "mx.iana.org", "wikipedia.org": "mx.wikipedia.org",
                   "example.com": "mx.example.com", "kaveri-traders.in": "mail.kaveri-traders.in"}) as dns_server:
        results = enrich_many(BUYERS, resolver=dns_server.resolver(), fetcher=_no_fetch())
    missing, real = results
    assert "lookups_unavailable" not in missing
    assert "dns: nordlicht-handel.de does not exist" in missing["errors"]
    assert missing["mx"] == {"records": [], "has_mx": False}
    assert real["mx"] == {"records": ["mail.kaveri-traders.in"], "has_mx": True}


def _no_fetch():
    """A real Fetcher whose name lookups all fail: sites cannot be read, as in a dead network."""
    import socket

    from triage.enrich import Fetcher

    def fail(*args, **kwargs):
        raise socket.gaierror("no network")

    return Fetcher(getaddrinfo=fail)
