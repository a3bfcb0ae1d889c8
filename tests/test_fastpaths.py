"""The speed-ups of parse and extract find exactly what the plain code finds."""

from __future__ import annotations

import random
import re

import pytest

from triage.lexicon import aligned_lower, fold, folded_pattern, lexicon, openings, pattern, search_at_openings

# Letters re.IGNORECASE treats specially, upper case, accents and plain text.
_ALPHABET = "aeiosnrtlcdmuy kKıİſSσςΣµμвᲀоᲂéÉçß-/.,'\n0123456789"


def _texts(seed: int, count: int = 400) -> list[str]:
    rng = random.Random(seed)
    words = ["sample", "samples", "may", "mar", "sí", "ok", "tomorrow", "by", "ce", "ul", "net 30", "t/t", "σ"]
    out = []
    for _ in range(count):
        parts = [rng.choice(words) if rng.random() < 0.5 else "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 6)))
                 for _ in range(rng.randint(1, 12))]
        out.append(" ".join(parts))
    return out


PATTERNS = [
    pattern("t-samples", ("sample", "samples", "muestra", "sí"), r"(?<!\w)(?:{})(?!\w)"),
    pattern("t-payment", ("t/t", "net 30", "l/c"), r"(?<![\w/])(?:{})(?![\w/])"),
    pattern("t-greek", ("σοφία", "ok"), r"\b(?:{})\b"),
    pattern("t-cyrillic", ("образец", "в"), r"(?:{})"),
    re.compile(r"\b(next\s+)?(may|mar)[a-z]*\b", re.I),
    re.compile(r"[^a-z]s\w", re.I),
]


@pytest.mark.parametrize("regex", PATTERNS, ids=lambda r: r.pattern[:30])
def test_folded_twin_finds_the_same_matches(regex):
    fast = folded_pattern(regex)
    for text in _texts(len(regex.pattern)):
        for folded in (fold(text), text.lower(), text):
            want = [(m.span(), m.groups()) for m in regex.finditer(folded)]
            got = [(m.span(), m.groups()) for m in fast.on(folded).finditer(folded)]
            assert got == want, (regex.pattern, folded)


def test_folded_twin_is_used_on_plain_lower_case_and_not_on_case_partners():
    fast = folded_pattern(pattern("t-samples", ("sample", "samples"), r"(?<!\w)(?:{})(?!\w)"))
    assert fast.twin is not None
    assert fast.on("we need samples") is fast.twin
    assert fast.on("we need Samples") is fast.regex  # upper case
    assert fast.on("we need ſamples") is fast.regex  # long s: re.I reads it as 's'
    assert fast.regex.search("we need ſamples")
    assert fast.partners == "ſ"  # the letters of "sample(s)" have one partner


def test_no_twin_for_upper_case_letters_or_back_references():
    assert folded_pattern(re.compile(r"[A-Z]\d", re.I)).twin is None
    assert folded_pattern(re.compile(r"(a)\1", re.I)).twin is None
    assert folded_pattern(re.compile(r"abc")).twin is None  # not case-insensitive: nothing to gain


def test_lexicon_patterns_have_twins():
    lex = lexicon()
    words = tuple(lex.words("sample", "words"))
    assert folded_pattern(pattern("samples", words, r"(?<!\w)(?:{})(?!\w)")).twin is not None


SEARCHED = [
    re.compile(r"alibaba\.com|alibaba messenger", re.I),
    re.compile(r"contact (us|form)|new submission from|form\s*:\s*contact", re.I),
    re.compile(r"现在可以开始聊天了|you can now chat", re.I),
    re.compile(r"(?i:i am|sí|ok|über)\s+([A-ZÀ-Ö]\w+)"),
    re.compile(r"^sk\w+", re.I | re.M),
    re.compile(r"\bis\b", re.I),
]


@pytest.mark.parametrize("regex", SEARCHED, ids=lambda r: r.pattern[:30])
def test_search_at_openings_finds_what_search_finds(regex):
    starts = openings(regex)
    assert starts is not None
    rng = random.Random(7)
    extra = ["Alibaba.COM", "I AM Bob", "İ am Ann", "ı am Jo", "ſk", "SK", "Über Uli", "ÜBER Eva", "contact form",
             "FORM : contact", "you can now chat", "现在可以开始聊天了", "\nsky", "ok Ola", "OK Ola", "SÍ Señor"]
    for text in _texts(3):
        text = " ".join([text, rng.choice(extra), rng.choice(_texts(rng.randint(0, 99), 1))])
        want = regex.search(text)
        got = search_at_openings(regex, text, starts)
        assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (regex.pattern, text)


def test_openings_need_a_literal_start():
    assert openings(re.compile(r"\s+x")) is None
    assert openings(re.compile(r"a|b*")) is None
    assert openings(re.compile(r"σοφία", re.I)) is None  # σ/ς: re.I pairs it with another letter
    assert openings(re.compile(r"(ab|Cd)e", re.I)) == ("ab", "cd")
    assert aligned_lower("İSTANBUL ſ K") == "istanbul s k"


_OLD_NUMBER = r"(?<![\w.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)\s*(k|mil|thousand|million|mio\.?|lakh)?(?![\w])"


def test_number_pattern_with_the_digit_first_matches_as_before():
    from triage import request

    old_q = re.compile(_OLD_NUMBER + r"\s*(?:x\s*)?(?:-\s*)?(pcs|k|sets)(?![\w])", re.I)
    new_q = re.compile(request._NUMBER + r"\s*(?:x\s*)?(?:-\s*)?(pcs|k|sets)(?![\w])", re.I)
    old_n, new_n = re.compile(_OLD_NUMBER, re.I), re.compile(request._NUMBER, re.I)
    rng = random.Random(11)
    pieces = ["1", "12", "123", "1234", "0", ",", ".", " ", "  ", "\n", "k", "pcs", "x", "-", "a", "mil", "sets", "_", "٣", "５"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        for old, new in ((old_q, new_q), (old_n, new_n)):
            assert [(m.span(), m.groups()) for m in new.finditer(text)] == \
                   [(m.span(), m.groups()) for m in old.finditer(text)], text
        assert (old_n.match(text) and old_n.match(text).groups()) == (new_n.match(text) and new_n.match(text).groups())


def test_needles_skip_only_texts_without_a_match():
    words = ("sample", "muestra", "t/t")
    fast = folded_pattern(pattern("t-needles", words, r"(?<![\w/])(?:{})(?![\w/])"), words)
    assert fast.needles is not None
    for text in _texts(5) + ["a SAMPLE", "ſample", "T/T please", "muestras"]:
        want = [m.span() for m in fast.regex.finditer(text)]
        assert [m.span() for m in fast.finditer(text)] == want, text
        assert bool(fast.search(text)) == bool(want)
    assert folded_pattern(pattern("t-greek", ("σοφία",), "(?:{})"), ("σοφία",)).needles is None


def test_container_pattern_opening_at_a_digit_run_matches_as_before():
    from triage import request

    old = re.compile(r"(\d+)\s*(?:x|×)\s*(40\s*'?\s*(?:hq|hc|gp|ft)?|20\s*'?\s*(?:gp|ft)?)\b", re.I)
    rng = random.Random(5)
    pieces = ["1", "2", "20", "40", "0", "x", "X", "×", " ", "'", "hq", "HC", "gp", "ft", "a", "\n", "5", "٣"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert [(m.span(), m.groups()) for m in request._CONTAINER.finditer(text)] == \
               [(m.span(), m.groups()) for m in old.finditer(text)], text


def test_many_needles_use_a_trie_and_skip_only_texts_without_a_match():
    words = tuple(f"w{n}x" for n in range(30)) + ("sample", "may")
    fast = folded_pattern(pattern("t-many", words, r"\b(next\s+)?({})\b"), words)
    assert isinstance(fast.needles, re.Pattern)
    for text in _texts(9) + ["next W12X", "ſample", "MAY 3", "w3"]:
        want = [(m.span(), m.groups()) for m in fast.regex.finditer(text)]
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == want, text


def test_quote_header_line_test_agrees_with_the_whole_pattern():
    from triage.mailtext import rules

    r = rules()
    lines = ["On Mon, 2 Nov 2026 at 10:00, Rick <r@x.example> wrote:", "Le 3 nov. 2026, Ana a écrit :",
             "Пользователь Иван написал:", "ИВАН НАПИСАЛ:", "-----Original Message-----", "_" * 25,
             "2026-11-02 10:00 GMT+8 Lisa 写道：", "Hello Lisa, thanks — see below", "plain text", "", "Ünïcode line"]
    for line in lines + [t.replace("\n", " ") for t in _texts(13, 200)]:
        assert bool(r.find_one_line(line)) == bool(r.one_line.search(line)), line


def test_fold_strips_every_combining_mark_like_the_per_character_test():
    """fold's one-regex mark removal equals the plain definition (NFKD, then drop combining characters)."""
    import unicodedata

    from triage.lexicon import fold

    def reference(text: str) -> str:
        text = unicodedata.normalize("NFKD", text.lower())
        return "".join(ch for ch in text if not unicodedata.combining(ch))

    marks = [chr(c) for c in range(0x110000) if unicodedata.combining(chr(c))]
    texts = ["Señor Müller, ¿podría cotizar?", "Ǆemal Ωmega ﬁnance", "x" * 250 + "".join(marks),
             "a" + "".join(marks[::7]) + "é" * 300, "商品 𝄞𝅥𝅮 test ✨", *("e" + m for m in marks)]
    for text in texts:
        assert fold(text) == reference(text), text[:40]


def test_fold_lines_equals_folding_the_joined_text():
    """A body folded once and joined with its subject's fold is the fold of the joined text (final sigma,
    marks at a line's start or end, letters that lower-case to two)."""
    from triage.lexicon import fold_lines

    edges = ["ΟΔΟΣ", "Σ", "\u0301e", "é\u0327", "İstanbul", "ﬁ", "ℌello", "x" * 210 + "Σ", "ḉ" * 300, "", "ok"]
    rng = random.Random(7)
    cases = [[rng.choice(edges + _texts(3, 30)) for _ in range(rng.randint(1, 4))] for _ in range(400)]
    for lines in cases:
        assert fold_lines(lines) == fold("\n".join(lines)), lines


def test_catalogue_phrase_hits_equal_trying_every_alias():
    """Skipping a first word's longer phrases where none of their second words is near finds the same
    hits as scoring every alias at every first word."""
    from triage import products
    from pathlib import Path

    from triage.profile import Product, Profile

    words = ["usb", "wall", "plate", "in", "2", "gang", "steel", "stainless", "box", "socket", "the", "dimmer"]
    items = [Product("A-1", "USB wall socket", aliases=["2 gang socket", "wall"]),
             Product("A-2", "Stainless steel wall plate", aliases=["in wall box", "2 gang 2 way"]),
             Product("A-3", "Dimmer", aliases=["wall dimmer 2", "usb"], excludes=["plate"])]
    cat = products.Catalogue(Profile({}, {}, [], [], items, Path(".")))

    def every_alias(text):
        found = cat._words(text)
        plain = [w for w, _ in found]
        hits = []
        for i, word in enumerate(plain):
            for alias in cat.first_words.get(word, ()):
                score, span = products._window_score(alias.words, plain, i, found[i][1])
                if score >= products.MIN_SCORE and not cat._foreign(alias, plain[i:i + span]) \
                        and cat.excludes[alias.sku].isdisjoint(plain[i + span:i + span + 3]):
                    hits.append((alias.sku, i, i + span, score, alias.text))
        return hits

    rng = random.Random(5)
    for _ in range(2000):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 25)))
        assert cat._phrase_hits(text) == every_alias(text), text
        assert cat.match(text) == cat.match(text, folded=fold(text)), text


def test_home_key_follows_every_change_of_triage_home(monkeypatch):
    """home_key reads os.environ's own table: a set, changed, emptied or removed TRIAGE_HOME shows at once."""
    from triage.lexicon import home_key

    for value in ("/tmp/a", "/tmp/b", "", "/tmp/b", "/tmp/é"):
        monkeypatch.setenv("TRIAGE_HOME", value)
        assert home_key() == value
    monkeypatch.delenv("TRIAGE_HOME")
    assert home_key() == ""


def test_catalogue_is_rebuilt_when_a_product_changes_in_place():
    """catalogue() compares content with the last build's copy: an alias added in place is seen."""
    from pathlib import Path

    from triage import products
    from triage.profile import Product, Profile

    profile = Profile({}, {}, [], [], [Product("A-1", "USB wall socket")], Path("."))
    first = products.catalogue(profile)
    assert products.catalogue(profile) is first
    assert not first.match("need a charger plug")
    profile.products[0].aliases.append("charger plug")
    assert [m.sku for m in products.catalogue(profile).match("need a charger plug")] == ["A-1"]
    same = Profile({}, {}, [], [], [Product("A-1", "USB wall socket", aliases=["charger plug"])], Path("."))
    assert products.catalogue(same) is products.catalogue(profile)


@pytest.mark.parametrize("words, not_before, after", [
    (("t/t", "tt", "l/c", "net 30", "deposit", "d/p", "d/a"), r"[\w/]", r"(?![\w/])"),
    (("ce", "ul", "c-ul", "c-ul-us", "ul listed", "cul", "reach", "etl"), r"[\w-]", r"(?!\w)"),
    (("sample", "samples", "muster", "muestra", "样品", "샘플"), r"\w", r"(?!\w)"),
])
def test_word_start_pattern_matches_like_the_leading_look_behind(words, not_before, after):
    """The look-behind moved behind each word's first letter finds the same matches, with and without re.I."""
    from triage.lexicon import word_start_pattern

    old = pattern("t-" + not_before, words, "(?<!" + not_before + ")(?:{})" + after)
    new = word_start_pattern("t-" + not_before, words, not_before, after)
    rng = random.Random(7)
    alphabet = "ab/-_ .\nCEULıſé1"
    for _ in range(5000):
        word = rng.choice(words)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4))) + rng.choice(
            [word, word.upper(), word.title()]) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 4)))
        for a, b in ((old, new), (folded_pattern(old).on(text), folded_pattern(new).on(text))):
            assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)], text


def test_quantity_of_a_text_without_digits_is_none():
    from triage.request import quantity

    assert quantity("we need some sockets, quantity to be confirmed") is None
    assert quantity("need ١٢٠٠ pcs") == quantity("need 1200 pcs").__class__(1200.0, "pcs")
