"""The second round of extract speed-ups finds exactly what the plain code finds, on varied random text."""

from __future__ import annotations

import random
import re
import sys
from datetime import date

import pytest

from triage import request
from triage.lexicon import WordScan, aligned_lower, finditer_at, fold

# Case partners (ı İ ſ, the Kelvin sign), marks, non-ASCII spaces and signs, digits, and the words
# of the lists with what may be glued to them.
_ALPHABET = "aeiosnrtlcdmuy kKıİſSK\u212aé\u0301\u00a0\u2003\t-/.,'’–&?!;:_\n0123456789٣"
_WORDS = ["may", "May", "MAY", "xmay", "may-", "mayo", "Mar", "martes", "nov.", "3rd of May", "15 de marzo",
          "NOVEMBER 3", "März", "janv.", "Jän", "end of june", "friday", "Friday", "next friday", "Next  Monday",
          "nextfriday", "fridays", "lunedì", "segunda-feira", "ſunday", "t/t", "T/T", "tt", "xtt", "t/tx", "L/C",
          "lc at sight", "net 30", "NET 30", "net 300", "letter of credit", "carta de crédito", "Deposit",
          "deposit/", "/deposit", "PayPal", "CE", "ce", "CE-Kennzeichnung", "c-UL", "cUL", "c-ul-us", "UL listed",
          "-UL", "ul_", "ENERGY STAR", "energy  star", "RoHS", "REACH", "reach", "\u212aEMA", "KEMA", "INMETRO",
          "G-Mark", "sample", "Samples", "ſample", "échantillon", "muestra", "样品", "サンプル", "amostra",
          "12/03", "2026-12-01", "on the 5th", "by", "until", "before", "deadline", "not required", "optional"]


def _texts(seed: int, count: int = 500) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(_WORDS) if rng.random() < 0.6 else
                 "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 5)))
                 for _ in range(rng.randint(1, 14))]
        out.append(rng.choice([" ", "", "\n", ", ", "."]).join(parts))
    return out


def test_lower_case_keeps_a_character_a_word_character_or_not():
    """What WordPlaces relies on: the run a match opens with is a whole run in the lowered text too."""
    word = re.compile(r"\w")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        lowered = aligned_lower(ch)
        if lowered is not None:
            assert bool(word.match(ch)) == bool(word.match(lowered)), hex(code)


def _lists():
    days, weekdays = request._compiled("weekdays", request._weekday_words)
    return {
        "months": request._date_words().month_any,
        "weekdays": weekdays,
        "payment": request._compiled("payment", request._payment_words)[1],
        "certifications": request._compiled("certifications", request._certification_words)[1],
        "samples": request._compiled("samples", request._sample_words),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_word_places_hold_every_match_of_each_list(seed):
    lists = _lists()
    matched = dict.fromkeys(lists, 0)
    for text in _texts(seed):
        for folded in (text, fold(text)):
            words = request._compiled("word-scan", request._word_scan).read(folded)
            for name, pattern in lists.items():
                places = words.places(name)
                assert places is not None or aligned_lower(folded) is None
                if places is None:
                    continue
                for regex in (pattern.regex, pattern.on(folded)):
                    expected = [(m.span(), m.groups()) for m in regex.finditer(folded)]
                    assert [(m.span(), m.groups()) for m in finditer_at(regex, folded, places)] == expected, \
                        (name, folded)
                    matched[name] += len(expected)
    assert min(matched.values()) > 100, matched  # the texts hold every list's words


@pytest.mark.parametrize("seed", [3, 4])
def test_request_functions_read_the_same_with_the_scan(seed):
    today = date(2026, 11, 23)
    for text in _texts(seed):
        words = request.scan_words(text)
        for us in (False, True):
            assert request.dates_in(text, today, us_dates=us, words=words) == request.dates_in(text, today, us_dates=us)
            assert request.deadline(text, today, us_dates=us, words=words) == request.deadline(text, today, us_dates=us)
        folded = fold(text)
        assert request._weekdays(folded, today, words) == request._weekdays(folded, today)
        for field in (None, "", "CE, UL"):
            assert request.certifications(text, field, words=words) == request.certifications(text, field), text
        assert request.sample_requested(text, words=words) == request.sample_requested(text)
        assert request.payment_terms(text, words=words) == request.payment_terms(text)


def test_a_scan_of_another_text_is_not_used():
    words = request.scan_words("payment by T/T")
    assert request.payment_terms("paypal please", words=words) == "PayPal"
    assert request.certifications("CE and UL", words=words) == ["CE", "UL"]


def test_a_list_whose_word_opens_with_a_sign_is_searched_whole():
    scan = WordScan({"signs": ["$5", "usd"], "words": ["net", "t/t"]})
    places = scan.read("pay $5 net, t/t")
    assert places.places("signs") is None
    assert places.places("words") == [7, 12, 14]  # 'net', and both runs of 't/t'
    assert [m.group() for m in finditer_at(re.compile(r"(?<![\w/])(?:net|t/t)(?![\w/])"), "pay $5 net, t/t",
                                           places.places("words"))] == ["net", "t/t"]


def test_destination_pattern_matches_where_the_plain_one_does():
    plain = re.compile(r"\b(?:CFR|CNF|CIF|CPT|CIP|DAP|DPU|DDP|DDU)[ \t]+((?:port[ \t]+(?:of[ \t]+)?)?[A-Z][\w'’-]+"
                       r"(?:[ \t]+[A-Z][\w'’-]+){0,2})")
    rng = random.Random(6)
    pieces = ["CIF", "DDP", "CNF", "xCIF", "_DAP", "1DDU", "é", " ", "\t", "port of", "Port", "Lagos", "Avonmouth",
              "São", "of", "-", "\n", "cif", "Tema"]
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    assert sum(bool(plain.search(t)) for t in texts) > 300
    for text in texts:
        assert [(m.span(), m.groups()) for m in request._DESTINATION.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text


def _questions_plain(text: str, limit: int = 12) -> list[str]:
    """request.questions splitting the whole text."""
    out = []
    for sentence in request._QUESTION_SPLIT.split(text):
        sentence = sentence.strip()
        if not sentence.endswith(("?", "？")):
            continue
        q = request._QUESTION_HEAD.sub("", sentence).lstrip("¿¡ ").strip()
        if len(q) > 3 and q not in out:
            out.append(q)
    return out[:limit]


def test_questions_read_line_by_line_are_the_same():
    rng = random.Random(7)
    pieces = ["Can you", "ship", "1)", "¿Precio", "?", "？", ".", "!", "。", " ", "  ", "\n", "\n\n", "\r\n", "\t",
              "\x0b", "\x85", "\u2028", "\u3000", "a", "MOQ", "price?", "2. What"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))) for _ in range(4000)]
    assert sum(bool(_questions_plain(t)) for t in texts) > 1000
    for text in texts:
        assert request.questions(text) == _questions_plain(text), repr(text)
        assert request.questions(text, limit=2) == _questions_plain(text, limit=2), repr(text)


def test_a_long_ascii_text_is_folded_once_to_its_lower_case():
    rng = random.Random(8)
    for _ in range(200):
        text = "".join(rng.choice("aZ 9.\n\t-Kk") for _ in range(rng.randint(150, 600)))
        assert fold(text) == text.lower()
        if len(text) >= 200:
            assert fold(text) is fold(text)  # the stages reading a message share one fold of its text
