"""A buyer's second mail in a stored thread is drafted as a continuation: real .eml files, a real SQLite
store. No first-contact opening, no hook about the buyer, no qualifying questions again, the new
questions answered (or marked to fill), the price offered in the thread kept, the subject "Re:"."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import draft as drafting
from triage import templating
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile
from triage.store import Store

THREADS = Path(__file__).parent / "draft_threads"


@pytest.fixture
def thread(tmp_path):
    profile = load_profile(demo_profile_path())
    with Store(tmp_path / "triage.db") as store:
        first = triage_paths([str(THREADS / "1-first.eml")], profile=profile, options=Options(offline=True),
                             store=store).results[0]
        second = triage_paths([str(THREADS / "2-second.eml")], profile=profile, options=Options(offline=True),
                              store=store).results[0]
        yield store, first, second, profile


def _t(lang="en"):
    return templating.phrases(templating.default_environment(), lang)


def test_the_second_mail_joins_the_stored_conversation(thread):
    store, first, second, _ = thread
    assert store.thread_of(["<first-77@kovex-elektro.example>"]) == first.id
    assert store.row(second.id)["thread_id"] == first.id


def test_the_first_mail_gets_a_first_contact_draft(thread):
    _, first, _, _ = thread
    body = first.inquiry.draft.body
    assert "BL-DR15" in body and "20,000" in body
    assert _t()["open"]["thread"].split(",")[0] not in body


def test_the_second_mail_is_drafted_as_a_continuation(thread):
    _, first, second, _ = thread
    t = _t()
    body, subject = second.inquiry.draft.body, second.inquiry.draft.subject
    assert subject == "Re: RFQ duplex receptacles 15A TR"  # the thread's subject, not a second "Re:"
    assert t["open"]["thread"].split(",")[0] in body  # "Thank you for your reply"
    first_contact = {v.split(".")[0] for k, v in t["open"].items() if k not in ("thread", "no_products")}
    assert not [o for o in first_contact if o in body]
    about_us = t["answers"]["company"].split(":")[0]
    assert about_us not in body  # the company is not introduced again
    assert "9 branches" not in body  # the hook belongs to the first reply
    for gap in t["gaps"].values() if isinstance(t.get("gaps"), dict) else []:
        assert str(gap) not in body
    assert "20,000 pcs at USD 0.49" in body  # the thread's quantity and the price offered there stand
    notes = " ".join(second.inquiry.draft.notes)
    for question in ("Can you print our logo on the inner box?", "pieces per carton?"):
        assert question in body  # each new question is taken up ...
        assert question in notes or not drafting.FILL.search(body.split(question, 1)[1].split("\n")[1])  # ... answered or listed to fill


def test_the_stored_record_drafts_the_same_continuation(thread):
    store, _, second, profile = thread
    again = drafting.draft_reply(store.get(second.id), profile)
    assert again.subject == "Re: RFQ duplex receptacles 15A TR"
    assert _t()["open"]["thread"].split(",")[0] in again.body and "USD 0.49" in again.body
