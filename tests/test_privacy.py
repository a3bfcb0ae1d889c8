"""Buyers' privacy: `triage forget` really removes a buyer, attachments never touch the disk,
and message bodies never leave the machine (only the sender's own company site is looked up)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sites.helpers import FakeResolver, local_fetcher, requested, serve
from triage.cli import main
from triage.inputs import Item, parse_item
from triage.pipeline import Options, triage_items
from triage.profile import load_profile
from triage.store import Store

TARGET = "olga.petrova@voltmarket-trade.ru"


def eml(sender: str, n: int, body: str = "We need 2000 pcs of LED panel lights 600x600, CIF Hamburg.") -> bytes:
    return (f"From: Buyer {n} <{sender}>\nTo: sales@brightline-electrical.com\nSubject: RFQ {n} from {sender}\n"
            f"Message-ID: <m{n}.{sender}>\nDate: Mon, 2 Nov 2026 10:00:00 +0000\n\n"
            f"Hello,\n{body}\nPlease quote. Contact me at {sender}\n\nBest regards,\nBuyer {n}\nPurchasing Manager\n"
            ).encode()


def stock(store: Store) -> None:
    """Inquiries from the buyer to forget (two, one replied to), a colleague and two other buyers."""
    senders = [TARGET, TARGET, "ivan@voltmarket-trade.ru", "anna@lumen-distribution.de", "li@gmail.com"]
    items = [Item(f"m{n}.eml", "eml", raw=eml(s, n)) for n, s in enumerate(senders)]
    batch = triage_items(items, load_profile(), Options(offline=True, today=date(2026, 11, 2)), store)
    assert not batch.errors and len(batch.results) == 5
    store.lookup_put("voltmarket-trade.ru", {"site": {"title": "VoltMarket"}, "mx": ["mx.voltmarket-trade.ru"]})
    store.lookup_put("lumen-distribution.de", {"site": {"title": "Lumen"}, "mx": []})
    store.set_status(batch.results[0].id, "open")


def raw_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob("triage.db*"))


def forget(*args: str) -> str:
    result = CliRunner().invoke(main, ["forget", "--yes", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_forget_an_address_removes_the_buyer_everywhere_and_from_the_file(triage_home):
    with Store() as store:
        stock(store)
        assert TARGET.encode() in raw_bytes(triage_home)
        before = store.count()
    output = forget(TARGET)
    assert "2 inquiries" in output and "follow-ups" in output and "events" in output
    assert "scrubbed from 1 other inquiries" in output  # the colleague's history evidence named her
    with Store() as store:
        assert store.count() == before - 2
        colleague = next(r for r in store.query() if r["sender_email"] == "ivan@voltmarket-trade.ru")
        assert "[forgotten]" in json.dumps(store.get(colleague["id"]), ensure_ascii=False)
        left = {r["sender_email"] for r in store.query()}
        assert TARGET not in left and "ivan@voltmarket-trade.ru" in left
        assert store.lookup_get("voltmarket-trade.ru") is not None  # a colleague still uses the domain
        assert store.conn.execute("SELECT count(*) FROM events WHERE inquiry_id NOT IN "
                                  "(SELECT id FROM inquiries)").fetchone()[0] == 0
        assert store.conn.execute("SELECT count(*) FROM followups WHERE inquiry_id NOT IN "
                                  "(SELECT id FROM inquiries)").fetchone()[0] == 0
    assert TARGET.encode() not in raw_bytes(triage_home)
    assert b"olga.petrova" not in raw_bytes(triage_home)


def test_forget_a_domain_removes_every_sender_there_and_its_cached_lookup(triage_home):
    with Store() as store:
        stock(store)
    output = forget("voltmarket-trade.ru")
    assert "3 inquiries" in output and "1 cached lookups" in output
    with Store() as store:
        assert store.lookup_get("voltmarket-trade.ru") is None
        assert store.lookup_get("lumen-distribution.de") is not None
        assert {r["sender_domain"] for r in store.query()} == {"lumen-distribution.de", "gmail.com"}
    assert b"voltmarket" not in raw_bytes(triage_home)


def test_forget_someone_unknown_removes_nothing(triage_home):
    with Store() as store:
        stock(store)
    assert "0 inquiries" in forget("nobody@example.org")
    with Store() as store:
        assert store.count() == 5


@pytest.mark.parametrize("who", ["", "x y", "50%", "nodot"])
def test_forget_refuses_what_is_not_an_address_or_domain(who):
    result = CliRunner().invoke(main, ["forget", "--yes", who])
    assert result.exit_code != 0 and "Traceback" not in result.output


def test_forget_asks_first():
    result = CliRunner().invoke(main, ["forget", TARGET], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output


def test_attachments_are_never_written_to_disk(tmp_path, monkeypatch, triage_home):
    monkeypatch.chdir(tmp_path)
    raw = (b"From: a@b.com\nSubject: specs\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
           b"--X\nContent-Type: text/plain\n\nSee the drawings attached.\n"
           b"--X\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"../../drawing.pdf\"\n"
           b"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJcOkw7zDtsOfCjIgMCBvYmoK\n"
           b"--X\nContent-Type: application/zip; name=\"invoice.zip\"\nContent-Transfer-Encoding: base64\n\n"
           b"UEsDBBQAAAAIAA==\n--X--\n")
    before = {p for root in (tmp_path, triage_home, tmp_path.parent) for p in root.rglob("*")}
    message = parse_item(Item("specs.eml", "eml", raw=raw))
    assert [a.name for a in message.attachments] == ["../../drawing.pdf", "invoice.zip"]
    result = CliRunner().invoke(main, ["inquiry", "--offline", "--no-store", "-"], input=raw)
    assert result.exit_code == 0, result.output
    after = {p for root in (tmp_path, triage_home, tmp_path.parent) for p in root.rglob("*")}
    assert after == before


def test_body_links_are_never_fetched_only_the_senders_own_site(httpserver, triage_home):
    """End to end (not offline): links in the body point at hosts the test server answers for;
    only the sender's company site is requested, and nothing from the body is sent anywhere."""
    for host in ("voltmarket-trade.ru", "tracker.example", "files.example"):
        serve(httpserver, host, "/", "<html><title>site</title><body>LED lighting distributor</body></html>")
    body = ("Please open http://tracker.example/t?buyer=olga and https://files.example/rfq.pdf "
            "and http://voltmarket-trade.ru/private/quote-2000-pcs before quoting.")
    item = Item("m.eml", "eml", raw=eml(TARGET, 1, body))
    options = Options(fetcher=local_fetcher(httpserver, "voltmarket-trade.ru", "www.voltmarket-trade.ru",
                                            "tracker.example", "files.example"),
                      resolver=FakeResolver(), today=date(2026, 11, 2))
    with Store() as store:
        batch = triage_items([item], load_profile(), options, store)
    assert not batch.errors
    seen = requested(httpserver)
    assert seen, "the sender's site should have been looked up"
    assert all(s.split()[0] in ("voltmarket-trade.ru", "www.voltmarket-trade.ru") for s in seen), seen
    assert not any("private" in s or "olga" in s or "quote" in s for s in seen), seen
    for request, _ in httpserver.log:
        assert request.method in ("GET", "HEAD") and not request.get_data()
        assert "olga" not in json.dumps(dict(request.headers)).lower()


OLGA = (b"From: Olga Petrova <olga.petrova@voltmarket-trade.ru>\nTo: sales@brightline-electrical.com\n"
        b"Subject: RFQ LED panels\nMessage-ID: <olga-1@voltmarket-trade.ru>\nDate: Mon, 2 Nov 2026 10:00:00 +0300\n\n"
        b"Hello,\nWe need 2000 pcs of LED panel lights 600x600, CIF Novorossiysk. Please quote.\n\n"
        b"Best regards,\nOlga Petrova\nPurchasing Manager\nVoltMarket Trade LLC\nTel: +7 495 123-45-67\n")
COLLEAGUE = (b"From: Ivan Sidorov <ivan@voltmarket-trade.ru>\nTo: sales@brightline-electrical.com\n"
             b"Subject: Re: RFQ LED panels\nMessage-ID: <ivan-1@voltmarket-trade.ru>\n"
             b"In-Reply-To: <olga-1@voltmarket-trade.ru>\nReferences: <olga-1@voltmarket-trade.ru>\n"
             b"Date: Tue, 3 Nov 2026 10:00:00 +0300\n\nHello,\nI take over from my colleague Olga Petrova "
             b"(olga.petrova@voltmarket-trade.ru, +7 (495) 123 45 67). Please send the quote for 2000 panels.\n\n"
             b"Best regards,\nIvan Sidorov\nHead of Procurement\n")


def test_forget_leaves_no_byte_of_the_buyer_under_triage_home(tmp_path, triage_home):
    """Address, name and phone are gone from every file triage keeps, restore copies included."""
    for name, raw in (("olga.eml", OLGA), ("ivan.eml", COLLEAGUE)):
        (tmp_path / name).write_bytes(raw)
    runner = CliRunner()
    assert runner.invoke(main, ["inquiry", "--offline", str(tmp_path / "olga.eml"), str(tmp_path / "ivan.eml")]).exit_code == 0
    assert runner.invoke(main, ["backup", str(tmp_path / "b.db")]).exit_code == 0
    assert runner.invoke(main, ["restore", "--yes", str(tmp_path / "b.db")]).exit_code == 0  # writes a copy
    assert list(triage_home.glob("triage.db.before-restore-*"))
    needles = [b"olga.petrova", b"Olga Petrova", b"123-45-67", b"123 45 67", b"olga-1@"]
    files = [p for p in triage_home.rglob("*") if p.is_file()]
    assert any(n in p.read_bytes() for p in files for n in needles)
    output = forget("olga.petrova@voltmarket-trade.ru")
    assert "1 inquiries" in output and "restore copies" in output
    for path in (p for p in triage_home.rglob("*") if p.is_file()):
        data = path.read_bytes()
        for needle in needles:
            assert needle.lower() not in data.lower(), (path.name, needle)
    with Store() as store:
        (ivan,) = store.query()
        assert ivan["sender_email"] == "ivan@voltmarket-trade.ru" and ivan["in_reply_to"] is None
        assert "[forgotten]" in ivan["body"] and "2000 panels" in ivan["body"]


def test_forget_refuses_a_free_mail_domain_but_takes_a_full_address(triage_home):
    with Store() as store:
        stock(store)
    result = CliRunner().invoke(main, ["forget", "--yes", "gmail.com"])
    assert result.exit_code != 0 and "free-mail" in result.output and "Traceback" not in result.output
    with Store() as store:
        assert store.count() == 5
    assert "1 inquiries" in forget("li@gmail.com")


def test_forget_shows_what_and_how_many_before_asking(triage_home):
    with Store() as store:
        stock(store)
    result = CliRunner().invoke(main, ["forget", "voltmarket-trade.ru"], input="n\n")
    assert result.exit_code != 0
    assert "3 inquiries from 2 address(es)" in result.output and "ivan@voltmarket-trade.ru" in result.output
    with Store() as store:
        assert store.count() == 5
