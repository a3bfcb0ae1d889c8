"""Quality floors on the labelled samples: CI fails when a figure falls below tests/baseline.json."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import INQUIRIES, needs_shared
from triage.evaluate import check_baseline, evaluate, render
from triage.profile import load_profile

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())
pytestmark = needs_shared(INQUIRIES)


def test_figures_hold_the_committed_baseline():
    report = evaluate(INQUIRIES, profile=load_profile())
    print(render(report))
    assert report.n == len(json.loads((INQUIRIES / "labels.json").read_text()))
    assert not report.errors
    assert check_baseline(report, BASELINE) == []
    assert report.figures()["fields_overall"] >= 0.85
