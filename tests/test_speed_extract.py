"""The speed-ups of the extract stage find exactly what the plain code finds, on varied random text."""

from __future__ import annotations

import random
import re
from datetime import date

import pytest
from randomtext import random_texts

from triage import dates, request, terms
from triage.lexicon import fold

# The patterns' texts: letters re treats specially (case partners, non-ASCII digits and spaces), the
# words and signs the patterns look for, and plain text.
_PATTERN_ALPHABET = "aeiosnrtlcdmuy kKıİſSxX×é\u00a0\u2003\t-/.,'&?!;:\n0123456789٣"
_PATTERN_WORDS = ["EXW", "FOB", "C&F", "CIF", "cif", "DDP", "xCIF", "CIFx", "_FOB", "2 x 40HQ", "500x", "3 X", "12 ×",
                  "x", "end of the month", "kw12", "cw 3", "week 5", "within 3 days", "in two weeks", "dias", "días",
                  "jours", "tagen", "semanas", "wochen", "net 30 days", "pay within 10 days", "weeks", "days", "2026",
                  "Qty:", "pcs"]


def _pattern_texts(seed: int) -> list[str]:
    return random_texts(seed, 600, alphabet=_PATTERN_ALPHABET, words=_PATTERN_WORDS, joiners=(" ", "", "\n", "  "))


def test_incoterm_pattern_matches_where_the_plain_one_does():
    plain = re.compile(r"\b(EXW|FOB|FCA|FAS|CFR|CNF|C&F|CIF|CPT|CIP|DAP|DPU|DAT|DDP|DDU)\b")
    for text in _pattern_texts(1):
        assert [(m.span(), m.groups()) for m in terms._INCOTERM.finditer(text)] == \
            [(m.span(), m.groups()) for m in plain.finditer(text)], text


def test_times_sign_is_the_regex_gate():
    gate = re.compile(r"\d\s*(?:x|×)", re.I)  # what _CONTAINER and _TIMES both hold
    assert re.search(gate.pattern + r"\s*40", "2 x 40hq", re.I) and request._CONTAINER.search("2 x 40hq")
    for text in _pattern_texts(2):
        for folded in (text, fold(text)):
            assert request._times_sign(folded) == bool(gate.search(folded)), folded
            if not request._times_sign(folded):
                assert not request._CONTAINER.search(folded) and not request._TIMES.search(folded)


def _relative_plain(folded: str, today: date) -> list[tuple[int, date]]:
    """dates._relative without its needles and openings: every pattern's own finditer."""
    out = []
    for regex, kind, _ in dates._RELATIVE:
        for m in regex.finditer(folded):
            if dates._PAYMENT_BEFORE.search(folded, max(0, m.start() - 25), m.start()):
                continue
            found = dates._relative_date(kind, m, today)
            if found:
                out.append((m.start(), found))
    return out


@pytest.mark.parametrize("seed", [3, 4])
def test_relative_finds_what_every_pattern_finds(seed):
    today = date(2026, 11, 23)
    for text in _pattern_texts(seed):
        folded = fold(text)
        assert sorted(dates._relative(folded, today)) == sorted(_relative_plain(folded, today)), folded


def test_headline_gate_holds_every_headline():
    from triage import extract

    headline = re.compile(r"^([^\n]{2,60}?)\s+at\s+[^\n]+$", re.M)
    pieces = ["at", "at", " ", "\n", "\t", "\u00a0", "CEO", "a", "t", "bat", "ate", "Sales"]
    texts = random_texts(5, 3000, words=pieces, word_share=1, parts=(1, 12), joiners=("",))
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

    for text in _pattern_texts(6) + ["usb-c 2-gang 1.5-2,5 a-/b 10/20-30"]:
        folded = fold(text)
        assert products._TOKEN.findall(folded) == products._TOKEN.findall(folded.replace("-", " ")), folded


# ------------------------------------------------------------------ word lists and the word scan

# The word lists' texts: case partners (ı İ ſ, the Kelvin sign), marks, non-ASCII spaces and signs,
# digits, and the words of the lists with what may be glued to them.
_LIST_ALPHABET = "aeiosnrtlcdmuy kKıİſSK\u212aé\u0301\u00a0\u2003\t-/.,'’–&?!;:_\n0123456789٣"
_LIST_WORDS = ["may", "May", "MAY", "xmay", "may-", "mayo", "Mar", "martes", "nov.", "3rd of May", "15 de marzo",
               "NOVEMBER 3", "März", "janv.", "Jän", "end of june", "friday", "Friday", "next friday", "Next  Monday",
               "nextfriday", "fridays", "lunedì", "segunda-feira", "ſunday", "t/t", "T/T", "tt", "xtt", "t/tx", "L/C",
               "lc at sight", "net 30", "NET 30", "net 300", "letter of credit", "carta de crédito", "Deposit",
               "deposit/", "/deposit", "PayPal", "CE", "ce", "CE-Kennzeichnung", "c-UL", "cUL", "c-ul-us", "UL listed",
               "-UL", "ul_", "ENERGY STAR", "energy  star", "RoHS", "REACH", "reach", "\u212aEMA", "KEMA", "INMETRO",
               "G-Mark", "sample", "Samples", "ſample", "échantillon", "muestra", "样品", "サンプル", "amostra",
               "12/03", "2026-12-01", "on the 5th", "by", "until", "before", "deadline", "not required", "optional"]


def _list_texts(seed: int) -> list[str]:
    return random_texts(seed, 500, alphabet=_LIST_ALPHABET, words=_LIST_WORDS, word_share=0.6, piece=(1, 5),
                        joiners=(" ", "", "\n", ", ", "."))


@pytest.mark.parametrize("seed", [3, 4])
def test_request_functions_read_the_same_with_the_scan(seed):
    today = date(2026, 11, 23)
    for text in _list_texts(seed):
        words = request.scan_words(text)
        for us in (False, True):
            assert dates.dates_in(text, today, us_dates=us, words=words) == dates.dates_in(text, today, us_dates=us)
            assert dates.deadline(text, today, us_dates=us, words=words) == dates.deadline(text, today, us_dates=us)
        folded = fold(text)
        assert dates._weekdays(folded, today, words) == dates._weekdays(folded, today)
        for field in (None, "", "CE, UL"):
            assert request.certifications(text, field, words=words) == request.certifications(text, field), text
        assert request.sample_requested(text, words=words) == request.sample_requested(text)
        assert request.payment_terms(text, words=words) == request.payment_terms(text)


def test_a_scan_of_another_text_is_not_used():
    words = request.scan_words("payment by T/T")
    assert request.payment_terms("paypal please", words=words) == "PayPal"
    assert request.certifications("CE and UL", words=words) == ["CE", "UL"]


def test_destination_pattern_matches_where_the_plain_one_does():
    plain = re.compile(r"\b(?:CFR|CNF|CIF|CPT|CIP|DAP|DPU|DDP|DDU)[ \t]+((?:port[ \t]+(?:of[ \t]+)?)?[A-Z][\w'’-]+"
                       r"(?:[ \t]+[A-Z][\w'’-]+){0,2})")
    rng = random.Random(6)
    pieces = ["CIF", "DDP", "CNF", "xCIF", "_DAP", "1DDU", "é", " ", "\t", "port of", "Port", "Lagos", "Avonmouth",
              "São", "of", "-", "\n", "cif", "Tema"]
    texts = ["".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    assert sum(bool(plain.search(t)) for t in texts) > 300
    for text in texts:
        assert [(m.span(), m.groups()) for m in terms._DESTINATION.finditer(text)] == \
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
    pieces = ["Can you", "ship", "1)", "¿Precio", "?", "？", ".", "!", "。", " ", "  ", "\n", "\n\n", "\r\n", "\t",
              "\x0b", "\x85", "\u2028", "\u3000", "a", "MOQ", "price?", "2. What"]
    texts = random_texts(7, 4000, words=pieces, word_share=1, parts=(1, 30), joiners=("",))
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
