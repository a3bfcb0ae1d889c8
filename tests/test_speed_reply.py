"""The speed-ups of the persona and draft stages give exactly what the plain code gives."""

from __future__ import annotations

import random
import re

import pytest
from randomtext import random_texts

from triage import draft as drafting
from triage import persona
from triage.paths import shipped

# The style texts: letters of both cases and several scripts, digits (also non-ASCII ones), every
# kind of space, the sentence ends, quotes and brackets, emoticon parts and emoji.
_STYLE_ALPHABET = ("aeinostAEINOSTxXdDP ßÿÀéÉΣσ中文٣٤0123456789 \t\u00a0\u2003\n\n  ..!!??…'\"()[]:;-_*•😀🇩🇪☀✨")
_STYLE_WORDS = ["Hello", "OK", "ASAP", "URGENT", "Need", "price?", "lol", "haha", ":-)", ";)", ":D", ":P", "- ", "1.",
                "(a)", "item 3:", "e.g.", "...", '."', "?)", "!]", "10:30", "8,000pcs", "GFCI-20A", "ÉTÉ", "ß"]

# Their parts are joined by spaces 13 times in 15, else by nothing or new lines.
TEXTS = random_texts(5, 600, alphabet=_STYLE_ALPHABET, words=_STYLE_WORDS, word_share=0.4, parts=(0, 30), piece=(1, 8),
                     joiners=(" ",) * 13 + ("", "\n")) + [
    "Hi. Next line\n- item one. Two\n\n1) Why? Because!  Yes.\" Sure.) ok",
    "WE NEED IT NOW. OK? The CE/UL marks... fine :) xD",
    "A" * 70 + " wrapped\nnext line goes on here. " + "b" * 70 + ".\nend",
]

# The language texts: letters of several scripts and cases, the apostrophe and its look-alikes,
# digits (also non-ASCII and non-decimal ones), the underscore, every kind of space, marks, emoji and
# a lone surrogate; and the same texts without what is not ASCII.
_LANGUAGE_ALPHABET = ("aeinostlrdu AEINOSTß ÿÀéÉçñΣσ中文ж٣٤²½Ⅻ0123456789 '''’_\t\u00a0\u2003\u3000\x1c\n"
                      "..,;:!?¿¡-—…\"()[]*/@#😀\ud800")
_LANGUAGE_WORDS = ["the", "and", "de", "la", "que", "don't", "l'eau", "'tis", "rock'n'roll", "it's'", "o'", "días",
                   "für", "más", "y", "el", "und", "der", "IN", "The", "ÉTÉ", "x_y", "a1b", "²nd"]


def _language_texts(seed: int, count: int) -> list[str]:
    return random_texts(seed, count, alphabet=_LANGUAGE_ALPHABET, words=_LANGUAGE_WORDS, parts=(0, 40), piece=(1, 8),
                        joiners=("", " ", "\n", ", "))


LANGUAGE_TEXTS = _language_texts(11, 1500) + [text.encode("ascii", "ignore").decode() for text in _language_texts(12, 500)]

# The plain forms of the patterns persona.py writes with the first character first.
PLAIN = {
    "_SENT_END": re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=[.!?]['\")\]])\s+"),
    "_EMOJI": re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff]+|[:;]-?[)D(P](?!\\w)"),
    "_CAPS": re.compile(r"\b[^\W\d_a-zß-ÿ]{3,}\b"),
}


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_first_character_first_patterns_match_as_their_plain_forms(name):
    fast, plain = getattr(persona, name), PLAIN[name]
    for text in TEXTS:
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], (name, text)


def test_numberish_counts_the_tokens_holding_a_digit():
    plain = re.compile(r"(?<!\S)[^\s\d]*+\d")
    for text in TEXTS:
        assert len(persona._NUMBERISH.findall(text)) == len(plain.findall(text)), text
        assert len(plain.findall(text)) == sum(1 for token in text.split() if re.search(r"\d", token))


def _plain_sentences(text: str) -> list:
    """_sentences with the plain PLAIN["_SENT_END"].finditer over each line's body."""
    out = []
    pos = 0
    for line in persona.unwrap(text).split("\n"):
        mark = persona._LIST_MARK.match(line)
        offset = mark.end() if mark else len(line) - len(line.lstrip())
        body = line[offset:]
        start = pos + offset
        last = 0
        pieces = PLAIN["_SENT_END"].finditer(body) if persona._HAS_END.search(body) else ()
        for m in pieces:
            out.append((start + last, body[last:m.start()], bool(mark)))
            last = m.end()
        out.append((start + last, body[last:], bool(mark)))
        pos += len(line) + 1
    return [persona._Sentence(start, piece.rstrip(), listed) for start, piece, listed in out
            if re.search(r"[^\W\d_]", piece)]


def test_sentences_are_those_of_the_plain_split():
    for text in TEXTS:
        assert persona._sentences(text) == _plain_sentences(text), text


def _plain_tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"(?m)^([ \t]*- .*)\n\n+(?=[ \t]*- )", r"\1\n", text)
    text = re.sub(r"(?<![.])\.\.(?![.])", ".", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


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
    for text in LANGUAGE_TEXTS:
        assert persona.detect_language(text) == _plain_detect_language(text), text


_ENDS = [". ", "! ", "? ", "… ", '." ', ".) ", "?] ", "!' ", "…) ", '.") ', ".  ", ".\t", "?", ".", "!) ", " . "]


def test_sentences_split_where_the_pattern_splits():
    rng = random.Random(13)
    texts = LANGUAGE_TEXTS + ["".join(rng.choice(_ENDS) if rng.random() < 0.4 else rng.choice(_LANGUAGE_WORDS)
                                      for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    for text in texts:
        assert persona._sentences(text) == _plain_sentences(text), text


def test_stamp_lists_what_glob_lists(tmp_path):
    def plain(folder):
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.toml"))) if folder.is_dir() else ()

    folder = tmp_path / "persona"
    assert persona._stamp(str(folder)) == plain(folder) == ()
    folder.write_text("a file, not a folder")
    assert persona._stamp(str(folder)) == plain(folder) == ()
    folder.unlink()
    folder.mkdir()
    assert persona._stamp(str(folder)) == plain(folder) == ()
    for name in ("weights.toml", "lexicon.en.toml", ".hidden.toml", ".toml", "notes.txt", "x.toml.bak", "UPPER.TOML"):
        (folder / name).write_text("")
    (folder / "sub.toml").mkdir()
    assert persona._stamp(str(folder)) == plain(folder)
    assert len(persona._stamp(str(folder))) == 5


def _plain_evidence(reading, by_sentence: dict, by_text: dict, final: str, limit: int) -> list[str]:
    items = [(c, f'"{persona._quote(reading.sentences[idx].text)}" ({" + ".join(c.labels)})')
             for idx, c in by_sentence.items()]
    items += [(c, " + ".join(c.labels)) for c in by_text.values()]
    lines = []
    for c, text in items:
        size = abs(c.assertiveness) + abs(c.responsiveness)
        if size < 0.2:
            continue
        a = c.assertiveness if abs(c.assertiveness) > 1e-9 else persona._AXES[final][0]
        r = c.responsiveness if abs(c.responsiveness) > 1e-9 else persona._AXES[final][1]
        style = persona._style(a, r)
        lines.append((style != final, -size, f"{style}: {text}"))
    lines.sort()
    return [text for _, _, text in lines[:limit]]


def test_evidence_keeps_the_lines_the_plain_code_keeps():
    rng = random.Random(17)
    values = [0.0, 1e-10, -1e-10, 0.05, -0.1, 0.1, 0.19, 0.2, 0.5, -0.7, 1.0, -2.5]
    for _ in range(2000):
        sentences = [persona._Sentence(i, rng.choice(LANGUAGE_TEXTS[:50]) or "x", False) for i in range(6)]
        reading = persona._Reading(sentences=sentences)

        def contribution():
            labels = rng.sample(["a", "b", "imperative \"send\"", "warmth"], rng.randint(1, 3))
            return persona._Contribution(rng.choice(values), rng.choice(values), labels)

        by_sentence = {i: contribution() for i in rng.sample(range(6), rng.randint(0, 6))}
        by_text = {name: contribution() for name in rng.sample(["emoji", "exclamations", "i_focus"], rng.randint(0, 3))}
        final, limit = rng.choice(persona.STYLES), rng.randint(0, 8)
        assert persona._evidence(reading, by_sentence, by_text, final, limit) == _plain_evidence(
            reading, by_sentence, by_text, final, limit)
