"""The shipped-weights file bench/learn.py writes (playbooks/signals/weights.toml) is read by the judge."""

from __future__ import annotations

import shutil

import pytest

from triage.errors import DataFileError
from triage.judge.signals import load_shipped, shipped_dir


def _copy(tmp_path):
    target = tmp_path / "signals"
    shutil.copytree(shipped_dir(), target)
    (target / "weights.toml").unlink(missing_ok=True)
    return target


def test_weights_toml_overrides_the_signal_files_and_keeps_the_hand_set_weight(tmp_path):
    target = _copy(tmp_path)
    before = load_shipped(target).get("registration_fee")
    (target / "weights.toml").write_text("# generated\n[weights]\nregistration_fee = 42.5\n", encoding="utf-8")
    after = load_shipped(target).get("registration_fee")
    assert after.weight == 42.5 and after.shipped_weight == before.weight
    assert after.weight_source.endswith("weights.toml")


def test_weights_toml_naming_an_unknown_signal_or_holding_more_is_refused(tmp_path):
    target = _copy(tmp_path)
    (target / "weights.toml").write_text("[weights]\nno_such_signal = 3\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no_such_signal"):
        load_shipped(target)
    (target / "weights.toml").write_text("[weights]\n[scores]\nstrong = 1\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="only a \\[weights\\] table"):
        load_shipped(target)
