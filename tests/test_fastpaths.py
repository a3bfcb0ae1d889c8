"""The speed-ups of parse and extract that are not regex analysis find exactly what the plain code finds
(the regex fast paths are compared with plain re by tests/test_plain_matching.py)."""

from __future__ import annotations

import random
import re

import pytest

from triage.lexicon import fold

_OLD_NUMBER = r"(?<![\w.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)\s*(k|mil|thousand|million|mio\.?|lakh)?(?![\w])"


def test_number_pattern_with_the_digit_first_matches_as_before():
    from triage import request

    old_q = re.compile(_OLD_NUMBER + r"\s*(?:x\s*)?(?:-\s*)?(pcs|k|sets)(?![\w])", re.I)
    new_q = re.compile(request._scale_words().alone.pattern + r"\s*(?:x\s*)?(?:-\s*)?(pcs|k|sets)(?![\w])", re.I)
    old_n, new_n = re.compile(_OLD_NUMBER, re.I), re.compile(request._scale_words().alone.pattern, re.I)
    rng = random.Random(11)
    pieces = ["1", "12", "123", "1234", "0", ",", ".", " ", "  ", "\n", "k", "pcs", "x", "-", "a", "mil", "sets", "_", "٣", "５"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        for old, new in ((old_q, new_q), (old_n, new_n)):
            assert [(m.span(), m.groups()) for m in new.finditer(text)] == \
                   [(m.span(), m.groups()) for m in old.finditer(text)], text
        assert (old_n.match(text) and old_n.match(text).groups()) == (new_n.match(text) and new_n.match(text).groups())


def test_container_pattern_opening_at_a_digit_run_matches_as_before():
    from triage import request

    old = re.compile(r"(\d+)\s*(?:x|×)\s*(40\s*'?\s*(?:hq|hc|gp|ft)?|20\s*'?\s*(?:gp|ft)?)\b", re.I)
    rng = random.Random(5)
    pieces = ["1", "2", "20", "40", "0", "x", "X", "×", " ", "'", "hq", "HC", "gp", "ft", "a", "\n", "5", "٣"]
    for _ in range(30_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert [(m.span(), m.groups()) for m in request._CONTAINER.finditer(text)] == \
               [(m.span(), m.groups()) for m in old.finditer(text)], text




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


def _texts(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    alphabet = "aeiosnrtlcdmuy kKıİſSσςΣµμвᲀоᲂéÉçß-/.,'\n0123456789"
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(count)]


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
        assert cat._phrase_hits(text)[0] == every_alias(text), text
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


def test_quantity_of_a_text_without_digits_is_none():
    from triage.request import quantity

    assert quantity("we need some sockets, quantity to be confirmed") is None
    assert quantity("need ١٢٠٠ pcs") == quantity("need 1200 pcs").__class__(1200.0, "pcs")
