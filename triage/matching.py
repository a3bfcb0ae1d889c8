"""Every analysis or rewriting of regular expressions in triage, behind one small module.

Stages compile their own patterns with ``re`` and ask this module for the few fast paths that pay:

- the judge's gates, leads and per-word bit plan (:class:`FieldPlan`, :func:`pattern_gate`,
  :func:`pattern_lead`, :class:`Lead`, :func:`gated`): a signal's regex is tried only on texts
  holding one of the words it needs, and only where a word it can start with begins or a literal
  it can open with ('?', '报价') is written (about half of the whole pipeline's time);
- :class:`Matcher`: a regex whose every match opens with one of a few literal strings, tried only
  where one of them is written (URLs, SKUs, platform markers, introductions, relative dates);
- :class:`WordScan`: one scan for where several word lists can match (months, weekdays, payment
  terms, certifications, samples), and :func:`finditer_at` to try a list's pattern only there;
- building patterns from word lists (:func:`alternation`, :func:`pattern`) and lower-casing a data
  pattern (:func:`lower_pattern`).

Each answers exactly what the plain compiled pattern answers (the same ``re.Match`` objects).
The analysis reads a pattern's parse tree through CPython's private ``re._parser`` and
``re._constants`` (and ``re._casefix`` for the letters re.IGNORECASE pairs); no other module of
triage touches them. When they are missing, every pattern simply runs plain.

``TRIAGE_PLAIN_RE=1`` in the environment (read once, at import) turns every fast path off: each
regex then runs plain ``re`` over the whole text, with no analysis at all. The results must not
change; ``tests/test_plain_matching.py`` runs the whole pipeline both ways and compares them. (A
word list's trie is the pattern itself, not a fast path: a trie and a plain alternation of the same
words may choose different matches, so plain mode keeps it.)

About 800 lines, over the ~600 a module aims at: each fast path kept here wins more than a tenth of
the whole offline pipeline, and the reasoning that makes it exact sits beside its code.
"""

from __future__ import annotations

import os
import re
from functools import cache, lru_cache, reduce
from itertools import accumulate, compress, repeat
from operator import or_
from typing import Any, Callable, Iterable, Iterator, NamedTuple

try:
    from re import _constants as _sre, _parser as _sre_parse
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover - a Python without them: every pattern runs plain
    _EXTRA_CASES = None

PLAIN = os.environ.get("TRIAGE_PLAIN_RE") == "1" or _EXTRA_CASES is None


def plain() -> bool:
    """Whether every regex runs plain (``TRIAGE_PLAIN_RE=1``, read at import)."""
    return PLAIN


class WordIndex:
    """A text's words and where each starts, for the gates and leads of the regexes run over it.

    Whether a word opens a gate or starts a lead is memoised per word across messages
    (:class:`FieldPlan`, :class:`_PrefixTest`), so a text costs one split and a dict
    lookup per word instead of every prefix of every word and ``str.find`` loops.
    """

    __slots__ = ("text", "words", "starts", "_unique", "_scan")

    def __init__(self, text: str):
        self.text = text
        # non-word, word, non-word, word, ..., non-word; in ASCII text \w is [a-zA-Z0-9_] (a faster scan)
        parts = (_ASCII_WORD_SPLIT if text.isascii() else _WORD_SPLIT).split(text)
        self.words = parts[1::2]
        self.starts = list(accumulate(map(len, parts)))[0::2]  # where each word begins
        self._unique: set[str] | None = None
        self._scan: tuple | None = None

    @property
    def unique(self) -> set[str]:
        if self._unique is None:
            self._unique = set(self.words)
        return self._unique

    def has_any(self, prefixes: frozenset[str]) -> bool:
        """Some word starts with one of the prefixes."""
        return any(map(_prefix_test(prefixes).__getitem__, self.unique))

    def lead_starts(self, prefixes: frozenset[str]) -> list[int]:
        """Where the words that start with one of the prefixes begin, in order."""
        return list(compress(self.starts, map(_prefix_test(prefixes).__getitem__, self.words)))



_MEMO_MAX = 100_000  # words per memo before it starts over (real mail keeps bringing new words)



class _PrefixTest(dict):
    """word -> is it one of the whole words or does it start with one of the prefixes?
    Memoised across messages."""

    def __init__(self, prefixes: frozenset[str]):
        super().__init__()
        self.words = {p[:-1] for p in prefixes if p.endswith(" ")}
        self.prefixes = tuple(p for p in prefixes if not p.endswith(" "))

    def __missing__(self, word: str) -> bool:
        if len(self) >= _MEMO_MAX:
            self.clear()
        hit = self[word] = word in self.words or word.startswith(self.prefixes)
        return hit



@lru_cache(maxsize=256)
def _prefix_test(prefixes: frozenset[str]) -> _PrefixTest:
    return _PrefixTest(prefixes)



class FieldPlan:
    """The gates and leads of every regex run over one indexed field, as per-word bit masks.

    Each regex owns a bit. Per distinct word (memoised across messages) the plan knows
    which regexes' gates the word opens and which regexes' leads it starts, so
    :meth:`scan` decides every gate of a text with one OR over its distinct words and
    collects every lead position in one pass over its words. The signal set's patterns
    get their bits when it is indexed; a check's regex gets one on its first search.
    """

    MAX_SLOTS = 512  # regexes beyond this use the per-regex path

    def __init__(self) -> None:
        self.slots: dict[re.Pattern, int] = {}
        self._ids: dict[int, tuple[re.Pattern, int]] = {}  # id(rx) -> (rx, its bit), for slot
        self.open = 0  # bits of the regexes without a gate
        self.unled = 0  # bits of the regexes without a lead
        self.bits: list[int] = []  # per slot, its bit
        self.version = 0
        self.anywhere: dict[int, frozenset[str]] = {}  # slot -> the literals its lead may open anywhere with
        self._stems: dict[str, list[int]] = {}  # every prefix of a gate or lead prefix -> [gate bits, lead bits]
        self._whole: dict[str, list[int]] = {}  # gate or lead whole words -> [gate bits, lead bits]
        self._gates = _WordBits(self, 0)
        self._leads = _WordBits(self, 1)

    def slot(self, rx: re.Pattern, gate: frozenset[str] | None, lead: Lead | None) -> int | None:
        """The bit of rx, given one on first use."""
        known = self._ids.get(id(rx))  # (by id: see gate_of; a regex with no bit asks slots again)
        if known is not None:
            return known[1]
        found = self.slots.get(rx)
        if found is None and len(self.slots) < self.MAX_SLOTS:
            found = self.slots[rx] = len(self.slots)
            self.bits.append(1 << found)
            if gate is None:
                self.open |= 1 << found
            if lead is None:
                self.unled |= 1 << found
            elif lead.anywhere:
                self.anywhere[found] = lead.anywhere
            for kind, prefixes in ((0, gate), (1, lead.words if lead else None)):
                for p in prefixes or ():
                    if p.endswith(" "):
                        self._whole.setdefault(p[:-1], [0, 0])[kind] |= 1 << found
                        continue
                    for k in range(1, len(p) + 1):
                        self._stems.setdefault(p[:k], [0, 0])
                    self._stems[p][kind] |= 1 << found
            self._gates.clear()
            self._leads.clear()
            self.version += 1
        if found is not None:
            self._ids[id(rx)] = (rx, found)
        return found

    def learn(self, word: str) -> None:
        """Memoise which gates the word opens and which leads it starts."""
        if len(self._gates) >= _MEMO_MAX:
            self._gates.clear()
            self._leads.clear()
        gates, leads = self._whole.get(word, (0, 0))
        stems = self._stems
        for k in range(1, min(len(word), _PREFIX_MAX) + 1):
            bits = stems.get(word[:k])
            if bits is None:
                break  # no gate or lead word starts like this
            gates |= bits[0]
            leads |= bits[1]
        self._gates[word] = gates
        self._leads[word] = tuple(i for i in range(leads.bit_length()) if leads >> i & 1)

    def scan(self, index: WordIndex) -> tuple[int, list[list[int]]]:
        """(bits of the regexes whose gate the text opens, per regex its lead positions)."""
        found = index._scan
        if found is None or found[0] is not self or found[1] != self.version:
            # over every word, repeats included (OR is idempotent): cheaper than building the set;
            # the words that open no gate (most) dropped by filter first, OR-ing 0 changing nothing
            gates = reduce(or_, filter(None, map(self._gates.__getitem__, index.words)), self.open)
            leads = list(map(self._leads.__getitem__, index.words))
            starts: list[list[int]] = [[] for _ in range(len(self.slots))]
            for pos, slots in compress(zip(index.starts, leads), leads):
                for i in slots:
                    starts[i].append(pos)
            places: dict[str, list[int]] = {}  # each literal found once, for every regex it leads
            for i, literals in self.anywhere.items():
                if gates >> i & 1:
                    for literal in literals - places.keys():
                        places[literal] = find_all(index.text, literal)
                    starts[i] = merge_places(starts[i], [places[literal] for literal in literals])
            found = index._scan = (self, self.version, gates, starts)
        return found[2], found[3]



class _WordBits(dict):
    """word -> gate bits (kind 0) or lead slots (kind 1) of a :class:`FieldPlan`, learnt on first sight."""

    def __init__(self, plan: FieldPlan, kind: int):
        super().__init__()
        self.plan = plan
        self.kind = kind

    def __missing__(self, word: str) -> int:
        self.plan.learn(word)
        return (self.plan._gates, self.plan._leads)[self.kind][word]



def word_index_of(text: str) -> WordIndex:
    return WordIndex(text)



def lower_pattern(pattern: str) -> str:
    """Lower-case a regex's letters, leaving escapes (\\D, \\S, \\W, \\B...) alone."""
    return re.sub(r"(\\.)|([A-Z])", lambda m: m.group(1) or m.group(2).lower(), pattern)



WORD = re.compile(r"\w+")



_WORD_SPLIT = re.compile(r"(\w+)")



_ASCII_WORD_SPLIT = re.compile(r"(\w+)", re.ASCII)



def pattern_gate(rx: re.Pattern) -> frozenset[str] | None:
    """Word prefixes one of which must occur in any text the regex matches, or None.

    Derived from the regex itself: in each alternative, the most selective literal
    word it requires (one that starts a word). The engine skips a regex in O(1)
    when none of its gate words occurs, so most regexes never scan a mail.
    An entry ending in a space is a whole word (the regex has a non-word character
    or ``\\b`` right after it): "i " lets only the word "i" pass, not "in" or "items".
    """
    if PLAIN:
        return None
    try:
        conds = _required(list(_sre_parse.parse(rx.pattern, rx.flags)), False, _sre)
    except Exception:  # pragma: no cover - exotic syntax: no gate
        return None
    best = _best(conds)
    return frozenset(best) if best else None



_PREFIX_MAX = 6



class Lead(NamedTuple):
    """Where every match of a regex can begin: at the start of a word that opens with one of
    ``words`` (a prefix, or a whole word when it ends in a space), or wherever one of the literal
    strings ``anywhere`` is written ('?', '报价', 'نرجو': a branch with no word boundary before it)."""

    words: frozenset[str]
    anywhere: frozenset[str] = frozenset()

    def places(self, text: str, index: WordIndex) -> list[int]:
        """Where a match may begin in ``text`` (the text ``index`` indexes), in order."""
        starts = index.lead_starts(self.words) if self.words else []
        return merge_places(starts, [find_all(text, literal) for literal in self.anywhere])


def merge_places(starts: list[int], more: list[list[int]]) -> list[int]:
    """``starts`` and the places of ``more``, in order, each once (all but ``starts`` are mostly empty)."""
    if not any(more):
        return starts
    return sorted(set(starts).union(*more))


def find_all(text: str, literal: str) -> list[int]:
    """Every place ``literal`` is written in ``text``, overlapping ones included, in order."""
    out = []
    at = text.find(literal)
    while at >= 0:
        out.append(at)
        at = text.find(literal, at + 1)
    return out


def pattern_lead(rx: re.Pattern) -> Lead | None:
    """Where every match of ``rx`` begins (see :class:`Lead`), or None when that cannot be told.
    A word entry is a prefix of at most ``_PREFIX_MAX`` characters, or a whole word."""
    if PLAIN:
        return None
    try:
        found = _leads(list(_sre_parse.parse(rx.pattern, rx.flags)), False, _sre, rx.flags)
    except Exception:  # pragma: no cover
        return None
    if not found:
        return None
    leads, anywhere = found
    words = set()
    for lead in leads:
        m = WORD.match(lead)
        if not m:
            return None
        words.add(m.group(0) + " " if m.end() < len(lead) else m.group(0)[:_PREFIX_MAX])
    return Lead(frozenset(words), frozenset(anywhere))


_MAX_LEADS = 400


def _leads(seq: list, bounded: bool, C: Any, flags: int) -> tuple[set[str], set[str]] | None:
    """(word-start prefixes, literals written anywhere) one of which opens every match of
    ``seq``; None when some match may open otherwise. ``bounded``: a word begins here."""
    prefixes = {""}
    for i, (op, arg) in enumerate(seq):
        # \b, or ^ / \A: a word character after a line's or the text's start begins a word
        if op is C.AT and arg in (C.AT_BOUNDARY, C.AT_BEGINNING, C.AT_BEGINNING_STRING) and prefixes == {""}:
            bounded = True
        elif op is C.LITERAL and not bounded:  # (prefixes grow only once bounded)
            literal = _literal_run(seq[i:], C, flags)
            return (set(), {literal}) if literal else None
        elif op is C.LITERAL:
            prefixes = {p + chr(arg) for p in prefixes}
            if len(prefixes) > _MAX_LEADS:
                return None
        elif op is C.IN and bounded and prefixes == {""} and arg == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return set("0123456789"), set()
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and prefixes == {""}:
            body = _leads(list(arg[2]), bounded, C, flags)
            if arg[0] >= 1 or body is None:
                return body
            rest = _leads(seq[i + 1:], bounded, C, flags)  # an optional opening: it, or what follows
            return None if rest is None else (body[0] | rest[0], body[1] | rest[1])
        elif op in (C.SUBPATTERN, C.BRANCH):
            branches = [arg[3]] if op is C.SUBPATTERN else arg[1]
            words: set[str] = set()
            anywhere: set[str] = set()
            for branch in branches:
                sub = _leads(list(branch), bounded, C, flags)
                if sub is None or "" in sub[0] or sub[1] and prefixes != {""}:
                    return None if prefixes == {""} else (prefixes, set())
                words |= sub[0]
                anywhere |= sub[1]
            out = {p + t for p in prefixes for t in words}
            return (out, anywhere) if len(out) <= _MAX_LEADS else None
        else:
            break
    return None if prefixes == {""} else (prefixes, set())


def _literal_run(seq: list, C: Any, flags: int) -> str:
    """The literal characters ``seq`` opens with, as str.find can look for them in a lowered text
    ("" when a case-insensitive pattern's letter could be written in another case)."""
    run = ""
    for op, arg in seq:
        if op is not C.LITERAL:
            break
        ch = chr(arg)
        if flags & re.IGNORECASE and not _caseless(ch):
            break
        run += ch
    return run


def _caseless(ch: str) -> bool:
    """A character that re.IGNORECASE matches to itself only."""
    return ch.lower() == ch == ch.upper() and (_EXTRA_CASES is None or ord(ch) not in _EXTRA_CASES)



def _best(conds: list[set[str]]) -> set[str] | None:
    conds = [c for c in conds if c and len(c) <= 300]
    if not conds:
        return None
    return max(conds, key=lambda c: (min(_selectivity(w) for w in c), -len(c)))



def _selectivity(word: str) -> int:
    """Longer words are rarer; a whole word ("i ") is rarer than the same prefix."""
    return len(word) + 1 if word.endswith(" ") else len(word)



def _lead_literals(branches: list, C: Any) -> set[str] | None:
    """The word characters each branch starts with ("" if none), recursing into groups."""
    out: set[str] = set()
    for branch in branches:
        lead = ""
        for op, arg in branch:
            if op is C.LITERAL and (chr(arg).isalnum() or chr(arg) == "_"):
                lead += chr(arg)
                continue
            if not lead and op in (C.BRANCH, C.SUBPATTERN):
                sub = _lead_literals(arg[1] if op is C.BRANCH else [arg[3]], C)
                if sub:
                    out |= sub
                    lead = None
            break
        if lead is None:
            continue
        if not lead:
            return None
        out.add(lead)
    return out or None



def _required(seq: list, bounded: bool, C: Any) -> list[set[str]]:
    """Sets of word prefixes, each of which the sequence needs one member of."""
    conds: list[set[str]] = []
    run, run_ok = "", False

    def flush(whole: bool = False) -> None:
        if run and run_ok:
            conds.append({run + " " if whole else run[:_PREFIX_MAX]})

    for op, arg in seq:
        if op is C.LITERAL:
            ch = chr(arg)
            if ch.isalnum() or ch == "_":
                if not run:
                    run_ok = bounded
                run += ch
            else:
                flush(whole=True)  # a non-word character ends the word here
                run, bounded = "", True
            continue
        if run and run_ok and op in (C.BRANCH, C.SUBPATTERN):
            tails = _lead_literals(arg[1] if op is C.BRANCH else [arg[3]], C)
            if tails:
                conds.append({(run + t)[:_PREFIX_MAX] for t in tails})
        flush(whole=op is C.AT and arg is C.AT_BOUNDARY)
        if run:
            bounded = False
        run = ""
        if op is C.AT and arg is C.AT_BOUNDARY:
            bounded = True
            continue
        if op is C.SUBPATTERN:
            conds.extend(_required(list(arg[3]), bounded, C))
        elif op is C.BRANCH:
            per = [_best(_required(list(b), bounded, C)) for b in arg[1]]
            if all(per):
                conds.append(set().union(*per))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and arg[0] >= 1:
            conds.extend(_required(list(arg[2]), bounded, C))
        bounded = False
    flush()
    return conds



def planned(rx: re.Pattern, slot: int, lead: Lead | None, text: str,
             scan: tuple[int, list[list[int]]]) -> Iterable[re.Match]:
    """Like :func:`gated`, with the gate and lead positions from a :meth:`FieldPlan.scan`."""
    gates, starts = scan
    if not gates >> slot & 1:
        return ()
    return rx.finditer(text) if lead is None else at_starts(rx, text, starts[slot])



def gated(rx: re.Pattern, gate: frozenset[str] | None, text: str, index: WordIndex | None,
           lead: Lead | None = None) -> Iterable[re.Match]:
    """All matches of rx in text. Skips the scan when no gate word occurs; with a
    lead, tries the regex only where a match can begin (see :class:`Lead`)."""
    if index is None:
        if gate is not None and not any(map(text.__contains__, gate)):
            return iter(())
        return rx.finditer(text)
    if gate is not None and not index.has_any(gate):
        return iter(())
    if lead is None:
        return rx.finditer(text)
    return at_starts(rx, text, lead.places(text, index))



def at_starts(rx: re.Pattern, text: str, starts: list[int]) -> Iterable[re.Match]:
    """The matches finditer would give, trying rx only at the given positions (ascending)."""
    return non_overlapping(tried(rx, text, starts))



def tried(rx: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """rx matched at each position, by ``map`` (no Python loop per position: most fail)."""
    return filter(None, map(rx.match, repeat(text), starts))



def non_overlapping(matches: Iterable[re.Match]) -> Iterable[re.Match]:
    """Drop a match that starts inside the previous one: finditer would never try there."""
    end = -1
    for m in matches:
        if m.start() >= end:
            end = m.end()
            yield m



_GATES_OF: dict[int, tuple[re.Pattern, frozenset[str] | None, Lead | None]] = {}



def gate_of(rx: re.Pattern) -> tuple[frozenset[str] | None, Lead | None]:
    """pattern_gate and pattern_lead of rx, memoised by id: hashing a compiled regex hashes its
    whole code (~0.7 µs for the big ones), and every check asks again per message. The entry
    holds rx itself, so no other regex can have its id while it is there."""
    found = _GATES_OF.get(id(rx))
    if found is None:
        if len(_GATES_OF) >= 512:
            _GATES_OF.clear()
        found = _GATES_OF[id(rx)] = (rx, pattern_gate(rx), pattern_lead(rx))
    return found[1], found[2]


# -- patterns built from word lists ------------------------------------------------------

def alternation(words: list[str]) -> str:
    """A regular expression matching any of ``words``, factored as a trie.

    Python's re tries every branch of a plain alternation at every position;
    sharing prefixes makes a 250-word list cost about as much as one word.
    """
    trie = _trie(words)
    return _trie_regex(trie) if trie else "(?!)"


def _trie(words: Iterable[str]) -> dict:
    """The words as nested dicts of characters; "" marks a word's end."""
    trie: dict = {}
    for word in set(words):
        if word:
            node = trie
            for ch in word:
                node = node.setdefault(ch, {})
            node[""] = {}
    return trie


def _trie_regex(node: dict) -> str:
    end = "" in node
    branches = [re.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if end:
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else f"{body}?"
    return body


@cache
def pattern(name: str, words: tuple[str, ...], template: str = r"(?<![\w-])(?:{})(?![\w-])") -> re.Pattern:
    """A compiled alternation of ``words`` (cached by name and words)."""
    return re.compile(template.format(alternation(list(words))), re.I)


# -- where a pattern can start --------------------------------------------------------------
#
# A search for a rarely-present pattern (a platform's marker, an introduction) costs a try at
# every position of the text. When every match must begin with one of a few literal openings,
# str.find over a lower-cased copy tells at once whether there is any place to try.

# Letters that re.IGNORECASE matches to an ASCII letter, as that letter; str.lower() does the
# rest (K -> k, upper case) and keeps every other character one character long.
_TO_ASCII_CASE = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def aligned_lower(text: str) -> str | None:
    """``text`` lower-cased position for position, where any character that re.IGNORECASE
    matches to an ASCII letter or a caseless character has become that character (None in the
    unexpected case that lower-casing changed the length)."""
    if text.isascii():
        return text.lower()
    if "İ" in text or "ı" in text or "ſ" in text:  # rare: translate() is slow on other text
        text = text.translate(_TO_ASCII_CASE)
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else None


def openings(regex: re.Pattern) -> tuple[str, ...] | None:
    """Literal strings, lower case, one of which begins every match of ``regex`` (in its
    ``aligned_lower`` form, whatever the case flags), or None when some match may begin
    otherwise (a class, a repeat, a cased letter outside ASCII)."""
    if PLAIN or not isinstance(regex.pattern, str):
        return None
    try:
        found = _openings(_sre_parse.parse(regex.pattern, regex.flags).data)
    except (re.error, RecursionError):  # pragma: no cover - compiled already, so it parses
        return None
    return tuple(dict.fromkeys(found)) if found else None


def _openings(items) -> list[str] | None:
    prefix = []
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            if prefix:
                break
            continue  # anchors and look-arounds take no character
        if op is _sre.LITERAL and _plain_letter(chr(av)):
            prefix.append(chr(av).lower())
            continue
        if prefix:
            break
        if op is _sre.BRANCH:
            inner = av[1]
        elif op is _sre.SUBPATTERN:
            inner = [av[-1]]
        else:
            return None
        out = []
        for part in inner:
            found = _openings(part)
            if not found:
                return None
            out += found
        return out
    return ["".join(prefix)] if prefix else None


def _plain_letter(ch: str) -> bool:
    """A character re.I matches exactly to the characters with its lower case: ASCII (its other
    matches are turned to ASCII by aligned_lower), or one outside the few that re.I pairs with
    another letter (i/ı, σ/ς...)."""
    if ch.isascii() or _EXTRA_CASES is None:
        return ch.isascii()
    lower = ch.lower()
    return len(lower) == 1 and ch != "İ" and ord(ch) not in _EXTRA_CASES and ord(lower) not in _EXTRA_CASES


class Matcher:
    """A compiled regex that answers as the regex does, tried only where a match can begin.

    When every match opens with one of a few literal strings (:func:`openings`; ``usable`` says
    whether they are few or rare enough to look for), a search looks for them with ``str.find``
    in the text's :func:`aligned_lower` copy and matches only there, leftmost first: the result is
    the plain search's own, without a try at every position. Else (and with ``TRIAGE_PLAIN_RE=1``)
    every call is the plain pattern's."""

    __slots__ = ("regex", "pattern", "flags", "starts")

    def __init__(self, regex: re.Pattern, usable: Callable[[tuple[str, ...]], bool] = lambda starts: len(starts) <= 16):
        self.regex = regex
        self.pattern = regex.pattern
        self.flags = regex.flags
        starts = openings(regex)
        self.starts = starts if starts is not None and usable(starts) else None

    def __repr__(self) -> str:
        return f"Matcher({self.regex!r})"

    def search(self, text: str, lowered: str | None = None) -> re.Match | None:
        """``regex.search(text)``; ``lowered``: ``aligned_lower(text)``, when the caller has it."""
        if self.starts is not None and lowered is None:
            lowered = aligned_lower(text)
        if self.starts is None or lowered is None:
            return self.regex.search(text)
        for at in _places(lowered, self.starts):
            match = self.regex.match(text, at)
            if match:
                return match
        return None

    def finditer(self, text: str, lowered: str | None = None) -> Iterator[re.Match]:
        """``regex.finditer(text)`` (see :meth:`search` for ``lowered``)."""
        if self.starts is not None and lowered is None:
            lowered = aligned_lower(text)
        if self.starts is None or lowered is None:
            return self.regex.finditer(text)
        out, end = [], 0
        for at in _places(lowered, self.starts):
            if at < end:
                continue
            match = self.regex.match(text, at)
            if match:
                if match.end() == at:  # an empty match: finditer's own stepping rules apply
                    return self.regex.finditer(text)
                out.append(match)
                end = match.end()
        return iter(out)

    def match(self, text: str, pos: int = 0) -> re.Match | None:
        return self.regex.match(text, pos)

    def fullmatch(self, text: str) -> re.Match | None:
        return self.regex.fullmatch(text)


# -- several word lists, one scan --------------------------------------------------------
#
# A message is read for the words of several lists (months, weekdays, payment terms, marks...),
# and each list's pattern is tried at nearly every position of the text. When every match of a
# list's pattern opens with one of its words, the word's first run of word characters is a whole
# run in the text (the pattern looks for no word character before it, and the word goes on with
# a character that is not one, or ends where the pattern wants none), so one scan for whole runs
# equal to any list's first runs tells every place where any of the lists can match.

_WORD_RUN = re.compile(r"\w+")


def _first_runs(words: Iterable[str]) -> frozenset[str] | None:
    """The runs of word characters ``words`` open with (lower case), or None when a word opens
    with another character or its run holds a letter that aligned_lower does not settle."""
    runs = set()
    for word in words:
        run = _WORD_RUN.match(word)
        if run is None or run.start() or not all(map(_plain_letter, run.group())):
            return None
        runs.add(run.group().lower())
    return frozenset(runs)


class WordScan:
    """One scan for the first word runs of several word lists (see above): ``lists`` maps a name
    to the words one of which opens every match of that list's pattern."""

    def __init__(self, lists: dict[str, Iterable[str]]):
        self.firsts = {name: _first_runs(words) for name, words in lists.items()}
        runs = set().union(*(runs for runs in self.firsts.values() if runs))
        self.regex = re.compile(r"(?<!\w)(?:" + alternation(sorted(runs)) + r")(?!\w)")

    def read(self, text: str) -> WordPlaces:
        return WordPlaces(self, text)


class WordPlaces:
    """Where the words of a WordScan's lists may open a match in ``text``: each whole run of word
    characters of ``aligned_lower(text)`` that is a list's first run. Lower-casing keeps a
    character a word character or not (the test checks every code point), so a match of a list's
    pattern at p on ``text``, whatever its case flags, is such a run at p in the lowered text."""

    def __init__(self, scan: WordScan, text: str):
        self.scan = scan
        self.text = text
        lowered = None if PLAIN else aligned_lower(text)
        self.found = None if lowered is None else [(m.start(), m.group()) for m in scan.regex.finditer(lowered)]

    def places(self, name: str) -> list[int] | None:
        """Where a match of list ``name`` may start, in order; None when that cannot be told."""
        firsts = self.scan.firsts[name]
        if PLAIN or self.found is None or firsts is None:
            return None
        return [at for at, run in self.found if run in firsts]


def finditer_at(regex: re.Pattern, text: str, places: list[int]) -> list[re.Match]:
    """``list(regex.finditer(text))`` when every match of ``regex`` starts at one of ``places``
    (in order) and none is empty: finditer's leftmost match from the end of the last one is then
    the first of the later places where the pattern matches."""
    out, end = [], 0
    for at in places:
        if at >= end:
            match = regex.match(text, at)
            if match:
                out.append(match)
                end = match.end()
    return out


def _places(lowered: str, starts: tuple[str, ...]) -> list[int]:
    """Where any of ``starts`` is written in ``lowered``, in order."""
    return merge_places([], [find_all(lowered, opening) for opening in starts])
