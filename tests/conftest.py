"""Shared fixtures: every test runs with its own TRIAGE_HOME and never the network."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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


def bench_module(name: str) -> ModuleType:
    """A script of bench/ imported as a module (bench/ is no package), once per test run."""
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().parents[1] / "bench" / f"{name}.py")
        module = sys.modules[name] = importlib.util.module_from_spec(spec)  # (dataclasses look it up)
        spec.loader.exec_module(module)
    return sys.modules[name]
