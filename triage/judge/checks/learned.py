"""Checks on what the user taught: the learned signals ask the token model of `triage mark` (:mod:`triage.learning`).

The pipeline reads the user's token model from the store once a batch and passes it
to the judge as ``learned``, as it passes ``history``; this check only asks it. With no
model, or too few marks, it stays silent.
"""

from __future__ import annotations

from triage.judge.checks import check
from triage.judge.facts import Facts


@check("learned")
def _check_learned(f: Facts, category: str = "", min: float = 0.9, min_marks: int = 5, min_support: int = 0) -> str | None:
    """Fires when the model's top category for the message is ``category`` with a probability of at
    least ``min``, both (or more) of the categories compared having at least ``min_marks`` marks, and
    at least ``min_support`` of the message's tokens lean towards it (a few shared words are no wave)."""
    if f.learned is None:
        return None
    verdict = f.learned.of_inquiry(f.inquiry, min_marks)
    if verdict is None or verdict.category != category or verdict.probability < min or verdict.support < min_support:
        return None
    return f"learned {verdict}"
