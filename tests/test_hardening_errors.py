"""No internal error reaches the user as more than one line, and each leaves a log entry."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from triage.cli import main
from triage.inputs import Item, parse_item

RFQ = (b"From: Rick Dawson <rick@brazosgulf-elec.com>\nTo: sales@brightline-electrical.com\nSubject: RFQ\n"
       b"Message-ID: <r1@brazosgulf-elec.com>\nDate: Mon, 2 Nov 2026 10:00:00 -0600\n{extra}\n"
       b"Hello,\nPlease quote 16,000 pcs of 20A GFCI outlets, UL, FOB Ningbo.\n\nBest regards,\nRick Dawson\n"
       b"Director of Purchasing\nBrazos Gulf Electric Supply\n")


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_an_empty_boundary_with_many_dash_lines_is_read_not_an_internal_error():
    raw = b'From: a@b.com\nSubject: x\nContent-Type: multipart/mixed; boundary=""\n\n' + b"--\n" * 5000 + b"hello\n"
    try:
        parse_item(Item("<x>", "eml", raw=raw))
    except Exception as exc:  # a ParseError is allowed, an internal one dressed as it is not
        assert "could not be parsed (" not in str(exc), exc


def test_draft_eml_survives_a_damaged_original_header_and_a_bad_stored_address(tmp_path, triage_home):
    path = tmp_path / "rfq.eml"
    path.write_bytes(RFQ.replace(b"{extra}", b'Reply-To: "unterminated <=?utf-8?q?=ZZ?=@\nReferences: <<<>>>\n'))
    ident = json.loads(run("inquiry", "--offline", "--json", str(path)).stdout)["id"]
    result = run("draft", str(ident), "--eml", str(tmp_path / "reply.eml"))
    assert result.exit_code == 0 and "internal error" not in result.output, result.output
    conn = sqlite3.connect(triage_home / "triage.db")
    conn.execute("UPDATE inquiries SET record = json_set(record, '$.sender.email', 'x@y.com\r\nBcc: all@z.com') "
                 "WHERE id = ?", (ident,))
    conn.commit()
    conn.close()
    path.unlink()  # the record's own address is all there is
    result = run("draft", str(ident), "--eml", str(tmp_path / "reply2.eml"))
    assert "internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 0:
        assert b"Bcc:" not in (tmp_path / "reply2.eml").read_bytes()
    else:
        assert len(result.output.strip().splitlines()[-1:]) == 1 and "address" in result.output


def test_an_internal_error_is_one_line_and_a_log_entry(triage_home):
    (triage_home / "triage.db").write_bytes(b"")
    conn = sqlite3.connect(triage_home / "triage.db")
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    from triage.store import migrations

    conn.executemany("INSERT INTO _migrations VALUES (?, 'x')", [(name,) for name, _ in migrations()])
    conn.execute("CREATE TABLE inquiries (id INTEGER PRIMARY KEY)")  # a database broken behind triage's back
    conn.commit()
    conn.close()
    result = run("show", "1")
    assert result.exit_code != 0 and "Traceback" not in result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and "triage.log" in lines[0], result.output
    assert "Traceback" in (triage_home / "triage.log").read_text()
