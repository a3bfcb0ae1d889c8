"""A buyer's later mail without In-Reply-To or References still joins its conversation: by the same
address and the subject without "Re:"/"AW:"/"回复:"/"Fwd:" (spaces and case aside), or by the history it
quotes. Real .eml files, a real SQLite store; the draft is then a continuation that keeps the price
and quantity already offered, offers no samples the buyer has tested and asks no qualifying question again."""

from __future__ import annotations

from pathlib import Path

import pytest

from triage import draft as drafting
from triage import draft_history
from triage import templating
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile
from triage.store import Store
from triage.thread import subject_key

THREADS = Path(__file__).parent / "draft_threads"


def _triage(store, profile, name):
    return triage_paths([str(THREADS / name)], profile=profile, options=Options(offline=True), store=store).results[0]


@pytest.fixture
def stored(tmp_path):
    profile = load_profile(demo_profile_path())
    with Store(tmp_path / "triage.db") as store:
        yield store, profile, _triage(store, profile, "1-first.eml")


def _t():
    return templating.phrases(templating.default_environment(), "en")


@pytest.mark.parametrize("subject", ["RE: AW:  RFQ  duplex receptacles 15A TR", "Fwd: [EXT] rfq duplex receptacles 15a tr",
                                     "回复：RFQ duplex receptacles 15A TR", "Re[2]: RFQ duplex receptacles 15A TR",
                                     "TR : RFQ Duplex Receptacles 15A TR"])
def test_the_subject_is_read_without_the_clients_prefixes(subject):
    assert subject_key(subject) == "rfq duplex receptacles 15a tr"
    assert subject_key("Request for quotation") != subject_key("Re: RFQ duplex receptacles 15A TR")


def test_a_second_mail_without_headers_joins_by_address_and_subject(stored):
    store, profile, first = stored
    second = _triage(store, profile, "3-again-no-headers.eml")
    assert second.inquiry.message.in_reply_to is None and not second.inquiry.message.references
    assert store.row(second.id)["thread_id"] == first.id
    first_body = first.inquiry.draft.body
    offered = next(line for line in first_body.splitlines() if "BL-DR15" in line and "USD" in line)
    price = offered.split(" at ")[1].split("/")[0]  # what the first reply offered, e.g. "USD 0.49"
    t, body = _t(), second.inquiry.draft.body
    assert t["open"]["thread"].split(",")[0] in body  # a continuation, not a first contact
    assert f"20,000 pcs at {price}" in body  # the thread's quantity and price stand
    assert t["gaps"]["heading"] not in body and "9 branches" not in body  # nothing asked or said again
    assert "Can you print our logo on the inner box?" in body
    again = drafting.draft_reply(store.get(second.id), profile)  # `triage draft ID` from the stored record
    assert again.body == body


def test_a_mail_quoting_the_history_joins_it_whatever_its_subject(stored):
    store, profile, first = stored
    fourth = _triage(store, profile, "4-quoted-no-headers.eml")
    assert store.row(fourth.id)["thread_id"] == first.id
    body = fourth.inquiry.draft.body
    assert "USD 0.47" in body  # the price our reply gave, not the break's
    assert any("kept the price offered in the thread (USD 0.47)" in n for n in fourth.inquiry.draft.notes)
    assert _t()["close"]["samples"].split("{")[0][:30] not in body  # samples were tested: none offered


def test_another_subject_from_the_same_buyer_is_a_new_conversation(stored):
    store, profile, first = stored
    other = _triage(store, profile, "5-other-subject.eml")
    assert store.row(other.id)["thread_id"] is None
    assert _t()["open"]["thread"].split(",")[0] not in other.inquiry.draft.body


def test_the_same_subject_from_another_address_is_not_joined(stored, tmp_path):
    store, profile, first = stored
    text = (THREADS / "3-again-no-headers.eml").read_text().replace("t.varga@kovex-elektro.example",
                                                                     "buyer@another-firm.example")
    path = tmp_path / "other-sender.eml"
    path.write_text(text.replace("<third-79@", "<other-1@"))
    result = triage_paths([str(path)], profile=profile, options=Options(offline=True), store=store).results[0]
    assert store.row(result.id)["thread_id"] is None


def test_the_offer_in_the_history_is_read_as_a_salesperson_reads_it():
    products = [{"sku": "BL-USB", "asked": "USB-C outlet"}]
    quoted = ("> Your figures, CFR Dammam:\n"
              "> - BL-USB USB-A/USB-C charger receptacle: 1,500 pcs at USD 6.52/pc = USD 9,780.00\n"
              "> CFR Dammam includes sea freight for the shipment (1 x 40'HQ, USD 1,500.00), USD 0.17/pc.\n"
              "> Colors: white, black (black +USD 0.10/pc)\n"
              "> Earlier: BL-USB at USD 6.80/pc FOB Ningbo\n")
    # the offer lines take the heading's term; freight, a line total and a surcharge are no unit price;
    # the FOB figure is kept before any other
    assert draft_history.earlier_prices(quoted, products) == {"BL-USB": {"price": 6.80, "term": "FOB"}}
    assert draft_history.earlier_prices("\n".join(quoted.splitlines()[:4]), products) == {
        "BL-USB": {"price": 6.52, "term": "CFR"}}


def test_a_cost_in_the_history_is_no_unit_price():
    products = [{"sku": "BL-EXT", "asked": "multipresa"}]
    quoted = ("> 1) We can send 2 samples free of charge, you only pay the courier (about USD 35 to Bergamo).\n"
              "> Price for 500 pcs: USD 7.20/pc CIF Genoa.\n")
    assert draft_history.earlier_prices(quoted, products) == {"BL-EXT": {"price": 7.20, "term": "CIF"}}
