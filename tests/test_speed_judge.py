"""The speed-ups of the judge stage (triage/judge/, triage/matching.py) find exactly what the plain code finds."""

from __future__ import annotations

import random
import re
import sys

import pytest
from randomtext import random_texts

from types import SimpleNamespace

from triage import matching
from triage.judge import engine, facts
from triage.judge.checks import company, origin

SG = SimpleNamespace(
    _gate_of=matching.gate_of, pattern_gate=matching.pattern_gate, pattern_lead=matching.pattern_lead,
    _FieldPlan=matching.FieldPlan, _gated=matching.gated, _Index=matching.WordIndex, _lower_pattern=matching.lower_pattern,
    _ASCII_FOLDS=origin._ASCII_FOLDS, _CN_PLACES=origin._CN_PLACES,
    _cn_address=origin._cn_address, _CN_ADDRESS=origin._CN_ADDRESS, _CJK=origin._CJK, _KANA=origin._KANA,
    _chinese_text=origin._chinese_text, Facts=facts.Facts, _search=facts.search_field,
    _all_text_follows_text=facts._all_text_follows_text, _values=facts.values_of, FIELDS=facts.FIELDS,
    _run_simple=engine.run_simple, _hit=engine.hit_of, _BRANCH_WORDS=company._BRANCH_WORDS,
    _STAFF_WORDS=company._STAFF_WORDS, _YEAR_WORDS=company._YEAR_WORDS)


def _texts(seed: int, alphabet: str, words: list[str], count: int = 400) -> list[str]:
    return random_texts(seed, count, alphabet=alphabet, words=words, word_share=0.4, joiners=(" ", "\n", ", ", ""))


def test_gate_of_and_slot_by_id_give_what_the_regex_gives():
    rx = re.compile(r"\b(branches|stores|outlets)\b")
    assert SG._gate_of(rx) == (SG.pattern_gate(rx), SG.pattern_lead(rx))
    assert SG._gate_of(rx) == SG._gate_of(rx)
    plan = SG._FieldPlan()
    slot = plan.slot(rx, *SG._gate_of(rx))
    other = plan.slot(re.compile(r"\bshops?\b"), None, None)
    assert other != slot
    assert plan.slot(rx, None, None) == slot == plan.slots[rx]
    re.purge()
    twin = re.compile(rx.pattern)  # an equal regex, another object
    assert twin is not rx and plan.slot(twin, None, None) == slot


# --------------------------------------------------------------------------- phones

def test_ascii_folds_are_every_character_re_i_matches_with_an_ascii_letter():
    letters = re.compile("[a-z]", re.I)
    found = {chr(c) for c in range(128, sys.maxunicode + 1) if letters.fullmatch(chr(c))}
    assert found == set(SG._ASCII_FOLDS)


def test_cn_address_finds_what_its_regex_finds():
    """(It is given lower-cased text, whose only letters that re.I reads as others are ı ſ İ K.)"""
    words = [*SG._CN_PLACES, "ſhenzhen", "guangdongs", "yıwu", "yİwu", "ningbo", "ro", "12", "é"]
    for text in _texts(11, "aeinsuhgzkıſİK -,.\n", words):
        for t in (text, text.lower()):
            assert SG._cn_address(t) == (SG._CN_ADDRESS.search(t) is not None), t


def test_chinese_text_finds_what_the_plain_search_finds():
    words = ["深圳", "中", "国", "工厂", "ひらがな", "カ", "ok", "é", "’"]
    for text in _texts(12, "ab 中国深ひカ\u4dff\ua000é’", words):
        for claimed in ("US", "JP"):
            plain = not text.isascii() and bool(SG._CJK.search(text)) and not (SG._KANA.search(text) or claimed == "JP")
            assert SG._chinese_text(text, claimed) == plain, text


def test_possessive_repeat_leads_and_gates_like_the_greedy_one():
    for new, old in ((r"\b\d++x", r"\b\d+x"), (r"\b(ab)++c", r"\b(ab)+c"), (r"\bfoo++ bar", r"\bfoo+ bar")):
        assert SG.pattern_lead(re.compile(new)) == SG.pattern_lead(re.compile(old))
        assert SG.pattern_gate(re.compile(new)) == SG.pattern_gate(re.compile(old))


# ------------------------------------------------------------------ evaluate

def _plain_evaluate(sset, inquiry, profile, history, today):
    """evaluate as written plainly: every simple signal by _run_simple, then the combined ones."""
    facts = SG.Facts(inquiry, profile, history, today, sset.lists, sset._plans)
    fired = {}
    for sig in sset._simple:
        evidence = SG._run_simple(sig, facts)
        if evidence is not None:
            fired[sig.name] = SG._hit(sig, evidence)
    for sig in sset._meta:
        if sig.all_of and not all(n in fired for n in sig.all_of) or sig.any_of and not any(n in fired for n in sig.any_of):
            continue
        if any(n in fired for n in sig.none_of):
            continue
        own = SG._run_simple(sig, facts) if (sig.pattern or sig.in_list or sig.check) else ""
        if own is None:
            continue
        parts = [fired[n].evidence for n in (*sig.all_of, *sig.any_of) if n in fired]
        fired[sig.name] = SG._hit(sig, own or " + ".join(parts) or sig.name)
    return list(fired.values())


def test_evaluate_fires_what_the_plain_evaluation_fires():
    from datetime import date

    from triage.profile import demo_profile_path, load_profile
    from triage.judge.examples import example_inquiry
    from triage.judge.signals import load_shipped

    profile = load_profile(demo_profile_path())
    sset = load_shipped()
    cases = [c for s in sset.signals for c in (*s.examples, *s.counter_examples) if isinstance(c, dict)]
    rng = random.Random(3)
    for _ in range(300):  # examples run together: more signals fire at once, combined ones too
        merged = {}
        for case in rng.sample(cases, 3):
            merged.update(case)
        cases.append(merged)
    fired = 0
    for case in cases:
        inq, hist = example_inquiry(case)
        today = date.fromisoformat(case["today"]) if "today" in case else None
        got = sset.evaluate(inq, profile, hist, today)
        assert got == _plain_evaluate(sset, inq, profile, hist, today), case
        fired += sum(1 for h in got if sset.indexed(h.name).is_meta)
    assert fired > 50


def test_search_finds_what_the_gated_search_finds_also_for_a_regex_new_to_the_plan():
    from triage.model import Inquiry, Message

    words = ["14 branches", "stores", "staff", "250 employees", "since 1998", "years in business", "outlet", "ok"]
    for i, text in enumerate(_texts(21, "abdefnorst 0123456789\n", words, count=200)):
        plans = {"text": SG._FieldPlan()}
        facts = SG.Facts(Inquiry(message=Message(kind="text", subject="hi", body=text, new_text=text)), None, None, None, {}, plans)
        facts.live("text", plans["text"])  # scanned before the checks' regexes have bits
        for rx in (SG._BRANCH_WORDS, SG._STAFF_WORDS, SG._YEAR_WORDS, re.compile(rf"\bo\w+|{i}")):
            gate, lead = SG._gate_of(rx)
            want = [m.span() for low in facts.lowered("text") for m in SG._gated(rx, gate, low, SG._Index(low), lead)]
            assert [m.span() for m in SG._search(facts, "text", rx)] == want, text


def test_lowered_all_text_is_all_text_lowered():
    from triage.model import Inquiry, Message

    rng = random.Random(8)
    parts = ["Hello", "ΟΔΟΣ", "Σ", "σΣ a", "İstanbul", "K", "ß", "", "\n", " ", "quote > ÉTÉ", "x.PDF.exe"]
    follows = 0
    for _ in range(3000):
        subject, new, rest = ("".join(rng.choice(parts) for _ in range(rng.randint(0, 4))) for _ in range(3))
        text = rng.choice([new + rest, rest + new, new, "", rest])
        facts = SG.Facts(Inquiry(message=Message(kind="text", subject=subject, new_text=new, text=text, body=new)),
                         None, None, None, {}, {})
        follows += SG._all_text_follows_text(facts.message)
        assert facts.lowered("all_text") == [v.lower() for v in SG._values(SG.FIELDS["all_text"](facts))]
    assert follows > 200
