"""The speed-ups of the extract stage find exactly what the plain code finds, on varied random text."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest

from triage import request
from triage.lexicon import fold

# Letters re treats specially (case partners, non-ASCII digits and spaces), the words and signs the
# patterns look for, and plain text.
_ALPHABET = "aeiosnrtlcdmuy kKıİſSxX×é\u00a0\u2003\t-/.,'&?!;:\n0123456789٣"
_WORDS = ["EXW", "FOB", "C&F", "CIF", "cif", "DDP", "xCIF", "CIFx", "_FOB", "2 x 40HQ", "500x", "3 X", "12 ×", "x",
          "end of the month", "kw12", "cw 3", "week 5", "within 3 days", "in two weeks", "dias", "días", "jours",
          "tagen", "semanas", "wochen", "net 30 days", "pay within 10 days", "weeks", "days", "2026", "Qty:", "pcs"]


def _texts(seed: int, count: int = 600) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(_WORDS) if rng.random() < 0.5 else
                 "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 14))]
        out.append(rng.choice([" ", "", "\n", "  "]).join(parts))
    return out


def test_incoterm_pattern_matches_where_the_plain_one_does():
    plain = re.compile(r"\b(EXW|FOB|FCA|FAS|CFR|CNF|C&F|CIF|CPT|CIP|DAP|DPU|DAT|DDP|DDU)\b")
    for text in _texts(1):
        assert [(m.span(), m.groups()) for m in request._INCOTERM.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_times_sign_is_the_regex_gate():
    gate = re.compile(r"\d\s*(?:x|×)", re.I)  # what _CONTAINER and _TIMES both hold
    assert re.search(gate.pattern + r"\s*40", "2 x 40hq", re.I) and request._CONTAINER.search("2 x 40hq")
    for text in _texts(2):
        for folded in (text, fold(text)):
            assert request._times_sign(folded) == bool(gate.search(folded)), folded
            if not request._times_sign(folded):
                assert not request._CONTAINER.search(folded) and not request._TIMES.search(folded)


def _relative_plain(folded: str, today: date) -> list[tuple[int, date]]:
    """request._relative without its needles and openings: every pattern's own finditer."""
    out = []
    for regex, kind, _ in request._RELATIVE:
        for m in regex.finditer(folded):
            if request._PAYMENT_BEFORE.search(folded, max(0, m.start() - 25), m.start()):
                continue
            found = request._relative_date(kind, m, today)
            if found:
                out.append((m.start(), found))
    return out


@pytest.mark.parametrize("seed", [3, 4])
def test_relative_finds_what_every_pattern_finds(seed):
    today = date(2026, 11, 23)
    for text in _texts(seed):
        folded = fold(text)
        assert sorted(request._relative(folded, today)) == sorted(_relative_plain(folded, today)), folded


def test_headline_gate_holds_every_headline():
    from triage import extract

    headline = re.compile(r"^([^\n]{2,60}?)\s+at\s+[^\n]+$", re.M)
    rng = random.Random(5)
    pieces = ["at", "at", " ", "\n", "\t", "\u00a0", "CEO", "a", "t", "bat", "ate", "Sales"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    found = 0
    for text in texts + ["Founder & CEO at Stroomhuis", "x" * 1497 + " at y"]:
        if headline.search(text[:1500]):
            found += 1
            assert extract._AT_WORD.search(text[:1500]), text
        elif not extract._AT_WORD.search(text[:1500]):
            assert not extract._headline_title(text)
    assert found > 100


def test_tokens_split_at_a_hyphen_as_at_a_space():
    from triage import products

    for text in _texts(6) + ["usb-c 2-gang 1.5-2,5 a-/b 10/20-30"]:
        folded = fold(text)
        assert products._TOKEN.findall(folded) == products._TOKEN.findall(folded.replace("-", " ")), folded
