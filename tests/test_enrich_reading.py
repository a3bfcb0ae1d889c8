"""The site reader (triage/enrich/reading.py) on real pages served from loopback.

The bench sites (bench/sites/, labelled in labels.toml, written for it in 14 languages) are read
through enrich() from a real local HTTP server; the smaller cases below use pytest-httpserver.
"""

from __future__ import annotations


import pytest
from conftest import bench_module

from sites.helpers import FakeResolver, inquiry, local_fetcher, serve
from triage.enrich import enrich, summary
from triage.enrich.reading_numbers import number_value



def _site(server, host: str, pages: dict[str, str]) -> dict:
    for path, body in pages.items():
        serve(server, host, path, f"<html><head><title>{host}</title></head><body>{body}</body></html>")
    e = enrich(inquiry(f"buyer@{host}"), fetcher=local_fetcher(server, host), resolver=FakeResolver())
    return e


NAV = '<nav><a href="/about">About us</a> <a href="/contact">Contact</a></nav>'


@pytest.fixture(scope="module")
def bench_results():
    return bench_module("enrich_bench").read_sites()


@pytest.fixture(scope="module")
def bench_figures(bench_results):
    return bench_module("enrich_bench").score_sites(bench_results)


def test_held_out_sites_are_read_as_labelled(bench_results):
    """The sites written by other hands than the reader's words (labels.toml set = "holdout")."""
    figures = bench_module("enrich_bench").score_sites([r for r in bench_results if r[0].get("set") == "holdout"])
    facts = figures["facts"]
    assert figures["sites"] >= 24
    for fact in ("business_type", "country"):
        assert facts[fact]["accuracy"] >= 0.85, (fact, figures["misses"])
    for fact in ("founded", "staff", "branches"):
        assert facts[fact]["accuracy"] >= 0.8, (fact, figures["misses"])
    assert figures["false_same_trade_factory"] == []


def test_bench_sites_are_read_as_labelled(bench_figures):
    facts = bench_figures["facts"]
    assert bench_figures["sites"] >= 30
    assert facts["business_type"]["accuracy"] >= 0.85, bench_figures["misses"]
    assert facts["country"]["accuracy"] >= 0.85, bench_figures["misses"]
    assert facts["size_band"]["accuracy"] >= 0.8, bench_figures["misses"]
    for fact in ("founded", "staff", "branches"):
        assert facts[fact]["accuracy"] >= 0.8, (fact, bench_figures["misses"])
    assert facts["parked"]["accuracy"] == 1.0 and facts["placeholder"]["accuracy"] == 1.0
    assert bench_figures["false_same_trade_factory"] == []


@pytest.mark.parametrize("text, value", [
    ("1,200", 1200), ("5.000", 5000), ("twenty-five", 25), ("two hundred", 200), ("zweihundertfünfzig", 250),
    ("elf", 11), ("dix-huit", 18), ("doscientos", 200), ("vijfentwintig", 25), ("二百五十", 250), ("十五", 15),
    ("три", 3), ("duecento", 200), ("not a number", None),
])
def test_number_words(text, value):
    assert number_value(text) == value


def test_a_denial_is_evidence_against(httpserver):
    e = _site(httpserver, "denies-co.com", {
        "/": NAV + "<h1>Electrical parts for the trade</h1><p>We are not a manufacturer and we do not own "
                   "factories in China; as an authorized distributor we stock 30 brands of switches and sockets.</p>"
                   "<p>OEM factory visits in Zhejiang arranged for our clients.</p>",
        "/about": "<p>A distributor founded in 2001 with a team of 48.</p>", "/contact": "<p>Call us</p>"})
    site = e["site"]
    assert site["business_type"] == "distributor" and not site["same_trade"]
    assert site["business_type_scores"]["manufacturer"] < 0
    assert "manufacturer" in site["evidence"]["business_type_against"]
    assert (site["founded"], site["staff"]) == (2001, 48)
    assert site["evidence"]["staff"] == {"page": "http://denies-co.com/about",
                                         "phrase": "A distributor founded in 2001 with a team of 48.", "term": "team of 48"}


def test_a_footer_word_does_not_make_the_type(httpserver):
    site = _site(httpserver, "footer-co.com", {
        "/": "<h1>Wholesaler of cable and conduit</h1><p>Wholesale only, trade counters in Leeds.</p>"
             "<footer>Manufacturer warranties apply. Manufacturer rebates. Authorized distributor program.</footer>"})["site"]
    assert site["business_type"] == "wholesaler"
    assert site["evidence"]["business_type"][0]["phrase"] == "Wholesaler of cable and conduit"


def test_a_tie_is_reported_not_broken(httpserver):
    e = _site(httpserver, "both-co.com", {"/": NAV + "<p>We are a manufacturer and a distributor.</p>"
                                                     "<p>Manufacturer and distributor of plugs for thirty years.</p>"
                                                     + "<p>filler text</p>" * 20})
    site = e["site"]
    assert site["business_type"] is None and set(site["business_type_tie"]) == {"manufacturer", "distributor"}
    assert "manufacturer or distributor (unclear)" in summary(e)
    assert {ev["type"] for ev in site["evidence"]["business_type"]} == {"manufacturer", "distributor"}


def test_country_from_address_phone_and_cctld_with_a_conflict(httpserver):
    site = _site(httpserver, "twofold.de", {"/": NAV + "<p>Electrical wholesaler.</p>"
                 "<address>Hauptstraße 1, 6020 Innsbruck, Österreich</address><p>Tel. +43 512 123456</p>"
                 "<address>ul. Długa 5, 80-827 Gdańsk, Polska</address><p>tel. +48 58 301 22 33</p>"})["site"]
    assert site["country"] is None and set(site["country_conflict"]) == {"AT", "PL"}
    assert {p["kind"] for p in site["evidence"]["country"]} == {"address", "phone", "cctld"}


def test_national_phone_and_cctld_decide_without_an_international_number(httpserver):
    site = _site(httpserver, "ferrovia.it", {"/": NAV + "<h1>Grossista di materiale elettrico</h1>"
                                                        "<p>Chiamaci: 051 600 1234</p>"})["site"]
    assert site["country"] == "IT" and "+390516001234" in [p["phrase"] for p in site["evidence"]["country"]]
    assert site["business_type"] == "wholesaler"


def test_your_own_words_are_added_from_triage_home(httpserver, tmp_path, monkeypatch):
    body = {"/": NAV + "<h1>Olemme sähkötukku Pohjois-Suomessa</h1><p>Sähkötukku, varasto Oulussa.</p>"}
    assert _site(httpserver, "pohjois-sahko.fi", body)["site"]["business_type"] is None  # no Finnish words shipped
    (tmp_path / "enrich").mkdir()
    (tmp_path / "enrich" / "reading.toml").write_text('[types.wholesaler]\nstrong = ["*tukku*"]\nweak = []\n',
                                                      encoding="utf-8")
    monkeypatch.setenv("TRIAGE_HOME", str(tmp_path))
    httpserver.clear()
    assert _site(httpserver, "pohjois-sahko.fi", body)["site"]["business_type"] == "wholesaler"
