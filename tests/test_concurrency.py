"""Nothing lost: real `triage` processes sharing one database, and a batch killed half-way.

Run alone: ``python -m pytest tests/test_concurrency.py -v -s``
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import bench_module

pytestmark = pytest.mark.slow

TRIAGE = shutil.which("triage", path=str(Path(sys.executable).parent))
write_inquiries = bench_module("durability_bench").write_inquiries  # distinct buyer inquiries as .eml files


def env(home: Path) -> dict[str, str]:
    return {**os.environ, "TRIAGE_HOME": str(home)}


def stored(db: Path) -> tuple[int, int]:
    """(rows, distinct Message-IDs), read without taking part in the writers' transactions."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute("SELECT count(*), count(DISTINCT message_id) FROM inquiries").fetchone()
    finally:
        conn.close()


def stored_so_far(db: Path) -> int:
    """Rows stored while the writer runs; 0 while its first migration has not created the table yet."""
    try:
        return stored(db)[0]
    except sqlite3.OperationalError:
        return 0


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_two_imports_at_once_store_everything_once_and_the_queue_keeps_answering(tmp_path, triage_home):
    first = write_inquiries(tmp_path / "first", 500, "alpha")
    second = write_inquiries(tmp_path / "second", 500, "beta")
    subprocess.run([TRIAGE, "queue"], env=env(triage_home), check=True, capture_output=True)  # create the db
    imports = [subprocess.Popen([TRIAGE, "inquiry", "--offline", str(folder)], env=env(triage_home),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for folder in (first, second)]
    queue_times = []
    while any(p.poll() is None for p in imports):
        started = time.perf_counter()
        done = subprocess.run([TRIAGE, "queue"], env=env(triage_home), capture_output=True, text=True, timeout=30)
        queue_times.append(time.perf_counter() - started)
        assert done.returncode == 0, done.stderr
    for p in imports:
        assert p.wait(timeout=300) == 0, p.stderr.read().decode()
    print(f"\nqueue answered {len(queue_times)} times during the imports, slowest {max(queue_times):.2f} s")
    assert len(queue_times) >= 2
    assert max(queue_times) < 10
    assert stored(triage_home / "triage.db") == (1000, 1000)
    assert integrity(triage_home / "triage.db") == "ok"


def test_a_batch_killed_half_way_leaves_a_sound_database_and_a_rerun_completes_it(tmp_path, triage_home):
    folder = write_inquiries(tmp_path / "batch", 900, "gamma")
    db = triage_home / "triage.db"
    batch = subprocess.Popen([TRIAGE, "inquiry", "--offline", str(folder)], env=env(triage_home),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and batch.poll() is None:
        if db.exists() and stored_so_far(db) > 0:
            break
        time.sleep(0.05)
    assert batch.poll() is None, "the batch finished before it could be killed: make it larger"
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    partial = stored(db)[0]
    print(f"\nkilled with {partial} of 900 stored")
    assert 0 < partial < 900
    assert integrity(db) == "ok"
    again = subprocess.run([TRIAGE, "inquiry", "--offline", str(folder)], env=env(triage_home),
                           capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()[-2000:]
    assert stored(db) == (900, 900)
    assert integrity(db) == "ok"


def test_backup_while_an_import_runs_is_consistent(tmp_path, triage_home):
    folder = write_inquiries(tmp_path / "batch", 600, "delta")
    batch = subprocess.Popen([TRIAGE, "inquiry", "--offline", str(folder)], env=env(triage_home),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    db, copies = triage_home / "triage.db", []
    while batch.poll() is None and len(copies) < 5:
        if db.exists():
            copy = tmp_path / f"copy-{len(copies)}.db"
            done = subprocess.run([TRIAGE, "backup", str(copy)], env=env(triage_home), capture_output=True, text=True)
            assert done.returncode == 0, done.stderr
            copies.append(copy)
        time.sleep(0.2)
    assert batch.wait(timeout=300) == 0
    for copy in copies:
        assert integrity(copy) == "ok"
        rows, distinct = stored(copy)
        assert rows == distinct
        conn = sqlite3.connect(copy)
        orphans = conn.execute("SELECT count(*) FROM inquiries i WHERE NOT EXISTS "
                               "(SELECT 1 FROM events e WHERE e.inquiry_id = i.id)").fetchone()[0]
        conn.close()
        assert orphans == 0  # an inquiry and its 'triaged' event are one transaction
