"""A chat reply answers each open point on its own line, quoting the buyer's message it answers (as a
chat app's reply does); a question our side already answered in the chat is not answered again (the
draft's note says so, and the bar leaves it out), one we put off ("vou verificar") stays open. An offer
that covers only part of the buyer's total names the whole and marks the rest to fill.
Real inputs: tests/draft_inputs/."""

from __future__ import annotations

from pathlib import Path

from triage import templating
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile
from triage.store import Store

INPUTS = Path(__file__).parent / "draft_inputs"


def _draft(name: str, store=None):
    profile = load_profile(demo_profile_path())
    result = triage_paths([str(INPUTS / name)], profile=profile, options=Options(offline=True), store=store).results[0]
    return result


def test_questions_answered_in_the_chat_are_not_answered_again():
    draft = _draft("chat-settled-pt.txt").inquiry.draft
    assert "Qual é o pedido mínimo?" not in draft.body and "é da Brightline" not in draft.body
    settled = [n for n in draft.notes if n.startswith("answered in the chat already")]
    assert any("Qual é o pedido mínimo?" in n and "Pedido mínimo: tomada schuko 3000" in n for n in settled)


def test_a_question_we_put_off_stays_open():
    draft = _draft("chat-settled-pt.txt").inquiry.draft
    assert 'to fill: answer to "Têm a tomada com tampa IP44?"' in draft.body


def test_a_chat_answer_quotes_the_message_it_answers_on_one_line():
    draft = _draft("chat-settled-pt.txt").inquiry.draft
    t = templating.phrases(templating.default_environment(), "pt")
    label = t["answers"]["payment"].split(":")[0]  # "Pagamento"
    line = next(ln for ln in draft.body.splitlines() if "E o pagamento, como é?" in ln)
    assert label in line and "30%" in line  # the answer stands on the quoted question's line
    assert draft.language == "pt" and not draft.body.startswith("Prezad")  # a chat, not a letter


def test_the_order_in_the_chat_is_read_past_the_moq_question():
    record = _draft("chat-settled-pt.txt").inquiry
    assert "4.000" in record.draft.body  # 4000 tomadas, not our MOQ quoted back


def test_a_stored_chat_settles_the_same_questions(tmp_path):
    from triage.draft import draft_reply

    with Store(tmp_path / "triage.db") as store:
        result = _draft("chat-settled-pt.txt", store=store)
        record = store.get(result.id)
    draft = draft_reply(record, load_profile(demo_profile_path()))
    assert "Qual é o pedido mínimo?" not in draft.body
    assert any(n.startswith("answered in the chat already") for n in draft.notes)
    assert any("send this in the chat" in n for n in draft.notes)


def test_the_part_of_the_total_no_line_covers_is_named_and_marked():
    body = _draft("rest-of-the-total-de.eml").inquiry.draft.body
    assert "900 Stück zu" in body  # the line we make, at its own count
    rest = next(ln for ln in body.splitlines() if "übrigen 100 Stück" in ln)
    assert "1.000 Stück" in rest  # the buyer's whole total
    assert "IP65" in rest and "<<to fill: the other 100 pcs" in rest


def test_a_price_range_in_the_thread_is_no_offer_and_each_price_goes_to_its_product():
    from triage.draft_history import earlier_prices

    products = [{"sku": "BL-UK13", "asked": "13A switch socket"}, {"sku": "BL-EXT", "asked": "extension board"}]
    said = ("Lily: For the 13A switch socket our MOQ is 3000 pcs, price from USD 1.10 to 1.50 FOB Ningbo "
            "depending on the model. For the extension board MOQ is 1000 pcs.")
    assert earlier_prices(said, products) == {}  # a range, not a price to honour (its low end is the floor)
    said = "Lisa: 13A switch socket USD 1.32/pc, extension board USD 6.10/pc, FOB Ningbo"
    assert earlier_prices(said, products) == {"BL-UK13": {"price": 1.32, "term": "FOB"},
                                              "BL-EXT": {"price": 6.10, "term": "FOB"}}


def test_a_container_the_buyer_asks_for_carries_the_freight_of_a_full_one():
    from triage.quote import build_quote

    profile = load_profile(demo_profile_path())
    product = profile.product("BL-UK13")
    line = {"sku": product.sku, "name": product.name, "asked": "13A switched socket", "moq": product.moq,
            "unit": "pcs", "certifications": list(product.certifications),
            "breaks": __import__("triage.quote", fromlist=["price_breaks"]).price_breaks(product)}
    request = {"quantity": {"value": 1, "unit": "containers"}, "incoterm": "CIF", "destination": "Mombasa"}
    freight = build_quote(request, [line], profile, text="1x40HQ mixed, CIF Mombasa")["freight"]
    assert freight["known"] and not freight["lcl"] and freight["containers"] == 1
    assert freight["per_piece"] * int(profile.terms["container_pcs"]) >= freight["sea"]  # spread over a full box


def test_a_delivered_term_without_a_place_goes_to_the_buyers_door_not_a_port():
    draft = _draft("ddp-no-place-es.txt").inquiry.draft
    t = templating.phrases(templating.default_environment(), "es")
    # no freight or duty figure in the profile: the offer stands FOB and DDP is the salesperson's to fill
    # (it used to read "DDP su almacén" on a price that folded in an invented freight figure)
    assert "FOB Ningbo" in draft.body and "<<to fill: DDP: freight, duties and taxes" in draft.body
    assert t["your_port"] not in draft.body and "the buyer's port" not in draft.body
