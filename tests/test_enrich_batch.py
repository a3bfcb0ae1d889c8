"""enrich_many: one lookup per domain, bounded concurrency, progress, real speed-up."""

from __future__ import annotations

import re
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from sites.helpers import FakeResolver, inquiry, local_fetcher, page, requested, serve
from triage.enrich import DictCache, enrich_many

LATENCY = 0.08


@pytest.fixture
def slow_server():
    """A threaded local server answering every host after LATENCY seconds."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.expect_request(re.compile(".*")).respond_with_handler(_answer)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def _answer(request):
    time.sleep(LATENCY)
    host = request.headers.get("Host")
    return Response(f"<html><title>{host}</title><body>Coming soon</body></html>", content_type="text/html")


def _run(server, n: int, workers: int, offset: int = 0) -> float:
    hosts = [f"buyer{i}-elec.com" for i in range(offset, offset + n)]
    items = [inquiry(f"sales@{h}") for h in hosts]
    started = time.perf_counter()
    results = enrich_many(items, workers=workers, fetcher=local_fetcher(server, *hosts), resolver=FakeResolver())
    assert [r["site"]["title"] for r in results] == hosts
    return time.perf_counter() - started


def test_concurrent_is_much_faster_than_one_by_one(slow_server):
    sequential = _run(slow_server, 12, workers=1)
    concurrent = _run(slow_server, 12, workers=12, offset=100)
    assert sequential >= 12 * LATENCY
    assert sequential / concurrent >= 3, (sequential, concurrent)


def test_each_domain_is_looked_up_once(httpserver):
    serve(httpserver, "acme.de", "/", page("placeholder.html"))
    serve(httpserver, "beta.fr", "/", page("parked.html"))
    items = [inquiry("a@acme.de"), inquiry("b@beta.fr"), inquiry("c@acme.de"), inquiry("x@gmail.com"),
             inquiry("d@mail.acme.de"), inquiry("e@beta.fr")]
    resolver, ticks = FakeResolver(), []
    results = enrich_many(items, workers=4, progress=lambda done, total: ticks.append((done, total)),
                          fetcher=local_fetcher(httpserver, "acme.de", "beta.fr"), resolver=resolver)
    assert sorted(requested(httpserver)) == ["acme.de /", "beta.fr /"]
    assert sorted(name for name, _ in resolver.calls) == ["acme.de", "beta.fr"]
    assert [r["domain"]["sender"] for r in results] == ["acme.de", "beta.fr", "acme.de", "gmail.com",
                                                        "mail.acme.de", "beta.fr"]
    assert results[1]["site"]["parked"] and results[0]["site"]["placeholder"] and results[3]["site"] is None
    assert ticks[-1] == (6, 6) and [d for d, _ in ticks] == sorted(d for d, _ in ticks)


def test_batch_uses_the_cache(httpserver):
    serve(httpserver, "acme.de", "/", page("placeholder.html"))
    cache, fetcher = DictCache(), local_fetcher(httpserver, "acme.de")
    enrich_many([inquiry("a@acme.de")], cache=cache, fetcher=fetcher, resolver=FakeResolver())
    again = enrich_many([inquiry("b@acme.de")], cache=cache, fetcher=fetcher, resolver=FakeResolver())
    assert len(requested(httpserver)) == 1 and again[0]["cache_age_days"] == 0.0


def test_batch_offline_touches_nothing():
    resolver = FakeResolver()
    results = enrich_many([inquiry("a@acme.de"), inquiry("b@qq.com")], offline=True, resolver=resolver)
    assert resolver.calls == [] and all(r["offline"] and r["site"] is None for r in results)


def test_empty_batch():
    assert enrich_many([]) == []
