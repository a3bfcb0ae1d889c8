"""Through a real local forward proxy with no DNS on the client; and a per-domain budget that holds
against a site trickling bytes (a real slow local server)."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from sites.helpers import requested, serve
from sites.proxy import ForwardProxy
from triage.enrich import Fetcher
from triage.enrich.fetch import FetchError


def no_dns(host, port, **kw):
    raise socket.gaierror("no DNS in this network")


@pytest.fixture
def proxied(httpserver, monkeypatch):
    httpserver.clear()
    names = {h: ("127.0.0.1", httpserver.port) for h in ("acme-gmbh.de", "www.acme-gmbh.de")}
    with ForwardProxy(names) as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            monkeypatch.setenv(name, proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        yield proxy


def test_a_site_is_read_through_the_proxy_without_local_dns(httpserver, proxied):
    serve(httpserver, "acme-gmbh.de", "/", "<html><title>Acme GmbH</title></html>")
    page = Fetcher(getaddrinfo=no_dns, schemes=("http",)).get("http://acme-gmbh.de/")
    assert b"Acme GmbH" in page.content
    assert proxied.seen == [("GET", "acme-gmbh.de")]
    assert [r for r in requested(httpserver) if "acme" in r] == ["acme-gmbh.de /"]


def test_redirects_through_the_proxy_are_followed_by_name(httpserver, proxied):
    serve(httpserver, "acme-gmbh.de", "/", b"", status=301, headers={"Location": "http://www.acme-gmbh.de/home"})
    serve(httpserver, "www.acme-gmbh.de", "/home", "<html>home</html>")
    page = Fetcher(getaddrinfo=no_dns, schemes=("http",)).get("http://acme-gmbh.de/")
    assert page.final_url == "http://www.acme-gmbh.de/home"
    assert [host for _, host in proxied.seen] == ["acme-gmbh.de", "www.acme-gmbh.de"]


@pytest.mark.parametrize("target", ["http://127.0.0.1/", "http://169.254.169.254/latest/", "http://[::1]/",
                                    "http://10.0.0.8/"])
def test_literal_private_addresses_are_refused_even_through_the_proxy(proxied, target):
    with pytest.raises(FetchError, match="refused"):
        Fetcher(getaddrinfo=no_dns).get(target)
    assert proxied.seen == []


def test_a_redirect_to_a_private_literal_is_refused_through_the_proxy(httpserver, proxied):
    serve(httpserver, "acme-gmbh.de", "/", b"", status=302, headers={"Location": "http://127.0.0.1:9/admin"})
    with pytest.raises(FetchError, match="refused"):
        Fetcher(getaddrinfo=no_dns, schemes=("http",)).get("http://acme-gmbh.de/")
    assert proxied.seen == [("GET", "acme-gmbh.de")]


def test_no_proxy_is_honoured_and_then_the_name_is_resolved_here(httpserver, proxied, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "acme-gmbh.de")
    with pytest.raises(FetchError, match="dns: acme-gmbh.de not found"):
        Fetcher(getaddrinfo=no_dns, schemes=("http",)).get("http://acme-gmbh.de/")
    assert proxied.seen == []


# --- the budget against a trickle ------------------------------------------------------------


@pytest.fixture
def trickle():
    """A raw local server that sends a header, then one byte every 0.2 s for a minute."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve_one(conn):
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 300\r\n\r\n")
            for _ in range(300):
                if stop.wait(0.2):
                    return
                try:
                    conn.sendall(b"x")
                except OSError:
                    return

    def accept():
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve_one, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    stop.set()
    listener.close()


def test_a_trickling_site_is_cut_at_the_budget(trickle, monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    fetcher = Fetcher(resolve={"slow.de": f"127.0.0.1:{trickle}"}, allow_private={"slow.de"}, schemes=("http",),
                      budget=1.0, read_timeout=4.0)
    start = time.monotonic()
    with pytest.raises(FetchError, match="time budget"):
        fetcher.get("http://slow.de/")
    spent = time.monotonic() - start
    assert spent < 1.6, spent  # the read timeout (4 s) would have let it run 60 s


def test_a_batch_of_trickling_sites_is_bounded_by_the_batch_budget(trickle, monkeypatch):
    from sites.helpers import FakeResolver, inquiry
    from triage.enrich import enrich_many
    from triage.enrich.core import BATCH_SPENT

    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.delenv(name, raising=False)
    hosts = [f"slow{n}.de" for n in range(8)]
    fetcher = Fetcher(resolve={h: f"127.0.0.1:{trickle}" for h in hosts}, allow_private=set(hosts),
                      schemes=("http",), budget=1.0, read_timeout=4.0)
    start = time.monotonic()
    results = enrich_many([inquiry(f"buyer@{h}") for h in hosts], workers=2, fetcher=fetcher,
                          resolver=FakeResolver(), batch_budget=1.5)
    spent = time.monotonic() - start
    assert spent < 2.8, spent  # 8 sites x 1 s on 2 workers would be 4 s
    skipped = [r for r in results if BATCH_SPENT in r["errors"]]
    assert 2 <= len(skipped) <= 6
    assert all(r["site"] is None for r in results)
