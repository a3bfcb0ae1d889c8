"""The durability probes of bench/durability_bench.py at CI size, through the real `triage` command:
100 hostile mutants of real mail, 3 kills of a running batch, 2 batches at once on one database.

The full-size run (2,000 mutants, 20 kills, 2-4 processes) is ``python bench/durability_bench.py``.
"""

from __future__ import annotations

import pytest
from conftest import bench_module

pytestmark = pytest.mark.slow

bench = bench_module("durability_bench")


def test_the_generator_makes_every_kind_of_mutant_and_the_same_ones_for_a_seed():
    made = bench.mutants(70, seed=3)
    assert len({raw for _, _, raw in made}) == 70  # distinct
    assert {kind.split("+")[0] for kind, _, _ in made} == set(bench.MUTATORS)
    assert made == bench.mutants(70, seed=3) and made != bench.mutants(70, seed=4)
    assert any(b"\x00" in raw for kind, _, raw in made if kind.startswith("NULs"))
    assert any(len(raw) > 70_000 for kind, _, raw in made if kind.startswith("huge header"))


def test_hostile_mutants_of_real_mail_never_crash_and_none_is_lost(tmp_path):
    # bench/corpus/written ships with the repository: this runs on a fresh clone without ../shared too
    found = bench.run_mutants(100, seed=18, work=tmp_path, per_batch=50)
    print("\n" + "\n".join(found.lines()))
    assert found.mutants == 100
    assert found.crashes == []
    assert found.lost == []
    assert found.stored + found.skipped >= 100  # each triaged, or skipped with its reason
    assert 0 < found.rows <= found.stored


def test_a_batch_killed_three_times_stays_sound_and_a_rerun_stores_each_message_once(tmp_path):
    found = bench.run_kills(3, 400, seed=18, work=tmp_path)
    print("\n" + "\n".join(found.lines()))
    assert len(found.at_kill) == 3
    assert found.unsound == []
    assert found.rerun_statuses == [0, 0, 0]
    assert found.finals == [(400, 400)] * 3
    assert found.ok()


def test_two_batches_at_once_never_see_a_locked_database_nor_store_twice(tmp_path):
    found = bench.run_concurrent(2, 150, tmp_path)
    print("\n" + "\n".join(found.lines()))
    assert found.statuses == [0, 0], found.errors
    assert found.locked == 0
    assert found.final == (found.messages, found.messages) == (375, 375)
    assert found.sound == "ok"
