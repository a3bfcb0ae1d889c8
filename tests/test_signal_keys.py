"""Keys a signal record declares for other stages (hook, buyer_word/buyer_rank, verdict_note,
distrust_reply_to): validated on load, and read by the verdict and the draft instead of names."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import draft
from triage.errors import DataFileError
from triage.judge import explain, load_signals
from triage.model import Hit, Judgment

_OWN = '''
[[signal]]
name = "oem_buyer"
group = "money"
weight = 10
description = "Buys for their own brand"
field = "text"
pattern = "our own brand"
examples = ["under our own brand"]
{keys}
'''


def _write(home: Path, keys: str) -> None:
    (home / "signals.toml").write_text(_OWN.format(keys=keys), encoding="utf-8")


@pytest.mark.parametrize("keys, words", [
    ('hook = "yes"', ["hook", "true or false"]),
    ("buyer_word = 3", ["buyer_word", "non-empty string"]),
    ('buyer_word = "  "', ["buyer_word", "non-empty string"]),
    ('buyer_rank = "high"', ["buyer_rank", "whole number"]),
    ("buyer_rank = true", ["buyer_rank", "whole number"]),
    ("verdict_note = []", ["verdict_note"]),
    ("distrust_reply_to = 1", ["distrust_reply_to", "true or false"]),
    ('buyer_words = "typo"', ["unknown key", "buyer_words"]),
])
def test_an_ill_typed_or_unknown_key_names_the_file_and_the_signal(triage_home, keys, words):
    _write(triage_home, keys)
    with pytest.raises(DataFileError) as err:
        load_signals(triage_home)
    for word in ["signals.toml", "oem_buyer", *words]:
        assert word in str(err.value)


def _hit(name: str, weight: float = 10, evidence: str = "x") -> Hit:
    return Hit(name=name, group="money", weight=weight, description="", evidence=evidence)


def _verdict(signals, *names: str) -> str:
    judgment = Judgment(scores={"money": 70, "authority": 70, "need": 70, "authenticity": 90},
                        category="genuine", tier="A", signals=[_hit(n) for n in names])
    return explain(judgment, signals)[0]


def test_the_verdict_names_the_buyer_by_the_highest_ranked_word():
    signals = load_signals()
    assert "genuine buyer," in _verdict(signals)
    assert "genuine distributor," in _verdict(signals, "buyer_type_trade")
    assert "genuine sourcing agent," in _verdict(signals, "buyer_type_trade", "sourcing_agent")
    assert "genuine distributor," in _verdict(signals, "young_business", "buyer_type_trade")
    assert _verdict(signals, "history_existing_sender").startswith("A - genuine buyer, existing contact, ")


def test_a_users_own_signal_brings_its_buyer_word_and_note(triage_home):
    _write(triage_home, 'buyer_word = "OEM buyer"\nbuyer_rank = 9\nverdict_note = "own brand"')
    signals = load_signals(triage_home)
    verdict = _verdict(signals, "buyer_type_trade", "oem_buyer")
    assert verdict.startswith("A - genuine OEM buyer, own brand, ")


def _record(*hits: Hit) -> dict:
    return {"signals": [{"name": h.name, "group": h.group, "weight": h.weight, "evidence": h.evidence}
                        for h in hits]}


def test_the_draft_hook_comes_from_signals_that_declare_it(triage_home):
    stated = '"14 branches"'
    assert draft.hook(_record(_hit("branches_many", 25, stated))) == {"source": "message", "text": "14 branches"}
    assert draft.hook(_record(_hit("staff_small", -10, '"12 staff"'))) is None  # counted against them
    assert draft.hook(_record(_hit("buyer_type_trade", 15, stated))) is None  # no hook declared


def test_a_users_own_hook_signal_is_used_by_the_draft(triage_home):
    _write(triage_home, "hook = true")
    assert draft.hook(_record(_hit("oem_buyer", 10, "3 own brands"))) == {"source": "message", "text": "3 own brands"}


def test_shipped_keys_are_on_the_signals_that_mean_them():
    signals = load_signals()
    declared = {key: sorted(s.name for s in signals.signals if getattr(s, key))
                for key in ("hook", "buyer_word", "verdict_note", "distrust_reply_to")}
    assert {"branches_many", "staff_large", "years_established"} <= set(declared["hook"])
    assert {"internal_sender", "sourcing_agent", "buyer_type_trade", "buyer_type_small"} <= set(declared["buyer_word"])
    assert declared["verdict_note"] == ["history_existing_sender"]
    assert "reply_to_differs" in declared["distrust_reply_to"]
