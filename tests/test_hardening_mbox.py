"""mbox files are recognised by content, or refused; nothing is silently dropped; a batch says what it did."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage.cli import main
from triage.inputs import items


def message(n: int) -> str:
    return (f"From: Buyer {n} <buyer{n}@trade{n}.com>\nSubject: RFQ {n}\nMessage-ID: <{n}@trade{n}.com>\n"
            f"Date: Mon, 2 Nov 2026 10:00:00 +0000\n\nHello,\n\nFrom the factory price list we need {n}00 pcs.\n"
            f">From our side, thanks.\n\nBest regards,\nBuyer {n}\n")


SEPARATORS = {  # what different mail programs write before each message
    "mboxo": "From buyer{n}@trade{n}.com Mon Nov  2 10:00:00 2026",
    "thunderbird": "From - Mon Nov 02 10:00:00 2026",
    "foxmail": "From ???@??? Mon Nov 02 10:00:00 2026",
    "apple": "From buyer{n}@trade{n}.com Mon Nov  2 10:00:00 +0000 2026",
}


@pytest.mark.parametrize("style", sorted(SEPARATORS))
@pytest.mark.parametrize("first_has_separator", [True, False])
def test_every_message_of_a_mailbox_is_read(tmp_path, style, first_has_separator):
    parts = [(SEPARATORS[style].format(n=n) + "\n" if n or first_has_separator else "") + message(n) for n in range(200)]
    path = tmp_path / ("Inbox" if style == "apple" else f"export-{style}.txt")  # Apple's bundle file has no suffix
    path.write_text("\n".join(parts))
    got = list(items([str(path)]))
    assert len(got) == 200 and not [i for i in got if i.error]
    assert all(b"From the factory" in i.raw for i in got)  # a 'From ' body line after a blank line is no separator
    assert b"\nFrom our side" in got[7].raw  # mboxrd: one '>' comes off


def test_a_file_called_mbox_that_is_no_mailbox_is_refused(tmp_path):
    path = tmp_path / "inbox.mbox"
    path.write_text("just some notes\nabout the fair\n")
    (item,) = items([str(path)])
    assert item.error and "not a mailbox" in item.error


def test_a_batch_ends_with_a_summary(tmp_path):
    box = tmp_path / "in.mbox"
    box.write_text("\n".join(SEPARATORS["mboxo"].format(n=n) + "\n" + message(n) for n in range(3)))
    (tmp_path / "bad.eml").write_bytes(b"")
    result = CliRunner().invoke(main, ["inquiry", "--offline", str(box), str(tmp_path / "bad.eml")])
    assert result.exit_code == 1
    assert "read 4: stored 3, updated 0, skipped 1" in result.stderr
    again = CliRunner().invoke(main, ["inquiry", "--offline", str(box)])
    assert "read 3: stored 0, updated 3, skipped 0" in again.stderr


@pytest.mark.slow
def test_ctrl_c_in_a_batch_says_what_was_stored(tmp_path, triage_home):
    box = tmp_path / "big.mbox"
    box.write_text("\n".join(SEPARATORS["mboxo"].format(n=n) + "\n" + message(n) for n in range(4000)))
    proc = subprocess.Popen([str(Path(sys.executable).with_name("triage")), "inquiry", "--offline", "--json", str(box)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ})
    db = triage_home / "triage.db"
    deadline = time.time() + 120
    while time.time() < deadline and _count(db) < 200:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    err = err.decode()
    assert proc.returncode == 130, err
    stored = _count(db)
    assert 200 <= stored < 4000
    assert f"stored {stored}," in err and "interrupted" in err


def _count(db) -> int:
    try:
        conn = sqlite3.connect(db)
        try:
            return conn.execute("SELECT count(*) FROM inquiries").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
