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
    _phone_key=origin._phone_key, _ASCII_FOLDS=origin._ASCII_FOLDS, _CN_PLACES=origin._CN_PLACES,
    _cn_address=origin._cn_address, _CN_ADDRESS=origin._CN_ADDRESS, _CJK=origin._CJK, _KANA=origin._KANA,
    _chinese_text=origin._chinese_text, Facts=facts.Facts, _search=facts.search_field,
    _all_text_follows_text=facts._all_text_follows_text, _values=facts.values_of, FIELDS=facts.FIELDS,
    _run_simple=engine.run_simple, _hit=engine.hit_of, _BRANCH_WORDS=company._BRANCH_WORDS,
    _STAFF_WORDS=company._STAFF_WORDS, _YEAR_WORDS=company._YEAR_WORDS)


def _texts(seed: int, alphabet: str, words: list[str], count: int = 400) -> list[str]:
    return random_texts(seed, count, alphabet=alphabet, words=words, word_share=0.4, joiners=(" ", "\n", ", ", ""))


# --------------------------------------------------------------------------- phones

def _plain_phones(seed: int, count: int = 1500) -> list[str]:
    """Plain international numbers ('+', digits, single separators), many with codes several regions share."""
    rng = random.Random(seed)
    codes = ["1", "7", "44", "39", "47", "61", "262", "590", "599", "212", "358", "86", "49", "0", "999", "3"]
    out = []
    for _ in range(count):
        digits = rng.choice(codes) + "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 14)))
        cut = sorted(rng.sample(range(1, len(digits)), min(len(digits) - 1, rng.randint(0, 4)))) if len(digits) > 1 else []
        parts = [digits[a:b] for a, b in zip([0, *cut], [*cut, len(digits)])]
        out.append("+" + "".join(p + rng.choice(" .-") for p in parts[:-1]) + parts[-1])
    return out


def _region(phone: str) -> str | None:
    from triage.geo import phone_lib

    lib = phone_lib()
    try:
        return lib.region_code_for_number(lib.parse(phone, None))
    except lib.NumberParseException:
        return "error"


def test_plain_phone_key_has_the_region_of_the_written_number():
    for phone in _plain_phones(5):
        key = SG._phone_key(f" {phone}\n")
        assert key == "+" + re.sub(r"\D", "", phone)
        assert _region(key) == _region(phone), phone


def test_other_phones_are_only_stripped():
    for phone in ("+1 (512) 640-3187", "+44 (0)113 287 4410", "+353 87 218 4471\n11", "0044 20 7946 0958", "+1  713 555"):
        assert SG._phone_key(f"  {phone} ") == phone


# ------------------------------------------------------------------ chinese clues

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


# ------------------------------------------------------------------ rewritten patterns

# Each shipped pattern rewritten for speed, as it was: the new one must match the same strings at the same places.
_WAS = {
    "quantity_vague": r"(\b\d[\d,.]*\s?k?\+\s*(units|pcs|pieces)?|\b\d[\d,.]*\s?k?\s*(units|pcs|pieces)?\s*(a|per|the first|in the first|each) year|\b(huge|large|big|massive|unlimited) quantit(y|ies)|\bbig volumes?\b|\bcantidades grandes\b|\bgrandes quantidades\b)",
    "specs_given": r"(\b\d+(\.\d+)?\s?(a|amp|amps|v|w|mm|cm|k|lm|kw|hz|rpm|cfm|mah|ah|kg|inch|ft|bar|psi)\b|\bmodel (no\.? ?)?[a-z0-9-]{3,}\b|\btamper[- ]?resistant\b|\bweather[- ]?(proof|resistant)\b|\bip\s?\d{2}\b|\b\d[- ]?gang\b|\bself[- ]test\b|\b(white|black|ivory|almond|grey|gray|stainless)\b|\bnema\b|\bbs ?1363\b|\bdimmable\b|\bcri\b|\bcct\b|\b(tr|wr)\b|\busb[- ]?c\b)",
}
_PATTERN_WORDS = ["units", "pcs", "pieces", "a year", "per year", "the first year", "in the first year", "each year",
                  "large quantities", "big volume", "amps", "amp", "a", "v", "kw", "mah", "inch", "model no. x-12",
                  "ip 44", "2-gang", "white", "tr", "usb-c", "year", "k+", "+", "k", "1,000", "2.5", "10.000.", "3k"]


@pytest.mark.parametrize("name", sorted(_WAS))
def test_rewritten_pattern_matches_what_it_did(name):
    from triage.judge.signals import load_shipped

    sig = load_shipped().indexed(name)
    was = re.compile(SG._lower_pattern(_WAS[name]), re.MULTILINE)
    assert sig.pattern.pattern != was.pattern
    for text in _texts(len(name), "0123456789,.+k \n-xu", _PATTERN_WORDS, count=3000):
        assert [m.span() for m in sig.pattern.finditer(text)] == [m.span() for m in was.finditer(text)], text
        for at in range(len(text) + 1):
            m, w = sig.pattern.match(text, at), was.match(text, at)
            assert (m and m.regs) == (w and w.regs), (text, at)  # every group too


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
