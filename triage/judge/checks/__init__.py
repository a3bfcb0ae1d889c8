"""Check functions: a signal's ``check = "name"`` in data names one of them.

Each check takes the message's :class:`~triage.judge.facts.Facts` and its ``params`` from the data
file and returns the evidence (a short string) when the signal fires, else None. They are grouped
by what they read: the buyer's company (:mod:`.company`), the order against our catalogue
(:mod:`.order`), the sender's domains, links and authentication (:mod:`.sender`), where the writer
really is (:mod:`.origin`), the thread and earlier mail (:mod:`.thread`) and the message's own
Message-ID (:mod:`.identity`).
"""

from __future__ import annotations

from typing import Callable


CHECKS: dict[str, Callable[..., str | None]] = {}



def check(name: str):
    """Register a check function under ``name`` (referred to as ``check = "name"`` in data)."""

    def register(fn):
        CHECKS[name] = fn
        return fn

    return register



from triage.judge.checks import company, identity, mailkind, order, origin, sender, thread  # noqa: E402,F401  (register the checks)
from triage.judge.checks import learned  # noqa: E402,F401  (the user's token model: triage mark)
