"""The parse stage's fast paths give exactly what the plain code they replace gives."""

from __future__ import annotations

import random
import re

from triage import parse


def _random_texts(seed: int, alphabet: str, pieces: list[str], count: int, size: int = 12) -> list[str]:
    """Half random characters of ``alphabet``, half runs of ``pieces``: the second kind reaches the
    fast paths, the first their edges."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        if n % 2:
            out.append("".join(rng.choice(alphabet) for _ in range(rng.randint(0, size))))
        else:
            out.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, size // 2))))
    return out


def test_text_links_finds_what_findall_finds():
    pieces = ["http://", "HTTPS://", "hTtPſ://", "www.", "WwW.", "x", "_", "é", " ", "\n", "a.b/c", "<", ")", "'",
              "http:/", "wwww.", "ſ", "9", "—"]
    for text in _random_texts(1, "hHtTpPsSſwW:/.x_é 9\n<'", pieces, 20_000, 30):
        assert [link.href for link in parse.text_links(text)] == parse._URL.findall(text)[: parse.limits.MAX_LINKS]


def test_header_end_is_where_the_blank_line_pattern_starts():
    pattern = re.compile(rb"\r?\n\r?\n")
    for text in _random_texts(2, "\r\na:", ["\r\n", "\n", "\r", "x: y", "\r\n\r\n", "\n\n"], 20_000, 10):
        raw = text.encode()
        match = pattern.search(raw)
        assert parse._header_end(raw) == (match.start() if match else len(raw)), raw
