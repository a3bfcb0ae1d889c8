"""The Fetcher's safety rules and limits, against a real local HTTP server."""

from __future__ import annotations

import time

import pytest
from werkzeug import Response

from sites.helpers import local_fetcher, page, redirect, requested, serve
from triage.enrich import Fetcher
from triage.enrich.fetch import USER_AGENT, FetchError, is_public


@pytest.mark.parametrize("address, public", [
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.1", False), ("172.16.5.5", False),
    ("169.254.169.254", False), ("224.0.1.1", False), ("240.0.0.1", False), ("0.0.0.0", False),
    ("100.64.0.1", False), ("::1", False), ("::ffff:127.0.0.1", False), ("fe80::1", False),
    ("ff02::1", False), ("8.8.8.8", True), ("2606:4700::1111", True),
])
def test_is_public(address, public):
    assert is_public(address) is public


def test_default_fetcher_refuses_a_site_on_loopback(httpserver):
    serve(httpserver, "acme-gmbh.de", "/", "<html>secret</html>")
    fetcher = Fetcher(resolve={"acme-gmbh.de": f"127.0.0.1:{httpserver.port}"}, schemes=("http",))
    with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
        fetcher.get("http://acme-gmbh.de/")
    assert requested(httpserver) == []


def test_default_fetcher_refuses_literal_loopback_url(httpserver):
    serve(httpserver, "127.0.0.1", "/", "<html>secret</html>")
    with pytest.raises(FetchError, match="refused"):
        Fetcher().get(f"http://127.0.0.1:{httpserver.port}/")
    assert requested(httpserver) == []


def test_default_fetcher_refuses_names_resolving_to_private_addresses(httpserver):
    fake_dns = lambda host, port, **kw: [(2, 1, 6, "", ("10.0.0.7", port)), (2, 1, 6, "", ("93.184.216.34", port))]
    with pytest.raises(FetchError, match="10.0.0.7"):
        Fetcher(getaddrinfo=fake_dns).get("http://intranet.acme.de/")


def test_redirect_to_loopback_is_refused_before_any_request(httpserver):
    redirect(httpserver, "evil-buyer.com", "/", f"http://127.0.0.1:{httpserver.port}/admin")
    serve(httpserver, f"127.0.0.1:{httpserver.port}", "/admin", "<html>internal</html>")
    fetcher = local_fetcher(httpserver, "evil-buyer.com")  # only evil-buyer.com may be local
    with pytest.raises(FetchError, match="non-public address 127.0.0.1"):
        fetcher.get("http://evil-buyer.com/")
    assert requested(httpserver) == ["evil-buyer.com /"]
    assert requested(httpserver, "/admin") == []


def test_redirect_to_a_name_on_loopback_is_refused(httpserver):
    redirect(httpserver, "evil-buyer.com", "/", "http://internal.test/secret")
    serve(httpserver, "internal.test", "/secret", "<html>internal</html>")
    fetcher = Fetcher(allow_private={"evil-buyer.com"}, schemes=("http",),
                      resolve={h: f"127.0.0.1:{httpserver.port}" for h in ("evil-buyer.com", "internal.test")})
    with pytest.raises(FetchError, match="internal.test"):
        fetcher.get("http://evil-buyer.com/")
    assert requested(httpserver, "/secret") == []


@pytest.mark.parametrize("location", ["file:///etc/passwd", "ftp://acme.de/x", "gopher://acme.de/"])
def test_redirect_to_other_schemes_is_refused(httpserver, location):
    redirect(httpserver, "acme.de", "/", location)
    with pytest.raises(FetchError, match="scheme"):
        local_fetcher(httpserver, "acme.de").get("http://acme.de/")


def test_at_most_three_redirects(httpserver):
    for i in range(5):
        redirect(httpserver, "loop.de", f"/{i}", f"/{i + 1}")
    with pytest.raises(FetchError, match="more than 3 redirects"):
        local_fetcher(httpserver, "loop.de").get("http://loop.de/0")
    assert len(requested(httpserver)) == 4


def test_redirects_are_followed_and_recorded(httpserver):
    redirect(httpserver, "acme.de", "/", "/en/", status=301)
    serve(httpserver, "acme.de", "/en/", page("placeholder.html"))
    got = local_fetcher(httpserver, "acme.de").get("http://acme.de/")
    assert got.url == "http://acme.de/" and got.final_url == "http://acme.de/en/" and got.status == 200


def test_honest_user_agent_and_host_header(httpserver):
    serve(httpserver, "acme.de", "/", "<html><title>x</title></html>")
    local_fetcher(httpserver, "acme.de").get("http://acme.de/")
    request = httpserver.log[0][0]
    assert request.headers["User-Agent"] == USER_AGENT == "triage/0.1 (+inquiry background check)"
    assert request.headers["Host"] == "acme.de"


def test_binary_response_is_refused(httpserver):
    serve(httpserver, "acme.de", "/", b"%PDF-1.7\x00\x01\x02" * 1000, content_type="application/pdf")
    with pytest.raises(FetchError, match="not an HTML page \\(application/pdf\\)"):
        local_fetcher(httpserver, "acme.de").get("http://acme.de/")


def test_huge_page_is_cut_at_the_limit(httpserver):
    body = b"<html><body>" + b"<p>switches and sockets</p>" * 200_000 + b"</body></html>"  # ~5 MB
    serve(httpserver, "acme.de", "/", body)
    got = local_fetcher(httpserver, "acme.de", max_bytes=1_000_000).get("http://acme.de/")
    assert got.truncated and len(got.content) == 1_000_000


def test_http_errors_are_reasons(httpserver):
    serve(httpserver, "acme.de", "/", "gone", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        local_fetcher(httpserver, "acme.de").get("http://acme.de/")


def _slow(request):
    time.sleep(1.5)
    return Response("<html>late</html>", content_type="text/html")


def test_slow_site_times_out(httpserver):
    httpserver.expect_request("/", headers={"Host": "slow.de"}).respond_with_handler(_slow)
    fetcher = local_fetcher(httpserver, "slow.de", read_timeout=0.3, budget=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timeout"):
        fetcher.get("http://slow.de/")
    assert time.monotonic() - started < 1.2


def test_spent_budget_stops_before_connecting(httpserver):
    serve(httpserver, "acme.de", "/", "<html>x</html>")
    fetcher = local_fetcher(httpserver, "acme.de")
    with pytest.raises(FetchError, match="time budget"):
        fetcher.get("http://acme.de/", deadline=fetcher.clock() - 1)
    assert requested(httpserver) == []


def test_proxy_settings_are_honoured(monkeypatch):
    """trust_env stays on: with HTTPS_PROXY set the request goes to the proxy, by name."""
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "bypass.example")
    fetcher = Fetcher(getaddrinfo=lambda host, port, **kw: [(2, 1, 6, "", ("93.184.216.34", port))])
    assert fetcher._session().trust_env
    assert fetcher._target("https://acme.de/") == ("https://acme.de/", "acme.de")
    assert fetcher._target("https://bypass.example/")[0] == "https://93.184.216.34:443/"


def test_tls_is_checked_against_the_site_name_not_the_address():
    from requests import Request

    from triage.enrich.fetch import _pinned_adapter

    prepared = Request("GET", "https://93.184.216.34:443/", headers={"Host": "acme.de"}).prepare()
    host_params, pool_kwargs = _pinned_adapter().build_connection_pool_key_attributes(prepared, True)
    assert host_params["host"] == "93.184.216.34"
    assert pool_kwargs["server_hostname"] == pool_kwargs["assert_hostname"] == "acme.de"
