"""A stored inquiry is never replaced by a different message (Message-ID plus content digest)."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner

from triage.cli import main
from triage.store import Store

GENUINE = (b"From: Rick Dawson <rick@brazosgulf-elec.com>\nTo: sales@brightline-electrical.com\n"
           b"Subject: RFQ GFCI outlets\nMessage-ID: <rfq-2026-11-02@brazosgulf-elec.com>\n"
           b"Date: Mon, 2 Nov 2026 10:00:00 -0600\n\nHello,\nPlease quote 16,000 pcs of 20A GFCI outlets, UL, FOB Ningbo.\n"
           b"We need them by Friday 11/6.\n\nBest regards,\nRick Dawson\nDirector of Purchasing\nBrazos Gulf Electric Supply\n")
# A spam that copied the genuine Message-ID (it leaks through every reply's References header).
SPAM = (b"From: Cheap Pills <offers@promo-blast.biz>\nTo: sales@brightline-electrical.com\n"
        b"Subject: You won\nMessage-ID: <rfq-2026-11-02@brazosgulf-elec.com>\n"
        b"Date: Tue, 3 Nov 2026 01:00:00 +0000\n\nClick here to claim your prize: http://promo-blast.biz/win\n")


def run(*args, ok=True):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.stdout
    return result


def test_a_different_message_with_a_known_message_id_is_a_new_flagged_row(tmp_path, triage_home):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "spam.eml").write_bytes(SPAM)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    second = run("inquiry", "--offline", "--json", str(tmp_path / "spam.eml")).stdout
    second = json.loads(second)
    assert second["id"] != first["id"]
    notes = second["parse_notes"]
    assert any("Message-ID already stored for a different message" in n and f"#{first['id']}" in n for n in notes)
    kept = json.loads(run("show", "--json", str(first["id"])).stdout)
    assert kept["sender"]["email"] == "rick@brazosgulf-elec.com"  # the genuine record is intact
    assert not any("already stored" in n for n in kept["parse_notes"])
    flagged = json.loads(run("show", "--json", str(second["id"])).stdout)
    assert flagged["parse_notes"] == notes  # the flag is in the stored record too
    with Store(triage_home / "triage.db") as store:
        assert store.count() == 2


def test_reimporting_the_same_files_stays_idempotent(tmp_path, triage_home):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "spam.eml").write_bytes(SPAM)
    # the same genuine message inside an mbox (CRLF line ends, a From_ line) is the same message
    (tmp_path / "box.mbox").write_bytes(b"From rick@brazosgulf-elec.com Mon Nov  2 10:00:00 2026\r\n"
                                        + GENUINE.replace(b"\n", b"\r\n"))
    for _ in range(2):
        out = run("inquiry", "--offline", str(tmp_path / "rfq.eml"), str(tmp_path / "spam.eml"),
                  str(tmp_path / "box.mbox")).stdout
    assert out.count("updated #") == 3 and "stored #" not in out  # the second pass changed nothing
    with Store(triage_home / "triage.db") as store:
        assert store.count() == 2
        keys = [r[0] for r in store.conn.execute("SELECT dedupe_key FROM inquiries ORDER BY id")]
    assert keys[0] == "mid:<rfq-2026-11-02@brazosgulf-elec.com>" and keys[1].startswith(keys[0] + "#")


def test_a_row_stored_before_digests_matches_its_reimport_by_sender(tmp_path, triage_home):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "spam.eml").write_bytes(SPAM)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    conn = sqlite3.connect(triage_home / "triage.db")
    conn.execute("UPDATE inquiries SET content_digest = NULL")  # as migration 0004 leaves older rows
    conn.commit()
    conn.close()
    again = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    assert again["id"] == first["id"]
    other = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "spam.eml")).stdout)
    assert other["id"] != first["id"]
    with Store(triage_home / "triage.db") as store:
        assert store.row(first["id"])["content_digest"]  # filled in by the re-import
        assert store.count() == 2
