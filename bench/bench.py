"""triage's benchmark: start-up, offline throughput, peak memory, batch enrichment, queue.

    python bench/bench.py [--inquiries DIR] [--messages 2000] [--quick]

Prints, in one run:
- the median start-up time of `triage --help` beside `python -c "import click"` and their ratio
  (target: within 1.5x);
- the offline throughput over the sample inquiries repeated to 2,000 messages: parse + extract
  alone, and the whole offline pipeline (best of three runs, median beside it) (parse, extract, offline enrich, judge, persona, draft,
  follow-up plan, store in a real SQLite file), beside plain `email` parsing of the same messages
  (target: at least 300 inquiries/s on one core);
- the peak memory of that run;
- the whole offline pipeline once over the real-world mail of ../shared/corpora, every message
  different (the repeated samples warm per-word and per-domain memos; this run cannot);
- batch enrichment wall time against a local server with 100 ms latency, concurrent vs one by one
  (bench/enrich_bench.py; target: at least 10x);
- `triage queue` over 10,000 stored inquiries (bench/queue_bench.py; target: under 300 ms).
"""

from __future__ import annotations

import argparse
import email
import re
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def _median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def startup(runs: int = 21) -> dict:
    """Median start-up of `triage --help` and of `python -c "import click"`, runs interleaved so that
    both meet the same machine load."""
    script = shutil.which("triage", path=str(Path(sys.executable).parent)) or shutil.which("triage")
    if not script:
        raise SystemExit("install triage first (pip install .): the benchmark times the installed command")
    click_times, triage_times = [], []
    for _ in range(runs):
        click_times.append(_median_time([sys.executable, "-c", "import click"], 1))
        triage_times.append(_median_time([script, "--help"], 1))
    click, triage = statistics.median(click_times), statistics.median(triage_times)
    editable = any(p.name.startswith("__editable__") for p in Path(sys.prefix).glob("lib/python*/site-packages/*"))
    return {"import_click_s": click, "triage_help_s": triage, "ratio": triage / click, "editable_install": editable}


def load_items(directory: Path, n: int):
    """The directory's messages repeated to ``n``, each copy made distinct (new Message-ID or text)."""
    from triage.inputs import Item, items

    base = [item for item in items([str(directory)]) if item.raw]
    out = []
    for i in range(n):
        item = base[i % len(base)]
        raw = item.raw
        if item.kind == "eml":
            raw = re.sub(rb"(?im)^(message-id:\s*<)", f"\\g<1>c{i}.".encode(), raw, count=1)
        else:
            raw = raw + f"\nref {i}\n".encode()
        out.append(Item(f"{item.label}#{i}", item.kind, raw=raw))
    return out


def throughput(directory: Path, n: int, runs: int = 3) -> dict:
    """Messages per second of each path. The whole pipeline runs ``runs`` times and the fastest run is
    its figure (as timeit advises: the machine's other work only ever adds time; the median is shown
    beside it)."""
    from triage.pipeline import Options, read_inquiry, triage_items
    from triage.profile import load_profile
    from triage.store import Store

    profile = load_profile()
    batch = load_items(directory, n)
    emls = [item.raw for item in batch if item.kind == "eml"]
    started = time.perf_counter()
    for raw in emls:
        msg = email.message_from_bytes(raw, policy=policy.default)
        body = msg.get_body(("plain", "html"))
        if body is not None:
            body.get_content()
    plain_rate = len(emls) / (time.perf_counter() - started)

    read_inquiry(batch[0], profile)  # warm the lazy imports and compiled patterns
    started = time.perf_counter()
    for item in batch:
        read_inquiry(item, profile)
    parse_rate = n / (time.perf_counter() - started)
    spine_rate = _parse_extract_store(batch, profile)

    rates, stored, errors = [], 0, 0
    for _ in range(runs):  # each run into a new database: every row an insert, as on first import
        with tempfile.TemporaryDirectory() as home:
            store = Store(Path(home) / "bench.db")
            triage_items(batch[:20], profile, Options(offline=True), store)  # warm up every stage
            started = time.perf_counter()
            result = triage_items(batch, profile, Options(offline=True), store)
            rates.append(n / (time.perf_counter() - started))
            stored, errors = store.count(), len(result.errors)
            store.close()
            del result  # one run's results in memory at a time (peak memory is reported)
    full_rate = max(rates)
    return {
        "messages": n, "plain_email_default_policy_per_s": plain_rate, "parse_extract_per_s": parse_rate,
        "parse_extract_store_per_s": spine_rate,
        "full_offline_pipeline_per_s": full_rate, "full_offline_pipeline_median_per_s": statistics.median(rates),
        "full_runs": runs, "ratio_full_to_plain_email": full_rate / plain_rate,
        "stored": stored, "errors": errors,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def distinct_mail(directory: Path) -> dict:
    """The whole offline pipeline once over real-world mail, every message different (no repeats to warm
    the per-word and per-domain memos): the figure for mail triage has not seen before."""
    from triage.inputs import items
    from triage.pipeline import Options, triage_items
    from triage.profile import load_profile
    from triage.store import Store

    batch = [item for item in items([str(directory)]) if item.raw and len(item.raw) < 300_000]
    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "distinct.db")
        started = time.perf_counter()
        result = triage_items(batch, load_profile(), Options(offline=True), store)
        rate = len(result.results) / (time.perf_counter() - started)
        store.close()
    return {"messages": len(result.results), "per_s": rate}


def _parse_extract_store(batch, profile) -> float:
    """Issue 3's path: parse, extract and store (no enrichment, judgment, persona or draft)."""
    from triage.pipeline import read_inquiry, store_row
    from triage.store import Store

    with tempfile.TemporaryDirectory() as home:
        store = Store(Path(home) / "spine.db")
        started = time.perf_counter()
        for start in range(0, len(batch), 200):
            store.save_many(store_row(read_inquiry(item, profile)) for item in batch[start:start + 200])
        rate = len(batch) / (time.perf_counter() - started)
        store.close()
    return rate


def main() -> None:
    """Run everything under a fresh TRIAGE_HOME with the demo seller, whatever the user has set up."""
    saved = os.environ.get("TRIAGE_HOME")
    with tempfile.TemporaryDirectory() as home:
        os.environ["TRIAGE_HOME"] = home
        try:
            _main()
        finally:
            if saved is None:
                os.environ.pop("TRIAGE_HOME", None)
            else:
                os.environ["TRIAGE_HOME"] = saved


def _main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inquiries", type=Path, default=ROOT.parent / "shared" / "inquiries")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora",
                        help="Real-world mail for the distinct-messages figure (skipped when missing).")
    parser.add_argument("--quick", action="store_true", help="Skip the enrichment and queue benchmarks.")
    args = parser.parse_args()

    s = startup()
    kind = "editable install: adds its import hook" if s["editable_install"] else "regular install"
    print(f"start-up ({kind}): triage --help {s['triage_help_s'] * 1000:.0f} ms, import click "
          f"{s['import_click_s'] * 1000:.0f} ms, ratio {s['ratio']:.2f} (target <= 1.5)")
    t = throughput(args.inquiries, args.messages)
    plain = t["plain_email_default_policy_per_s"]
    print(f"offline, {t['messages']} messages, one core: plain email parsing (default policy) {plain:.0f}/s")
    print(f"  parse+extract {t['parse_extract_per_s']:.0f}/s; parse+extract+store {t['parse_extract_store_per_s']:.0f}/s "
          f"(target >= 300; ratio to plain parsing {t['parse_extract_store_per_s'] / plain:.2f})")
    print(f"  whole offline pipeline (+ domain checks, history, judge, persona, draft, plan, store) "
          f"{t['full_offline_pipeline_per_s']:.0f}/s, best of {t['full_runs']} runs (median "
          f"{t['full_offline_pipeline_median_per_s']:.0f}/s; target >= 300; ratio {t['ratio_full_to_plain_email']:.2f}); "
          f"stored {t['stored']}, errors {t['errors']}")
    print(f"peak memory: {t['peak_rss_mb']:.0f} MB")
    if args.corpora.is_dir():
        d = distinct_mail(args.corpora)
        print(f"  whole offline pipeline on {d['messages']} distinct real-world messages ({args.corpora.name}, "
              f"each seen once): {d['per_s']:.0f}/s")
    if args.quick:
        return
    import enrich_bench
    import queue_bench

    e = enrich_bench.run(workers=16)  # the CLI default
    print(f"enrichment: {e}")
    q = queue_bench.run()
    print(f"queue: {q}")


if __name__ == "__main__":
    main()
