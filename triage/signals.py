"""Signals as data: load, validate and evaluate the judge stage's named signals.

A signal is a record in ``playbooks/signals/*.toml`` (see the README there):

    [[signal]]
    name = "free_mail_sender"
    group = "money"                 # money, authority, need, authenticity, or a category hint
    weight = -10                    # points added to the group's score when it fires
    description = "Writes from a free mail service"
    field = "sender_domain"         # what it looks at ...
    in_list = "freemail"            # ... a list lookup, or `pattern = "regex"`, or `check = "name"`
    examples = ["gmail.com"]        # must fire
    counter_examples = ["acme-electric.com"]   # must not fire

Signals that combine others (``all_of``/``any_of``/``none_of``) are evaluated after
the simple ones, in file order. Every hit records its evidence. The user's
``$TRIAGE_HOME/signals.toml`` may change weights (``[weights]``), switch signals off
(``[disabled] names = [...]``) or add signals of their own (``[[signal]]``).
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field as dc_field
from functools import lru_cache, partial, reduce
from itertools import accumulate, chain, compress, repeat
from operator import or_
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from .errors import DataFileError
from .model import Hit, Inquiry

MAN_GROUPS = ("money", "authority", "need", "authenticity")
CATEGORY_GROUPS = ("phishing", "scam", "competitor", "spam", "not_inquiry")
GROUPS = MAN_GROUPS + CATEGORY_GROUPS
SPECIAL_FILES = {"decision.toml", "lists.toml"}
USER_FILE = "signals.toml"
EVIDENCE_MAX = 80

_SIGNAL_KEYS = {
    "name", "group", "weight", "description", "field", "pattern", "unless", "min_matches",
    "in_list", "check", "params", "all_of", "any_of", "none_of", "examples",
    "counter_examples", "advice",
}


@dataclass(slots=True)
class Signal:
    name: str
    group: str
    weight: float
    description: str
    source: str  # the file that defines it
    field: str | None = None
    pattern: re.Pattern | None = None
    unless: re.Pattern | None = None
    min_matches: int = 1
    gate: frozenset[str] | None = None  # word prefixes one of which must be in the text
    lead: frozenset[str] | None = None  # word prefixes every match starts with
    in_list: str | None = None
    check: str | None = None
    params: dict[str, Any] = dc_field(default_factory=dict)
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    examples: list[Any] = dc_field(default_factory=list)
    counter_examples: list[Any] = dc_field(default_factory=list)
    advice: str = ""
    shipped_weight: float = 0.0
    weight_source: str = ""  # file the current weight comes from
    enabled: bool = True

    @property
    def is_meta(self) -> bool:
        return bool(self.all_of or self.any_of or self.none_of)


@dataclass(slots=True)
class SignalSet:
    """Every signal (enabled or not), the named lists, and the decision rules."""

    signals: list[Signal]
    lists: dict[str, frozenset[str]]
    decision: dict[str, Any]
    user_file: Path | None = None
    _simple: list[Signal] = dc_field(default_factory=list)
    _meta: list[Signal] = dc_field(default_factory=list)
    _plans: dict[str, Any] = dc_field(default_factory=dict)
    _runners: list[tuple[Signal, Callable[[Facts], str | None], int]] = dc_field(default_factory=list)
    _metas: list[tuple[Signal, frozenset[str], frozenset[str], frozenset[str], Callable[[Facts], str | None] | None, int]] \
        = dc_field(default_factory=list)
    _by_name: dict[str, Signal] = dc_field(default_factory=dict)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        """Compile the enabled signals for :meth:`evaluate` (call again after changing them)."""
        active = [s for s in self.signals if s.enabled]
        self._simple = [s for s in active if not s.is_meta]
        self._meta = [s for s in active if s.is_meta]
        self._plans = {name: _FieldPlan() for name in _INDEXED}
        for sig in self._simple + self._meta:
            if sig.pattern is not None and sig.field in self._plans:
                self._plans[sig.field].slot(sig.pattern, sig.gate, sig.lead)
        self._runners = [(sig, _runner(sig, self._plans), _gate_bit(sig, self._plans)) for sig in self._simple]
        self._metas = [(sig, frozenset(sig.all_of), frozenset(sig.any_of), frozenset(sig.none_of),
                        _runner(sig, self._plans) if (sig.pattern or sig.in_list or sig.check) else None,
                        _gate_bit(sig, self._plans)) for sig in self._meta]
        self._by_name = {s.name: s for s in self.signals}

    def indexed(self, name: str) -> Signal | None:
        """Like :meth:`get`, by the names known at the last :meth:`reindex` (no scan of the list)."""
        return self._by_name.get(name)

    def get(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)

    def evaluate(self, inquiry: Inquiry, profile: Any, history: Any = None,
                 today: date | None = None) -> list[Hit]:
        """Run every enabled signal over one inquiry; return the hits with evidence."""
        facts = Facts(inquiry, profile, history, today, self.lists, self._plans)
        live = facts.live(_TEXT, self._plans[_TEXT])
        fired: dict[str, Hit] = {}
        for sig, run, bit in self._runners:
            if bit and not live & bit:
                continue  # a text pattern that cannot match: no gate word, or no word it can start at
            evidence = run(facts)
            if evidence is not None:
                fired[sig.name] = _hit(sig, evidence)
        names = fired.keys()
        for sig, all_of, any_of, none_of, own, bit in self._metas:
            if not names >= all_of or any_of and names.isdisjoint(any_of) or not names.isdisjoint(none_of):
                continue  # needs all of all_of, one of any_of, none of none_of (in fired so far)
            evidence = ""
            if own is not None:  # its own matcher must fire too, as a simple signal would
                if bit and not live & bit:
                    continue
                evidence = own(facts)
                if evidence is None:
                    continue
            if not evidence:
                evidence = " + ".join([fired[n].evidence for n in sig.all_of + sig.any_of if n in fired]) or sig.name
            fired[sig.name] = _hit(sig, evidence)
        return list(fired.values())


def _hit(sig: Signal, evidence: str) -> Hit:
    return Hit(sig.name, sig.group, sig.weight, sig.description, truncate(evidence))


def truncate(text: str, limit: int = EVIDENCE_MAX) -> str:
    text = str(text)
    if not (text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "):
        text = " ".join(text.split())  # (every whitespace but the plain space is unprintable)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- facts


def _domain_of(address: str | None) -> str:
    if not address or "@" not in address:
        return ""
    return address.rsplit("@", 1)[1].strip(" >").lower()


class _Index:
    """A text's words and where each starts, for the gates and leads of the regexes run over it.

    Whether a word opens a gate or starts a lead is memoised per word across messages
    (:class:`_FieldPlan`, :class:`_PrefixTest`), so a text costs one split and a dict
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


class _FieldPlan:
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
        self._stems: dict[str, list[int]] = {}  # every prefix of a gate or lead prefix -> [gate bits, lead bits]
        self._whole: dict[str, list[int]] = {}  # gate or lead whole words -> [gate bits, lead bits]
        self._gates = _WordBits(self, 0)
        self._leads = _WordBits(self, 1)

    def slot(self, rx: re.Pattern, gate: frozenset[str] | None, lead: frozenset[str] | None) -> int | None:
        """The bit of rx, given one on first use."""
        known = self._ids.get(id(rx))  # (by id: see _gate_of; a regex with no bit asks slots again)
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
            for kind, prefixes in ((0, gate), (1, lead)):
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

    def scan(self, index: _Index) -> tuple[int, list[list[int]]]:
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
            found = index._scan = (self, self.version, gates, starts)
        return found[2], found[3]


class _WordBits(dict):
    """word -> gate bits (kind 0) or lead slots (kind 1) of a :class:`_FieldPlan`, learnt on first sight."""

    def __init__(self, plan: _FieldPlan, kind: int):
        super().__init__()
        self.plan = plan
        self.kind = kind

    def __missing__(self, word: str) -> int:
        self.plan.learn(word)
        return (self.plan._gates, self.plan._leads)[self.kind][word]


def _index(text: str) -> _Index:
    return _Index(text)


class Facts:
    """One inquiry seen through named fields, computed once and cached."""

    def __init__(self, inquiry: Inquiry, profile: Any, history: Any, today: date | None,
                 lists: dict[str, frozenset[str]], plans: dict[str, "_FieldPlan"] | None = None):
        self.inquiry = inquiry
        self.message = inquiry.message
        self.profile = profile
        self.history = history
        self.today = today
        self.lists = lists
        self.enrichment = inquiry.enrichment or {}
        self.plans = plans or {}
        self._cache: dict[str, Any] = {}
        self._low: dict[str, list[str]] = {}
        self._idx: dict[str, list[_Index | None]] = {}
        self._scans: dict[str, list[tuple[str, int, list[list[int]]]]] = {}

    def field(self, name: str) -> Any:
        try:
            return self._cache[name]
        except KeyError:
            found = self._cache[name] = FIELDS[name](self)
            return found

    def lowered(self, name: str) -> list[str]:
        found = self._low.get(name)
        if found is None:
            if name == "all_text" and _all_text_follows_text(self.message):
                rest = self.message.text[len(self.message.new_text):]
                found = [self.lowered(_TEXT)[0] + rest.lower()]  # (see _all_text_follows_text)
            else:
                found = [v.lower() for v in _values(self.field(name))]
            self._low[name] = found
        return found

    def scans(self, name: str, plan: _FieldPlan) -> list[tuple[str, int, list[list[int]]]]:
        """Per value of an indexed field: (lowered text, gate bits, lead positions) of the plan's scan.

        Kept for the whole message, and scanned again when a check's regex got a bit after it
        (the first time it searches): every regex's bit then has its gate and lead positions."""
        found = self._scans.get(name)
        if found is None or found and len(found[0][2]) < len(plan.slots):
            found = self._scans[name] = [(text, *plan.scan(index))
                                         for text, index in zip(self.lowered(name), self.word_index(name))]
        return found

    def live(self, name: str, plan: _FieldPlan) -> int:
        """Bits of the plan's regexes that may match some value of the field: the gate is open
        and, for a regex with a lead, some word starts with it."""
        bits = 0
        for _text, gates, starts in self.scans(name, plan):
            bits |= gates & (plan.unled | sum(compress(plan.bits, starts)))  # the bits of the slots with a start
        return bits

    def word_index(self, name: str) -> list[tuple]:
        """Per value of the field: see :func:`_index`."""
        index = self._idx.get(name)
        if index is None:
            values = self.lowered(name)
            index = self._idx[name] = [_index(v) if name in _INDEXED else None for v in values]
        return index

    @property
    def domain_info(self) -> dict:
        return self.enrichment.get("domain") or {}

    @property
    def site(self) -> dict:
        return self.enrichment.get("site") or {}


def _f_body(f: Facts) -> str:
    m = f.message
    return m.body or m.new_text or m.text


def _f_text(f: Facts) -> str:
    m = f.message
    new = m.new_text or "\n".join(x for x in (m.body, m.signature) if x) or m.text
    return f"{m.subject}\n{new}"


def _all_text_follows_text(m: Any) -> bool:
    """The all_text field is the text field (subject, new text) plus the rest of the message's text
    (the quoted part), and lowering the two apart gives what lowering all of it gives: str.lower
    maps every character on its own but a capital sigma (σ or ς by its neighbours)."""
    return bool(m.text and m.new_text) and m.text.startswith(m.new_text) \
        and "\u03a3" not in m.text and "\u03a3" not in m.subject


def _f_sender_domain(f: Facts) -> str:
    return (f.inquiry.sender_domain or _domain_of(f.inquiry.sender_email)
            or _domain_of(f.message.from_email))


def _f_title(f: Facts) -> str:
    if f.inquiry.contact_title:
        return f.inquiry.contact_title
    return "\n".join(f.message.signature.splitlines()[:5])


_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#:]+)", re.I)


def _host(href: str) -> str:
    m = _URL_HOST.match(href.strip())
    return m.group(1).lower() if m else ""


FIELDS: dict[str, Callable[[Facts], Any]] = {
    "subject": lambda f: f.message.subject,
    "body": _f_body,
    "text": _f_text,
    "all_text": lambda f: f"{f.message.subject}\n{f.message.text or _f_text(f)}",
    "quoted": lambda f: f.message.quoted,
    "signature": lambda f: f.message.signature,
    "title": _f_title,
    "from_name": lambda f: f.message.from_name or f.inquiry.sender_name or "",
    "sender_email": lambda f: (f.inquiry.sender_email or f.message.from_email or "").lower(),
    "sender_domain": _f_sender_domain,
    "reply_to_domains": lambda f: [_domain_of(a) for a in f.message.reply_to if _domain_of(a)],
    "return_path_domain": lambda f: _domain_of(f.message.return_path),
    "auth_results": lambda f: f.message.auth_results,
    "mailer": lambda f: f.message.mailer,
    "attachments": lambda f: [a.name for a in f.message.attachments],
    "link_hrefs": lambda f: [l.href for l in f.message.links],
    "link_hosts": lambda f: [h for h in (_host(l.href) for l in f.message.links) if h],
    "link_texts": lambda f: [l.text for l in f.message.links if l.text],
    "company_name": lambda f: f.inquiry.company_name or "",
    "platform": lambda f: f.message.platform or "",
    "platform_fields": lambda f: "\n".join(f"{k}: {v}" for k, v in f.message.platform_fields.items()),
    "country": lambda f: f.inquiry.country or "",
    "website": lambda f: f.inquiry.website or "",
}


# ----------------------------------------------------------------------- running


def _values(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if v]


def _runner(sig: Signal, plans: dict[str, _FieldPlan]) -> Callable[[Facts], str | None]:
    """What evaluating sig amounts to, bound once (evaluate calls it for every message)."""
    if sig.pattern is not None:
        return _planned_runner(sig, plans[sig.field]) if sig.field in plans else _plain_runner(sig)
    if sig.in_list is not None:
        return partial(_run_list, sig)
    if sig.check is not None:
        return partial(CHECKS[sig.check], **sig.params) if sig.params else CHECKS[sig.check]
    return lambda facts: None


def _gate_bit(sig: Signal, plans: dict[str, _FieldPlan]) -> int:
    """The plan bit of a pattern over the text (which :meth:`Facts.live` tells about), else 0.

    Such a signal's runner (see :func:`_planned_runner`) finds nothing unless some value of the
    text opens its gate and, for a regex with a lead, has a word it can start at."""
    if sig.pattern is None or sig.field != _TEXT:
        return 0
    slot = plans[_TEXT].slots.get(sig.pattern)
    return 0 if slot is None else 1 << slot


def _planned_runner(sig: Signal, plan: _FieldPlan) -> Callable[[Facts], str | None]:
    """:func:`_run_pattern` for a pattern over an indexed field, with its gate bit and lead
    positions taken straight from the plan's scan of the text."""
    rx, lead, unless, fld, need = sig.pattern, sig.lead, sig.unless, sig.field, sig.min_matches
    slot = plan.slot(rx, sig.gate, lead)
    if slot is None:
        return lambda facts: _run_simple(sig, facts)
    bit, limit = 1 << slot, max(need, 3)

    def run(facts: Facts) -> str | None:
        found: list[str] = []
        for text, gates, starts in facts._scans.get(fld) or facts.scans(fld, plan):
            if gates & bit:
                if lead is None:
                    _collect(rx.finditer(text), found, limit)
                else:  # most signals match nowhere: find that out without a generator (_tried, inlined)
                    matches = filter(None, map(rx.match, repeat(text), starts[slot]))
                    first = next(matches, None)
                    if first is not None:
                        _collect(_non_overlapping(chain((first,), matches)), found, limit)
            if found and unless is not None and unless.search(text):
                found = []
        return _evidence(found, need) if found else None  # (_evidence of nothing is None)

    return run


def _plain_runner(sig: Signal) -> Callable[[Facts], str | None]:
    """:func:`_run_pattern` for a pattern over a field that is not indexed, bound once.

    Exactly its path there: no plan and no word index, so each value is skipped when none of
    the gate words occurs in it (as a substring) and otherwise searched with finditer."""
    rx, unless, fld, need = sig.pattern, sig.unless, sig.field, sig.min_matches
    # the shortest gate words first: the likeliest to occur, so any() is done soonest
    gate = tuple(sorted(sig.gate, key=lambda w: (len(w), w))) if sig.gate is not None else None
    limit = max(need, 3)

    def run(facts: Facts) -> str | None:
        found: list[str] = []
        for text in facts.lowered(fld):
            if gate is None or any(map(text.__contains__, gate)):
                _collect(rx.finditer(text), found, limit)
            if found and unless is not None and unless.search(text):
                found = []
        return _evidence(found, need)

    return run


def _collect(matches: Iterable[re.Match], found: list[str], limit: int) -> None:
    """Add the distinct matched words to found, up to limit in all."""
    for m in matches:
        word = m.group(0).strip()
        if word and word not in found:
            found.append(word)
            if len(found) >= limit:
                break


def _evidence(found: list[str], need: int) -> str | None:
    if len(found) >= need and found:
        return "; ".join(f'"{w}"' for w in found)
    return None


def _run_pattern(sig: Signal, facts: Facts) -> str | None:
    found: list[str] = []
    plan = facts.plans.get(sig.field)
    for text, index in zip(facts.lowered(sig.field), facts.word_index(sig.field)):
        _collect(_matches(sig, text, index, plan), found, max(sig.min_matches, 3))
        if found and sig.unless is not None and sig.unless.search(text):
            found = []
    return _evidence(found, sig.min_matches)


def _matches(sig: Signal, text: str, index: _Index | None, plan: _FieldPlan | None = None) -> Iterable[re.Match]:
    slot = plan.slot(sig.pattern, sig.gate, sig.lead) if plan is not None and index is not None else None
    if slot is None:
        return _gated(sig.pattern, sig.gate, text, index, sig.lead)
    return _planned(sig.pattern, slot, sig.lead, text, plan.scan(index))


def _planned(rx: re.Pattern, slot: int, lead: frozenset[str] | None, text: str,
             scan: tuple[int, list[list[int]]]) -> Iterable[re.Match]:
    """Like :func:`_gated`, with the gate and lead positions from a :meth:`_FieldPlan.scan`."""
    gates, starts = scan
    if not gates >> slot & 1:
        return ()
    return rx.finditer(text) if lead is None else _at_starts(rx, text, starts[slot])


def _gated(rx: re.Pattern, gate: frozenset[str] | None, text: str, index: _Index | None,
           lead: frozenset[str] | None = None) -> Iterable[re.Match]:
    """All matches of rx in text. Skips the scan when no gate word occurs; with a
    lead, tries the regex only where a word starting with a lead prefix begins."""
    if index is None:
        if gate is not None and not any(map(text.__contains__, gate)):
            return iter(())
        return rx.finditer(text)
    if gate is not None and not index.has_any(gate):
        return iter(())
    if lead is None:
        return rx.finditer(text)
    return _at_starts(rx, text, index.lead_starts(lead))


def _at_starts(rx: re.Pattern, text: str, starts: list[int]) -> Iterable[re.Match]:
    """The matches finditer would give, trying rx only at the given positions (ascending)."""
    return _non_overlapping(_tried(rx, text, starts))


def _tried(rx: re.Pattern, text: str, starts: list[int]) -> Iterator[re.Match]:
    """rx matched at each position, by ``map`` (no Python loop per position: most fail)."""
    return filter(None, map(rx.match, repeat(text), starts))


def _non_overlapping(matches: Iterable[re.Match]) -> Iterable[re.Match]:
    """Drop a match that starts inside the previous one: finditer would never try there."""
    end = -1
    for m in matches:
        if m.start() >= end:
            end = m.end()
            yield m


def _run_list(sig: Signal, facts: Facts) -> str | None:
    members = facts.lists[sig.in_list]
    subdomains = _dotted_suffixes(members)
    for value in _values(facts.field(sig.field)):
        v = value.lower()
        if v in members or v.endswith(subdomains):
            return f"{sig.field} {value} is in list {sig.in_list}"
    return None


@lru_cache(maxsize=64)
def _dotted_suffixes(members: frozenset[str]) -> tuple[str, ...]:
    """"." + m for the members with a dot: ``v.endswith(these)`` is exactly
    ``any(v.endswith("." + m) for m in members if "." in m)``, in one C call."""
    return tuple("." + m for m in members if "." in m)


def _run_simple(sig: Signal, facts: Facts) -> str | None:
    if sig.pattern is not None:
        return _run_pattern(sig, facts)
    if sig.in_list is not None:
        return _run_list(sig, facts)
    if sig.check is not None:
        return CHECKS[sig.check](facts, **sig.params)
    return None


# ------------------------------------------------------------------------ checks

CHECKS: dict[str, Callable[..., str | None]] = {}


def check(name: str):
    """Register a check function under ``name`` (referred to as ``check = "name"`` in data)."""

    def register(fn):
        CHECKS[name] = fn
        return fn

    return register


# ------------------------------------------------------------------------ loading


def shipped_dir() -> Path:
    from .paths import shipped

    return shipped("playbooks") / "signals"


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from exc


def _lower_pattern(pattern: str) -> str:
    """Lower-case a regex's letters, leaving escapes (\\D, \\S, \\W, \\B...) alone."""
    return re.sub(r"(\\.)|([A-Z])", lambda m: m.group(1) or m.group(2).lower(), pattern)


def _compile(path: Path, name: str, key: str, pattern: Any) -> re.Pattern:
    """Compile a data-file regex. Patterns match lower-cased text (cheaper than re.I)."""
    if not isinstance(pattern, str) or not pattern:
        raise DataFileError(f"{path}: signal {name!r}: {key} must be a non-empty string")
    try:
        return re.compile(_lower_pattern(pattern), re.MULTILINE)
    except re.error as exc:
        raise DataFileError(f"{path}: signal {name!r}: bad {key} regex: {exc}") from exc


_WORD = re.compile(r"\w+")
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
    from re import _constants as C, _parser

    try:
        conds = _required(list(_parser.parse(rx.pattern, rx.flags)), False, C)
    except Exception:  # pragma: no cover - exotic syntax: no gate
        return None
    best = _best(conds)
    return frozenset(best) if best else None


_PREFIX_MAX = 6
_TEXT = "text"
_INDEXED = {_TEXT}  # fields used by enough patterns to index


def pattern_lead(rx: re.Pattern) -> frozenset[str] | None:
    """Word prefixes every match starts with (after a word boundary), or None.
    As in :func:`pattern_gate`, an entry ending in a space is a whole word."""
    from re import _constants as C, _parser

    try:
        leads = _leads(list(_parser.parse(rx.pattern, rx.flags)), False, C)
    except Exception:  # pragma: no cover
        return None
    if not leads:
        return None
    words = set()
    for lead in leads:
        m = _WORD.match(lead)
        if not m:
            return None
        words.add(m.group(0) + " " if m.end() < len(lead) else m.group(0)[:_PREFIX_MAX])
    return frozenset(words)


def _leads(seq: list, bounded: bool, C: Any) -> set[str] | None:
    prefixes = {""}
    for op, arg in seq:
        if op is C.AT and arg is C.AT_BOUNDARY and prefixes == {""}:
            bounded = True
        elif op is C.LITERAL:
            if not bounded:
                return None
            prefixes = {p + chr(arg) for p in prefixes}
            if len(prefixes) > 400:
                return None
        elif op is C.IN and bounded and prefixes == {""} and arg == [(C.CATEGORY, C.CATEGORY_DIGIT)]:
            return set("0123456789")
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT) and arg[0] >= 1 and prefixes == {""}:
            return _leads(list(arg[2]), bounded, C)
        elif op in (C.SUBPATTERN, C.BRANCH):
            branches = [arg[3]] if op is C.SUBPATTERN else arg[1]
            found: set[str] = set()
            for branch in branches:
                sub = _leads(list(branch), bounded, C)
                if sub is None or "" in sub:
                    return None if prefixes == {""} else prefixes
                found |= sub
            out = {p + t for p in prefixes for t in found}
            return out if len(out) <= 400 else None
        else:
            break
    return None if prefixes == {""} else prefixes


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


def _names(path: Path, name: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataFileError(f"{path}: signal {name!r}: {key} must be a list of signal names")
    return tuple(value)


def _number(path: Path, name: str, key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataFileError(f"{path}: signal {name!r}: {key} must be a number, not {value!r}")
    return float(value)


def parse_signal(path: Path, raw: Any, lists: dict[str, frozenset[str]]) -> Signal:
    """Validate one ``[[signal]]`` table strictly; errors name the file and the signal."""
    if not isinstance(raw, dict):
        raise DataFileError(f"{path}: every [[signal]] must be a table")
    name = raw.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name or ""):
        raise DataFileError(f"{path}: signal {name!r}: name must be lower_snake_case")
    unknown = set(raw) - _SIGNAL_KEYS
    if unknown:
        raise DataFileError(f"{path}: signal {name!r}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("group", "weight", "description"):
        if key not in raw:
            raise DataFileError(f"{path}: signal {name!r}: missing {key}")
    if raw["group"] not in GROUPS:
        raise DataFileError(f"{path}: signal {name!r}: group {raw['group']!r} is not one of {', '.join(GROUPS)}")
    if not isinstance(raw["description"], str) or not raw["description"].strip():
        raise DataFileError(f"{path}: signal {name!r}: description must be a non-empty string")
    weight = _number(path, name, "weight", raw["weight"])
    sig = Signal(name=name, group=raw["group"], weight=weight, description=raw["description"].strip(),
                 source=path.name, shipped_weight=weight, weight_source=str(path))
    _parse_matcher(path, sig, raw, lists)
    for key in ("all_of", "any_of", "none_of"):
        if key in raw:
            setattr(sig, key, _names(path, name, key, raw[key]))
    if not (sig.pattern or sig.in_list or sig.check or sig.is_meta):
        raise DataFileError(f"{path}: signal {name!r}: needs one of pattern, in_list, check, all_of, any_of")
    _parse_examples(path, sig, raw)
    sig.advice = str(raw.get("advice", ""))
    return sig


def _parse_matcher(path: Path, sig: Signal, raw: dict, lists: dict[str, frozenset[str]]) -> None:
    name = sig.name
    kinds = [k for k in ("pattern", "in_list", "check") if k in raw]
    if len(kinds) > 1:
        raise DataFileError(f"{path}: signal {name!r}: use only one of {', '.join(kinds)}")
    if kinds and kinds[0] in ("pattern", "in_list"):
        fld = raw.get("field")
        if fld not in FIELDS:
            raise DataFileError(f"{path}: signal {name!r}: field {fld!r} is not one of {', '.join(FIELDS)}")
        sig.field = fld
    if "pattern" in raw:
        sig.pattern = _compile(path, name, "pattern", raw["pattern"])
        sig.gate, sig.lead = pattern_gate(sig.pattern), pattern_lead(sig.pattern)
        if "unless" in raw:
            sig.unless = _compile(path, name, "unless", raw["unless"])
        sig.min_matches = int(_number(path, name, "min_matches", raw.get("min_matches", 1)))
    if "in_list" in raw:
        if raw["in_list"] not in lists:
            raise DataFileError(f"{path}: signal {name!r}: no list named {raw['in_list']!r} in lists.toml")
        sig.in_list = raw["in_list"]
    if "check" in raw:
        if raw["check"] not in CHECKS:
            raise DataFileError(f"{path}: signal {name!r}: no check function named {raw['check']!r}")
        sig.check = raw["check"]
        params = raw.get("params", {})
        if not isinstance(params, dict):
            raise DataFileError(f"{path}: signal {name!r}: params must be a table")
        sig.params = params
    elif "params" in raw:
        raise DataFileError(f"{path}: signal {name!r}: params need a check")


def _parse_examples(path: Path, sig: Signal, raw: dict) -> None:
    for key in ("examples", "counter_examples"):
        value = raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, dict)) for v in value):
            raise DataFileError(f"{path}: signal {sig.name!r}: {key} must be a list of strings or tables")
        if any(isinstance(v, str) for v in value) and sig.field is None:
            raise DataFileError(f"{path}: signal {sig.name!r}: {key} for a check or combined signal must be tables")
        setattr(sig, key, value)
    if not sig.examples:
        raise DataFileError(f"{path}: signal {sig.name!r}: needs at least one example")


def _load_lists(directory: Path) -> dict[str, frozenset[str]]:
    path = directory / "lists.toml"
    data = _read_toml(path) if path.exists() else {}
    lists: dict[str, frozenset[str]] = {}
    for name, values in data.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataFileError(f"{path}: list {name!r} must be a list of strings")
        lists[name] = frozenset(v.lower() for v in values)
    return lists


def _load_signal_file(path: Path, lists: dict[str, frozenset[str]]) -> list[Signal]:
    data = _read_toml(path)
    unknown = set(data) - {"signal"}
    if unknown:
        raise DataFileError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    raw = data.get("signal", [])
    if not isinstance(raw, list):
        raise DataFileError(f"{path}: 'signal' must be an array of tables ([[signal]])")
    return [parse_signal(path, r, lists) for r in raw]


def _check_references(signals: Iterable[Signal]) -> None:
    seen: dict[str, Signal] = {}
    for sig in signals:
        for ref in (*sig.all_of, *sig.any_of, *sig.none_of):
            if ref not in seen and ref not in {s.name for s in signals}:
                raise DataFileError(f"{sig.source}: signal {sig.name!r}: refers to unknown signal {ref!r}")
        seen[sig.name] = sig


def load_shipped(directory: Path | None = None) -> SignalSet:
    directory = directory or shipped_dir()
    lists = _load_lists(directory)
    signals: list[Signal] = []
    names: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        if path.name in SPECIAL_FILES:
            continue
        for sig in _load_signal_file(path, lists):
            if sig.name in names:
                raise DataFileError(f"{path}: signal {sig.name!r}: already defined in {names[sig.name]}")
            names[sig.name] = path.name
            signals.append(sig)
    _check_references(signals)
    decision = load_decision(directory / "decision.toml")
    unknown = set(decision["category"]["genuine_needs"]) - set(names)
    if unknown:
        raise DataFileError(f"{directory / 'decision.toml'}: [category] genuine_needs names unknown signal(s) "
                            f"{', '.join(sorted(unknown))}")
    return SignalSet(signals, lists, decision)


def apply_user_file(sset: SignalSet, path: Path) -> SignalSet:
    """Apply ``$TRIAGE_HOME/signals.toml``: weights, disabled names, extra signals."""
    data = _read_toml(path)
    unknown = set(data) - {"weights", "disabled", "signal"}
    if unknown:
        raise DataFileError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}; "
                            "use [weights], [disabled] and [[signal]]")
    extra = data.get("signal", [])
    if not isinstance(extra, list):
        raise DataFileError(f"{path}: 'signal' must be an array of tables ([[signal]])")
    for raw in extra:
        sig = parse_signal(path, raw, sset.lists)
        old = sset.get(sig.name)
        if old is not None:
            sset.signals[sset.signals.index(old)] = sig
        else:
            sset.signals.append(sig)
    _apply_weights(sset, path, data.get("weights", {}))
    _apply_disabled(sset, path, data.get("disabled", {}))
    _check_references(sset.signals)
    sset.user_file = path
    sset.reindex()
    return sset


def _apply_weights(sset: SignalSet, path: Path, weights: Any) -> None:
    if not isinstance(weights, dict):
        raise DataFileError(f"{path}: [weights] must be a table of signal = number")
    for name, value in weights.items():
        sig = sset.get(name)
        if sig is None:
            raise DataFileError(f"{path}: [weights]: no signal named {name!r}")
        sig.weight = _number(path, name, "weight", value)
        sig.weight_source = str(path)


def _apply_disabled(sset: SignalSet, path: Path, disabled: Any) -> None:
    names = disabled.get("names", []) if isinstance(disabled, dict) else None
    if not isinstance(names, list) or set(disabled) - {"names"}:
        raise DataFileError(f"{path}: [disabled] must be `names = [\"signal\", ...]`")
    for name in names:
        sig = sset.get(name) if isinstance(name, str) else None
        if sig is None:
            raise DataFileError(f"{path}: [disabled]: no signal named {name!r}")
        sig.enabled = False


def load_signals(user_dir: Path | None = None, shipped: Path | None = None) -> SignalSet:
    """Shipped signals plus the user's overrides from ``user_dir/signals.toml``, validated."""
    sset = load_shipped(shipped)
    if user_dir is None:
        from .paths import user_dir as default_user_dir

        user_dir = default_user_dir()
    path = Path(user_dir) / USER_FILE
    if path.exists():
        apply_user_file(sset, path)
    return sset


# ---------------------------------------------------------------------- decision

_DECISION_DEFAULTS: dict[str, Any] = {
    "scores": {"base": {"money": 30, "authority": 30, "need": 20, "authenticity": 75}, "strong": 60},
    "category": {"order": list(CATEGORY_GROUPS), "sure": 60, "likely": 30, "doubt": 50,
                 "impostor_below": -1, "impostor_default": "scam",
                 "genuine_needs": [], "without_evidence": "not_inquiry"},
    "tier": {"A": 3, "B": 2, "unserviceable": [], "doubtful_below": 40, "doubtful_tier": "C"},
}


def load_decision(path: Path) -> dict[str, Any]:
    """Read decision.toml (thresholds and how groups combine), strictly."""
    data = _read_toml(path) if path.exists() else {}
    decision: dict[str, Any] = {}
    for section, defaults in _DECISION_DEFAULTS.items():
        given = data.get(section, {})
        if not isinstance(given, dict):
            raise DataFileError(f"{path}: [{section}] must be a table")
        unknown = set(given) - set(defaults)
        if unknown:
            raise DataFileError(f"{path}: [{section}]: unknown key(s) {', '.join(sorted(unknown))}")
        decision[section] = {**defaults, **given}
    extra = set(data) - set(_DECISION_DEFAULTS) - {"advice"}
    if extra:
        raise DataFileError(f"{path}: unknown section(s) {', '.join(sorted(extra))}")
    decision["advice"] = data.get("advice", {})
    _validate_decision(path, decision)
    return decision


def _validate_decision(path: Path, d: dict[str, Any]) -> None:
    base = d["scores"]["base"]
    if set(base) != set(MAN_GROUPS) or not all(isinstance(v, (int, float)) for v in base.values()):
        raise DataFileError(f"{path}: [scores] base must give a number for each of {', '.join(MAN_GROUPS)}")
    for key in ("sure", "likely"):
        val = d["category"][key]
        if isinstance(val, (int, float)):
            d["category"][key] = {c: val for c in CATEGORY_GROUPS}
        elif not isinstance(val, dict) or set(val) - set(CATEGORY_GROUPS):
            raise DataFileError(f"{path}: [category] {key} must be a number or a table per category")
        else:
            d["category"][key] = {c: val.get(c, 1000) for c in CATEGORY_GROUPS}
    if sorted(d["category"]["order"]) != sorted(CATEGORY_GROUPS):
        raise DataFileError(f"{path}: [category] order must list each of {', '.join(CATEGORY_GROUPS)}")
    needs = d["category"]["genuine_needs"]
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise DataFileError(f"{path}: [category] genuine_needs must be a list of signal names")
    if d["category"]["without_evidence"] not in CATEGORY_GROUPS:
        raise DataFileError(f"{path}: [category] without_evidence must be one of {', '.join(CATEGORY_GROUPS)}")
    if d["tier"]["doubtful_tier"] not in ("A", "B", "C", "D"):
        raise DataFileError(f"{path}: [tier] doubtful_tier must be A, B, C or D")


# ------------------------------------------------------------------ check helpers

_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
                 "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "deux": 2, "trois": 3,
                 "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "duas": 2, "três": 3}
_NUM_BEFORE = re.compile(r"(\d{1,3}(?:[,.]\d{3})+|\d+|" + "|".join(_NUMBER_WORDS)
                         + r")\+?[\s-]+(?:[a-zà-ÿ&-]+\s+){0,2}$")
_BRANCH_WORDS = re.compile(
    r"\b(branches|stores|outlets|locations|warehouses|shops|showrooms|depots|dcs|sucursales|tiendas|"
    r"almacenes|filiales|lojas|filialen|niederlassungen|magasins|agences|punti vendita|filiali|"
    r"oddzia\w+|fióktelep\w*|points? of sale)\b")
_STAFF_WORDS = re.compile(r"\b(staff|employees|workers|empleados|colaboradores|"
                          r"mitarbeiter\w*|salariés|employés|funcionários|dipendenti)\b")
_YEAR_WORDS = re.compile(r"\b(?:since|founded in|established in|est\.|desde|depuis|seit|dal)\s+((?:19|20)\d\d)\b"
                         r"|\b(years)\s+(?:in business|in the (?:trade|market|industry|business)|of experience|"
                         r"of trading|trading|on the market)\b"
                         r"|\b(años|anos|ans|jahre\w*|anni)\s+(?:en el (?:mercado|sector)|no mercado|de experiencia|"
                         r"de experiência|d'expérience|am markt|im geschäft|di esperienza|sul mercato)\b")


_GAP_NOT_A_COUNT = re.compile(r"\b(?:pcs|pc|pieces?|units?|nos|sets?|cartons?|x|for|of|to|per|each|"
                              r"piezas|unidades|peças|pièces|stück|stk)\b", re.I)


def _to_int(word: str) -> int:
    word = word.lower()
    if word in _NUMBER_WORDS:
        return _NUMBER_WORDS[word]
    return int(_NUMBER_MARKS.sub("", word))


_NUMBER_MARKS = re.compile(r"[,.]")


def _search(f: Facts, fld: str, rx: re.Pattern) -> list[re.Match]:
    """Matches of a built-in regex in a lower-cased field, gated like data patterns."""
    gate, lead = _gate_of(rx)
    plan = f.plans.get(fld)
    slot = plan.slot(rx, gate, lead) if plan is not None else None
    out = []
    if slot is None:
        for text, index in zip(f.lowered(fld), f.word_index(fld)):
            out.extend(_gated(rx, gate, text, index, lead))
    else:  # the message's scan of the field (see Facts.scans), as _planned_runner reads it
        for text, gates, starts in f.scans(fld, plan):
            out.extend(_planned(rx, slot, lead, text, (gates, starts)))
    return out


_GATES_OF: dict[int, tuple[re.Pattern, frozenset[str] | None, frozenset[str] | None]] = {}


def _gate_of(rx: re.Pattern) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """pattern_gate and pattern_lead of rx, memoised by id: hashing a compiled regex hashes its
    whole code (~0.7 µs for the big ones), and every check asks again per message. The entry
    holds rx itself, so no other regex can have its id while it is there."""
    found = _GATES_OF.get(id(rx))
    if found is None:
        if len(_GATES_OF) >= 512:
            _GATES_OF.clear()
        found = _GATES_OF[id(rx)] = (rx, pattern_gate(rx), pattern_lead(rx))
    return found[1], found[2]


def _count_before(f: Facts, rx: re.Pattern) -> tuple[int, str]:
    """The largest number written just before one of rx's keywords ("14 branches")."""
    key = "_count_" + rx.pattern[:30]
    if key in f._cache:
        return f._cache[key]
    best, evidence = 0, ""
    for fld in ("text", "platform_fields"):
        for i, m in enumerate(_search(f, fld, rx)):
            text = m.string
            n = _NUM_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if n and _GAP_NOT_A_COUNT.search(n.group(0)):
                continue  # "500 pcs GFCI outlets", "400 units for locations": a quantity, not branches
            count = _to_int(n.group(1)) if n else 0
            if count > best:
                best, evidence = count, text[n.start():m.end()]
    f._cache[key] = (best, evidence)
    return best, evidence


def _best_count(rx: re.Pattern, f: Facts, site_value: Any = None) -> tuple[int, str]:
    best, evidence = _count_before(f, rx)
    if isinstance(site_value, (int, float)) and site_value > best:
        best, evidence = int(site_value), f"website: {site_value}"
    return best, evidence


def _in_range(n: float, lo: float | None, hi: float | None) -> bool:
    return (lo is None or n >= lo) and (hi is None or n < hi)


def _our_products(f: Facts) -> list[Any]:
    if "_ours" not in f._cache:
        found = []
        for pm in f.inquiry.products:
            prod = _profile_product(f.profile, pm.sku) if pm.sku else None
            if prod is not None and all(p.sku != prod.sku for p in found):
                found.append(prod)
        f._cache["_ours"] = found
    return f._cache["_ours"]


def _profile_product(profile: Any, sku: str) -> Any:
    if profile is None:
        return None
    getter = getattr(profile, "product", None)
    if callable(getter):
        return getter(sku)
    return next((p for p in getattr(profile, "products", []) if p.sku == sku), None)


def _quantity(f: Facts, container_pcs: int = 0) -> float | None:
    q = f.inquiry.quantity
    if q is None or not q.value:
        return None
    unit = (q.unit or "pcs").lower()
    if unit.startswith("container"):
        return q.value * container_pcs if container_pcs else None
    return float(q.value)


def _upper(values: Iterable[str]) -> set[str]:
    return {v.strip().upper() for v in values if v}


@lru_cache(maxsize=4096)
def _registrable(domain: str) -> str:
    """The registrable domain (public suffix list bundled with tldextract: mail.obi.de -> obi.de)."""
    from triage.extract import registrable_domain

    return registrable_domain(domain) if domain else ""


def _own_domains(f: Facts) -> set[str]:
    if "_own" not in f._cache:
        f._cache["_own"] = set(_own_tuple(f))  # from the tuple the message has already
    return f._cache["_own"]


def _profile_domain_tuple(profile: Any) -> tuple[str, ...]:
    company = getattr(profile, "company", None) or {}
    listed = company.get("domains")
    listed = listed if isinstance(listed, str) else tuple(listed or ())
    values = (company.get(key) for key in ("website", "email", "domain"))
    return _company_domains(listed, *(v if isinstance(v, str) else None for v in values))


def _own_tuple(f: Facts) -> tuple[str, ...]:
    if "_own_t" not in f._cache:
        f._cache["_own_t"] = _profile_domain_tuple(f.profile)
    return f._cache["_own_t"]


@lru_cache(maxsize=16)
def _protected(listed: frozenset[str], own: tuple[str, ...]) -> set[str]:
    """``set(listed) | set(own)``, built once per list and profile instead of per message.

    Built exactly as the checks built it per message (same members, same insertion
    order), so iterating it names the same first target. Callers must not mutate it."""
    return set(listed) | set(own)


@lru_cache(maxsize=16)
def _frozen(own: tuple[str, ...]) -> frozenset[str]:
    """frozenset(own), once per profile (its hash is then computed once, not per message)."""
    return frozenset(own)


@lru_cache(maxsize=8)
def _phishing_affixes(home: str | None) -> frozenset[str]:
    """enrich.domains.phishing_affixes() per $TRIAGE_HOME (its only input: the data file is
    read once per home), without building the data file's path on every message."""
    from triage.enrich.domains import phishing_affixes

    return phishing_affixes()


@lru_cache(maxsize=64)
def _company_domains(listed: str | tuple[str, ...], *values: Any) -> tuple[str, ...]:
    """The company's registrable domains, in order (memoised: every message asks again)."""
    domains = [listed] if isinstance(listed, str) else list(listed)
    for value in values:
        if isinstance(value, str) and value:
            domains.append(_domain_of(value) or _host(value) or value)
    return tuple(_registrable(d.lower().removeprefix("www.")) for d in domains if d)


def _is_free(f: Facts, domain: str) -> bool:
    if domain == f.field("sender_domain") and f.domain_info.get("free_mail") is not None:
        return bool(f.domain_info.get("free_mail"))
    return domain in f.lists.get("freemail", ()) or _registrable(domain) in f.lists.get("freemail", ())


# ------------------------------------------------------------------------ checks
# Each check takes the Facts and its `params` from the data file and returns the
# evidence (a short string) when the signal fires, else None.


@check("branches")
def _check_branches(f: Facts, min: int = 1, max: int | None = None) -> str | None:
    n, evidence = _best_count(_BRANCH_WORDS, f, f.site.get("branches"))
    return evidence if n and _in_range(n, min, max) else None


@check("staff")
def _check_staff(f: Facts, min: int = 1, max: int | None = None) -> str | None:
    n, evidence = _best_count(_STAFF_WORDS, f, f.site.get("staff"))
    return evidence if n and _in_range(n, min, max) else None


@check("years_in_business")
def _check_years(f: Facts, min: int = 10, max: int | None = None) -> str | None:
    year_now = (f.today or (f.message.date.date() if f.message.date else date.today())).year
    best, evidence = 0, ""
    for m in _search(f, "text", _YEAR_WORDS):
        if m.group(1):
            years = year_now - int(m.group(1))
        else:
            n = _NUM_BEFORE.search(m.string, m.start() - 30 if m.start() > 30 else 0, m.start())
            years = _to_int(n.group(1)) if n else 0
        if years > best:
            best, evidence = years, m.string[m.start() - 12 if m.start() > 12 else 0:m.end()]
    founded = f.site.get("founded")
    if isinstance(founded, int) and year_now - founded > best:
        best, evidence = year_now - founded, f"website: founded {founded}"
    return evidence if best and _in_range(best, min, max) else None


@check("site_fact")
def _check_site_fact(f: Facts, key: str = "", equals: Any = True) -> str | None:
    value = f.site.get(key)
    return f"website {key}: {value}" if value is not None and value == equals else None


@check("mail_domain_missing")
def _check_mail_domain(f: Facts, nonexistent: bool = False) -> str | None:
    """The sender's (non-free) domain has no MX records, or does not exist at all (a DNS fact from enrich)."""
    mx = f.enrichment.get("mx")
    domain = f.field("sender_domain")
    if not mx or mx.get("has_mx") or not domain or _is_free(f, domain):
        return None
    missing = any("does not exist" in e for e in f.enrichment.get("errors") or [])
    if nonexistent != missing:
        return None
    return f"{domain} does not exist in DNS" if missing else f"{domain} has no MX records: it receives no mail"


@check("domain_fact")
def _check_domain_fact(f: Facts, key: str = "", equals: Any = True) -> str | None:
    value = f.domain_info.get(key)
    if value is None or value != equals:
        return None
    return f"{f.field('sender_domain')}: {key}"


@check("order_value")
def _check_order_value(f: Facts, min: float = 0, max: float | None = None) -> str | None:
    if "_order" not in f._cache:  # the three order_value signals ask the same
        terms = getattr(f.profile, "terms", None) or {}
        qty = _quantity(f, int(terms.get("container_pcs") or 0))  # pieces in a container: the seller's fact
        f._cache["_order"] = qty, [p.price_min for p in _our_products(f) if getattr(p, "price_min", None)]
    qty, prices = f._cache["_order"]
    if not qty or not prices:
        return None
    value = qty * sum(prices) / len(prices)
    if not _in_range(value, min, max):
        return None
    return f"about USD {value:,.0f} ({qty:,.0f} pcs x {sum(prices) / len(prices):.2f})"


def _moq_ratio(f: Facts) -> tuple[float, float] | None:
    if "_moq" not in f._cache:  # the quantity_vs_moq signals ask the same
        f._cache["_moq"] = _moq_ratio_of(f)
    return f._cache["_moq"]


def _moq_ratio_of(f: Facts) -> tuple[float, float] | None:
    qty = _quantity(f, 10000)
    ours = [p for p in _our_products(f) if getattr(p, "moq", None)]
    if not qty or not ours:
        return None
    per_item = qty / len(ours)
    avg_moq = sum(p.moq for p in ours) / len(ours)
    return per_item, avg_moq


@check("quantity_vs_moq")
def _check_moq(f: Facts, min: float = 0, max: float | None = None) -> str | None:
    """Quantity per product line, as a multiple of our MOQ, within [min, max)."""
    ratio = _moq_ratio(f)
    if ratio is None or not _in_range(ratio[0] / ratio[1], min, max):
        return None
    return f"{ratio[0]:,.0f} pcs per item against MOQ {ratio[1]:,.0f}"


@check("our_products")
def _check_our_products(f: Facts, min: int = 1) -> str | None:
    ours = _our_products(f)
    if len(ours) < min:
        return None
    texts = {pm.sku: pm.text or pm.name for pm in f.inquiry.products if pm.sku}
    return ", ".join(f"{p.sku} ({truncate(texts.get(p.sku, ''), 30)})" for p in ours)


@check("not_our_products")
def _check_not_ours(f: Facts) -> str | None:
    if _our_products(f):
        return None
    others = [pm.text or pm.name for pm in f.inquiry.products if not pm.sku]
    return "asks for " + ", ".join(others) if others else None


@check("quantity_stated")
def _check_quantity(f: Facts) -> str | None:
    q = f.inquiry.quantity
    return f"{q.value:,.0f} {q.unit}" if q and q.value else None


@check("deadline_stated")
def _check_deadline(f: Facts, max_days: int | None = None) -> str | None:
    due = f.inquiry.deadline
    if due is None:
        return None
    ref = f.today or (f.message.date.date() if f.message.date else None)
    if max_days is not None and ref is not None and (due - ref).days > max_days:
        return None
    return f"by {due.isoformat()}"


@check("terms_stated")
def _check_terms(f: Facts) -> str | None:
    parts = [x for x in (f.inquiry.incoterm, f.inquiry.destination) if x]
    return " ".join(parts) if parts else None


@check("sample_requested")
def _check_sample(f: Facts) -> str | None:
    return "samples requested" if f.inquiry.sample_requested else None


def _certs(f: Facts) -> tuple[list[str], set[str]]:
    """(certifications asked, held), once per message: certification_held and _not_held both ask."""
    if "_certs" not in f._cache:
        f._cache["_certs"] = _certs_of(f)
    return f._cache["_certs"]


def _certs_of(f: Facts) -> tuple[list[str], set[str]]:
    asked = [c for c in dict.fromkeys(v.strip().upper() for v in f.inquiry.certifications if v)
             if c not in {"ISO9001", "ISO 9001", "ISO"}]  # in the order the buyer names them
    held = _upper(getattr(f.profile, "certifications", []) or [])
    for prod in _our_products(f):
        held |= _upper(getattr(prod, "certifications", []) or [])
    return asked, held


@check("certification_held")
def _check_cert_held(f: Facts) -> str | None:
    asked, held = _certs(f)
    ok = [c for c in asked if c in held]
    return ", ".join(f"{c} asked, held" for c in ok) if ok and len(ok) == len(asked) else None


@check("off_catalogue")
def _check_off_catalogue(f: Facts, min_matches: int = 1) -> str | None:
    """Device types the seller's profile lists under [catalogue] not_made (a different range, so no rule here)."""
    if "_not_made" not in f._cache:  # off_catalogue_words and off_catalogue_many search the same words
        rx = _not_made_pattern(tuple(getattr(f.profile, "not_made", None) or ()))
        f._cache["_not_made"] = [] if rx is None else list(dict.fromkeys(m.group(0) for m in _search(f, "text", rx)))
    found = f._cache["_not_made"]
    return "; ".join(f'"{w}"' for w in found[:3]) if len(found) >= min_matches else None


@lru_cache(maxsize=8)
def _not_made_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """The phrases, each a whole word run. Phrases that start with a word character get ``\\b``
    (the same as ``(?<!\\w)`` there), which lets the engine gate the search on their first words."""
    if not words:
        return None
    phrases = sorted({w.lower().strip() for w in words if w.strip()}, key=len, reverse=True)
    start = r"\b" if all(_WORD.match(w) for w in phrases) else r"(?<![\w])"
    return re.compile(start + "(?:" + "|".join(re.escape(w) for w in phrases) + r")(?![\w])")


_MAKER = re.compile(r"\b(factory|manufactur\w*|industrial|industry|appliances?|co\.,? ?ltd|工厂|制造)", re.I)


@check("same_trade_maker")
def _check_same_trade(f: Facts) -> str | None:
    """The signature or company is a maker (factory, manufacturer, Co., Ltd) of our own products, or signs from
    a place where our trade's makers cluster (the profile's [catalogue] maker_places)."""
    text = f"{f.field('signature')}\n{f.inquiry.company_name or ''}".lower()
    if not _MAKER.search(text):
        return None
    # a word must first be in the text at all: most are not, and each needs a regex of its own
    places = [p for p in getattr(f.profile, "maker_places", None) or ()
              if p in text and _word_regex(p, "").search(text)]
    ours = [w for w in _catalogue_words(f.profile) if w in text and _word_regex(w, "s?").search(text)]
    found = places + ours
    return "maker of our trade: " + ", ".join(found[:3]) if found else None


@lru_cache(maxsize=1024)
def _word_regex(word: str, suffix: str) -> re.Pattern:
    """The word (plus suffix) as a whole word, compiled once (re's own cache is shared by every stage)."""
    return re.compile(rf"\b{re.escape(word)}{suffix}\b")


def _catalogue_words(profile: Any) -> tuple[str, ...]:
    key = tuple((p.name, tuple(p.aliases)) for p in getattr(profile, "products", None) or ())
    return _product_nouns(key)


@lru_cache(maxsize=8)
def _product_nouns(products: tuple) -> tuple[str, ...]:
    """The words our catalogue names its products with ('socket', 'downlight'), not sizes or generic words."""
    generic = {"with", "from", "single", "double", "white", "black", "pole", "gang", "outlets", "inch"}
    words = {w for name, aliases in products for text in (name, *aliases)
             for w in re.findall(r"[a-z]{4,}", text.lower())}
    return tuple(sorted(words - generic))


@check("certification_not_held")
def _check_cert_missing(f: Facts) -> str | None:
    asked, held = _certs(f)
    prods = _our_products(f)
    missing = []
    for c in asked:
        if prods and all(c not in _upper(getattr(p, "certifications", []) or []) for p in prods):
            missing.append(c)
        elif c not in held:
            missing.append(c)
    return ", ".join(f"{c} asked, not held" for c in missing) or None


@check("free_mail")
def _check_free_mail(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    return f"{domain} is free mail" if domain and _is_free(f, domain) else None


@check("business_domain")
def _check_business_domain(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    if not domain or _is_free(f, domain) or f.domain_info.get("disposable"):
        return None
    if f.domain_info.get("lookalike"):
        return None
    return f"writes from {domain}"


@check("internal_sender")
def _check_internal(f: Facts) -> str | None:
    domain = f.field("sender_domain")
    return f"{domain} is our own domain" if domain and _registrable(domain) in _own_domains(f) else None


@check("reply_to_differs")
def _check_reply_to(f: Facts) -> str | None:
    sender = _registrable(f.field("sender_domain") or "")
    for dom in f.field("reply_to_domains") or [f.domain_info.get("reply_to_domain") or ""]:
        if dom and sender and _registrable(dom) != sender:
            return f"Reply-To {dom}, From {sender}"
    return None


_DOMAIN_IN_TEXT = re.compile(r"(?:@|www\.|https?://)([a-z0-9-]+(?:\.[a-z0-9-]+)+)", re.I)


@check("signature_domain_differs")
def _check_signature_domain(f: Facts) -> str | None:
    sender = _registrable(f.field("sender_domain") or "")
    if not sender or _is_free(f, sender):
        return None
    own = _own_domains(f)
    for m in _DOMAIN_IN_TEXT.finditer(f.field("signature")):
        dom = _registrable(m.group(1).rstrip("."))
        if dom != sender and dom not in own and not _is_free(f, dom) and "." in dom:
            return f"signature shows {dom}, From is {sender}"
    return None


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@check("signature_matches_domain")
def _check_signature_matches(f: Facts) -> str | None:
    if f.site.get("name_matches_signature"):
        return "website company name matches the signature"
    sender = _registrable(f.field("sender_domain") or "")
    if not sender or _is_free(f, sender):
        return None
    sig = f.field("signature").lower()
    if sender in sig:
        return f"signature shows {sender}"
    label = sender.split(".")[0].replace("-", "")
    company = _NOT_ALNUM.sub("", (f.inquiry.company_name or "").lower())
    if len(label) >= 4 and company and (label in company or company[:6] in label):
        return f"company {f.inquiry.company_name} matches {sender}"
    return None


@lru_cache(maxsize=4096)
def _skeleton(domain: str) -> str:
    d = domain.lower()
    for a, b in (("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l"), ("-", "")):
        d = d.replace(a, b)
    return d


@lru_cache(maxsize=8192)
def _near(a: str, b: str) -> bool:
    from rapidfuzz.distance import Levenshtein

    la, lb = a.split(".")[0], b.split(".")[0]
    if a == b or la == lb:
        return False
    if _skeleton(la) == _skeleton(lb):
        return True
    return len(lb) >= 5 and Levenshtein.distance(la, lb) <= (1 if len(lb) < 8 else 2)


@lru_cache(maxsize=8192)
def _embeds(a: str, brand: str, affixes: frozenset[str] = frozenset()) -> bool:
    """``a`` is the brand's name plus a phishing word (rnaersk-line.com, made-in-china-member.com,
    docusign-notify.net); 'swiftelec.co.uk' or 'target-lighting.com' are companies of their own."""
    la, lb = _skeleton(a.split(".")[0]), _skeleton(brand.split(".")[0])
    if a == brand or len(lb) < 5 or lb not in la or la == lb:
        return False
    rest = la.replace(lb, " ").split()
    return bool(rest) and all(part in affixes for part in rest)


@lru_cache(maxsize=4096)
def _posed_targets(reg: str, listed: frozenset[str], own: frozenset[str], affixes: frozenset[str]) -> frozenset[str]:
    """The protected domains (listed or our own) that reg looks like, memoised per sender domain."""
    return frozenset(t for t in listed | own if t != reg and (_near(reg, t) or _embeds(reg, t, affixes)))


@check("lookalike_domain")
def _check_lookalike(f: Facts) -> str | None:
    info = f.domain_info.get("lookalike")
    if info:
        return f"{f.field('sender_domain')} looks like {info.get('of')} ({info.get('how', '')})"
    listed, own = f.lists.get("protected_domains", frozenset()), _own_tuple(f)
    protected = _protected(listed, own)
    # domains of the conversation we had (quoted thread), not the sender's own signature
    targets = protected | {_registrable(m.group(1)) for m in _DOMAIN_IN_TEXT.finditer(f.message.quoted)}
    affixes = _phishing_affixes(os.environ.get("TRIAGE_HOME"))
    thread_only = bool(targets - protected)
    candidates = {f.field("sender_domain"), *f.field("reply_to_domains")}
    for cand in filter(None, candidates):
        reg = _registrable(cand)
        if reg in f.lists.get("freemail", ()):
            continue
        posed = _posed_targets(reg, listed, _frozen(own), affixes)
        if not posed and not thread_only:
            continue
        for target in targets - {reg}:  # in this order, as ever: the first target found is named
            if target in posed or (target not in protected and _near(reg, target)):
                return f"{reg} looks like {target}"
    return None


@check("brand_in_display_name")
def _check_brand_name(f: Facts) -> str | None:
    brand = f.domain_info.get("brand_in_display_name")
    if brand:
        return f"display name claims {brand}"
    name = f.field("from_name").lower()
    domain = _registrable(f.field("sender_domain") or "")
    if not name or not domain:
        return None
    rx, real = _brand_regex(f.lists.get("brands", frozenset()))
    m = rx.search(name) if rx else None
    if m and domain != real[m.group(0)]:
        return f"display name '{f.field('from_name')}' from {domain}"
    return None


@lru_cache(maxsize=8)
def _brand_regex(entries: frozenset[str]) -> tuple[re.Pattern | None, dict[str, str]]:
    real = {w: d for w, _, d in (e.partition("=") for e in entries) if w}
    if not real:
        return None, real
    words = sorted(real, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b"), real


_AUTH_RE = re.compile(r"\b(spf|dkim|dmarc)=(\w+)", re.I)


@check("auth_failure")
def _check_auth(f: Facts, results: list[str] | None = None) -> str | None:
    bad = set(results or ["fail", "softfail"])
    header = f.field("auth_results")
    low = header.lower()
    if not any(word in low for word in bad):
        return None  # a result that counts is written somewhere in the header, whatever its case
    found = [f"{k.lower()}={v.lower()}" for k, v in _AUTH_RE.findall(header) if v.lower() in bad]
    return ", ".join(dict.fromkeys(found)) or None


_LINK_TEXT_DOMAIN = re.compile(r"\s*([a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})\b", re.I)


@check("link_text_mismatch")
def _check_link_text(f: Facts) -> str | None:
    for link in f.message.links:
        m = _DOMAIN_IN_TEXT.search(link.text or "") or _LINK_TEXT_DOMAIN.match(link.text or "")
        host = _host(link.href)
        if m and host and _registrable(m.group(1)) != _registrable(host):
            return f"'{truncate(link.text, 30)}' goes to {host}"
    return None


@check("deceptive_link_host")
def _check_deceptive_host(f: Facts) -> str | None:
    hosts = f.field("link_hosts")
    if not hosts:
        return None
    protected = _protected(f.lists.get("protected_domains", frozenset()), _own_tuple(f))
    for host in hosts:
        reg = _registrable(host)
        if reg in protected:
            continue
        for target in protected:
            if host.startswith(target + ".") or ("." + target + ".") in host or _near(reg, target):
                return f"{host} poses as {target}"
    return None


_IP_HOST = re.compile(r"\d{1,3}(\.\d{1,3}){3}")


@check("bare_ip_link")
def _check_ip_link(f: Facts) -> str | None:
    for host in f.field("link_hosts"):
        if _IP_HOST.fullmatch(host):
            return f"link to {host}"
    return None


def _phone_regions(f: Facts) -> set[str]:
    if "_phones" not in f._cache:
        f._cache["_phones"] = _phone_regions_of(f)
    return f._cache["_phones"]


_WRITTEN_PHONE = re.compile(r"\+\s?\d[\d\s().-]{6,}")


def _phone_regions_of(f: Facts) -> set[str]:
    """Countries of the writer's phone numbers, by their full number (+1 809 is the Dominican Republic)."""
    from .geo import phone_lib

    phonenumbers = phone_lib()

    phones = list(f.inquiry.phones)
    signature = f.field("signature")
    if "+" in signature:  # every number the pattern finds starts with a plus
        phones += _WRITTEN_PHONE.findall(signature)
    regions: set[str] = set()
    for ph in dict.fromkeys(map(_phone_key, phones)):  # the found number, and as the signature writes it
        region = _plain_region(ph)
        if region is None:
            try:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(ph, None))
            except phonenumbers.NumberParseException:
                continue
        if region and region not in ("ZZ", "001"):
            regions.add(region)
    return regions


def _phone_key(phone: str) -> str:
    """The phone stripped, and a plain international number ("+1 713-555-0148") without its
    separators ("+17135550148"): parse only drops them (see _plain_region), so both forms
    give the same region, and a number the inquiry lists and the signature writes is parsed once."""
    phone = phone.strip()
    if _PLAIN_PHONE.fullmatch(phone):
        return phone.replace(" ", "").replace("-", "").replace(".", "")
    return phone


_PLAIN_PHONE = re.compile(r"\+[0-9]+(?:[ .-][0-9]+)*")


def _plain_region(phone: str) -> str | None:
    """The region phonenumbers.parse + region_code_for_number give a plain international number
    ("+97148875214", "+971 4 887-5214"), or None to ask them.

    For '+', digits and single spaces, dots or dashes, parse only drops the separators, takes the
    country code as the first 1-3 digits that are one, and (with 3-15 digits after it) cannot fail;
    region_code_for_number then returns the code's only region without looking further. Codes
    shared by several regions (+1, +7, +44...) need the full number and go the slow way.
    """
    if not _PLAIN_PHONE.fullmatch(phone) or phone[1] == "0":  # no country code starts with 0
        return None
    digits = phone[1:].replace(" ", "").replace("-", "").replace(".", "")
    codes = _regions_of_code()
    for size in (1, 2, 3):
        regions = codes.get(digits[:size])
        if regions is not None:
            return regions[0] if len(regions) == 1 and 3 <= len(digits) - size <= 15 else None
    return None


@lru_cache(maxsize=1)
def _regions_of_code() -> dict[str, tuple[str, ...]]:
    """phonenumbers' country calling code -> regions table (imported on first use), keyed by the
    code as written: the digits of a number that starts with no 0 (no int() per lookup)."""
    from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

    return {str(code): regions for code, regions in COUNTRY_CODE_TO_REGION_CODE.items()}


def _cctld_country(f: Facts) -> str | None:
    cc = f.domain_info.get("cctld_country")
    if cc:
        return cc.upper()
    tld = (f.field("sender_domain") or "").rsplit(".", 1)[-1]
    if len(tld) == 2 and tld not in {"co", "io", "me", "tv", "ai", "cc"}:
        return {"uk": "GB"}.get(tld, tld.upper())
    return None


_NANP = {"US", "CA", "PR"}


def _same_country(a: str, b: str) -> bool:
    return a == b or (a in _NANP and b in _NANP)


@check("story_contradicts")
def _check_story(f: Facts) -> str | None:
    claimed = (f.inquiry.country or "").upper()
    if not claimed:
        return None
    clues = []
    cc = _cctld_country(f)
    if cc and not _same_country(cc, claimed):
        clues.append(f"domain .{cc.lower()}")
    for region in _phone_regions(f) - {"CN"}:
        if not _same_country(region, claimed):
            clues.append(f"phone of {region}")
    return f"claims {claimed}, but " + ", ".join(clues) if clues else None


_CN_PLACES = ("guangdong", "shenzhen", "dongguan", "yiwu", "ningbo", "cixi", "wenzhou", "yueqing", "zhejiang",
              "foshan", "zhongshan", "jiangmen", "xiamen", "suzhou", "shanghai", "guangzhou")
_CN_ADDRESS = re.compile(r"\b(" + "|".join(_CN_PLACES) + r")\b", re.I)


_ASCII_FOLDS = ("\u0131", "\u017f", "\u0130", "\u212a")  # ı ſ İ K: all re.I matches with an ASCII letter


def _cn_address(text: str) -> bool:
    """_CN_ADDRESS found in a lower-cased text. In one without the characters that re.I matches
    with ASCII letters (any ASCII text) it can only match where one of its places occurs as
    written, which plain substring tests rule out faster."""
    plain = text.isascii() or not any(map(text.__contains__, _ASCII_FOLDS))
    if plain and not any(map(text.__contains__, _CN_PLACES)):
        return False
    return _CN_ADDRESS.search(text) is not None


_CJK = re.compile("[\u4e00-\u9fff]{2,}")
_CJK_CHAR = re.compile("[\u4e00-\u9fff]")  # where any match of _CJK can start


@check("chinese_origin")
def _check_chinese_origin(f: Facts, min_clues: int = 1) -> str | None:
    """A sender who claims a foreign business but writes from a Chinese setup."""
    if "_cn" not in f._cache:
        f._cache["_cn"] = _chinese_clues(f)
    clues = f._cache["_cn"]
    return ", ".join(clues) if clues and len(clues) >= min_clues else None


_CN_MAILER = re.compile(r"foxmail|\[cn\]", re.I)
_IP_WORD = re.compile(r"\bip\b")


def _chinese_clues(f: Facts) -> list[str]:
    claimed = (f.inquiry.country or "").upper()
    if claimed in {"CN", "HK", "TW", "MO"} or _check_internal(f):
        return []
    clues = []
    if _CN_MAILER.search(f.field("mailer")):
        clues.append(f"mailer {f.field('mailer')}")
    d = f.message.date
    if d is not None and d.utcoffset() is not None and d.utcoffset().total_seconds() == 8 * 3600 \
            and claimed not in {"SG", "MY", "PH", "AU"}:
        clues.append("Date at +0800")
    if "CN" in _phone_regions(f):
        clues.append("+86 phone in signature")
    if _cn_address(f.field("signature").lower()):
        clues.append("Chinese address in signature")
    text = f.lowered("text")[0] if f.lowered("text") else ""
    if "(cn)" in text and _IP_WORD.search(text) or _chinese_text(text, claimed):
        clues.append("Chinese IP or text")
    return clues


_KANA = re.compile("[\u3040-\u30ff]")


def _chinese_text(text: str, claimed: str) -> bool:
    """Chinese characters, unless the writer is Japanese (kana, or claims JP).
    An ASCII text (O(1) to tell) has neither, so the searches are skipped."""
    if text.isascii():
        return False
    first = _CJK_CHAR.search(text)  # a plain character class: re scans for it far faster than for _CJK
    if first is None or not _CJK.search(text, first.start()):
        return False
    return not (_KANA.search(text) or claimed == "JP")


@check("platform_number")
def _check_platform_number(f: Facts, pattern: str = "", min: float = 0, max: float | None = None) -> str | None:
    for m in (m for fld in ("platform_fields", "text") for m in _search(f, fld, _compiled(pattern))):
        raw = m.group(1).lower().replace(",", "").strip()
        mult = 1000 if raw.endswith("k") else 1_000_000 if raw.endswith("m") else 1
        n = float(re.sub(r"[^\d.]", "", raw).strip(".") or 0) * mult
        if _in_range(n, min, max):
            return m.group(0)
    return None


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(_lower_pattern(pattern), re.M)


_REPLY_PREFIX = re.compile(r"\s*(re|aw|sv|r|rif)\s*:", re.I)


@check("fake_reply_subject")
def _check_fake_reply(f: Facts) -> str | None:
    m = f.message
    if _REPLY_PREFIX.match(m.subject) and not (m.in_reply_to or m.references or m.quoted.strip()):
        return f"'{truncate(m.subject, 40)}' but no earlier thread"
    return None


@check("in_thread")
def _check_in_thread(f: Facts) -> str | None:
    if f.history is not None and getattr(f.history, "reply_to_ours", False):
        return "replies to our earlier mail"
    own = _own_domains(f)
    quoted = f.message.quoted.lower()
    if quoted and any(d in quoted for d in own):
        return "quotes our earlier mail"
    name = getattr(f.profile, "name", "") or ""  # the short name the seller signs with
    if quoted and len(name) >= 4 and _word_regex(name.lower(), "").search(quoted):
        return "quotes our earlier mail"
    return None


@check("history")
def _check_history(f: Facts, key: str = "", min: float = 1) -> str | None:
    h = f.history
    if h is None:
        return None
    value = getattr(h, key, None)
    if isinstance(value, list):
        if len(value) < min:
            return None
        return f"{len(value)} similar: " + ", ".join(_similar_one(*x) for x in value[:3])
    if isinstance(value, bool):
        return key.replace("_", " ") if value else None
    if isinstance(value, (int, float)) and value >= min:
        return f"{key.replace('_', ' ')}: {value:g} earlier"
    return None


def _similar_one(ident: Any, sender: str, score: float) -> str:
    """'#12 x@y.com (97)', or for one earlier in the same batch (not stored yet) 'x@y.com (97, this batch)'."""
    return f"#{ident} {sender} ({score:.0f})" if ident is not None else f"{sender} ({score:.0f}, this batch)"


# ---------------------------------------------------------------------- examples

_MESSAGE_KEYS = {"subject", "body", "signature", "quoted", "from_name", "auth_results", "mailer",
                 "return_path", "in_reply_to", "platform"}
_INQUIRY_KEYS = {"contact_title", "company_name", "country", "website", "sample_requested",
                 "incoterm", "destination", "certifications", "phones", "enrichment"}
_FIELD_TO_SPEC = {"text": "body", "all_text": "body", "title": "contact_title",
                  "sender_domain": "from_email", "sender_email": "from_email",
                  "reply_to_domains": "reply_to", "return_path_domain": "return_path",
                  "attachments": "attachments", "link_hrefs": "links", "link_hosts": "links",
                  "link_texts": "link_texts", "platform_fields": "platform_fields"}


def example_inquiry(spec: str | dict, sig: Signal | None = None) -> tuple[Inquiry, Any]:
    """Build an Inquiry (and History) from a signal example: a string for the signal's
    field, or a table of message/inquiry facts (see playbooks/signals/README.md)."""
    from datetime import datetime

    from .model import Attachment, Link, Message, ProductMatch, Quantity

    if isinstance(spec, str):
        spec = _string_spec(spec, sig.field if sig else "body")
    spec = dict(spec)
    msg = Message(kind="text")
    for key in _MESSAGE_KEYS & set(spec):
        setattr(msg, key, spec[key])
    msg.new_text = msg.body + ("\n" + msg.signature if msg.signature else "")
    msg.text = msg.new_text + ("\n" + msg.quoted if msg.quoted else "")
    msg.from_email = spec.get("from_email")
    msg.reply_to = _as_list(spec.get("reply_to"))
    msg.attachments = [Attachment(n, "", 0) for n in _as_list(spec.get("attachments"))]
    msg.links = [Link(*(l if isinstance(l, list) else [l, l])) for l in spec.get("links", [])]
    msg.links += [Link(t, "https://example.org/") for t in _as_list(spec.get("link_texts"))]
    msg.platform_fields = _platform_fields(spec.get("platform_fields", {}))
    if "date" in spec:
        msg.date = datetime.fromisoformat(str(spec["date"]))
    inq = Inquiry(message=msg, sender_email=msg.from_email, sender_domain=_domain_of(msg.from_email) or None)
    for key in _INQUIRY_KEYS & set(spec):
        setattr(inq, key, spec[key])
    inq.products = [ProductMatch(s, s, 100.0, s) if s.startswith("BL-") or not s.startswith("?")
                    else ProductMatch(None, s[1:], 50.0, s[1:]) for s in _as_list(spec.get("products"))]
    if "quantity" in spec:
        q = spec["quantity"]
        inq.quantity = Quantity(*q) if isinstance(q, list) else Quantity(q)
    if "deadline" in spec:
        inq.deadline = date.fromisoformat(str(spec["deadline"]))
    return inq, _example_history(spec.get("history"))


def _string_spec(value: str, fld: str | None) -> dict:
    key = _FIELD_TO_SPEC.get(fld or "body", fld or "body")
    if fld == "sender_domain":
        return {"from_email": f"someone@{value}"}
    if fld == "reply_to_domains":
        return {"from_email": "a@example.org", "reply_to": [f"someone@{value}"]}
    if fld == "return_path_domain":
        return {"return_path": f"bounce@{value}"}
    if fld == "link_hosts":
        return {"links": [[value, f"https://{value}/x"]]}
    if fld == "link_hrefs":
        return {"links": [[value, value]]}
    if fld == "link_texts":
        return {"link_texts": [value]}
    if fld == "attachments":
        return {"attachments": [value]}
    if fld == "platform_fields":
        k, _, v = value.partition(":")
        return {"platform_fields": {k.strip(): v.strip()}}
    return {key: value}


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _platform_fields(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}


def _example_history(spec: Any) -> Any:
    if not spec:
        return None
    from .history import History

    similar = [tuple(x) for x in spec.get("similar_from_others", [])]
    return History(similar_from_others=similar, seen_sender=spec.get("seen_sender", 0),
                   seen_company=spec.get("seen_company", 0),
                   reply_to_ours=spec.get("reply_to_ours", False))


@dataclass(slots=True)
class ExampleFailure:
    signal: str
    source: str
    kind: str  # "example" (did not fire) or "counter_example" (fired)
    example: Any

    def __str__(self) -> str:
        what = "did not fire on example" if self.kind == "example" else "fired on counter-example"
        return f"{self.source}: {self.signal} {what}: {truncate(repr(self.example), 100)}"


def run_examples(sset: SignalSet, profile: Any) -> tuple[int, list[ExampleFailure]]:
    """Run every signal's examples and counter-examples; return (count, failures)."""
    failures: list[ExampleFailure] = []
    count = 0
    for sig in sset.signals:
        for kind, cases, want in (("example", sig.examples, True),
                                  ("counter_example", sig.counter_examples, False)):
            for case in cases:
                count += 1
                inq, hist = example_inquiry(case, sig)
                today = date.fromisoformat(case["today"]) if isinstance(case, dict) and "today" in case else None
                fired = _fires(sset, sig, inq, profile, hist, today)
                if fired != want:
                    failures.append(ExampleFailure(sig.name, sig.source, kind, case))
    return count, failures


def _fires(sset: SignalSet, sig: Signal, inq: Inquiry, profile: Any, hist: Any, today: date | None) -> bool:
    if not sig.is_meta:
        facts = Facts(inq, profile, hist, today, sset.lists)
        return _run_simple(sig, facts) is not None
    everything = SignalSet([dataclass_replace(s, enabled=True) for s in sset.signals], sset.lists, sset.decision)
    return any(h.name == sig.name for h in everything.evaluate(inq, profile, hist, today))


def dataclass_replace(sig: Signal, **changes: Any) -> Signal:
    from dataclasses import replace

    return replace(sig, **changes)


def _market_of(product: Any) -> str:
    return _market(product.name, tuple(getattr(product, "aliases", []) or []),
                   tuple(getattr(product, "certifications", []) or []))


@lru_cache(maxsize=1024)
def _market(product_name: str, aliases: tuple[str, ...], certifications: tuple[str, ...]) -> str:
    """The market a catalogue product is made for (memoised: a catalogue has few products)."""
    certs = _upper(certifications)
    name = f"{product_name} {' '.join(aliases)}".lower()
    if "SAA" in certs or "RCM" in certs:
        return "AU"
    if re.search(r"\b(uk|bs ?1363|british)\b", name) or "UKCA" in certs:
        return "UK"
    if re.search(r"\b(schuko|eu|german|cee)\b", name):
        return "EU"
    if certs & {"UL", "CUL", "ETL", "CSA"}:
        return "NA"
    return "other"


@check("market_spread")
def _check_market_spread(f: Facts, min: int = 3) -> str | None:
    markets = sorted({_market_of(p) for p in _our_products(f)} - {"other"})
    return f"products for {', '.join(markets)}" if len(markets) >= min else None
