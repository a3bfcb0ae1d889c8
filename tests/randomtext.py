"""Random text for the tests that compare a fast path with the plain code it replaces."""

from __future__ import annotations

import random
from collections.abc import Sequence


def random_texts(seed: int | str, count: int, *, alphabet: str = "", words: Sequence[str] = (),
                 word_share: float = 0.5, parts: tuple[int, int] = (1, 14), piece: tuple[int, int] = (1, 6),
                 joiners: Sequence[str] = (" ",)) -> list[str]:
    """``count`` texts, the same for the same arguments.

    Each text is ``parts`` (a number from that range, both ends included) parts joined by one of
    ``joiners`` (one joiner a text; name a joiner more than once to make it likelier). A part is one
    of ``words`` with the chance ``word_share``, else ``piece`` (a length from that range) random
    characters of ``alphabet``: the words reach the fast paths, the characters their edges.
    """
    if word_share > 0 and not words or word_share < 1 and not alphabet:
        raise ValueError("words are needed for a word_share above 0, an alphabet for one below 1")
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        chosen = [rng.choice(words) if rng.random() < word_share else
                  "".join(rng.choice(alphabet) for _ in range(rng.randint(*piece)))
                  for _ in range(rng.randint(*parts))]
        out.append(rng.choice(joiners).join(chosen))
    return out
