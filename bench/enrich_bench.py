"""How much faster enrich_many is than enriching one inquiry at a time.

A local stdlib ThreadingHTTPServer (in a child process, so that its
threads do not compete with ours for the GIL) answers every fake buyer domain after an
added latency; MX lookups use an instant fake resolver. Nothing leaves the
machine. The sequential run covers a subset (``seq_n``) and is extrapolated
to ``n``, which the result says.

    python bench/enrich_bench.py            # n=200, latency=0.1 s
    python bench/enrich_bench.py sites      # how well the site reader reads bench/sites/ (labels.toml)
    python bench/enrich_bench.py sites --dir DIR   # the same for another folder of sites (DIR/labels.toml)

The ``sites`` run serves every site under ``bench/sites/`` from one local HTTP server
(the Host header picks the site, 127.0.0.1 only) and compares what enrich() reads with
``bench/sites/labels.toml``: per-fact accuracy, and every miss with what was read; then the
same for the held-out sites (``set = "holdout"``, written by another hand than the reader's
words) and for each round of them (``batch``).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from triage.enrich import Fetcher, enrich_many  # noqa: E402
from triage.model import Inquiry, Message  # noqa: E402

PAGE = (b"<html lang='en'><head><title>Buyer %d Electrical Supply</title></head><body>"
        b"<p>Electrical wholesaler and distributor of switches, sockets and cables since 1990.</p></body></html>")


class _Resolver:
    def resolve(self, name, rdtype, lifetime=None):
        return [type("Mx", (), {"preference": 10, "exchange": f"mx.{name}."})()]


def _send_html(handler: BaseHTTPRequestHandler, body: bytes) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _handler(latency: float):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            time.sleep(latency)
            body = PAGE % len(self.headers.get("Host", ""))
            _send_html(self, body)

        def log_message(self, *args):
            pass

    return Handler


def serve(latency: float) -> ThreadingHTTPServer:
    """A server in this process (simple; its threads share our GIL)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(latency))
    server.daemon_threads = True
    server.request_queue_size = 256
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _serve_in_child(latency: float, pipe) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(latency))
    server.daemon_threads = True
    server.request_queue_size = 256
    pipe.send(server.server_address[1])
    server.serve_forever()


def serve_elsewhere(latency: float):
    """``(process, port)``: the server in its own process, as a real web server would be."""
    import multiprocessing

    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=_serve_in_child, args=(latency, child), daemon=True)
    process.start()
    return process, parent.recv()


def inquiries(n: int) -> list[Inquiry]:
    return [Inquiry(message=Message(kind="text", from_email=f"buyer@buyer{i}-elec.com")) for i in range(n)]


def _timed(items: list[Inquiry], port: int, workers: int) -> float:
    hosts = {f"buyer{i}-elec.com": f"127.0.0.1:{port}" for i in range(len(items))}
    fetcher = Fetcher(allow_private=True, resolve=hosts, schemes=("http",))
    started = time.perf_counter()
    results = enrich_many(items, workers=workers, fetcher=fetcher, resolver=_Resolver())
    elapsed = time.perf_counter() - started
    assert all(r["site"] and not r["errors"] for r in results), [r["errors"] for r in results if r["errors"]][:3]
    return elapsed


def run(n: int = 200, latency: float = 0.1, workers: int = 32, seq_n: int = 40) -> dict:
    """Wall time one by one (measured on ``seq_n``, extrapolated to ``n``) vs concurrent."""
    process, port = serve_elsewhere(latency)
    try:
        items = inquiries(n)
        seq_n = min(seq_n, n)
        seq = _timed(items[:seq_n], port, workers=1) * n / seq_n
        concurrent = _timed(items, port, workers=workers)
    finally:
        process.terminate()
        process.join()
    return {"n": n, "latency_s": latency, "workers": workers, "sequential_measured_on": seq_n,
            "sequential_s": round(seq, 2), "concurrent_s": round(concurrent, 2), "speedup": round(seq / concurrent, 1)}


# --- reading the bench sites ------------------------------------------------------------------

SITES = Path(__file__).resolve().parent / "sites"


def _site_handler(root: Path, hosts: dict[str, str]):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            folder = hosts.get((self.headers.get("Host") or "").split(":")[0])
            name = self.path.split("?")[0].rstrip("/").rsplit("/", 1)[-1].removesuffix(".html") or "index"
            page = root / folder / f"{name}.html" if folder else None
            if page is None or not page.is_file():
                self.send_error(404)
                return
            body = page.read_bytes()
            _send_html(self, body)

        def log_message(self, *args):
            pass

    return Handler


def serve_sites(root: Path = SITES, labels_file: Path | None = None) -> tuple[ThreadingHTTPServer, list[dict]]:
    """A loopback server for every labelled site under ``root``, and the labels (``root``/labels.toml
    unless ``labels_file`` says otherwise)."""
    import tomllib

    labels_file = labels_file or root / "labels.toml"
    labels = tomllib.loads(labels_file.read_text(encoding="utf-8"))["site"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _site_handler(root, {s["host"]: s["dir"] for s in labels}))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, labels


FACTS = ("business_type", "size_band", "country", "founded", "staff", "branches", "parked", "placeholder")


def read_sites(root: Path = SITES, labels_file: Path | None = None) -> list[tuple[dict, dict]]:
    """``(label, site)`` for every bench site, read through enrich() from the local server."""
    from triage.enrich import enrich

    server, labels = serve_sites(root, labels_file)
    try:
        hosts = [s["host"] for s in labels]
        fetcher = Fetcher(allow_private=set(hosts), resolve={h: f"127.0.0.1:{server.server_port}" for h in hosts},
                          schemes=("http",))
        out = []
        for label in labels:
            inquiry = Inquiry(message=Message(kind="text", from_email=f"info@{label['host']}"))
            found = enrich(inquiry, fetcher=fetcher, resolver=_Resolver())
            out.append((label, found["site"] or {}))
        return out
    finally:
        server.shutdown()
        server.server_close()


def _read_value(fact: str, site: dict):
    if fact == "business_type":
        kind = site.get("business_type")
        return "manufacturer" if kind == "same_trade_factory" else kind or ("tie" if site.get("business_type_tie") else None)
    return site.get(fact)


def _right(fact: str, label: dict, site: dict) -> bool:
    if fact == "business_type" and label[fact] == "tie":
        return set(site.get("business_type_tie") or []) == set(label["tie_of"])
    return _read_value(fact, site) == label[fact]


def score_sites(results: list[tuple[dict, dict]]) -> dict:
    """Per fact: right/asked over the sites whose label states it, and the misses."""
    figures, misses = {}, []
    for fact in FACTS:
        asked = [(label, site) for label, site in results if fact in label]
        right = [1 for label, site in asked if _right(fact, label, site)]
        figures[fact] = {"right": len(right), "of": len(asked), "accuracy": round(len(right) / len(asked), 3) if asked else None}
        misses += [{"site": label["dir"], "fact": fact, "label": label[fact], "read": _read_value(fact, site),
                    "tie": site.get("business_type_tie") or None, "scores": site.get("business_type_scores")
                    if fact == "business_type" else None}
                   for label, site in asked if not _right(fact, label, site)]
    conflicts = sum(1 for _, site in results if site.get("country_conflict"))
    false_factory = [label["dir"] for label, site in results
                     if site.get("same_trade") and label.get("business_type") != "manufacturer"]
    return {"sites": len(results), "facts": figures, "country_conflicts_reported": conflicts,
            "false_same_trade_factory": false_factory, "misses": misses}


def _sites_options(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser(prog="enrich_bench.py sites", description="How well the site reader reads a folder of labelled sites.")
    parser.add_argument("--dir", type=Path, default=SITES, help="the folder of sites, one sub-folder each (default bench/sites)")
    parser.add_argument("--labels", type=Path, default=None, help="the labels file (default DIR/labels.toml)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    if sys.argv[1:2] == ["sites"]:
        options = _sites_options(sys.argv[2:])
        results = read_sites(options.dir, options.labels)
        print(json.dumps(score_sites(results), indent=1, ensure_ascii=False))
        print("held out:", json.dumps(score_sites([r for r in results if r[0].get("set") == "holdout"]),
                                      indent=1, ensure_ascii=False))
        for batch in dict.fromkeys(r[0]["batch"] for r in results if r[0].get("batch")):
            print(f"held out, batch {batch}:", json.dumps(score_sites([r for r in results if r[0].get("batch") == batch]),
                                                         indent=1, ensure_ascii=False))
    else:
        print(json.dumps(run(), indent=1))
        print(json.dumps(run(workers=8), indent=1))
