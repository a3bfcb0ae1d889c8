"""It learns from the user: `triage mark`, the token model in a real SQLite file, the learned signals.

tests/learning/ holds real .eml files: a "supplier verification fee" scam wave (the buyer's
order waits on a fee paid to a 'verification agent'; nine copies, each with its own names,
amounts, agencies and wording) and ten ordinary inquiries. Five copies of the wave and six
inquiries are stored and marked; the other copies, in other words, are held out.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from triage import store_followups
from triage.cli import main
from triage.learning import CATEGORIES, TokenModel, inquiry_tokens, tokens
from triage.pipeline import Options, read_path, triage_paths
from triage.profile import demo_profile_path, load_profile
from triage.judge.signals import CATEGORY_GROUPS
from triage.store import Store
from triage.store_forget import forget
from triage.store_marks import load_model, mark, mark_counts

MAILS = Path(__file__).parent / "learning"
OFFLINE = Options(offline=True, today=date(2026, 11, 23))


@pytest.fixture
def demo():
    return load_profile(demo_profile_path())


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "triage.db") as s:
        yield s


def mails(kind: str, part: str) -> list[str]:
    return sorted(str(p) for p in MAILS.glob(f"{kind}-*-{part}.eml"))


def triage(paths, demo, store):
    return {Path(r.inquiry.message.path).name: r for r in triage_paths(paths, profile=demo, options=OFFLINE,
                                                                       store=store).results}


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def learned_hits(result) -> list[dict]:
    return [s for s in result.record["signals"] if s["name"].startswith("learned_")]


def test_five_marks_of_a_new_scam_wave_catch_its_next_copies_in_other_words(demo, store):
    before = triage(mails("wave", "heldout"), demo, None)
    # a new wave: the judge alone calls none of it scam (most genuine; one that asks nothing, not_inquiry)
    assert "scam" not in {r.record["category"] for r in before.values()}
    assert sum(r.record["category"] == "genuine" for r in before.values()) >= 3

    stored = triage(mails("wave", "train") + mails("genuine", "train"), demo, store)
    for name, result in stored.items():
        verdict = "scam" if name.startswith("wave") else "genuine"
        done = cli("mark", result.id, verdict, "--db", store.path)
        assert done.exit_code == 0, done.output
    assert mark_counts(store) == {"scam": 5, "genuine": 6}

    held_out = triage(mails("wave", "heldout") + mails("genuine", "heldout"), demo, store)
    for name, result in held_out.items():
        record = result.record
        if name.startswith("wave"):
            assert (record["category"], record["tier"]) == ("scam", "D"), (name, record["verdict"])
            (hit,) = [h for h in learned_hits(result) if h["name"] == "learned_scam"]
            assert hit["group"] == "scam" and "(5 marks)" in hit["evidence"]
            assert any(word in hit["evidence"] for word in ("supplier", "verification", "certificate", "fee"))
        else:
            assert record["category"] == "genuine", (name, record["verdict"])
            assert not any(h["group"] == "scam" for h in learned_hits(result)), name


def test_too_few_marks_stay_silent(demo, store):
    stored = triage(mails("wave", "train") + mails("genuine", "train"), demo, store)
    waves = [r for n, r in stored.items() if n.startswith("wave")]
    for result in waves[:4]:
        mark(store, result.id, "scam")
    for result in (r for n, r in stored.items() if n.startswith("genuine")):
        mark(store, result.id, "genuine")
    held_out = triage(mails("wave", "heldout"), demo, store)
    assert all(not learned_hits(r) for r in held_out.values())  # four scam marks: not yet

    mark(store, waves[4].id, "scam")
    held_out = triage(mails("wave", "heldout"), demo, Store(store.path))
    assert all(learned_hits(r) for r in held_out.values())


def test_marking_again_replaces_the_verdict_and_untrains_the_old_one(demo, store):
    (result,) = triage(mails("wave", "train")[:1], demo, store).values()
    first = mark(store, result.id, "scam")
    counted = dict(store.conn.execute("SELECT token, messages FROM learned_tokens WHERE category = 'scam'"))
    assert counted and set(counted.values()) == {1} and first.tokens == len(counted)
    assert "verification" in counted and "from:westbridge-supplies.com" in counted

    again = mark(store, result.id, "scam")  # safe to repeat
    assert again.previous == "scam" and mark_counts(store) == {"scam": 1}
    assert dict(store.conn.execute("SELECT token, messages FROM learned_tokens WHERE category = 'scam'")) == counted

    changed = mark(store, result.id, "phishing")
    assert changed.previous == "scam" and changed.judged == "genuine"
    assert mark_counts(store) == {"phishing": 1}
    assert store.conn.execute("SELECT count(*) FROM learned_tokens WHERE category = 'scam'").fetchone()[0] == 0


def test_the_record_shows_the_users_category_and_the_queue_drops_marked_mail(demo, store):
    stored = triage(mails("genuine", "train")[:3], demo, store)
    ids = sorted(r.id for r in stored.values())
    day = OFFLINE.today
    assert {i["id"] for i in _queue(store, day)} == set(ids)

    mark(store, ids[0], "spam")
    mark(store, ids[1], "competitor")
    mark(store, ids[2], "genuine")
    assert {i["id"] for i in _queue(store, day)} == {ids[2]}

    row = store.row(ids[0])
    assert (row["category"], row["tier"]) == ("spam", "D") and "marked spam by you" in row["verdict"]
    record = store.get(ids[0])
    assert record["category"] == "spam" and record["user_mark"]["judged"] == "genuine"
    assert [e["kind"] for e in store.events(ids[0])][-1] == "marked"

    mark(store, ids[0], "genuine")  # corrected back: the judge's tier returns, and so does the queue
    assert store.row(ids[0])["tier"] == store.get(ids[0])["user_mark"]["judged_tier"]
    assert ids[0] in {i["id"] for i in _queue(store, day)}


def _queue(store, day):
    return store_followups.due_items(store, day)


def test_triaging_marked_mail_again_keeps_the_users_verdict(demo, store):
    (result,) = triage(mails("genuine", "train")[:1], demo, store).values()
    mark(store, result.id, "not_inquiry")
    triage(mails("genuine", "train")[:1], demo, store)
    assert store.row(result.id)["category"] == "not_inquiry"
    assert store.get(result.id)["user_mark"]["judged"] == "genuine"


def test_forget_untrains_what_the_buyers_mail_taught(demo, store):
    stored = triage(mails("wave", "train")[:2], demo, store)
    for result in stored.values():
        mark(store, result.id, "scam")
    forget(store, "procurement@westbridge-supplies.com")
    tokens_left = dict(store.conn.execute("SELECT token, messages FROM learned_tokens"))
    assert mark_counts(store) == {"scam": 1}
    assert "from:westbridge-supplies.com" not in tokens_left and "okafor" not in tokens_left
    assert set(tokens_left.values()) == {1}


def test_mark_command_errors_are_one_clear_line(store):
    missing = cli("mark", 999, "scam", "--db", store.path)
    assert missing.exit_code != 0 and "no inquiry with id 999" in missing.output
    unknown = cli("mark", 1, "fraud", "--db", store.path)
    assert unknown.exit_code != 0 and "'fraud' is not one of" in unknown.output
    not_a_number = cli("mark", "abc", "scam", "--db", store.path)
    assert not_a_number.exit_code != 0 and "'abc' is no inquiry ID" in not_a_number.output
    for failed in (missing, unknown, not_a_number):
        assert len(failed.output.strip().splitlines()) == 1 and "Traceback" not in failed.output
    helped = cli("mark", "--help")
    assert helped.exit_code == 0 and "genuine" in helped.output and "not_inquiry" in helped.output


def test_categories_are_the_judges():
    from triage.cli_learn import CATEGORIES as CLI_CATEGORIES

    assert set(CATEGORIES) == {"genuine", *CATEGORY_GROUPS} == set(CLI_CATEGORIES)


def test_tokens_of_words_cjk_domains_and_links():
    found = tokens("询价：USB充电插座", "Please quote 3,000 pcs of BL-GFCI2 by 12/5; see https://www.Acme-Trade.com/x",
                   "Buyer.example", ["acme-trade.com", "files.example.net"])
    assert {"询价", "充电", "电插", "插座", "usb", "quote", "pcs", "gfci9"} <= set(found)
    assert {"from:buyer.example", "host:acme-trade.com", "host:files.example.net"} <= set(found)
    assert not {"3", "000", "12", "5", "please", "of", "by"} & set(found) and len(found) == len(set(found))
    assert tokens("", "单") == ["单"]


def test_the_model_is_silent_without_two_marked_categories():
    model = TokenModel({"scam": 9}, {"fee": {"scam": 9}})
    assert model.verdict(["fee"], 5) is None
    model = TokenModel({"scam": 5, "genuine": 5}, {"fee": {"scam": 5}, "quote": {"genuine": 5}})
    assert model.verdict(["fee"], 5).category == "scam"
    assert model.verdict(["quote"], 5).category == "genuine"
    assert model.verdict(["unseen"], 5) is None
    assert model.verdict(["fee"], 6) is None


def test_scoring_a_message_takes_well_under_a_millisecond(demo, store):
    stored = triage(mails("wave", "train") + mails("genuine", "train"), demo, store)
    for name, result in stored.items():
        mark(store, result.id, "scam" if name.startswith("wave") else "genuine")
    model = load_model(store)
    inquiries = [i for p in mails("wave", "heldout") + mails("genuine", "heldout") for i in read_path(p, demo)]
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        for inquiry in inquiries:
            model.verdict(inquiry_tokens(inquiry), 5)
    per_message = (time.perf_counter() - start) / (rounds * len(inquiries))
    assert per_message < 0.001, f"{per_message * 1e6:.0f} us a message"


def test_marking_in_the_browser_is_a_mark_too(demo, store):
    from triage import store_web

    (result,) = triage(mails("wave", "train")[:1], demo, store).values()
    store_web.mark(store, result.id, "phishing")
    assert mark_counts(store) == {"phishing": 1}
    assert store.get(result.id)["user_mark"] == {"category": "phishing", "judged": "genuine",
                                                 "judged_tier": store.get(result.id)["user_mark"]["judged_tier"]}
    assert result.id not in {i["id"] for i in _queue(store, OFFLINE.today)}
