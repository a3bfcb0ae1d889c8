"""Reading buyers' websites end to end: enrich() against saved pages on a local server."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from sites.helpers import FakeResolver, inquiry, local_fetcher, page, redirect, requested, serve
from triage.enrich import enrich, summary


def _enrich(server, inq, *hosts, **options):
    return enrich(inq, fetcher=local_fetcher(server, *hosts, **options), resolver=FakeResolver())


@pytest.fixture
def distributor(httpserver):
    host = "www.acme-gmbh.de"
    for path, name in (("/", "index"), ("/ueber-uns", "about"), ("/kontakt", "contact"), ("/produkte", "products")):
        serve(httpserver, host, path, page(f"distributor/{name}.html"))
    return host


def test_distributor(httpserver, distributor):
    inq = inquiry("s.koehler@acme-gmbh.de", name="Sabine Köhler", website="www.acme-gmbh.de",
                  company="Acme Elektro-Grosshandel GmbH")
    e = _enrich(httpserver, inq, distributor)
    site = e["site"]
    assert e["errors"] == [] and e["mx"] == {"records": ["mx.acme-gmbh.de"], "has_mx": True}
    assert site["company_name"] == "Acme Elektro-Großhandel GmbH"
    # "Acme Elektro-Großhandel", "Ihr Elektrogroßhandel", "electrical wholesaler and authorized distributor":
    # the name and the headings say wholesaler, and the reader says where it read it
    assert site["business_type"] == "wholesaler" and not site["same_trade"] and not site["business_type_tie"]
    assert site["evidence"]["business_type"][0]["term"] in ("großhandel", "elektrogroßhandel", "wholesaler")
    assert site["country"] == "DE" and site["size_band"] == "medium"
    assert (site["founded"], site["staff"], site["branches"], site["city"]) == (1987, 120, 14, "Hamburg")
    assert {"switches", "sockets"} <= set(site["products"])
    assert set(site["countries"]) == {"DE", "PL"} and "+494078901234" in site["phones"]
    assert any("linkedin.com" in s for s in site["social"]) and site["languages"] == ["de", "en"]
    assert not (site["parked"] or site["placeholder"] or site["redirected_off_domain"] or site["ecommerce"])
    assert site["name_matches_signature"] >= 90
    assert site["facts_from"]["staff"] == "http://www.acme-gmbh.de/ueber-uns"
    assert len(site["pages"]) == 4
    line = summary(e)
    assert line.startswith("acme-gmbh.de: wholesaler, Hamburg, founded 1987, ~120 staff")
    assert "signature company matches site" in line


def test_body_links_are_never_fetched(httpserver, distributor):
    from triage.model import Link

    inq = inquiry("s.koehler@acme-gmbh.de", website="www.acme-gmbh.de")
    inq.message.links = [Link("invoice", "http://www.acme-gmbh.de/invoice.html")]
    _enrich(httpserver, inq, distributor)
    assert requested(httpserver, "/invoice.html") == []
    assert requested(httpserver, "/") and "Branchennews" not in str(requested(httpserver))


def test_at_most_max_pages(httpserver, distributor):
    e = _enrich(httpserver, inquiry("a@acme-gmbh.de", website="www.acme-gmbh.de"), distributor, max_pages=2)
    assert len(e["site"]["pages"]) == 2 and len(requested(httpserver)) == 2


def test_signature_company_that_does_not_match(httpserver, distributor):
    inq = inquiry("a@acme-gmbh.de", website="www.acme-gmbh.de", company="Nordlicht Solar Handels KG")
    e = _enrich(httpserver, inq, distributor)
    assert e["site"]["name_matches_signature"] < 60
    assert "signature company does not match site" in summary(e)


def test_retailer(httpserver):
    serve(httpserver, "ridgewayhomecenters.com", "/", page("retailer/index.html"))
    serve(httpserver, "ridgewayhomecenters.com", "/about-us", page("retailer/about.html"))
    serve(httpserver, "ridgewayhomecenters.com", "/stores", "<html><body>42 stores</body></html>")
    inq = inquiry("Dana.Whitaker@ridgewayhomecenters.com", company="Ridgeway Home Centers, Inc.")
    site = _enrich(httpserver, inq, "ridgewayhomecenters.com")["site"]
    assert site["business_type"] == "retailer" and site["ecommerce"]
    assert site["branches"] == 42 and site["founded"] == 1962 and site["staff"] == 2300
    assert site["company_name"] == "Ridgeway Home Centers, Inc." and site["name_matches_signature"] == 100
    assert "US" in site["countries"] and len(site["social"]) == 3


def test_same_trade_factory(httpserver):
    serve(httpserver, "hongda-elec.cn", "/", page("factory/index.html"))
    site = _enrich(httpserver, inquiry("david@hongda-elec.cn"), "hongda-elec.cn")["site"]
    assert site["same_trade"] and site["business_type"] == "same_trade_factory"
    assert site["founded"] == 2005 and site["staff"] == 300 and "CN" in site["countries"]
    assert site["languages"] == ["en", "zh"] and site["company_name"] == "Yueqing Hongda Electric Co., Ltd."


def test_placeholder(httpserver):
    serve(httpserver, "newco-trading.com", "/", page("placeholder.html"))
    e = _enrich(httpserver, inquiry("buyer@newco-trading.com"), "newco-trading.com")
    assert e["site"]["placeholder"] and not e["site"]["parked"]
    assert "placeholder site" in summary(e) and len(requested(httpserver)) == 1


def test_parked_domain_for_sale(httpserver):
    serve(httpserver, "westmark-trading.com", "/", page("parked.html"))
    e = _enrich(httpserver, inquiry("d.whitford@westmark-trading.com"), "westmark-trading.com")
    assert e["site"]["parked"] and "parked or for sale" in summary(e)


def test_redirect_to_an_unrelated_domain(httpserver):
    redirect(httpserver, "prih-gobpe.org", "/", "http://gtpn-network.com/join")
    serve(httpserver, "gtpn-network.com", "/join", page("landing.html"))
    e = _enrich(httpserver, inquiry("logistica@prih-gobpe.org"), "prih-gobpe.org", "gtpn-network.com")
    assert e["site"]["redirected_off_domain"] and e["site"]["final_url"] == "http://gtpn-network.com/join"
    assert "redirects to http://gtpn-network.com/join" in summary(e)


def _slow(request):
    time.sleep(1.0)
    return Response("<html>late</html>", content_type="text/html")


def test_slow_site_is_an_error_not_an_exception(httpserver):
    httpserver.expect_request("/", headers={"Host": "slow-co.com"}).respond_with_handler(_slow)
    e = _enrich(httpserver, inquiry("a@slow-co.com"), "slow-co.com", read_timeout=0.2, budget=0.5)
    assert e["site"] is None and e["errors"] == ["site unreachable: timeout"]
    assert "site unreachable: timeout" in summary(e)


def test_huge_page_is_read_up_to_the_limit(httpserver):
    body = "<html><head><title>Big Co</title></head><body>" + "<p>wholesaler of switches</p>" * 100_000
    serve(httpserver, "big-co.com", "/", body)
    e = _enrich(httpserver, inquiry("a@big-co.com"), "big-co.com", max_bytes=200_000)
    assert e["site"]["title"] == "Big Co" and e["site"]["business_type"] == "wholesaler"


def test_binary_home_page(httpserver):
    serve(httpserver, "zip-co.com", "/", b"PK\x03\x04" + b"\x00" * 5000, content_type="application/zip")
    e = _enrich(httpserver, inquiry("a@zip-co.com"), "zip-co.com")
    assert e["site"] is None and e["errors"] == ["site unreachable: not an HTML page (application/zip)"]


def test_garbage_html_does_not_crash(httpserver):
    serve(httpserver, "junk.com", "/", b"<html><<<\xff\xfe\x00<body <p>>>&&&;;</ht")
    e = _enrich(httpserver, inquiry("a@junk.com"), "junk.com")
    assert e["site"]["placeholder"] and e["errors"] == []


def test_redirect_to_loopback_during_enrich(httpserver):
    redirect(httpserver, "evil-buyer.com", "/", f"http://127.0.0.1:{httpserver.port}/admin")
    e = _enrich(httpserver, inquiry("a@evil-buyer.com"), "evil-buyer.com")
    assert e["site"] is None and "non-public address 127.0.0.1" in e["errors"][0]
    assert requested(httpserver, "/admin") == []


def test_https_first_then_http(httpserver):
    serve(httpserver, "acme.de", "/", page("placeholder.html"))
    e = _enrich(httpserver, inquiry("a@acme.de"), "acme.de", schemes=("https", "http"))
    assert e["site"]["url"] == "http://acme.de/"
