"""The second round of persona and draft speed-ups gives exactly what the plain code gives."""

from __future__ import annotations

import random
import re

from triage import persona
from triage.paths import shipped

# Letters of several scripts and cases, the apostrophe and its look-alikes, digits (also non-ASCII
# and non-decimal ones), the underscore, every kind of space, marks, emoji and a lone surrogate.
_ALPHABET = ("aeinostlrdu AEINOSTß ÿÀéÉçñΣσ中文ж٣٤²½Ⅻ0123456789 '''’_\t\u00a0\u2003\u3000\x1c\n"
             "..,;:!?¿¡-—…\"()[]*/@#😀\ud800")
_WORDS = ["the", "and", "de", "la", "que", "don't", "l'eau", "'tis", "rock'n'roll", "it's'", "o'", "días", "für",
          "más", "y", "el", "und", "der", "IN", "The", "ÉTÉ", "x_y", "a1b", "²nd"]


def _texts(seed: int, count: int = 1500) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(_WORDS) if rng.random() < 0.5 else "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 8)))
                 for _ in range(rng.randint(0, 40))]
        out.append(rng.choice(["", " ", "\n", ", "]).join(parts))
    return out


TEXTS = _texts(11) + [text.encode("ascii", "ignore").decode() for text in _texts(12, 500)]


def test_words_are_the_distinct_regex_words():
    for text in TEXTS:
        low = text.lower()
        assert persona._words(low) == set(persona._WORD.findall(low)), text


def _plain_detect_language(text: str) -> str | None:
    """detect_language as one set intersection per language's stopwords."""
    data = persona._languages()
    table = persona.read_toml(shipped("playbooks") / "languages.toml")["stopwords"]
    stopwords = {lang: frozenset(w.lower() for w in words) for lang, words in table.items()}
    sample = text[: data.max_chars]
    script = persona._script_language(sample, data)
    if script:
        return script
    words = set(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", sample.lower()))
    best, hits = None, 0
    for lang, stop in stopwords.items():
        n = len(words & stop)
        if n > hits:
            best, hits = lang, n
    return best if hits >= data.min_hits else None


def test_detect_language_counts_as_the_plain_intersections():
    for text in TEXTS:
        assert persona.detect_language(text) == _plain_detect_language(text), text


def _plain_sentences(text: str) -> list:
    """_sentences with _SENT_END.finditer over each line's body."""
    out = []
    pos = 0
    for line in persona.unwrap(text).split("\n"):
        mark = persona._LIST_MARK.match(line)
        offset = mark.end() if mark else len(line) - len(line.lstrip())
        body = line[offset:]
        start = pos + offset
        last = 0
        for m in persona._SENT_END.finditer(body) if persona._HAS_END.search(body) else ():
            out.append((start + last, body[last:m.start()], bool(mark)))
            last = m.end()
        out.append((start + last, body[last:], bool(mark)))
        pos += len(line) + 1
    return [persona._Sentence(start, piece.rstrip(), listed) for start, piece, listed in out
            if re.search(r"[^\W\d_]", piece)]


_ENDS = [". ", "! ", "? ", "… ", '." ', ".) ", "?] ", "!' ", "…) ", '.") ', ".  ", ".\t", "?", ".", "!) ", " . "]


def test_sentences_split_where_the_pattern_splits():
    rng = random.Random(13)
    texts = TEXTS + ["".join(rng.choice(_ENDS) if rng.random() < 0.4 else rng.choice(_WORDS) for _ in range(rng.randint(0, 30)))
                     for _ in range(3000)]
    for text in texts:
        assert persona._sentences(text) == _plain_sentences(text), text

