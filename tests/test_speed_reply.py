"""The speed-ups of the persona and draft stages give exactly what the plain code gives."""

from __future__ import annotations

import random
import re

import pytest

from triage import draft as drafting
from triage import persona

# Letters of both cases and several scripts, digits (also non-ASCII ones), every kind of space,
# the sentence ends, quotes and brackets, emoticon parts and emoji.
_ALPHABET = ("aeinostAEINOSTxXdDP ßÿÀéÉΣσ中文٣٤0123456789 \t\u00a0\u2003\n\n  ..!!??…'\"()[]:;-_*•😀🇩🇪☀✨")
_WORDS = ["Hello", "OK", "ASAP", "URGENT", "Need", "price?", "lol", "haha", ":-)", ";)", ":D", ":P", "- ", "1.",
          "(a)", "item 3:", "e.g.", "...", '."', "?)", "!]", "10:30", "8,000pcs", "GFCI-20A", "ÉTÉ", "ß"]


def _texts(seed: int, count: int = 600) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(_WORDS) if rng.random() < 0.4 else "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 8)))
                 for _ in range(rng.randint(0, 30))]
        out.append(rng.choice(["", " ", "\n"]).join(parts) if rng.random() < 0.2 else " ".join(parts))
    return out


TEXTS = _texts(5) + [
    "Hi. Next line\n- item one. Two\n\n1) Why? Because!  Yes.\" Sure.) ok",
    "WE NEED IT NOW. OK? The CE/UL marks... fine :) xD",
    "A" * 70 + " wrapped\nnext line goes on here. " + "b" * 70 + ".\nend",
]

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


def test_draft_environment_looks_up_dict_keys_as_jinja_does():
    from jinja2 import Environment, StrictUndefined

    fast = drafting.environment()
    plain = Environment(undefined=StrictUndefined)
    fast.undefined = plain.undefined = StrictUndefined

    class Sub(dict):
        extra = "attribute"

    for obj in ({"a": 1, "items": 2, "keys": 3}, Sub(a=1, extra=2), {1: "x"}, "text", [1, 2]):
        for name in ("a", "items", "keys", "extra", "upper", "__class__", "missing", "get"):
            want, got = plain.getattr(obj, name), fast.getattr(obj, name)
            assert type(got) is type(want) and (isinstance(want, StrictUndefined) or got == want), (obj, name)


def _plain_tidy(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = re.sub(r"(?m)^([ \t]*- .*)\n\n+(?=[ \t]*- )", r"\1\n", text)
    text = re.sub(r"(?<![.])\.\.(?![.])", ".", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def test_tidy_is_the_plain_tidy():
    rng = random.Random(7)
    pieces = ["- a", "  - b", "\t- c", "-x", "text", "", "", "  ", "end..", "...", ". .", "- ", "\r\n", "\n", " -- d"]
    texts = TEXTS + ["\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(3000)]
    for text in texts:
        assert drafting.tidy(text) == _plain_tidy(text), text
