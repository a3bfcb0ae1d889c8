"""The store on a real SQLite file: migrations, de-duplication, filters, records, lookup cache."""

from __future__ import annotations


import pytest

from triage.errors import NotFound, StoreError
from triage.store import Filters, LookupCache, Store, migrations


def row(key: str, **extra):
    return {"dedupe_key": key, "source_kind": "eml", "record": {"source": {"kind": "eml"}, "k": key},
            "received": "2026-11-02T10:00:00+00:00", **extra}


def test_blank_database_gets_every_migration_recorded(tmp_path):
    store = Store(tmp_path / "t.db")
    names = [name for name, _ in migrations()]
    assert store.applied_migrations() == names
    assert names[0] == "0001_initial"
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert Store(tmp_path / "t.db").migrate() == []  # nothing left to apply on reopen


def test_a_failing_migration_rolls_back_and_says_which(tmp_path):
    store = Store(tmp_path / "t.db")
    with pytest.raises(StoreError, match="9999_broken"):
        store.migrate([("9999_broken", "CREATE TABLE ok_table (x);\nTHIS IS NOT SQL;")])
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "ok_table" not in tables and "9999_broken" not in store.applied_migrations()


def test_same_inquiry_twice_updates_instead_of_duplicating(tmp_path):
    store = Store(tmp_path / "t.db")
    first = store.save(row("mid:<a@b>", tier="C"))
    second = store.save(row("mid:<a@b>", tier="B"))
    assert first.id == second.id and first.created and not second.created
    assert store.count() == 1 and store.row(first.id)["tier"] == "B"
    assert [e["kind"] for e in store.events(first.id)] == ["triaged", "retriaged"]


def test_filters_and_records(tmp_path):
    store = Store(tmp_path / "t.db")
    store.save_many([
        row("a", tier="A", category="genuine", country="US", subject="GFCI RFQ", received="2026-11-01T09:00:00"),
        row("b", tier="D", category="phishing", country="NG", subject="Invoice", received="2026-11-05T09:00:00"),
        row("c", tier="B", category="genuine", country="DE", body="Schuko sockets", received="2026-11-09T09:00:00"),
    ])
    assert [r["dedupe_key"] for r in store.query()] == ["c", "b", "a"]  # newest first
    assert [r["dedupe_key"] for r in store.query(Filters(tier="a"))] == ["a"]
    assert [r["dedupe_key"] for r in store.query(Filters(category="genuine", since="2026-11-02"))] == ["c"]
    assert [r["dedupe_key"] for r in store.query(Filters(text="schuko"))] == ["c"]
    assert [r["dedupe_key"] for r in store.query(Filters(country="ng"))] == ["b"]
    record = store.get(store.query(Filters(country="US"))[0]["id"])
    assert record["k"] == "a" and record["id"] >= 1
    with pytest.raises(NotFound):
        store.get(999)


def test_lookup_cache_round_trip(tmp_path):
    cache = LookupCache(Store(tmp_path / "t.db"))
    assert cache.get("acme.example") is None
    cache.put("acme.example", {"site": {"title": "Acme"}})
    data, fetched_at = cache.get("acme.example")
    assert data["site"]["title"] == "Acme" and fetched_at.year >= 2026


def test_unopenable_database_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        Store(tmp_path / "missing-dir" / "t.db")


def test_a_reply_joins_the_thread_of_the_inquiry_it_answers(tmp_path):
    from triage.pipeline import Options, triage_paths
    from triage.profile import load_profile

    first = tmp_path / "rfq.eml"
    first.write_bytes(b"From: Ann <ann@shop.example>\r\nSubject: RFQ sockets\r\nMessage-ID: <rfq-1@shop.example>\r\n"
                      b"Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\nPlease quote 5,000 pcs Schuko socket 16A CIF Riga.\r\n")
    reply = tmp_path / "reply.eml"
    reply.write_bytes(b"From: Ann <ann@shop.example>\r\nSubject: Re: RFQ sockets\r\nMessage-ID: <rfq-2@shop.example>\r\n"
                      b"In-Reply-To: <our-quote@brightline-electrical.com>\r\n"
                      b"References: <rfq-1@shop.example> <our-quote@brightline-electrical.com>\r\n"
                      b"Date: Thu, 5 Nov 2026 10:00:00 +0000\r\n\r\nThanks, please make it 8,000 pcs.\r\n")
    store = Store(tmp_path / "t.db")
    profile = load_profile()
    (one,) = triage_paths([str(first)], profile=profile, options=Options(offline=True), store=store).results
    (two,) = triage_paths([str(reply)], profile=profile, options=Options(offline=True), store=store).results
    assert store.row(two.id)["thread_id"] == one.id and store.row(one.id)["thread_id"] is None
    assert any(e["kind"] == "thread" for e in store.events(one.id))


def test_the_same_long_text_from_other_senders_is_seen_as_a_mass_rfq(tmp_path):
    from triage.inputs import Item
    from triage.pipeline import Options, triage_items
    from triage.profile import load_profile

    text = ("We are a leading importer of electrical accessories and are looking for a reliable supplier of "
            "13A switched sockets, LED downlights and power strips for a large project. ") * 8
    items = [Item(f"m{i}", "eml", raw=(f"From: Buyer {i} <b{i}@shop{i}.example>\nSubject: RFQ\n"
                                       f"Message-ID: <m{i}@shop{i}.example>\n\n{text}\nRegards\n").encode())
             for i in range(4)]
    store = Store(tmp_path / "t.db")
    batch = triage_items(items, load_profile(), Options(offline=True), store, chunk=1)
    names = {h.name for h in batch.results[-1].inquiry.judgment.signals}
    assert len(text) > 1000 and names & {"history_mass_rfq", "history_scam_wave"}


def test_a_wave_inside_one_batch_is_seen_before_anything_is_stored(tmp_path):
    """An mbox holding a scam wave: the copies are compared with each other, not only with earlier batches."""
    from triage.inputs import Item
    from triage.pipeline import Options, triage_items
    from triage.profile import load_profile

    text = ("Dear Sir/Madam, we want to place a trial order for your products. Kindly send your catalogue "
            "and the lowest factory price for all items so our purchase department can proceed. ")
    items = [Item(f"m{i}", "eml", raw=(f"From: Buyer {i} <b{i}@trade{i}.example>\nSubject: Order\n"
                                       f"Message-ID: <w{i}@trade{i}.example>\n\n{text}\nRegards\n").encode())
             for i in range(4)]
    store = Store(tmp_path / "t.db")
    batch = triage_items(items, load_profile(), Options(offline=True), store)  # one chunk
    first, last = batch.results[0].inquiry.judgment, batch.results[-1].inquiry.judgment
    assert not {h.name for h in first.signals} & {"history_mass_rfq", "history_scam_wave"}
    waves = [h for h in last.signals if h.name in ("history_mass_rfq", "history_scam_wave")]
    assert waves and "b0@trade0.example (100, this batch)" in waves[0].evidence and "None" not in waves[0].evidence


def test_history_reads_only_the_recent_window_and_the_same_sender(tmp_path):
    store = Store(tmp_path / "t.db")
    rows = [{"dedupe_key": f"k{i}", "source_kind": "eml", "sender_email": f"s{i % 7}@d{i % 7}.example",
             "sender_domain": f"d{i % 7}.example", "body": "x" * 900, "record": {}} for i in range(100)]
    store.save_many(rows)
    recent = store.recent_history(60)
    assert [r["id"] for r in recent] == list(range(41, 101)) and {len(r["body"]) for r in recent} == {600}
    same = store.sender_history("s3@d3.example", None)
    assert len(same) == 14 and all(r["sender_email"] == "s3@d3.example" for r in same)
    assert [r["id"] for r in same] == sorted((r["id"] for r in same), reverse=True)
    assert len(store.sender_history("nobody@x.example", "d3.example")) == 14
    assert store.sender_history(None, None) == []


def test_snooze_after_the_last_step_is_a_clear_error(tmp_path):
    from datetime import date

    from triage import store_followups
    from triage.errors import TriageError
    from triage.model import FollowUp

    store = Store(tmp_path / "t.db")
    ident = store.save(row("x")).id
    store_followups.save_plan(store, ident, [FollowUp(0, date(2026, 11, 2), "reply")])
    store_followups.mark_done(store, ident, today=date(2026, 11, 2))
    with pytest.raises(TriageError, match="no pending step"):
        store_followups.snooze(store, ident, 3, today=date(2026, 11, 3))


def test_save_many_tells_new_rows_from_updates_even_within_one_call(tmp_path):
    store = Store(tmp_path / "t.db")
    row = {"dedupe_key": "mid:<a@x>", "source_kind": "eml", "sender_email": "a@x.example", "record": {}}
    first = store.save_many([row, {**row, "dedupe_key": "mid:<b@x>"}, {**row, "company_name": "Later Name"}])
    assert [s.created for s in first] == [True, True, False] and first[0].id == first[2].id
    again = store.save_many([{**row, "dedupe_key": "mid:<b@x>"}, {**row, "dedupe_key": "mid:<c@x>"}])
    assert [s.created for s in again] == [False, True]
    assert store.row(first[0].id)["company_name"] == "Later Name" and store.count() == 3
    kinds = [e["kind"] for e in store.events(first[0].id)]
    assert kinds == ["triaged", "retriaged"]


def test_message_ids_are_indexed_for_thread_lookups(tmp_path):
    """Every message with References asks which stored inquiry it answers: that must not scan the table."""
    store = Store(tmp_path / "t.db")
    plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM inquiries WHERE message_id IN (?, ?)",
                              ["<a@x>", "<b@x>"]).fetchall()
    assert any("INDEX inquiries_message_id" in row[-1] for row in plan), plan
