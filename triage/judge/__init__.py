"""The judge stage: is the inquiry real, and how much time does it deserve?

    judge(inquiry, profile, signals=load_signals(), history=None) -> Judgment

Every judgment comes from named signals kept as data (``playbooks/signals/``). The package:

- :mod:`.signals`   the signal record, loading and validating the data files, evaluating a set
- :mod:`.facts`     what a message offers to signals and checks (named fields, shared facts)
- :mod:`.checks`    the check functions (``check = "name"`` in data), by what they read
- :mod:`.engine`    running one signal (pattern, list or check) over the facts
- :mod:`.examples`  each signal's examples and counter-examples, run
- :mod:`.decide`    ``decision.toml``: scores (money, authority, need, authenticity), category, tier
- :mod:`.verdict`   the one-line verdict and the advice
- :mod:`.history`   what triage already knows of the sender and the text (earlier inquiries)

The user's token model (:mod:`triage.learning`, from ``triage mark``) comes in as ``learned``.

Regex analysis the engine relies on lives in :mod:`triage.matching`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from triage.judge.decide import decide
from triage.judge.history import History, build_history
from triage.judge.signals import SignalSet, load_signals
from triage.judge.verdict import explain
from triage.model import Inquiry, Judgment

__all__ = ["judge", "load_signals", "build_history", "History", "SignalSet", "decide", "explain"]


def judge(inquiry: Inquiry, profile: Any, *, signals: SignalSet, history: History | None = None,
          today: date | None = None, learned: Any = None) -> Judgment:
    """Run the signals over one inquiry and decide scores, category, tier and verdict
    (``learned``: the user's token model, :class:`triage.learning.TokenModel`, read by the pipeline)."""
    hits = signals.evaluate(inquiry, profile, history, today, learned)
    judgment = decide(hits, signals.decision)
    judgment.verdict, judgment.advice = explain(judgment, signals)
    return judgment

