"""Every message of the real-world corpora goes through the parse stage: an inquiry or a clear error, fast."""

from __future__ import annotations

import time

import pytest

from conftest import CORPORA, needs_shared
from triage.errors import TriageError
from triage.inputs import Item, parse_item
from triage.parse import sniff

pytestmark = [needs_shared(CORPORA), pytest.mark.slow]

FILES = sorted(p for p in CORPORA.rglob("*") if p.is_file() and "LICENSE" not in p.name and p.suffix != ".xml"
               and p.name != "README.md") if CORPORA.exists() else []


def test_the_corpora_are_there():
    assert len(FILES) > 300


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPORA)))
def test_message_parses_or_fails_clearly_within_two_seconds(path):
    raw = path.read_bytes()
    kind = sniff(raw, path.name)
    started = time.perf_counter()
    try:
        message = parse_item(Item(str(path), "eml" if kind == "mbox" else kind, raw=raw))
        assert isinstance(message.text, str)
    except TriageError as exc:
        assert str(exc).startswith(str(path))
    assert time.perf_counter() - started < 2.0
