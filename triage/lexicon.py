"""The extraction lexicon (playbooks/extract.toml, extended by $TRIAGE_HOME/extract.toml), compiled once."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, TypeVar

from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.paths import shipped, user_dir

T = TypeVar("T")


def fold(text: str) -> str:
    """Lower case without accents, for matching words across spellings (same length for ASCII text)."""
    if len(text) < 200:  # words, names, lines: they recur from message to message
        return text.lower() if text.isascii() else _fold(text)
    # a message's text: folded once for the several stages that read it, not kept for later messages
    return _fold_recent(text) if len(text) < 20_000 else _folded(text)


def fold_lines(lines: list[str]) -> str:
    """``fold("\n".join(lines))``, from each line's own fold: a message's body is folded once for all
    the stages that read it (see fold), and joined with its subject it would be folded again.

    The same, not approximately: NFKD and the removal of marks work character by character (the
    reordering of marks stops at a line break), and lower case looks across a line break only for
    a final sigma, which sees the end of a string as it sees a line break."""
    return "\n".join([fold(line) for line in lines])


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return _folded(text)


@lru_cache(maxsize=8)
def _fold_recent(text: str) -> str:
    return _folded(text)


def _folded(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    if text.isascii():
        return text
    text = _marks().sub("", text)
    return _astral().sub(_unless_mark, text) if _astral().search(text) else text


@cache
def _marks() -> re.Pattern:
    """Every combining mark of the Basic Multilingual Plane (the accents NFKD splits off), as one character
    class: one regex pass instead of a Python test per character. Only BMP marks, so that re builds a
    single table lookup: the ~100 ranges of planes 1 and 14 would be tested one by one on every
    character of every text (8x slower) - those rare characters go through _astral instead."""
    codes = [c for c in range(0x10000) if unicodedata.combining(chr(c))]
    spans: list[list[int]] = []
    for c in codes:
        if spans and c == spans[-1][1] + 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return re.compile("[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in spans) + "]")


@cache
def _astral() -> re.Pattern:
    """One character beyond the BMP (emoji, musical symbols...): each is tested with unicodedata."""
    return re.compile("[\U00010000-\U0010FFFF]")


def _unless_mark(m: re.Match) -> str:
    ch = m.group()
    return "" if unicodedata.combining(ch) else ch


def _alternation(words: list[str]) -> str:
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


@dataclass
class Lexicon:
    """The lexicon's data with folded, memoised views (read on every message: must be cheap)."""

    data: dict[str, Any]
    path: Path
    _views: dict = field(default_factory=dict, repr=False)

    def _view(self, key: tuple, build):
        if key not in self._views:
            self._views[key] = build()
        return self._views[key]

    @property
    def units(self) -> dict[str, str]:
        return self._view(("units",), lambda: {fold(w): u for u, words in self.data["units"].items() for w in words})

    def words(self, section: str, key: str) -> list[str]:
        def build():
            try:
                return [fold(w) for w in self.data[section][key]]
            except (KeyError, TypeError):
                raise DataFileError(f"{self.path}: [{section}] needs a list {key!r}") from None

        return self._view(("words", section, key), build)

    def numbered(self, section: str) -> dict[str, int]:
        def build():
            try:
                return {fold(w): int(n) for n, words in self.data[section].items() for w in words}
            except (KeyError, TypeError, ValueError):
                raise DataFileError(f"{self.path}: [{section}] must map numbers to word lists") from None

        return self._view(("numbered", section), build)

    def mapping(self, section: str, key: str | None = None) -> dict[str, str]:
        def build():
            table = self.data.get(section, {})
            table = table.get(key, {}) if key else table
            return {fold(k): v for k, v in table.items() if isinstance(v, str)}

        return self._view(("mapping", section, key), build)


@cache
def _load(path: Path) -> dict[str, Any]:
    return read_toml(path)


def per_home(load: Callable[[str], T]) -> Callable[[], T]:
    """``load(home)`` for the current $TRIAGE_HOME, kept for the last home seen: data read many times a
    message costs one look at the environment, and a changed home is still honoured."""
    last: list = [None, None]  # [home, value]

    def current() -> T:
        home = home_key()
        if last[0] != home:
            last[:] = [home, load(home)]
        return last[1]

    return current


def lexicon() -> Lexicon:
    """The lexicon for the current TRIAGE_HOME."""
    return _current_lexicon()


_current_lexicon = per_home(lambda home: _lexicon(_user_file(home, "extract.toml")))


def home_key() -> str:
    import os

    return os.environ.get("TRIAGE_HOME", "")


@cache
def _user_file(home: str, name: str) -> Path | None:
    """The user's override file, looked up once per TRIAGE_HOME (a running triage does not watch for new files)."""
    path = user_dir() / name
    return path if path.exists() else None


@cache
def _lexicon(user: Path | None) -> Lexicon:
    path = shipped("playbooks") / "extract.toml"
    data = _load(path)
    if user is not None:
        data = merge(data, _load(user))
        path = user
    return Lexicon(data, path)


@cache
def pattern(name: str, words: tuple[str, ...], template: str = r"(?<![\w-])(?:{})(?![\w-])") -> re.Pattern:
    """A compiled alternation of ``words`` (cached by name and words)."""
    return re.compile(template.format(_alternation(list(words))), re.I)


@cache
def word_start_pattern(name: str, words: tuple[str, ...], not_before: str, after: str = "") -> re.Pattern:
    """``pattern(name, words, "(?<!" + not_before + ")(?:{})" + after)``, written so that the regex
    engine can skip ahead to the words' first letters: a pattern opening with a look-behind is tried
    at every position of the text, one opening with a choice of letters only where they are written.

    The look-behind moves behind each word's first letter, widened by that letter:
    'c(?<![\\w/]c)redit' matches where '(?<![\\w/])credit' does, since the letter it looks back over
    is the one just matched, with the same flags. ``not_before`` is one character class (a look-behind
    one character wide)."""
    trie = _trie(words)
    if not trie:
        return re.compile("(?!)")
    branches = [re.escape(ch) + f"(?<!{not_before}{re.escape(ch)})" + _trie_regex(child)
                for ch, child in sorted(trie.items())]
    return re.compile("(?:" + "|".join(branches) + ")" + after, re.I)


# -- case-insensitive patterns on folded text -----------------------------------------------
#
# Python's regex engine can skip ahead to the possible first letters of a pattern only when
# case matters, so a re.IGNORECASE word list is tried at every position of the text. Folded
# text is lower case already, and there the same pattern without re.I finds the same matches
# up to twice as fast. "The same" is exact, not approximate: on text without upper case, re.I
# only adds the few pairs of lower-case letters it treats as one (i/ı, s/ſ, σ/ς, в/ᲀ..., listed
# in re._casefix), so a text holding such a partner of one of the pattern's letters keeps the
# re.I pattern, and so does a pattern with an upper-case letter or a back reference.

try:
    from re import _constants as _sre, _parser as _sre_parse
    from re._casefix import _EXTRA_CASES
except ImportError:  # pragma: no cover - a Python without them: every pattern keeps re.I
    _EXTRA_CASES = None

_FEW_NEEDLES = 24  # up to this many needles, str.find beats a trie
_MAX_RANGE = 512  # a longer character range is not looked into: such a pattern keeps re.I


@dataclass(frozen=True)
class FoldedPattern:
    """A re.I pattern of lower-case words, for folded text, with its faster twin without re.I."""

    regex: re.Pattern
    twin: re.Pattern | None = None  # the pattern without re.I, when its letters are all lower case
    partners: str = ""  # letters re.I would match to one of the pattern's letters (a handful)
    ascii_partners: bool = False  # some of those are ASCII: even ASCII text must be searched for them
    needles: tuple[str, ...] | re.Pattern | None = None  # one of them is in every match, if known

    def finditer(self, folded: str):
        """``regex.finditer(folded)``: nothing when no needle is written, else by ``on``."""
        if self.needles is not None and not self.may_match(folded):
            return iter(())
        return self.on(folded).finditer(folded)

    def search(self, folded: str) -> re.Match | None:
        if self.needles is not None and not self.may_match(folded):
            return None
        return self.on(folded).search(folded)

    def may_match(self, text: str) -> bool:
        """Whether a needle is written in ``text`` (whatever its case): without one, no match.
        A few needles are looked for with str.find; more, with their bare trie (no look-arounds,
        no re.I), which the engine walks in a third of the time of the word pattern itself."""
        lowered = aligned_lower(text)
        if lowered is None:
            return True
        if isinstance(self.needles, tuple):
            return any(n in lowered for n in self.needles)
        return self.needles.search(lowered) is not None

    def on(self, folded: str) -> re.Pattern:
        """The twin when it matches ``folded`` exactly as ``regex`` does (``folded`` has no upper
        case and no case partner of the pattern's letters), else ``regex``."""
        if self.twin is None or folded != folded.lower():
            return self.regex
        if self.partners and (self.ascii_partners or not folded.isascii()) \
                and any(p in folded for p in self.partners):
            return self.regex
        return self.twin


def folded_pattern(regex: re.Pattern, words: Iterable[str] | None = None) -> FoldedPattern:
    """``regex`` (compiled with re.I) with its twin, if it can have one (see above). ``words``:
    strings one of which every match holds (the words of a word pattern), worth giving for a
    list that most texts do not hold."""
    found = [w.lower() for w in words] if words is not None else []
    needles = None
    if found and _EXTRA_CASES is not None and all(n and all(map(_plain_letter, n)) for n in found):
        # (else a letter aligned_lower does not settle: no shortcut)
        needles = tuple(dict.fromkeys(found)) if len(found) <= _FEW_NEEDLES else re.compile(_alternation(found))
    if _EXTRA_CASES is None or not regex.flags & re.I or not isinstance(regex.pattern, str):
        return FoldedPattern(regex, needles=needles)
    letters = _letters(_sre_parse.parse(regex.pattern, regex.flags).data)
    if letters is None or any(chr(c).lower() != chr(c) for c in letters):
        return FoldedPattern(regex, needles=needles)
    partners = "".join(sorted({chr(p) for c in letters for p in _EXTRA_CASES.get(c, ())}))
    return FoldedPattern(regex, re.compile(regex.pattern, regex.flags & ~re.I), partners,
                         any(p.isascii() for p in partners), needles)


def _letters(items) -> set[int] | None:
    """The code points a parsed pattern compares characters with (literals, class members),
    or None when it holds something whose case behaviour is not plain (back references,
    very long ranges, constructs this walk does not know)."""
    out: set[int] = set()
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL):
            out.add(av)
        elif op is _sre.IN:
            for member, value in av:
                if member is _sre.LITERAL:
                    out.add(value)
                elif member is _sre.RANGE and value[1] - value[0] <= _MAX_RANGE:
                    out.update(range(value[0], value[1] + 1))
                elif member not in (_sre.NEGATE, _sre.CATEGORY):
                    return None
            continue
        elif op in (_sre.ANY, _sre.AT, _sre.CATEGORY):
            continue
        else:
            inner = _inner(op, av)
            if inner is None:
                return None
            for part in inner:
                found = _letters(part)
                if found is None:
                    return None
                out |= found
    return out


def _inner(op, av) -> list | None:
    """The sub-patterns of a group, an alternation, a repeat or a look-around; None for others."""
    if op is _sre.BRANCH:
        return list(av[1])
    if op is _sre.SUBPATTERN:
        return [av[-1]]
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
        return [av[2]]
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [av[1]]
    if op is getattr(_sre, "ATOMIC_GROUP", None):
        return [av]
    return None


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
    if _EXTRA_CASES is None or not isinstance(regex.pattern, str):
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
        inner = _inner(op, av) if op in (_sre.BRANCH, _sre.SUBPATTERN) else None
        if inner is None:
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
    if ch.isascii():
        return True
    lower = ch.lower()
    return len(lower) == 1 and ch != "İ" and ord(ch) not in _EXTRA_CASES and ord(lower) not in _EXTRA_CASES


def search_at_openings(regex: re.Pattern, text: str, starts: tuple[str, ...] | None,
                       lowered: str | None = None) -> re.Match | None:
    """``regex.search(text)``, with ``starts = openings(regex)``: the pattern is matched only where
    an opening is written, leftmost first, so the result is the search's own. ``lowered`` is
    ``aligned_lower(text)`` when the caller has it already."""
    if starts is not None and lowered is None:
        lowered = aligned_lower(text)
    if starts is None or lowered is None:
        return regex.search(text)
    for at in _places(lowered, starts):
        match = regex.match(text, at)
        if match:
            return match
    return None


def finditer_at_openings(regex: re.Pattern, text: str, starts: tuple[str, ...] | None,
                         lowered: str | None = None) -> list[re.Match]:
    """``list(regex.finditer(text))``, with ``starts = openings(regex)`` (see search_at_openings;
    ``lowered``: ``aligned_lower(text)`` when the caller has it already)."""
    if starts is not None and lowered is None:
        lowered = aligned_lower(text)
    if starts is None or lowered is None:
        return list(regex.finditer(text))
    out, end = [], 0
    for at in _places(lowered, starts):
        if at < end:
            continue
        match = regex.match(text, at)
        if match:
            if match.end() == at:  # an empty match: finditer's own stepping rules apply
                return list(regex.finditer(text))
            out.append(match)
            end = match.end()
    return out


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
        self.regex = re.compile(r"(?<!\w)(?:" + _alternation(sorted(runs)) + r")(?!\w)")

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
        lowered = aligned_lower(text)
        self.found = None if lowered is None else [(m.start(), m.group()) for m in scan.regex.finditer(lowered)]

    def places(self, name: str) -> list[int] | None:
        """Where a match of list ``name`` may start, in order; None when that cannot be told."""
        firsts = self.scan.firsts[name]
        if self.found is None or firsts is None:
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
    places = set()
    for opening in starts:
        at = lowered.find(opening)
        while at >= 0:
            places.add(at)
            at = lowered.find(opening, at + 1)
    return sorted(places)


def anchored(regex: re.Pattern) -> bool:
    """Every match of ``regex`` starts at the start of the string (each alternative opens with
    '^' or '\\A', and '^' is not multi-line): there ``regex.match`` finds what ``regex.search``
    finds, without trying every other position first."""
    if regex.flags & re.MULTILINE or not isinstance(regex.pattern, str) or _EXTRA_CASES is None:
        return False
    try:
        return _anchored(_sre_parse.parse(regex.pattern, regex.flags).data)
    except (re.error, RecursionError):  # pragma: no cover - compiled already, so it parses
        return False


def _anchored(items) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is _sre.AT:
        return av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
    if op is _sre.BRANCH:
        return all(_anchored(branch) for branch in av[1])
    if op is _sre.SUBPATTERN:
        return not av[1] & re.MULTILINE and _anchored(av[-1])
    return False


def needs_non_ascii(regex: re.Pattern) -> bool:
    """Every match of ``regex`` holds a character that no ASCII character matches, whatever the
    case flags (a Cyrillic or Chinese word, say): on ASCII text it cannot match, so the search
    can be skipped. False when that cannot be told, or when the pattern refers back to a group."""
    if _EXTRA_CASES is None or not isinstance(regex.pattern, str) or regex.groupindex or "\\" in regex.pattern \
            and re.search(r"\\[1-9]|\(\?P=", regex.pattern):
        return False
    try:
        return _needs_non_ascii(_sre_parse.parse(regex.pattern, regex.flags).data)
    except (re.error, RecursionError):  # pragma: no cover - compiled already, so it parses
        return False


_ASCII_PARTNERS = frozenset("İıſK")  # the non-ASCII letters re.I matches to ASCII ones


def _needs_non_ascii(items) -> bool:
    """Some element of this sequence always takes a character that no ASCII one matches."""
    for op, av in items:
        if op is _sre.LITERAL and av > 0x7F and chr(av) not in _ASCII_PARTNERS:
            return True
        if op is _sre.BRANCH and all(_needs_non_ascii(branch) for branch in av[1]):
            return True
        if op is _sre.SUBPATTERN and _needs_non_ascii(av[-1]):
            return True
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1 and _needs_non_ascii(av[2]):
            return True
    return False
