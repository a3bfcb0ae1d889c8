"""Running a signal over a message's facts: its pattern, list lookup or check, bound once per signal set."""

from __future__ import annotations

import re
from functools import lru_cache, partial
from itertools import chain, repeat
from typing import TYPE_CHECKING, Callable, Iterable

from triage.judge.checks import CHECKS
from triage.judge.evidence import truncate
from triage.judge.facts import TEXT, Facts, values_of
from triage.matching import FieldPlan, WordIndex, gated, non_overlapping, planned
from triage.model import Hit

if TYPE_CHECKING:
    from triage.judge.signals import Signal


def hit_of(sig: Signal, evidence: str) -> Hit:
    return Hit(sig.name, sig.group, sig.weight, sig.description, truncate(evidence))



def runner(sig: Signal, plans: dict[str, FieldPlan]) -> Callable[[Facts], str | None]:
    """What evaluating sig amounts to, bound once (evaluate calls it for every message)."""
    if sig.pattern is not None:
        return _planned_runner(sig, plans[sig.field]) if sig.field in plans else _plain_runner(sig)
    if sig.in_list is not None:
        return partial(_run_list, sig)
    if sig.check is not None:
        return partial(CHECKS[sig.check], **sig.params) if sig.params else CHECKS[sig.check]
    return lambda facts: None



def gate_bit(sig: Signal, plans: dict[str, FieldPlan]) -> int:
    """The plan bit of a pattern over the text (which :meth:`Facts.live` tells about), else 0.

    Such a signal's runner (see :func:`_planned_runner`) finds nothing unless some value of the
    text opens its gate and, for a regex with a lead, has a word it can start at."""
    if sig.pattern is None or sig.field != TEXT:
        return 0
    slot = plans[TEXT].slots.get(sig.pattern)
    return 0 if slot is None else 1 << slot



def _planned_runner(sig: Signal, plan: FieldPlan) -> Callable[[Facts], str | None]:
    """:func:`_run_pattern` for a pattern over an indexed field, with its gate bit and lead
    positions taken straight from the plan's scan of the text."""
    rx, lead, unless, fld, need = sig.pattern, sig.lead, sig.unless, sig.field, sig.min_matches
    slot = plan.slot(rx, sig.gate, lead)
    if slot is None:
        return lambda facts: run_simple(sig, facts)
    bit, limit = 1 << slot, max(need, 3)

    def run(facts: Facts) -> str | None:
        found: list[str] = []
        for text, gates, starts in facts._scans.get(fld) or facts.scans(fld, plan):
            if gates & bit:
                if lead is None:
                    _collect(rx.finditer(text), found, limit)
                else:  # most signals match nowhere: find that out without a generator (tried, inlined)
                    matches = filter(None, map(rx.match, repeat(text), starts[slot]))
                    first = next(matches, None)
                    if first is not None:
                        _collect(non_overlapping(chain((first,), matches)), found, limit)
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



def _matches(sig: Signal, text: str, index: WordIndex | None, plan: FieldPlan | None = None) -> Iterable[re.Match]:
    slot = plan.slot(sig.pattern, sig.gate, sig.lead) if plan is not None and index is not None else None
    if slot is None:
        return gated(sig.pattern, sig.gate, text, index, sig.lead)
    return planned(sig.pattern, slot, sig.lead, text, plan.scan(index))



def _run_list(sig: Signal, facts: Facts) -> str | None:
    members = facts.lists[sig.in_list]
    subdomains = _dotted_suffixes(members)
    for value in values_of(facts.field(sig.field)):
        v = value.lower()
        if v in members or v.endswith(subdomains):
            return f"{sig.field} {value} is in list {sig.in_list}"
    return None



@lru_cache(maxsize=64)
def _dotted_suffixes(members: frozenset[str]) -> tuple[str, ...]:
    """"." + m for the members with a dot: ``v.endswith(these)`` is exactly
    ``any(v.endswith("." + m) for m in members if "." in m)``, in one C call."""
    return tuple("." + m for m in members if "." in m)



def run_simple(sig: Signal, facts: Facts) -> str | None:
    if sig.pattern is not None:
        return _run_pattern(sig, facts)
    if sig.in_list is not None:
        return _run_list(sig, facts)
    if sig.check is not None:
        return CHECKS[sig.check](facts, **sig.params)
    return None

