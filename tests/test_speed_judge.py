"""The speed-ups of the judge stage that are not regex analysis find exactly what the plain code finds
(the regex fast paths of triage/matching.py are compared with plain re by tests/test_plain_matching.py)."""

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
    _lower_pattern=matching.lower_pattern,
    _ASCII_FOLDS=origin._ASCII_FOLDS, _CN_PLACES=origin._CN_PLACES,
    _cn_address=origin._cn_address, _CN_ADDRESS=origin._CN_ADDRESS, _CJK=origin._CJK, _KANA=origin._KANA,
    _chinese_text=origin._chinese_text, Facts=facts.Facts, _search=facts.search_field,
    _all_text_follows_text=facts._all_text_follows_text, _values=facts.values_of, FIELDS=facts.FIELDS,
    _run_simple=engine.run_simple, _hit=engine.hit_of, _BRANCH_WORDS=company._BRANCH_WORDS,
    _STAFF_WORDS=company._STAFF_WORDS, _YEAR_WORDS=company._YEAR_WORDS)


def _texts(seed: int, alphabet: str, words: list[str], count: int = 400) -> list[str]:
    return random_texts(seed, count, alphabet=alphabet, words=words, word_share=0.4, joiners=(" ", "\n", ", ", ""))


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
