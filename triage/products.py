"""Match the buyer's words to the seller's catalogue (SKUs, names, aliases) with rapidfuzz.

The catalogue is turned once into an index of alias token sequences. A text is
tokenised, each token is mapped to the closest catalogue word (exact, else a
rapidfuzz ratio of at least 88 for words of five letters or more, memoised), and
an alias matches when all its tokens occur within a short window. The score is
100 for an exact phrase, less for a loose or fuzzy one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import compress

from triage.lexicon import fold, lexicon
from triage.matching import Matcher
from triage.model import ProductMatch
from triage.profile import Product, Profile

MIN_SCORE = 75  # a loose match below this is not reported
NEAR_SCORE = 88  # a word this close (fuzz.ratio) to a catalogue word is read as that word ("dimers" -> "dimmers")
# ('-' parts tokens as a space does: 'usb-c' -> 'usb', 'c'). Chinese, Japanese and Korean write no space
# between words: each of their characters is a token, so an alias '墙壁开关' is the phrase 墙 壁 开 关 and
# matches inside '想询价USB充电插座和墙壁开关' as an English phrase does inside a sentence.
_CJK = "\u1100-\u11ff\u3130-\u318f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
# Cyrillic and Arabic words are words as Latin ones are ('розетка', 'مقبس'): a catalogue alias in Russian
# or Arabic matches as an English one does.
_TOKEN = re.compile(f"[a-z0-9\u0400-\u04ff\u0621-\u064a]+(?:[.,/][0-9]+)?|[{_CJK}]")


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _TOKEN.findall(fold(text))]


def stem(word: str) -> str:
    """A plural's singular, roughly ('boxes' -> 'box', 'placas' -> 'placa'), the same on both sides of a match."""
    if len(word) > 4 and word.endswith(("xes", "ches", "shes", "sses", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True)
class _Alias:
    sku: str
    words: tuple[str, ...]  # the catalogue's words ([product_words]: 'gniazdo schuko' -> 'socket schuko')
    text: str
    own: tuple[str, ...] = ()  # its tokens as written: a buyer who writes them gets this alias's text


class Catalogue:
    """The profile's products as an index of alias phrases."""

    def __init__(self, profile: Profile):
        self.products = {p.sku: p for p in profile.products}
        self.sku_by_upper = {sku.upper(): sku for sku in self.products}
        codes = "|".join(re.escape(s) for s in sorted(self.products, key=len, reverse=True)) or "(?!)"
        self.sku_pattern = re.compile(rf"(?<![\w-])(?:{codes})(?!\w)", re.I)  # BL-GFCI-20A names BL-GFCI
        # SKUs mostly share a few openings ('bl-'): finding those is cheaper than the search
        self.sku_matcher = Matcher(self.sku_pattern)
        self.forms = lexicon().forms("product_words")
        self.aliases = [a for p in profile.products for a in _aliases(p, self.forms)]
        self.vocabulary = frozenset(w for a in self.aliases for w in a.words)
        # rapidfuzz keeps the first of equally close words: a fixed order. The other ways of writing a
        # catalogue word are near words too ('steckdosen' is near 'steckdose', which is the catalogue's 'socket')
        self._choices = sorted(self.vocabulary | self.forms.keys())
        self._near: dict[int, list[str]] = {}  # word length -> the choices that can be near it
        self.excludes = {p.sku: frozenset(w for e in p.excludes for w in tokens(e)) for p in profile.products}
        # one-word names ('gfci', 'dimmer'): inside another product's phrase they mean that other product
        self.single = {a.words[0]: a.sku for a in self.aliases if len(a.words) == 1}
        self.first_words: dict[str, list[_Alias]] = {}
        for alias in self.aliases:
            self.first_words.setdefault(alias.words[0], []).append(alias)
        self._openers = {word: _Opener.of(aliases) for word, aliases in self.first_words.items()}
        self._token_cache: dict[str, tuple[str, float]] = {}
        self._written: dict[str, str] = {}  # the same, as an alias writes it ('steckdosen' -> 'steckdose')
        self._token_word: dict[str, str] = {}  # the same, without the closeness: read by map() on every token

    def _words(self, text: str) -> list[tuple[str, float]]:
        """(closest catalogue word, closeness) for each token of ``text``."""
        raw, _ = self._tokens(text)
        cache = self._token_cache
        return [cache[w] for w in raw]

    def _tokens(self, text: str, folded: str | None = None) -> tuple[list[str], list[str]]:
        """The tokens of ``text`` (``folded``: its fold, if known) before stemming, and the closest
        catalogue word for each.

        Memoised by the raw token, so a word seen before costs one dict lookup instead of a
        stem, a lookup and a call per token (the text's words recur across messages).
        """
        raw = _TOKEN.findall(fold(text) if folded is None else folded)
        try:
            return raw, list(map(self._token_word.__getitem__, raw))
        except KeyError:  # words not seen before: stem and look each up once
            pass
        cache, word = self._token_cache, self._token_word
        if len(cache) > 50_000:
            cache.clear()
            word.clear()
            self._written.clear()
        for w in raw:
            if w not in cache:
                nearest, closeness, written = self._nearest(stem(w))
                cache[w], word[w], self._written[w] = (nearest, closeness), nearest, written
        return raw, list(map(word.__getitem__, raw))

    def _nearest(self, word: str) -> tuple[str, float, str]:
        """(the catalogue word ``word`` is, closeness, the word as a catalogue alias writes it): itself, else
        the nearest catalogue word or other way of writing one; a way of writing one is read as the word
        extract.toml [product_words] says it is ('uticnica', 'steckdose' -> 'socket')."""
        written, closeness = word, 100.0
        if not (word in self.vocabulary or word in self.forms or len(word) < 5 or word.isdigit()):
            from rapidfuzz import fuzz, process

            best = process.extractOne(word, self._choices_as_long(len(word)), scorer=fuzz.ratio,
                                      score_cutoff=NEAR_SCORE)
            if best:
                written, closeness = best[0], best[1]
        return self.forms.get(written, written), closeness, written

    def _choices_as_long(self, length: int) -> list[str]:
        """The catalogue words whose length lets them reach NEAR_SCORE against a word of ``length``
        (fuzz.ratio is at most 100 * (1 - |a - b| / (a + b)) for lengths a and b), in their fixed order:
        the same nearest word as the whole list, from a seventh of it (a new word cost 35 us, now 6)."""
        if length not in self._near:
            self._near[length] = [c for c in self._choices
                                  if 100 * (1 - abs(len(c) - length) / (len(c) + length)) >= NEAR_SCORE - 1e-9]
        return self._near[length]

    def match(self, text: str, *, folded: str | None = None) -> list[ProductMatch]:
        """Products of ours the text names, best score per SKU, in order of first mention.
        ``folded``: ``fold(text)``, when the caller has it (see lexicon.fold_lines).

        A phrase inside a longer phrase of another product ('wall plate' inside
        'stainless steel wall plate') does not count for the shorter one.
        """
        found: dict[str, tuple[int, ProductMatch]] = {}
        mine: dict[str, bool] = {}  # whether the match's alias is written as the buyer wrote it
        for position, match in self._sku_mentions(text):
            found.setdefault(match.sku, (position, match))
            mine[match.sku] = True
        hits, own = self._phrase_hits(text, folded)
        widest = max((end - start for _, start, end, _, _ in hits), default=0)
        for n, (sku, start, end, score, alias) in enumerate(hits):
            # (only a wider phrase can dominate one: most texts' hits are all as wide)
            if end - start < widest and _dominated(sku, start, end, hits):
                continue
            first = min(start, found.get(sku, (start, None))[0])
            if not _better(found.get(sku), score, own[n], mine.get(sku, True)):
                found[sku] = (first, found[sku][1])
                continue
            found[sku] = (first, ProductMatch(sku, self.products[sku].name, score, alias))
            mine[sku] = own[n]
        return [m for _, m in sorted(found.values(), key=lambda pm: pm[0])]

    def _phrase_hits(self, text: str, folded: str | None = None) -> tuple[list[tuple[str, int, int, float, str]], list[bool]]:
        """The alias phrases the text holds (sku, start, end, score, alias text), and for each whether the
        text writes the alias's own words (not only the same catalogue words: 'prise schuko' for 'gniazdo schuko')."""
        raw, plain = self._tokens(text, folded)
        cache = self._token_cache
        openers = self._openers
        hits, own = [], []
        for i in compress(range(len(plain)), map(openers.__contains__, plain)):  # (C loops, no Python per token)
            closeness = cache[raw[i]][1]
            opener = openers[plain[i]]
            for alias in opener.candidates(plain, i):
                score, span = _window_score(alias.words, plain, i, closeness)
                if score >= MIN_SCORE and not self._foreign(alias, plain[i:i + span]) \
                        and self.excludes[alias.sku].isdisjoint(plain[i + span:i + span + 3]):
                    hits.append((alias.sku, i, i + span, score, alias.text))
                    own.append(set(alias.own) <= {self._written[w] for w in raw[i:i + span]})
        return hits, own

    def _foreign(self, alias: _Alias, window: list[str]) -> bool:
        """A word in the gaps of a loose phrase match that names another product of ours."""
        sku, single = alias.sku, self.single
        for w in window:
            if w not in alias.words and single.get(w, sku) != sku:
                return True
        return False

    def _sku_mentions(self, text: str):
        """The catalogue's own codes written in the text (any case, whatever shape the seller's SKUs have)."""
        for match in self.sku_matcher.finditer(text):
            sku = self.sku_by_upper[match.group(0).upper()]
            yield -1, ProductMatch(sku, self.products[sku].name, 100.0, match.group(0))


@dataclass(frozen=True)
class _Opener:
    """The aliases that open with one word, with what rules most of them out at a glance.

    A phrase of several words scores only when its second word is within its window
    (``_window_score``), so where none of the second words is near, only the one-word
    aliases are tried ('in', '2', 'usb' open many phrases and are written everywhere)."""

    aliases: list[_Alias]  # catalogue order: ties between hits keep the first
    singles: list[_Alias]  # the one-word ones, same order
    seconds: frozenset[str]
    reach: int  # the widest window of the phrases

    @classmethod
    def of(cls, aliases: list[_Alias]) -> _Opener:
        longer = [a for a in aliases if len(a.words) > 1]
        return cls(aliases, [a for a in aliases if len(a.words) == 1], frozenset(a.words[1] for a in longer),
                   max((len(a.words) + 2 for a in longer), default=0))

    def candidates(self, plain: list[str], i: int) -> list[_Alias]:
        if not self.reach or self.seconds.isdisjoint(plain[i:i + self.reach]):
            return self.singles
        return self.aliases


def _aliases(product: Product, forms: dict[str, str]) -> list[_Alias]:
    phrases = [product.name.split(",")[0], *product.aliases]
    out = []
    for phrase in phrases:
        own = tuple(tokens(phrase))
        if own:
            out.append(_Alias(product.sku, tuple(forms.get(w, w) for w in own), phrase, own))
    return out


def _window_score(alias: tuple[str, ...], words: list[str], start: int, closeness: float) -> tuple[float, int]:
    """(score, span): all alias words within len(alias) + 2 words from ``start``; 100 when adjacent and
    exact, 10 points less for each word in between."""
    if len(alias) == 1:
        return closeness, 1
    window = words[start:start + len(alias) + 2]
    last = 0
    for w in alias[1:]:
        if w not in window:
            return 0.0, 0
        last = max(last, window.index(w))
    span = last + 1
    return closeness * (1 - 0.1 * (span - len(alias))), span


def _dominated(sku: str, start: int, end: int, hits) -> bool:
    return any(other != sku and s <= start and end <= e and e - s > end - start for other, s, e, _, _ in hits)


def _better(current: tuple[int, ProductMatch | None] | None, score: float, own: bool = False,
            current_own: bool = True) -> bool:
    """A higher score, or as high in the buyer's own words where the current one is not."""
    if current is None or current[1] is None:
        return True
    return score > current[1].score or score == current[1].score and own and not current_own


_LAST_CATALOGUE: list = [None, None]  # [the products' content it was built from, Catalogue]


def catalogue(profile: Profile) -> Catalogue:
    """The profile's catalogue index, built once per catalogue (keyed by its content, not the object).

    The content is compared with the last one's (read on every message: a list comparison of the
    same strings costs ~1 us; a nested tuple built and hashed for a dict lookup cost ~9)."""
    content = [(p.sku, p.name, p.aliases, p.excludes) for p in profile.products] + [lexicon().forms("product_words")]
    if content != _LAST_CATALOGUE[0]:
        # a copy of the lists, so that a product edited in place is seen as a new catalogue
        _LAST_CATALOGUE[:] = [[(sku, name, list(aliases), list(excludes)) for sku, name, aliases, excludes in content[:-1]]
                              + content[-1:], Catalogue(profile)]
    return _LAST_CATALOGUE[1]
