"""Sample inquiries with their companies' sites served by a local server: the background shows up
in the report and the JSON, through the real pipeline and the real command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import INQUIRIES, needs_shared
from sites.dns_server import LocalDns
from sites.proxy import ForwardProxy
from triage.cli import main

SITES = Path(__file__).parent / "sites" / "samples"
CASES = {
    "d001.eml": ("brazosgulf-elec.com", "brazosgulf.html"),
    "d026.eml": ("maplecrest-electric.ca", "maplecrest.html"),
}
pytestmark = needs_shared(INQUIRIES)


@pytest.fixture
def sites(httpserver, monkeypatch):
    """The companies' sites on a local server, reached as a user in a company network reaches them:
    through a forward proxy (HTTP_PROXY/HTTPS_PROXY) and the nameserver named in TRIAGE_NAMESERVER."""
    httpserver.clear()
    for host, page in CASES.values():
        for name in (host, "www." + host):
            httpserver.expect_request("/", headers={"Host": name}).respond_with_data(
                (SITES / page).read_bytes(), content_type="text/html; charset=utf-8")
    httpserver.expect_request("/").respond_with_data("not found", status=404)
    names = {n: ("127.0.0.1", httpserver.port) for host, _ in CASES.values() for n in (host, "www." + host)}
    with ForwardProxy(names) as proxy, LocalDns({host: f"mail.{host}" for host, _ in CASES.values()}) as dns:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, proxy.url)
        for name in ("NO_PROXY", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("TRIAGE_NAMESERVER", f"127.0.0.1:{dns.port}")
        yield httpserver


def test_background_in_json_and_report(sites):
    paths = [str(INQUIRIES / name) for name in CASES]
    result = CliRunner().invoke(main, ["inquiry", "--json", *paths], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    first = records[0]["enrichment"]
    assert first["site"]["business_type"] == "distributor"
    assert first["site"]["founded"] == 1986
    assert first["mx"] == {"records": ["mail.brazosgulf-elec.com"], "has_mx": True}
    assert records[1]["enrichment"]["site"]["founded"] == 1978
    report = CliRunner().invoke(main, ["show", "1"]).output
    assert "Background" in report and "distributor" in report and "1986" in report
    proof = first["site"]["evidence"]["founded"]
    assert f'founded 1986: "{proof["phrase"][:60]}' in report and proof["page"].split("//")[1] in report


def test_cached_lookup_costs_no_network(sites):
    path = str(INQUIRIES / "d001.eml")
    CliRunner().invoke(main, ["inquiry", "--json", path], catch_exceptions=False)
    served = len(sites.log)
    again = CliRunner().invoke(main, ["inquiry", "--json", "--offline", path], catch_exceptions=False)
    record = json.loads([ln for ln in again.output.splitlines() if ln.startswith("{")][0])
    assert record["enrichment"]["site"]["founded"] == 1986  # from the cache
    assert record["enrichment"]["cache_age_days"] is not None
    assert len(sites.log) == served
