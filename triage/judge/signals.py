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

import re
import tomllib
from dataclasses import dataclass, field as dc_field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable

from triage.errors import DataFileError
from triage.judge.checks import CHECKS
from triage.judge.engine import gate_bit, hit_of, runner
from triage.judge.facts import FIELDS, INDEXED, TEXT, Facts
from triage.matching import FieldPlan, Lead, lower_pattern, pattern_gate, pattern_lead
from triage.model import Hit, Inquiry


MAN_GROUPS = ("money", "authority", "need", "authenticity")



CATEGORY_GROUPS = ("phishing", "scam", "competitor", "spam", "not_inquiry")



GROUPS = MAN_GROUPS + CATEGORY_GROUPS



SPECIAL_FILES = {"decision.toml", "lists.toml", "weights.toml"}
LEARNED_WEIGHTS = "weights.toml"  # written by bench/learn.py: fitted weights over the ones in the signal files



USER_FILE = "signals.toml"



_SIGNAL_KEYS = {
    "name", "group", "weight", "description", "field", "pattern", "unless", "min_matches",
    "in_list", "check", "params", "all_of", "any_of", "none_of", "examples",
    "counter_examples", "advice",
    "hook", "buyer_word", "buyer_rank", "verdict_note", "distrust_reply_to",
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
    lead: Lead | None = None  # where every match can begin: word prefixes, literals written anywhere
    in_list: str | None = None
    check: str | None = None
    params: dict[str, Any] = dc_field(default_factory=dict)
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    examples: list[Any] = dc_field(default_factory=list)
    counter_examples: list[Any] = dc_field(default_factory=list)
    advice: str = ""
    hook: bool = False  # its evidence tells the buyer's size ("14 branches"): a draft may open with it
    buyer_word: str = ""  # what the verdict calls the writer when it fires ("distributor")
    buyer_rank: int = 0  # of several buyer words, the highest rank's is used
    verdict_note: str = ""  # a phrase the genuine verdict leads with ("existing contact")
    distrust_reply_to: bool = False  # a draft goes to the sender, not to the Reply-To address
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
        self._meta = _in_dependency_order([s for s in active if s.is_meta])
        self._plans = {name: FieldPlan() for name in INDEXED}
        for sig in self._simple + self._meta:
            if sig.pattern is not None and sig.field in self._plans:
                self._plans[sig.field].slot(sig.pattern, sig.gate, sig.lead)
        self._runners = [(sig, runner(sig, self._plans), gate_bit(sig, self._plans)) for sig in self._simple]
        self._metas = [(sig, frozenset(sig.all_of), frozenset(sig.any_of), frozenset(sig.none_of),
                        runner(sig, self._plans) if (sig.pattern or sig.in_list or sig.check) else None,
                        gate_bit(sig, self._plans)) for sig in self._meta]
        self._by_name = {s.name: s for s in self.signals}

    def indexed(self, name: str) -> Signal | None:
        """Like :meth:`get`, by the names known at the last :meth:`reindex` (no scan of the list)."""
        return self._by_name.get(name)

    def get(self, name: str) -> Signal | None:
        return next((s for s in self.signals if s.name == name), None)

    def evaluate(self, inquiry: Inquiry, profile: Any, history: Any = None,
                 today: date | None = None, learned: Any = None) -> list[Hit]:
        """Run every enabled signal over one inquiry; return the hits with evidence."""
        facts = Facts(inquiry, profile, history, today, self.lists, self._plans, learned)
        live = facts.live(TEXT, self._plans[TEXT])
        fired: dict[str, Hit] = {}
        for sig, run, bit in self._runners:
            if bit and not live & bit:
                continue  # a text pattern that cannot match: no gate word, or no word it can start at
            evidence = run(facts)
            if evidence is not None:
                fired[sig.name] = hit_of(sig, evidence)
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
            fired[sig.name] = hit_of(sig, evidence)
        return list(fired.values())



def shipped_dir() -> Path:
    from triage.paths import shipped

    return shipped("playbooks") / "signals"



def read_signal_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from exc



def _compile(path: Path, name: str, key: str, pattern: Any) -> re.Pattern:
    """Compile a data-file regex. Patterns match lower-cased text (cheaper than re.I)."""
    if not isinstance(pattern, str) or not pattern:
        raise DataFileError(f"{path}: signal {name!r}: {key} must be a non-empty string")
    try:
        return re.compile(lower_pattern(pattern), re.MULTILINE)
    except re.error as exc:
        raise DataFileError(f"{path}: signal {name!r}: bad {key} regex: {exc}") from exc



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
    _parse_declared(path, sig, raw)
    return sig



_DECLARED = {"hook": bool, "buyer_word": str, "buyer_rank": int, "verdict_note": str, "distrust_reply_to": bool}



def _parse_declared(path: Path, sig: Signal, raw: dict) -> None:
    """The keys other stages read (the draft, the verdict): a bool, a non-empty text or an integer."""
    for key, kind in _DECLARED.items():
        if key not in raw:
            continue
        value = raw[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise DataFileError(f"{path}: signal {sig.name!r}: {key} must be a whole number, not {value!r}")
        if kind is str and (not isinstance(value, str) or not value.strip()):
            raise DataFileError(f"{path}: signal {sig.name!r}: {key} must be a non-empty string, not {value!r}")
        if kind is bool and not isinstance(value, bool):
            raise DataFileError(f"{path}: signal {sig.name!r}: {key} must be true or false, not {value!r}")
        setattr(sig, key, value.strip() if kind is str else value)



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
    data = read_signal_toml(path) if path.exists() else {}
    lists: dict[str, frozenset[str]] = {}
    for name, values in data.items():
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise DataFileError(f"{path}: list {name!r} must be a list of strings")
        lists[name] = frozenset(v.lower() for v in values)
    return lists



def _load_signal_file(path: Path, lists: dict[str, frozenset[str]]) -> list[Signal]:
    data = read_signal_toml(path)
    unknown = set(data) - {"signal"}
    if unknown:
        raise DataFileError(f"{path}: unknown top-level key(s) {', '.join(sorted(unknown))}")
    raw = data.get("signal", [])
    if not isinstance(raw, list):
        raise DataFileError(f"{path}: 'signal' must be an array of tables ([[signal]])")
    return [parse_signal(path, r, lists) for r in raw]



def _in_dependency_order(metas: list[Signal]) -> list[Signal]:
    """The meta signals, each after the metas it names in all_of, any_of or none_of (else in file
    order): evaluate reads those as fired or not, so a later one would be read as not yet fired."""
    by_name = {s.name: s for s in metas}
    order: list[Signal] = []
    placed: set[str] = set()

    def place(sig: Signal, path: tuple[str, ...]) -> None:
        if sig.name in placed:
            return
        if sig.name in path:
            raise DataFileError(f"{sig.source}: signal {sig.name!r}: refers back to itself through "
                                f"{' -> '.join(path[path.index(sig.name):] + (sig.name,))}")
        for ref in (*sig.all_of, *sig.any_of, *sig.none_of):
            if ref in by_name:
                place(by_name[ref], path + (sig.name,))
        placed.add(sig.name)
        order.append(sig)

    for sig in metas:
        place(sig, ())
    return order


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
    from triage.judge.decide import load_decision  # (decide reads the groups defined here)

    decision = load_decision(directory / "decision.toml")
    unknown = set(decision["category"]["genuine_needs"]) - set(names)
    if unknown:
        raise DataFileError(f"{directory / 'decision.toml'}: [category] genuine_needs names unknown signal(s) "
                            f"{', '.join(sorted(unknown))}")
    sset = SignalSet(signals, lists, decision)
    learned = directory / LEARNED_WEIGHTS
    if learned.exists():
        data = read_signal_toml(learned)
        if set(data) - {"weights"}:
            raise DataFileError(f"{learned}: only a [weights] table belongs here (bench/learn.py writes it)")
        _apply_weights(sset, learned, data.get("weights", {}))
        sset.reindex()
    return sset



def apply_user_file(sset: SignalSet, path: Path) -> SignalSet:
    """Apply ``$TRIAGE_HOME/signals.toml``: weights, disabled names, extra signals."""
    data = read_signal_toml(path)
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



def current_signals() -> SignalSet:
    """The signal set of the current ``$TRIAGE_HOME``, loaded and validated once per process (and home)."""
    import os

    return _signals_of_home(os.environ.get("TRIAGE_HOME", ""))



@lru_cache(maxsize=4)
def _signals_of_home(home: str) -> SignalSet:
    return load_signals()



def load_signals(user_dir: Path | None = None, shipped: Path | None = None) -> SignalSet:
    """Shipped signals plus the user's overrides from ``user_dir/signals.toml``, validated."""
    sset = load_shipped(shipped)
    if user_dir is None:
        from triage.paths import user_dir as default_user_dir

        user_dir = default_user_dir()
    path = Path(user_dir) / USER_FILE
    if path.exists():
        apply_user_file(sset, path)
    return sset

