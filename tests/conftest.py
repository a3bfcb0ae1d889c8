"""Shared fixtures: every test runs with its own TRIAGE_HOME and never the network."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
INQUIRIES = SHARED / "inquiries"
CORPORA = SHARED / "corpora"


@pytest.fixture(autouse=True)
def triage_home(tmp_path_factory, monkeypatch) -> Path:
    home = tmp_path_factory.mktemp("triage-home")
    monkeypatch.setenv("TRIAGE_HOME", str(home))
    return home


def needs_shared(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not beside the checkout")
