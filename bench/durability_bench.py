"""Durability probes through the real `triage` command: hostile mail, kill -9, concurrent batches.

    python bench/durability_bench.py [--mutants 2000] [--kills 20] [--processes 2 3 4] [--seed 18]
                                     [--only mutants|kills|concurrent]

1. mutants: real mail (../shared/inquiries, ../shared/corpora, bench/corpus/written) mutated with a
   fixed seed (truncated, bit-flipped, bad charsets, broken MIME boundaries, huge headers, NULs, mixed
   encodings) and imported with `triage inquiry --offline` in batches of 100 files. Counts crashes
   (an internal error, a traceback, an exit status other than 0 or 1, an entry in triage.log) and
   messages lost: a file neither in the batch's records nor in its skipped list with a reason.
2. kills: a batch killed with SIGKILL at a random moment, N times; after
   each kill SQLite's integrity check must say ok (and no inquiry lack its 'triaged' event); half the
   kills land at a random moment of a run, half once the run has committed a chunk; each kill is into
   a database of its own, and a rerun after it must store every message exactly once.
3. concurrent: 2-4 `triage inquiry` processes at once on one database, each its own folder plus one
   folder all of them import: no 'database is locked', no failure, every message stored once.

Each probe prints its figures; the exit status is 1 when a probe fails. The tests in
tests/test_hardening_durability.py run the same probes at CI size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SOURCES = (SHARED / "inquiries", SHARED / "corpora", ROOT / "bench" / "corpus" / "written")
TRIAGE = shutil.which("triage", path=str(Path(sys.executable).parent)) or "triage"
PRODUCTS = ["LED panel light 600x600", "LED downlight 12W", "wall switch", "USB wall socket", "floodlight 100W"]


# -- the hostile-mail generator ------------------------------------------------------------------

def samples(sources=SOURCES, limit: int = 200_000) -> list[tuple[str, bytes]]:
    """Real messages to mutate, (suffix, bytes), in a fixed order: every mail file under the
    sources that exist, smaller than ``limit`` bytes."""
    out = []
    for folder in sources:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix.lower() in (".json", ".xml", ".md", ".py", ".toml") or "LICENSE" in path.name:
                continue
            raw = path.read_bytes()
            if 0 < len(raw) < limit:
                out.append((".txt" if path.suffix.lower() == ".txt" else ".eml", raw))
    return out


def _truncate(rng: random.Random, raw: bytes) -> bytes:
    return raw[: rng.randint(1, max(1, len(raw) - 1))]


def _bitflip(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


_BAD_CHARSETS = [b"x-unknown", b"utf-7", b"unicode-1-1-utf-7", b"iso-2022-jp", b"utf-16", b"utf-32",
                 b"", b"\"", b"utf-8\x00", b"koi8-r", b"gb2312", b"big5-hkscs", b"cp65001", b"latin-99",
                 b"us-ascii\"; charset=\"shift_jis", b"x" * 300, b"..\\..\\etc", b"utf_8_sig", b"rot13"]


def _charset(rng: random.Random, raw: bytes) -> bytes:
    bad = rng.choice(_BAD_CHARSETS)
    if re.search(rb"(?i)charset=", raw):
        return re.sub(rb"(?i)charset=(\"[^\"]*\"|[^;\s]+)", lambda m: b"charset=" + bad, raw, count=rng.randint(1, 5))
    return b"Content-Type: text/plain; charset=" + bad + b"\n" + raw


def _boundary(rng: random.Random, raw: bytes) -> bytes:
    found = re.search(rb"(?i)boundary=\"?([^\";\r\n]+)\"?", raw)
    if not found:  # make it a multipart whose parts never close, or whose boundary is empty
        return (b"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"" + rng.choice([b"", b"--", b"x"])
                + b"\"\n" + raw + b"\n--\n--x\n" * rng.randint(1, 300))
    old = found.group(1)
    choice = rng.randrange(4)
    if choice == 0:  # the declared boundary never occurs
        return raw.replace(b"boundary=" + old, b"boundary=" + old[::-1], 1).replace(b"boundary=\"" + old, b"boundary=\"" + old[::-1], 1)
    if choice == 1:  # no closing delimiter
        return raw.replace(b"--" + old + b"--", b"")
    if choice == 2:  # an empty boundary and many dash lines
        return raw.replace(old, b"", 1) + b"\n--\n" * rng.randint(10, 2000)
    return raw.replace(b"--" + old, b"--" + old[: max(1, len(old) // 2)], rng.randint(1, 3))  # cut delimiters


def _huge_header(rng: random.Random, raw: bytes) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        extra = b"X-Huge: " + b"a" * rng.randint(70_000, 1_500_000) + b"\n"
    elif choice == 1:
        extra = b"".join(b"X-Many-%d: value\n" % n for n in range(rng.randint(1_000, 20_000)))
    elif choice == 2:
        extra = b"Subject: " + b"\n ".join(b"folded" for _ in range(rng.randint(1_000, 50_000))) + b"\n"
    else:
        extra = b"To: " + b", ".join(b"user%d@example.com" % n for n in range(rng.randint(1_000, 30_000))) + b"\n"
    return extra + raw if rng.random() < 0.5 else _after_first_line(raw, extra)


def _after_first_line(raw: bytes, extra: bytes) -> bytes:
    end = raw.find(b"\n")
    return raw[: end + 1] + extra + raw[end + 1 :] if end >= 0 else raw + b"\n" + extra


def _nuls(rng: random.Random, raw: bytes) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randint(1, 30)):
        at = rng.randrange(len(data) + 1)
        data[at:at] = b"\x00" * rng.randint(1, 50)
    return bytes(data)


_FOREIGN = ["Bonjour, prix FOB Shanghai s'il vous plaît", "Здравствуйте, нужна цена на 500 шт",
            "您好，请报价 1000 个 LED 面板灯", "こんにちは、見積もりをお願いします", "مرحبا، نحتاج عرض سعر",
            "Grüße aus Köln — Muster bitte", "안녕하세요 견적 부탁드립니다"]
_CODECS = ["utf-16", "utf-16-be", "shift_jis", "gb18030", "cp1251", "latin-1", "big5", "euc-kr", "koi8-r", "utf-8"]


def _mixed(rng: random.Random, raw: bytes) -> bytes:
    pieces = []
    for _ in range(rng.randint(1, 6)):
        text = rng.choice(_FOREIGN)
        pieces.append(text.encode(rng.choice(_CODECS), errors="replace"))
    header = (b"Subject: =?" + rng.choice([b"utf-8", b"koi8-r", b"x-bogus", b"utf-16"]) + b"?"
              + rng.choice([b"B", b"Q", b"X"]) + b"?" + rng.choice([b"0JfQtNGA", b"=D0=97==", b"!!!", b"5L2g5aW9"])
              + b"?= " + pieces[0] + b"\n")
    body = b"\n".join(pieces)
    at = rng.randrange(len(raw) + 1)
    return _after_first_line(raw[:at] + body + raw[at:], header)


MUTATORS = {"truncated": _truncate, "bit-flipped": _bitflip, "bad charset": _charset, "broken boundary": _boundary,
            "huge header": _huge_header, "NULs": _nuls, "mixed encodings": _mixed}


def mutants(count: int, seed: int = 18, sources=SOURCES) -> list[tuple[str, str, bytes]]:
    """``count`` distinct mutants (name, suffix, bytes) of the sources' mail, the same for the same seed:
    each one 1-3 mutations of one sample (the first mutation cycles through every kind)."""
    base = samples(sources)
    if not base:
        raise SystemExit(f"no mail to mutate in {', '.join(map(str, sources))}")
    rng, kinds = random.Random(seed), list(MUTATORS)
    out, seen = [], set()
    while len(out) < count:
        suffix, raw = rng.choice(base)
        names = [kinds[len(out) % len(kinds)]] + rng.sample(kinds, rng.randint(0, 2))
        for name in names:
            raw = MUTATORS[name](rng, raw) or b"x"
        if raw not in seen:
            seen.add(raw)
            out.append(("+".join(names), suffix, raw))
    return out


# -- running triage -----------------------------------------------------------------------------

def environment(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRIAGE_DEBUG"}
    return {**env, "TRIAGE_HOME": str(home)}


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def stored(db: Path) -> tuple[int, int]:
    """(rows, distinct dedupe keys) of the inquiries table."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*), count(DISTINCT dedupe_key) FROM inquiries").fetchone()
    except sqlite3.OperationalError:  # killed before its first migration made the table
        return (0, 0)
    finally:
        conn.close()


@dataclass
class MutantResult:
    mutants: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    stored: int = 0  # records the batches printed (new rows and updates of the same message)
    skipped: int = 0  # inputs listed as not triaged, each with its reason
    crashes: list[str] = field(default_factory=list)  # what failed, and where
    lost: list[str] = field(default_factory=list)  # files neither in a record nor in a skipped line
    rows: int = 0
    seconds: float = 0.0

    def ok(self) -> bool:
        return not self.crashes and not self.lost

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.by_kind.items()))
        return [f"mutants: {self.mutants} ({kinds})",
                f"  through `triage inquiry --offline` in {self.seconds:.1f} s: {self.stored} triaged "
                f"({self.rows} rows stored), {self.skipped} skipped with a reason",
                f"  crashes/tracebacks: {len(self.crashes)}; messages lost: {len(self.lost)}",
                *(f"  CRASH {c}" for c in self.crashes[:10]), *(f"  LOST {x}" for x in self.lost[:10])]


def run_mutants(count: int, seed: int, work: Path, per_batch: int = 100, sources=SOURCES) -> MutantResult:
    """Probe 1 (see the module docstring) in ``work``."""
    result = MutantResult()
    home, folder = work / "home", work / "mutants"
    home.mkdir(parents=True)
    files = []
    for n, (kind, suffix, raw) in enumerate(mutants(count, seed, sources)):
        for name in kind.split("+"):
            result.by_kind[name] = result.by_kind.get(name, 0) + 1
        path = folder / f"batch{n // per_batch:03d}" / f"m{n:05d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(raw)
        files.append(path)
    result.mutants = len(files)
    started = time.perf_counter()
    for batch in sorted(folder.iterdir()):
        _one_batch(sorted(batch.iterdir()), home, result)
    result.seconds = time.perf_counter() - started
    log = home / "triage.log"
    if log.exists() and "internal error" in log.read_text(encoding="utf-8", errors="replace"):
        result.crashes.append(f"triage.log has internal errors: {log}")
    result.rows = stored(home / "triage.db")[0]
    return result


def _one_batch(files: list[Path], home: Path, result: MutantResult) -> None:
    """Import ``files`` in one process; on a crash, one process per file, to count and name each crash."""
    done = subprocess.run([TRIAGE, "inquiry", "--offline", "--json", *map(str, files)], env=environment(home),
                          capture_output=True, timeout=1800)
    crash = _crash(done)
    if crash and len(files) > 1:
        for one in files:
            _one_batch([one], home, result)
        return
    if crash:
        result.crashes.append(f"{files[0]}: {crash}")
        return
    triaged = {(json.loads(line).get("source") or {}).get("path") or "" for line in done.stdout.splitlines()
               if line.strip()}
    skipped = [line.strip() for line in done.stderr.decode("utf-8", "replace").splitlines() if line.startswith("  ")]
    result.stored += len([line for line in done.stdout.splitlines() if line.strip()])
    result.skipped += len(skipped)
    for path in map(str, files):
        seen = any(t == path or t.startswith(path + "#") for t in triaged)
        reasoned = any(s.startswith(path) and len(s) > len(path) + 3 for s in skipped)
        if not (seen or reasoned):
            result.lost.append(path)


def _crash(done: subprocess.CompletedProcess) -> str | None:
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode not in (0, 1):
        return f"exit status {done.returncode}: {err.strip().splitlines()[-1:] or ''}"
    for marker in ("Traceback (most recent call last)", "internal error"):
        if marker in err:
            return next(line for line in err.splitlines() if marker in line or "Error" in line)
    return None


def write_inquiries(folder: Path, count: int, tag: str) -> Path:
    """``count`` distinct buyer inquiries as .eml files (distinct Message-IDs, senders and texts)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        product = PRODUCTS[n % len(PRODUCTS)]
        (folder / f"{tag}-{n:04d}.eml").write_text(
            f"From: Buyer {n} <buyer{n}@{tag}-company{n % 50}.com>\nTo: sales@brightline-electrical.com\n"
            f"Subject: RFQ {product} ({tag} {n})\nMessage-ID: <{tag}-{n}@{tag}-company{n % 50}.com>\n"
            f"Date: Mon, 2 Nov 2026 10:{n % 60:02d}:00 +0000\n\n"
            f"Hello,\n\nWe need {100 + n} pcs of {product}, CIF Hamburg, delivery by December.\n"
            f"Please send your best price and MOQ.\n\nBest regards,\nBuyer {n}\nPurchasing Manager\n",
            encoding="utf-8")
    return folder


@dataclass
class KillResult:
    kills: int = 0
    messages: int = 0
    at_kill: list[int] = field(default_factory=list)  # rows stored when each kill landed
    unsound: list[str] = field(default_factory=list)  # integrity check answers other than ok
    finals: list[tuple[int, int]] = field(default_factory=list)  # (rows, distinct keys) after each rerun
    rerun_statuses: list[int] = field(default_factory=list)
    seconds: float = 0.0

    def ok(self) -> bool:
        want = (self.messages, self.messages)
        return (not self.unsound and set(self.rerun_statuses) == {0} and len(self.finals) == self.kills
                and all(f == want for f in self.finals))

    def lines(self) -> list[str]:
        wrong = [f for f in self.finals if f != (self.messages, self.messages)]
        return [f"kill -9: {self.kills} kills of a {self.messages}-message batch, each into a database of its "
                f"own, at random moments ({self.seconds:.1f} s); rows stored at each kill: {self.at_kill}",
                f"  integrity check not ok after {len(self.unsound)} kills; reruns exiting non-zero: "
                f"{sum(1 for s in self.rerun_statuses if s)}; reruns not storing each of the {self.messages} "
                f"messages exactly once: {len(wrong)}",
                *(f"  UNSOUND {u}" for u in self.unsound[:5]), *(f"  WRONG (rows, distinct) {w}" for w in wrong[:5])]


def run_kills(kills: int, messages: int, seed: int, work: Path) -> KillResult:
    """Probe 2 (see the module docstring) in ``work``: each kill into a database of its own, then a rerun."""
    rng, result = random.Random(seed), KillResult(kills=kills, messages=messages)
    folder = write_inquiries(work / "batch", messages, "kill")
    started = time.perf_counter()
    whole = _timed_full_run(folder, work / "timing")
    for n in range(kills):
        home = work / f"home{n}"
        home.mkdir(parents=True)
        _kill_one(n, folder, home, whole, rng, result)
        again = subprocess.run([TRIAGE, "inquiry", "--offline", str(folder)], env=environment(home),
                               capture_output=True, timeout=1800)
        result.rerun_statuses.append(again.returncode)
        result.finals.append(stored(home / "triage.db"))
        _check_sound(home / "triage.db", result, f"after rerun {n + 1}: ")
    result.seconds = time.perf_counter() - started
    return result


def _kill_one(n: int, folder: Path, home: Path, whole: float, rng: random.Random, result: KillResult) -> None:
    db = home / "triage.db"
    batch = subprocess.Popen([TRIAGE, "inquiry", "--offline", str(folder)], env=environment(home),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if n % 2 == 0:  # at a random moment of a whole run: start-up, migrations, reading, judging, a commit
        time.sleep(rng.uniform(0.05, whole))
    else:  # once this run has committed a chunk: inside a later chunk's judging or its commit
        _wait_for_commit(batch, db, whole)
        time.sleep(rng.uniform(0, whole / 3))
    batch.send_signal(signal.SIGKILL)
    batch.wait()
    result.at_kill.append(stored(db)[0] if db.exists() else 0)
    if db.exists():
        _check_sound(db, result, f"after kill {n + 1}: ")


def _check_sound(db: Path, result: KillResult, when: str) -> None:
    check = integrity(db)
    if check != "ok":
        result.unsound.append(when + check)
    elif stored(db)[0] and orphans(db):
        result.unsound.append(f"{when}{orphans(db)} inquiries without their 'triaged' event")


def _events(db: Path) -> int:
    """Events stored so far (each saved inquiry adds one, a re-import too): how far a run has got."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
        try:
            return conn.execute("SELECT count(*) FROM events").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _wait_for_commit(batch: subprocess.Popen, db: Path, whole: float) -> None:
    """Until the running batch has committed its first chunk (or ended, or twice a whole run passed)."""
    start, deadline = _events(db), time.monotonic() + 2 * whole
    while batch.poll() is None and time.monotonic() < deadline and _events(db) == start:
        time.sleep(0.02)


def orphans(db: Path) -> int:
    """Inquiries stored without their 'triaged' event: a chunk is one transaction, so never any."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT count(*) FROM inquiries i WHERE NOT EXISTS (SELECT 1 FROM events e "
                            "WHERE e.inquiry_id = i.id AND e.kind = 'triaged')").fetchone()[0]
    finally:
        conn.close()


def _timed_full_run(folder: Path, home: Path) -> float:
    """How long a whole batch takes here (into a database of its own): the span kills are drawn from."""
    home.mkdir(parents=True)
    started = time.perf_counter()
    subprocess.run([TRIAGE, "inquiry", "--offline", str(folder)], env=environment(home),
                   capture_output=True, timeout=1800, check=True)
    return time.perf_counter() - started


@dataclass
class ConcurrentResult:
    processes: int = 0
    messages: int = 0  # distinct messages over all the folders
    statuses: list[int] = field(default_factory=list)
    locked: int = 0  # processes whose output mentions 'database is locked'
    final: tuple[int, int] = (0, 0)
    sound: str = ""
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def ok(self) -> bool:
        return (not self.locked and all(s == 0 for s in self.statuses) and self.sound == "ok"
                and self.final == (self.messages, self.messages))

    def lines(self) -> list[str]:
        return [f"concurrent: {self.processes} processes, {self.messages} distinct messages "
                f"(each its own folder, plus one folder all import) in {self.seconds:.1f} s: exit statuses "
                f"{self.statuses}, 'database is locked' in {self.locked}, {self.final[0]} rows, "
                f"{self.final[1]} distinct, integrity {self.sound}",
                *(f"  ERROR {e}" for e in self.errors[:5])]


def run_concurrent(processes: int, per_process: int, work: Path) -> ConcurrentResult:
    """Probe 3 (see the module docstring) in ``work``."""
    result = ConcurrentResult(processes=processes)
    home = work / "home"
    home.mkdir(parents=True)
    shared = write_inquiries(work / "shared", per_process // 2, "all")
    folders = [write_inquiries(work / f"own{n}", per_process, f"p{n}") for n in range(processes)]
    result.messages = per_process // 2 + processes * per_process
    subprocess.run([TRIAGE, "queue"], env=environment(home), capture_output=True, check=True)  # the database
    started = time.perf_counter()
    running = [subprocess.Popen([TRIAGE, "inquiry", "--offline", str(own), str(shared)], env=environment(home),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for own in folders]
    for proc in running:
        _, err = proc.communicate(timeout=1800)
        text = err.decode("utf-8", "replace")
        result.statuses.append(proc.returncode)
        result.locked += "database is locked" in text
        if proc.returncode:
            result.errors.append(text.strip().splitlines()[-1] if text.strip() else f"exit {proc.returncode}")
    result.seconds = time.perf_counter() - started
    result.final = stored(home / "triage.db")
    result.sound = integrity(home / "triage.db")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=int, default=2000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--kill-messages", type=int, default=600, help="size of the batch that is killed")
    parser.add_argument("--processes", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--per-process", type=int, default=300, help="messages in each process's own folder")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--only", choices=["mutants", "kills", "concurrent"])
    args = parser.parse_args()
    if shutil.which(TRIAGE) is None:
        sys.exit(f"no `triage` command beside {sys.executable}: run it with the Python triage is installed in")
    work = Path(tempfile.mkdtemp(prefix="triage-durability-"))
    ok = True
    try:
        if args.only in (None, "mutants"):
            found = run_mutants(args.mutants, args.seed, work / "mutants")
            print("\n".join(found.lines()), flush=True)
            ok &= found.ok()
        if args.only in (None, "kills"):
            found = run_kills(args.kills, args.kill_messages, args.seed, work / "kills")
            print("\n".join(found.lines()), flush=True)
            ok &= found.ok()
        if args.only in (None, "concurrent"):
            for n in args.processes:
                found = run_concurrent(n, args.per_process, work / f"concurrent{n}")
                print("\n".join(found.lines()), flush=True)
                ok &= found.ok()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
