"""Where a regex can begin (triage.matching.Lead): a regex tried only at its lead's places finds what
``finditer`` over the whole text finds, word starts and literals written anywhere alike (the whole
pipeline both ways: tests/test_plain_matching.py)."""

from __future__ import annotations

import re

import pytest
from randomtext import random_texts

from triage.matching import FieldPlan, WordIndex, gated, pattern_gate, pattern_lead, planned


_LEAD_REGEXES = [
    r"\b(quote|price\w*)\b|报价|询价|\?|？",  # a word branch, and literals with no boundary before them
    r"^(hi |dear )?(team|all)\b",  # an optional opening: it, or what follows
    r"\b((at |our )?(ex-)?factory) prices?",
    r"(?:询价|求购)单|نرجو",
    r"(?i)\bfoo|ß|报价",  # re.I: 'ß' may be written otherwise, so no lead; 报价 is caseless
    r"\b\d+ ?pcs|件",
]


def _lead_texts(seed: int) -> list[str]:
    words = ["quote", "prices", "报价", "询价单", "求购", "?", "？", "hi ", "dear ", "team", "all", "at ", "our ",
             "ex-", "factory price", "نرجو", "ß", "SS", "foo", "12 pcs", "件", "ok", "报"]
    return random_texts(seed, 500, alphabet="ab 报价?-\n", words=words, word_share=0.5, joiners=(" ", "\n", "", "\n\n"))


@pytest.mark.parametrize("source", _LEAD_REGEXES)
def test_a_led_regex_finds_what_finditer_finds(source):
    rx = re.compile(source)
    lead, gate = pattern_lead(rx), pattern_gate(rx)
    plan = FieldPlan()
    slot = plan.slot(rx, gate, lead)
    for text in _lead_texts(len(source)):
        index = WordIndex(text)
        expected = [m.span() for m in rx.finditer(text)]
        assert [m.span() for m in gated(rx, gate, text, index, lead)] == expected, text
        assert [m.span() for m in planned(rx, slot, lead, text, plan.scan(index))] == expected, text


def test_literals_with_no_boundary_before_them_lead_but_a_cased_one_does_not():
    assert pattern_lead(re.compile(_LEAD_REGEXES[0])).anywhere == {"报价", "询价", "?", "？"}
    assert pattern_lead(re.compile(_LEAD_REGEXES[1])).words == {"hi ", "dear ", "team", "all"}
    assert pattern_lead(re.compile(_LEAD_REGEXES[4])) is None
