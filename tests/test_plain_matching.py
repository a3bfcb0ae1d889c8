"""The regex fast paths change nothing: the whole offline pipeline, run once as shipped and once with
``TRIAGE_PLAIN_RE=1`` (every regex plain ``re`` over the whole text, see triage/matching.py), prints
the same JSON contract for every message, field by field.

Two runs of ``triage inquiry --offline --json --no-store`` in subprocesses (the switch is read at
import). Over the repository's own messages (examples/, bench/corpus/written/) always; over every
sample of ../shared/inquiries and every message of ../shared/corpora (~2,300 messages, about 30 s
both ways on a 2-core machine) when ../shared is beside the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPORA, INQUIRIES, needs_shared

ROOT = Path(__file__).resolve().parents[1]


def _triage(paths: list[Path], plain: bool) -> tuple[dict[str, dict], str, int]:
    """{source path: contract} of each message, the error lines, and the exit code."""
    env = dict(os.environ)
    env.pop("TRIAGE_PLAIN_RE", None)
    if plain:
        env["TRIAGE_PLAIN_RE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", "from triage.cli import main; main()", "inquiry", "--offline", "--json", "--no-store",
         *map(str, paths)], capture_output=True, text=True, env=env, timeout=900)
    out: dict[str, dict] = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        key = record["source"]["path"] or ""
        assert key not in out, f"two outputs for {key}"
        out[key] = record
    return out, done.stderr, done.returncode


def _first_difference(fast, plain, where: str = "") -> str | None:
    """The path of the first field where the two values differ (None when they are equal)."""
    if isinstance(fast, dict) and isinstance(plain, dict):
        for key in list(fast) + [k for k in plain if k not in fast]:
            if key not in fast or key not in plain:
                return f"{where}.{key} (only in {'fast' if key in fast else 'plain'})"
            found = _first_difference(fast[key], plain[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(fast, list) and isinstance(plain, list):
        for i, (a, b) in enumerate(zip(fast, plain)):
            found = _first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None if len(fast) == len(plain) else f"{where} (length {len(fast)} fast, {len(plain)} plain)"
    return None if fast == plain else f"{where}: fast {fast!r}, plain {plain!r}"


def _compare(paths: list[Path], least: int) -> None:
    fast, fast_errors, fast_code = _triage(paths, plain=False)
    plain, plain_errors, plain_code = _triage(paths, plain=True)
    assert len(fast) >= least, f"only {len(fast)} messages triaged: {fast_errors[-2000:]}"
    differences = [f"{key}: {_first_difference(fast.get(key), plain.get(key))}"
                   for key in sorted(set(fast) | set(plain)) if fast.get(key) != plain.get(key)]
    assert not differences, f"{len(differences)} of {len(fast)} messages differ:\n" + "\n".join(differences[:20])
    assert (fast_code, fast_errors) == (plain_code, plain_errors)


def test_first_difference_names_the_field():
    fast = {"a": 1, "signals": [{"name": "x", "weight": 2}], "tier": "B"}
    assert _first_difference(fast, json.loads(json.dumps(fast))) is None
    assert _first_difference(fast, {**fast, "signals": [{"name": "x", "weight": 3}]}) == \
        ".signals[0].weight: fast 2, plain 3"
    assert _first_difference(fast, {**fast, "signals": []}) == ".signals (length 1 fast, 0 plain)"
    assert _first_difference(fast, {"a": 1, "signals": fast["signals"]}) == ".tier (only in fast)"


def test_the_switch_runs_every_matcher_plain():
    code = ("import re; from triage import matching as m; rx = re.compile(r'\\bwww\\.\\w+');"
            "print(m.plain(), m.Matcher(rx).starts is None, m.pattern_gate(rx) is None)")
    for value, expected in (("1", "True True True"), ("", "False False False")):
        env = {**os.environ, "TRIAGE_PLAIN_RE": value}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        assert done.stdout.split() == expected.split()


def test_the_repositorys_own_messages_come_out_the_same_both_ways():
    folders = (ROOT / "examples", ROOT / "tests", ROOT / "bench" / "corpus" / "written")
    paths = sorted(p for folder in folders if folder.exists() for p in folder.rglob("*")
                   if p.suffix in (".eml", ".mbox") or p.suffix == ".txt" and "golden" not in p.parts)
    assert len(paths) >= 20
    _compare(paths, least=20)


@needs_shared(INQUIRIES)
@pytest.mark.slow
def test_every_sample_inquiry_comes_out_the_same_both_ways():
    paths = sorted(p for p in INQUIRIES.iterdir() if p.suffix in (".eml", ".txt", ".mbox"))
    _compare(paths, least=90)


@needs_shared(CORPORA)
@pytest.mark.slow
def test_every_corpus_message_comes_out_the_same_both_ways():
    paths = []
    for folder in sorted(p for p in CORPORA.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.rglob("*") if p.is_file() and "LICENSE" not in p.name
                       and p.suffix not in (".xml", ".md"))
        paths += files
    _compare(paths, least=2000)
