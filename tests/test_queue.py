"""The follow-up queue on a real SQLite file, with the clock injected day by day."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from triage import queue, store_followups
from triage.cli_followup import COMMANDS, parse_duration, run_review
from triage.followup import plan_followups
from triage.store import Store

DAY0 = date(2026, 11, 2)


def record(category="genuine", tier="A", persona="driver", **extra):
    return {
        "source": {"kind": "eml", "path": None, "message_id": f"<{extra.get('key', 'x')}@buyer>",
                   "date": f"{DAY0}T09:00:00+00:00", "subject": "RFQ GFCI"},
        "sender": {"name": "Rick Dawson", "email": "rick@brazos.example", "domain": "brazos.example"},
        "company": {"name": "Brazos Gulf", "country": "US"},
        "request": {"products": [{"sku": "BL-GFCI", "name": "GFCI receptacle", "score": 90}]},
        "category": category, "tier": tier, "persona": {"type": persona, "confidence": 0.8, "evidence": []},
        **extra,
    }


def add(store: Store, key: str, *, received=DAY0, plan=True, **kw) -> int:
    rec = record(key=key, **kw)
    saved = store.save({
        "dedupe_key": key, "message_id": rec["source"]["message_id"], "source_kind": "eml",
        "received": f"{received}T09:00:00+00:00", "subject": f"RFQ {key}", "products": "BL-GFCI",
        "company_name": f"Buyer {key}", "sender_email": f"{key}@buyer.example", "category": rec["category"],
        "tier": rec["tier"], "persona": kw.get("persona", "driver"), "record": rec,
    })
    if plan:
        store_followups.save_plan(store, saved.id, plan_followups(rec, start=received))
    return saved.id


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "triage.db") as s:
        yield s


def items(store, day):
    return queue.build(store_followups.due_items(store, day), day)


def test_new_inquiry_is_todays_work_and_done_moves_it_on(store):
    ident = add(store, "a")  # tier A driver: steps at +1, +4, +7 days
    [item] = items(store, DAY0)
    assert (item.kind, item.step, item.next_step) == ("new", 0, "first reply")
    assert item.last_touch == "received 2026-11-02"
    step = store_followups.mark_done(store, ident, today=DAY0)
    assert step["step"] == 0 and store.row(ident)["status"] == "open"
    assert items(store, DAY0) == []
    [due] = items(store, DAY0 + timedelta(days=1))
    assert (due.kind, due.step, due.purpose) == ("due", 1, "price_break")
    assert due.last_touch == "reply sent 2026-11-02"
    [late] = items(store, DAY0 + timedelta(days=3))
    assert (late.kind, late.days_late) == ("overdue", 2)


def test_late_reply_pushes_the_later_steps(store):
    ident = add(store, "late")
    store_followups.mark_done(store, ident, today=DAY0 + timedelta(days=2))
    steps = store_followups.plan(store, ident)
    assert [s["due"] for s in steps[1:]] == ["2026-11-05", "2026-11-08", "2026-11-11"]


def test_snooze_moves_the_next_step_and_keeps_the_order(store):
    ident = add(store, "s")
    store_followups.mark_done(store, ident, today=DAY0)
    day = DAY0 + timedelta(days=1)
    assert store_followups.snooze(store, ident, 3, today=day) == date(2026, 11, 6)
    assert items(store, day) == [] and items(store, day + timedelta(days=2)) == []
    [item] = items(store, day + timedelta(days=3))
    assert item.step == 1
    dues = [s["due"] for s in store_followups.plan(store, ident) if s["status"] == "pending"]
    assert dues == sorted(dues)
    assert any(e["kind"] == "snoozed" for e in store.events(ident))


def test_replied_stops_the_sequence(store):
    ident = add(store, "r")
    store_followups.mark_done(store, ident, today=DAY0)
    assert store_followups.stop(store, ident, "replied", today=DAY0) == 3
    assert store.row(ident)["status"] == "replied"
    assert {s["status"] for s in store_followups.plan(store, ident)} == {"done", "stopped"}
    for n in range(0, 40, 3):
        assert items(store, DAY0 + timedelta(days=n)) == []


def test_order_by_tier_then_due_and_new_without_plan(store):
    c = add(store, "c", tier="C", persona="amiable")
    b_old = add(store, "b_old", tier="B", received=DAY0 - timedelta(days=5))
    b_new = add(store, "b_new", tier="B")
    comp = add(store, "comp", category="competitor", tier="D", persona=None, plan=False)
    add(store, "spam", category="spam", tier="D", persona=None, plan=False)
    add(store, "future", received=DAY0 + timedelta(days=3))
    got = items(store, DAY0)
    assert [i.id for i in got] == [b_old, b_new, c, comp]
    assert got[0].days_late == 5 and got[-1].next_step.startswith("reply (competitor")
    store_followups.mark_done(store, comp, today=DAY0)  # a reply without a plan: just marked sent
    assert comp not in [i.id for i in items(store, DAY0 + timedelta(days=30))]


def test_render_and_json(store):
    add(store, "a")
    got = items(store, DAY0)
    text = queue.render(got, DAY0)
    assert "0 overdue, 0 due, 1 new" in text and "Buyer a" in text and "first reply" in text
    data = json.loads(queue.to_json(got, DAY0))
    assert data["items"][0]["buyer"] == "Buyer a"
    assert queue.render([], DAY0) == "Nothing due on 2026-11-02."


def test_cli_actions_and_review(store, tmp_path):
    ident = add(store, "cli")
    other = add(store, "cli2", tier="B")
    db = str(store.path)
    cmds = {c.name: c for c in COMMANDS}
    runner = CliRunner()
    out = runner.invoke(cmds["queue"], ["--date", "2026-11-02", "--db", db])
    assert out.exit_code == 0 and "Buyer cli" in out.output
    out = runner.invoke(cmds["done"], [str(ident), "--date", "2026-11-02", "--db", db])
    assert out.exit_code == 0 and "reply sent 2026-11-02; next: step 1 (price_break)" in out.output
    out = runner.invoke(cmds["snooze"], [str(ident), "1w", "--date", "2026-11-03", "--db", db])
    assert "due 2026-11-10" in out.output
    out = runner.invoke(cmds["lost"], [str(ident), "--reason", "price", "--db", db])
    assert out.exit_code == 0 and store.row(ident)["status_reason"] == "price"
    out = runner.invoke(cmds["done"], [str(ident), "--db", db])
    assert out.exit_code == 1 and "is lost" in out.output
    keys = iter("xdq")
    acted = run_review(store, items(store, DAY0), DAY0, getchar=lambda: next(keys), echo=lambda *a: None)
    assert acted == {other: "done"}
    out = runner.invoke(cmds["won"], [str(other), "--db", db])
    assert store.row(other)["status"] == "won"


def test_parse_duration():
    assert parse_duration("3d") == 3 and parse_duration("2w") == 14 and parse_duration("5") == 5
    with pytest.raises(Exception):
        parse_duration("soon")


def test_ics_is_rfc5545(store):
    ident = add(store, "ics")
    rows = store_followups.upcoming(store, start=DAY0)
    text = queue.followups_to_ics(rows)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 4
    assert f"UID:triage-{ident}-1@triage" in text and "DTSTART;VALUE=DATE:20261103" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_every_command_has_help():
    runner = CliRunner()
    for command in COMMANDS:
        result = runner.invoke(command, ["--help"])
        assert result.exit_code == 0 and command.help, command.name


def test_done_twice_on_one_day_advances_once(store):
    ident = add(store, "twice")
    first = store_followups.mark_done(store, ident, today=DAY0)
    plan_after_first = store_followups.plan(store, ident)
    again = store_followups.mark_done(store, ident, today=DAY0)
    assert again["repeat"] and again["step"] == first["step"]
    assert store_followups.plan(store, ident) == plan_after_first
    cmds = {c.name: c for c in COMMANDS}
    out = CliRunner().invoke(cmds["done"], [str(ident), "--date", DAY0.isoformat(), "--db", str(store.path)])
    assert out.exit_code == 0 and "already recorded" in out.output
    assert store_followups.plan(store, ident) == plan_after_first


def test_review_confirms_closing_keys_asks_why_lost_and_undoes(store):
    a = add(store, "rev-a", tier="A")
    b = add(store, "rev-b", tier="B")
    before = store_followups.plan(store, a)
    said: list[str] = []
    keys = iter("l" "wn" "l" "u" "n" "q")  # lost without a reason; won not confirmed; lost with a reason, undone
    reasons = iter(["", "price too high"])
    acted = run_review(store, items(store, DAY0), DAY0, getchar=lambda: next(keys), echo=said.append,
                       prompt=lambda text: next(reasons))
    assert store.row(a)["status"] != "lost" and store_followups.plan(store, a) == before
    assert store.row(b)["status"] not in ("lost", "won")
    assert acted == {}
    assert any("undone" in line for line in said)
    assert [e["kind"] for e in store.events(a)][-2:] == ["lost", "undone"]
