"""A stored inquiry is never replaced by a different message (Message-ID plus content digest)."""

from __future__ import annotations

import json
import sqlite3

import pytest
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


@pytest.mark.parametrize("old_digest", ["NULL", "substr(content_digest, 4)"], ids=["no digest", "older digest"])
def test_a_row_stored_before_digests_matches_its_reimport_by_sender(tmp_path, triage_home, old_digest):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "spam.eml").write_bytes(SPAM)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    conn = sqlite3.connect(triage_home / "triage.db")
    # as migration 0004 leaves older rows, or as digests of sender, Date and body alone (no version) were
    conn.execute(f"UPDATE inquiries SET content_digest = {old_digest}")
    conn.commit()
    conn.close()
    again = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    assert again["id"] == first["id"]
    other = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "spam.eml")).stdout)
    assert other["id"] != first["id"]
    with Store(triage_home / "triage.db") as store:
        assert store.row(first["id"])["content_digest"].startswith("v2:")  # renewed by the re-import
        assert store.count() == 2


# The genuine RFQ resent from a lookalike domain with its Message-ID left in (a copied thread).
COPY = GENUINE.replace(b"rick@brazosgulf-elec.com", b"rick@brazosgulf-elec.co")
# The same address again under the same Message-ID, with other content (a broken mailer, or a forged From).
RESENT = GENUINE.replace(b"16,000 pcs", b"18,000 pcs").replace(b"Mon, 2 Nov 2026", b"Wed, 4 Nov 2026")


def signals_of(record: dict) -> dict[str, str]:
    return {s["name"]: s["evidence"] for s in record["signals"]}


def test_a_copied_message_id_is_a_judge_signal_naming_the_stored_inquiry(tmp_path, triage_home):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "copy.eml").write_bytes(COPY)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    copy = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "copy.eml")).stdout)
    assert copy["id"] != first["id"]
    evidence = signals_of(copy)["message_id_of_another_sender"]
    assert evidence.startswith(f"stored as #{first['id']} (2026-11-02, rick@brazosgulf-elec.com)")
    assert "message_id_reused" not in signals_of(copy)
    assert copy["scores"]["authenticity"] == first["scores"]["authenticity"] - 35
    assert copy["tier"] == "C"  # the same text as an A lead, capped: authenticity is doubtful
    assert first["tier"] == "A" and not {"message_id_of_another_sender", "message_id_reused"} & set(signals_of(first))
    # re-importing both (either order) keeps the flag on the copy and never puts it on the first
    for name in ("copy.eml", "rfq.eml"):
        again = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / name)).stdout)
        assert again["id"] == (copy if name == "copy.eml" else first)["id"]
        assert ("message_id_of_another_sender" in signals_of(again)) == (name == "copy.eml")
        assert any("already stored" in n for n in again["parse_notes"]) == (name == "copy.eml")
    with Store(triage_home / "triage.db") as store:
        assert store.count() == 2
        stored = store.get(copy["id"])
    assert signals_of(stored)["message_id_of_another_sender"] == evidence


def test_the_same_address_with_other_content_under_one_message_id_is_a_weaker_signal(tmp_path, triage_home):
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "resent.eml").write_bytes(RESENT)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    resent = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "resent.eml")).stdout)
    found = signals_of(resent)
    assert found["message_id_reused"].startswith(f"stored as #{first['id']} (2026-11-02, rick@brazosgulf-elec.com)")
    assert "message_id_of_another_sender" not in found
    assert resent["scores"]["authenticity"] == first["scores"]["authenticity"] - 10


def test_a_copy_in_the_same_mailbox_is_flagged_before_anything_is_stored(tmp_path, triage_home):
    sep = b"From MAILER-DAEMON Mon Nov  2 10:00:00 2026\n"
    # the genuine one, the same message again (a duplicate, not a reuse), then the copy
    (tmp_path / "box.mbox").write_bytes(sep + GENUINE + b"\n" + sep + GENUINE + b"\n" + sep + COPY)
    out = run("inquiry", "--offline", "--json", str(tmp_path / "box.mbox")).stdout
    records = [json.loads(line) for line in out.splitlines() if line.strip()]
    assert [bool(signals_of(r).get("message_id_of_another_sender")) for r in records] == [False, False, True]
    assert signals_of(records[2])["message_id_of_another_sender"].startswith(
        "earlier in this batch (2026-11-02, rick@brazosgulf-elec.com)")
    assert records[0]["id"] == records[1]["id"] != records[2]["id"]


def test_a_reply_quoting_a_stored_message_id_in_references_is_not_flagged(tmp_path, triage_home):
    reply = (b"From: Rick Dawson <rick@brazosgulf-elec.com>\nTo: sales@brightline-electrical.com\n"
             b"Subject: Re: RFQ GFCI outlets\nMessage-ID: <rfq-2026-11-05@brazosgulf-elec.com>\n"
             b"In-Reply-To: <rfq-2026-11-02@brazosgulf-elec.com>\nReferences: <rfq-2026-11-02@brazosgulf-elec.com>\n"
             b"Date: Thu, 5 Nov 2026 10:00:00 -0600\n\nAny update on the price for the 16,000 pcs?\nRick\n")
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "reply.eml").write_bytes(reply)
    run("inquiry", "--offline", str(tmp_path / "rfq.eml"))
    later = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "reply.eml")).stdout)
    assert not {"message_id_of_another_sender", "message_id_reused"} & set(signals_of(later))


def test_the_store_answers_the_lookup_without_writing(tmp_path):
    with Store(tmp_path / "t.db") as store:
        assert store.message_id_holders("<none@x>") == [] and store.message_id_holders(None) == []
        row = {"dedupe_key": "mid:<a@x>", "message_id": "<a@x>", "content_digest": "v2:d1", "sender_email": "a@x.com",
               "received": "2026-11-02T10:00:00+00:00", "source_kind": "eml", "record": {}}
        assert store.identify(dict(row)) is None
        first = store.save(row).id
        other = {**row, "dedupe_key": "mid:<a@x>", "content_digest": "v2:d2", "sender_email": "b@y.com"}
        assert store.identify(other) == {"id": first, "date": "2026-11-02T10:00:00+00:00", "sender_email": "a@x.com"}
        assert other["dedupe_key"] == "mid:<a@x>#d2"
        changes = store.conn.total_changes
        holders = store.message_id_holders("<a@x>")
        assert store.conn.total_changes == changes and [h["id"] for h in holders] == [first]
        store.save(other)
        again = {**other, "dedupe_key": "mid:<a@x>"}
        assert store.identify(again)["id"] == first and again["dedupe_key"] == "mid:<a@x>#d2"  # a re-import stays flagged
        assert store.identify({**row, "dedupe_key": "mid:<a@x>"}) is None  # the first never is


def test_a_copy_that_only_redirects_the_answers_never_replaces_the_stored_inquiry(tmp_path, triage_home):
    # the genuine message to the byte (From, Date, body) with a Reply-To of the forger's added
    hijack = GENUINE.replace(b"Subject: RFQ", b"Reply-To: rick.dawson.purchasing@gmail.com\nSubject: RFQ")
    # the same message as a mail client exports it: CRLF, status and Received fields added, the subject refolded
    exported = (b"Received: from mx.brazosgulf-elec.com by mx.example; Mon, 2 Nov 2026 10:00:05 -0600\n"
                b"X-Mozilla-Status: 0001\n" + GENUINE.replace(b"Subject: RFQ GFCI", b"Subject: RFQ\n GFCI")
                ).replace(b"\n", b"\r\n")
    (tmp_path / "rfq.eml").write_bytes(GENUINE)
    (tmp_path / "hijack.eml").write_bytes(hijack)
    (tmp_path / "exported.eml").write_bytes(exported)
    first = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "rfq.eml")).stdout)
    copy = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "hijack.eml")).stdout)
    assert copy["id"] != first["id"]
    assert signals_of(copy)["message_id_reused"].startswith(f"stored as #{first['id']} ")
    same = json.loads(run("inquiry", "--offline", "--json", str(tmp_path / "exported.eml")).stdout)
    assert same["id"] == first["id"] and "message_id_reused" not in signals_of(same)
    kept = json.loads(run("show", "--json", str(first["id"])).stdout)
    assert "gmail.com" not in json.dumps(kept["sender"]) + json.dumps(kept["contact"])
    assert not {"reply_to_differs", "reply_to_free_mail"} & set(signals_of(kept))
