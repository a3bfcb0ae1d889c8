"""How fast `triage queue` answers with many stored inquiries (target: 10,000 in < 300 ms).

    python bench/queue_bench.py [N]

Fills a temporary database with N inquiries (a realistic mix: most already
answered or closed, some new, plans for every genuine A-C one), then times the
queue query plus building and rendering the items, best of several runs.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from triage import queue, store_followups  # noqa: E402
from triage.followup import load_cadence, plan_followups  # noqa: E402
from triage.store import Store, utcnow  # noqa: E402

TODAY = date(2026, 11, 20)
CATEGORIES = ["genuine"] * 6 + ["competitor", "spam", "phishing", "scam", "not_inquiry"]
STATUSES = ["open"] * 5 + ["new", "replied", "won", "lost"]
PERSONAS = [None, "driver", "analytical", "amiable", "expressive"]


def fill(store: Store, n: int, seed: int = 7) -> None:
    rng, cadence, stamp = random.Random(seed), load_cadence(), utcnow()
    inquiries, steps = [], []
    for i in range(1, n + 1):
        category = rng.choice(CATEGORIES)
        tier = rng.choice("ABCD") if category == "genuine" else "D"
        persona = rng.choice(PERSONAS) if category == "genuine" else None
        received = TODAY - timedelta(days=rng.randint(0, 365))
        status = rng.choice(STATUSES) if received < TODAY - timedelta(days=2) else "new"
        record = {"category": category, "tier": tier, "persona": {"type": persona}}
        inquiries.append((i, f"k{i}", "eml", f"{received}T08:00:00+00:00", stamp, f"Buyer {i}", f"b{i}@x.example",
                          f"Company {i} Ltd", f"RFQ {i}", "BL-GFCI BL-WRC", category, tier, persona, status,
                          json.dumps(record)))
        for f in plan_followups(record, start=received, cadence=cadence):
            done = status != "new" and (f.step == 0 or f.due < TODAY - timedelta(days=rng.randint(0, 30)))
            state = "done" if done else ("stopped" if status in ("replied", "won", "lost") else "pending")
            steps.append((i, f.step, f.due.isoformat(), f.purpose, state, f.due.isoformat() if done else None))
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO inquiries (id, dedupe_key, source_kind, received, triaged_at, contact_name, sender_email, "
            "company_name, subject, products, category, tier, persona, status, record) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", inquiries)
        conn.executemany(
            "INSERT INTO followups (inquiry_id, step, due, purpose, status, done_at) VALUES (?, ?, ?, ?, ?, ?)", steps)
    store.conn.execute("ANALYZE")


def run(n: int = 10000, repeat: int = 5) -> dict:
    """Fill a temp database with ``n`` inquiries and time the queue (query + build + render)."""
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.db") as store:
        started = time.perf_counter()
        fill(store, n)
        fill_s = time.perf_counter() - started
        timings, items, text = [], [], ""
        for _ in range(repeat):
            t0 = time.perf_counter()
            items = queue.build(store_followups.due_items(store, TODAY), TODAY)
            text = queue.render(items, TODAY)
            timings.append(time.perf_counter() - t0)
        return {
            "inquiries": n,
            "followups": store.conn.execute("SELECT count(*) FROM followups").fetchone()[0],
            "items": len(items),
            "lines": text.count("\n") + 1,
            "fill_s": round(fill_s, 2),
            "queue_ms_best": round(min(timings) * 1000, 1),
            "queue_ms_worst": round(max(timings) * 1000, 1),
            "target_ms": 300,
        }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]) if len(sys.argv) > 1 else 10000), indent=2))
