"""What the user taught: tokens of a message and a naive Bayes model over the user's marks.

``triage mark ID CATEGORY`` records the user's verdict on a stored inquiry (see
:mod:`triage.store_marks`); every marked message's distinct tokens are counted per
category in the store. :class:`TokenModel` is built from those counts (plain values,
no database) and says, for a new message, which category its tokens look like, how
sure it is, and which tokens weighed most.

The model is SpamBayes' (Gary Robinson's) per-token probabilities combined by
chi-square (Fisher's method), asked once per category, one against the rest, as
``sa-learn``/SpamBayes ask "spam against ham". Each token is counted once per
message (what a word says is that it occurs, not how often). Tokens are the lowered
words of the subject and the writer's text but the commonest ones (the stopwords of
``playbooks/languages.toml``: in every message of whatever kind, they would weigh
for whichever category a few marks happen to hold more of), character bigrams of Chinese, Japanese
and Korean runs (no spaces separate their words), ``from:`` the sender's domain and
``host:`` every link's host.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable
from urllib.parse import urlsplit

# The verdicts a user can give: the judge's categories.
CATEGORIES = ("genuine", "phishing", "scam", "competitor", "spam", "not_inquiry")

# SpamBayes' defaults (spambayes/Options.py): a token seen n times is pulled towards
# UNKNOWN_PROB with the strength of UNKNOWN_STRENGTH messages; tokens closer than
# MIN_STRENGTH to 0.5 say nothing; at most MAX_CLUES of the strongest tokens are combined.
UNKNOWN_PROB = 0.5
UNKNOWN_STRENGTH = 0.45
MIN_STRENGTH = 0.1
MAX_CLUES = 150
MAX_TOKENS = 1000  # distinct tokens kept of one message (a 200,000-character body has many)
EVIDENCE_TOKENS = 5

_WORD = re.compile(r"\w+")
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")
_DIGITS = re.compile(r"\d+")


def tokens(subject: str | None, body: str | None, sender_domain: str | None = None,
           link_hosts: Iterable[str] = ()) -> list[str]:
    """The distinct tokens of a message, in the order they first occur (at most MAX_TOKENS)."""
    common = stopwords()
    words = [w for w in dict.fromkeys(_WORD.findall(f"{subject or ''}\n{body or ''}".lower())) if w not in common]
    plain = [w for w in words if w.isascii() and w.isalpha()]  # most words: what _word_tokens keeps of them
    found = dict.fromkeys(w for w in plain if 2 <= len(w) <= 25)
    for word in words if len(plain) < len(words) else ():
        if not (word.isascii() and word.isalpha()):
            for token in _word_tokens(word):
                found[token] = None
    if sender_domain:
        found["from:" + sender_domain.lower()] = None
    for host in link_hosts:
        if host:
            found["host:" + host.lower().removeprefix("www.")] = None
    return list(found)[:MAX_TOKENS]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """The stopwords of every language in ``playbooks/languages.toml``."""
    from triage.persona import language_words

    return frozenset().union(*language_words().values())


def _word_tokens(word: str) -> Iterable[str]:
    """A word as tokens: CJK runs as character bigrams, digits as one shape ('inv2024' -> 'inv9')."""
    if _HAS_CJK.search(word):
        for run in _CJK_RUN.findall(word):
            yield from (run[i:i + 2] for i in range(max(len(run) - 1, 1)))
        word = _CJK_RUN.sub(" ", word)
        for rest in word.split():
            yield from _word_tokens(rest)
        return
    if word.isdigit() or not 2 <= len(word) <= 25 or "_" in word:
        return  # amounts, dates and order numbers change with every copy; '_' is no letter
    yield _DIGITS.sub("9", word) if not word.isalpha() else word


def link_hosts(hrefs: Iterable[str]) -> list[str]:
    """The hosts of links (lower case, no www.), each once, as the tokens name them."""
    hosts: dict[str, None] = {}
    for href in hrefs:
        try:
            host = urlsplit(href.strip()).hostname
        except ValueError:
            continue
        if host:
            hosts[host.removeprefix("www.")] = None
    return list(hosts)


def inquiry_tokens(inquiry) -> list[str]:
    """The tokens of a judged inquiry, from the same values the store keeps of it (see store_marks)."""
    m = inquiry.message
    return tokens(m.subject, m.body or m.new_text, inquiry.sender_domain, link_hosts(l.href for l in m.links))


@dataclass(slots=True, frozen=True)
class Verdict:
    """The category a message's tokens look like, how sure (0-1), and the tokens that weighed most."""

    category: str
    probability: float
    marks: int  # the user's marks of that category
    evidence: tuple[str, ...]
    support: int = 0  # the message's tokens that lean towards the category

    def __str__(self) -> str:
        shown = ", ".join(self.evidence) or "no token"
        return f"{self.category.replace('_', ' ')} {self.probability:.2f} ({self.marks} marks): {shown}"


@dataclass
class TokenModel:
    """Per category: marked messages (``marks``) and, per token, the marked messages holding it."""

    marks: dict[str, int]
    counts: dict[str, dict[str, int]]
    _probs: dict[str, dict[str, tuple[float, float, float]]] = field(default_factory=dict, repr=False)
    _known: frozenset[str] = frozenset()
    _last: tuple = field(default=(None, None, None), repr=False)

    def __post_init__(self) -> None:
        self.marks = {c: n for c, n in self.marks.items() if n > 0}
        self._probs = {c: self._token_probs(c) for c in self.marks}
        self._known = frozenset(t for probs in self._probs.values() for t in probs)

    def _token_probs(self, category: str) -> dict[str, tuple[float, float, float]]:
        """Robinson's f(w) for every token that says something (with its two logarithms, as the
        combining sums them): how much a message holding it is of ``category`` rather than of any
        other marked category."""
        mine, rest = self.marks[category], sum(self.marks.values()) - self.marks[category]
        if not rest:
            return {}
        probs = {}
        for token, by_category in self.counts.items():
            n_mine = by_category.get(category, 0)
            n_rest = sum(by_category.values()) - n_mine
            seen = n_mine + n_rest
            if not seen:
                continue
            ratio_mine, ratio_rest = n_mine / mine, n_rest / rest
            p = ratio_mine / (ratio_mine + ratio_rest)
            f = (UNKNOWN_STRENGTH * UNKNOWN_PROB + seen * p) / (UNKNOWN_STRENGTH + seen)
            if abs(f - 0.5) >= MIN_STRENGTH:
                probs[token] = (f, math.log(f), math.log(1.0 - f))
        return probs

    def ready(self, min_marks: int) -> list[str]:
        """The categories with at least ``min_marks`` marks; the model speaks when two or more are."""
        ready = [c for c, n in self.marks.items() if n >= min_marks]
        return ready if len(ready) >= 2 else []

    def of_inquiry(self, inquiry, min_marks: int) -> Verdict | None:
        """:meth:`verdict` of a judged inquiry's tokens, kept for the last inquiry asked about
        (each learned signal of one message asks the same)."""
        last, last_min, found = self._last
        if last is not inquiry or last_min != min_marks:
            found = self.verdict(inquiry_tokens(inquiry), min_marks)
            self._last = (inquiry, min_marks, found)
        return found

    def verdict(self, message_tokens: list[str], min_marks: int) -> Verdict | None:
        """The category whose marks the tokens look most like (None: too few marks, or no token known)."""
        best = None
        known = [t for t in message_tokens if t in self._known]
        for category in self.ready(min_marks) if known else ():
            probability, clues = self._combine(category, known)
            if clues and (best is None or probability > best[1]):
                best = (category, probability, clues)
        found = None
        if best is not None:
            category, probability, clues = best
            strongest = sorted(clues, key=lambda c: (-c[1][0], c[0]))[:EVIDENCE_TOKENS]
            support = sum(1 for _, p in clues if p[0] > 0.5)
            found = Verdict(category, probability, self.marks[category], tuple(t for t, _ in strongest), support)
        return found

    def _combine(self, category: str, known: list[str]) -> tuple[float, list[tuple[str, tuple]]]:
        """SpamBayes' chi-square combining of the message's strongest tokens for ``category``."""
        probs = self._probs[category]
        clues = [(t, p) for t in known if (p := probs.get(t)) is not None]
        if not clues:
            return 0.5, []
        if len(clues) > MAX_CLUES:
            clues = sorted(clues, key=lambda c: -abs(c[1][0] - 0.5))[:MAX_CLUES]
        n = len(clues)
        mine = 1.0 - chi2q(-2.0 * sum(p[2] for _, p in clues), 2 * n)
        other = 1.0 - chi2q(-2.0 * sum(p[1] for _, p in clues), 2 * n)
        return (mine - other + 1.0) / 2.0, clues


def chi2q(x2: float, v: int) -> float:
    """P(chi-square with ``v`` (even) degrees of freedom >= ``x2``)."""
    m = x2 / 2.0
    total = term = math.exp(-m)
    for i in range(1, v // 2):
        term *= m / i
        total += term
        if i > m and term < total * 1e-12:
            break  # the terms only shrink from here on: the rest cannot change the sum
    return min(total, 1.0)

