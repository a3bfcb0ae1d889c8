"""Ten inquiries written for a salesperson's reading of the drafts (tests/draft_reading/: new voices,
the demo seller's trades, eight languages, quoted threads, a numbered list, DDP and CFR terms, a buyer
who is closing). Each test asserts a fault found in that reading and fixed, on the real file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from triage.contract import to_contract
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile

READING = Path(__file__).parent / "draft_reading"


@lru_cache(maxsize=None)
def _read(name: str):
    profile = load_profile(demo_profile_path())
    inquiry = triage_paths([str(READING / name)], profile=profile, options=Options(offline=True)).results[0].inquiry
    return to_contract(inquiry), inquiry.draft


@pytest.mark.parametrize("name, lang", [
    ("r01-ddp-amazon-en.eml", "en"), ("r02-numbered-es.eml", "es"), ("r03-amiable-pt.eml", "pt"),
    ("r04-thread-samples-fr.eml", "fr"), ("r05-closing-de.eml", "de"), ("r06-eac-ru.eml", "ru"),
    ("r07-saso-ar.eml", "ar"), ("r08-port-klang-zh.eml", "zh"), ("r09-chat-ng-en.txt", "en"),
    ("r10-thread-discount-en.eml", "en"),
])
def test_each_draft_is_in_the_buyer_language_with_no_template_text(name, lang):
    _, draft = _read(name)
    assert draft.language == lang
    assert "{" not in draft.body and "}" not in draft.body and "[" not in draft.body


def test_a_price_agreed_with_a_decimal_comma_is_kept_on_closing():
    record, draft = _read("r05-closing-de.eml")  # "zum vereinbarten Preis von USD 1,05 FOB Ningbo"
    assert "8.000 Stück zu USD 1,05/Stück = USD 8.400,00" in draft.body
    assert "1,30" not in draft.body
    assert "<<to fill: proforma invoice number>>" in draft.body  # a closing draft
    assert 'answer to "Wann wäre der früheste Verladetermin?"' not in draft.body  # the loading date is answered


def test_russian_and_arabic_names_of_our_products_are_matched():
    record, draft = _read("r06-eac-ru.eml")
    assert {p["sku"] for p in record["request"]["products"]} == {"BL-EU16", "BL-EXT"}
    assert "10 000 шт." in draft.body and "2 000 шт." in draft.body  # an offer, not "not in our range"
    record, draft = _read("r07-saso-ar.eml")
    assert [p["sku"] for p in record["request"]["products"]] == ["BL-UK13"]
    assert record["request"]["quantity"] == {"value": 5000, "unit": "pcs"}  # 5000 قطعة
    assert "CFR Dammam" in draft.body and "SASO" in draft.body


def test_a_ddp_price_to_the_buyers_3pl_names_the_place_and_the_part_container():
    record, draft = _read("r01-ddp-amazon-en.eml")  # "DDP our 3PL in Houston, TX", 3,600 pcs
    assert record["request"]["destination"] == "Houston"
    assert "your port" not in draft.body and "DDP Houston" in draft.body
    # 3,600 pcs fill no container the profile has a rate for: no LCL share is invented, the DDP part is to fill
    assert "LCL" not in draft.body and "<<to fill: DDP Houston: freight to Houston, duties and taxes" in draft.body
    assert "FOB Ningbo" in draft.body
    landed = draft.body.split('"What is the landed cost per unit?"')[1].splitlines()[1]
    assert "Lead time" not in landed  # a cost question, not a date one


def test_a_question_answered_only_in_part_keeps_a_marker_for_the_rest():
    _, draft = _read("r08-port-klang-zh.eml")  # MOQ (answered) and "our brand packaging?" (the salesperson's)
    line = next(ln for ln in draft.body.splitlines() if ln.startswith("起订量"))
    assert "<<to fill:" in line


def test_a_buyer_who_tested_the_samples_and_orders_gets_a_closing_draft():
    record, draft = _read("r04-thread-samples-fr.eml")
    assert record["request"]["quantity"] == {"value": 3000, "unit": "pcs"}  # "3 000 couvercles"
    assert "USD 2,10/pièce" in draft.body  # the price offered in the thread
    assert "<<to fill: proforma invoice number>>" in draft.body
    assert "chantillon" not in draft.body.split("Vos questions")[0]  # no samples offered again


def test_every_numbered_question_is_answered_from_the_profile():
    _, draft = _read("r02-numbered-es.eml")
    for n in range(1, 5):
        assert f"\n{n}. \"" in draft.body
    assert "<<to fill: answer to" not in draft.body


def test_a_chat_lead_gets_a_chat_reply_answering_its_points():
    _, draft = _read("r09-chat-ng-en.txt")
    assert '"What is the MOQ for the socket?" – MOQ:' in draft.body
    assert '"Do you have SONCAP?" – SONCAP: we do not hold SONCAP' in draft.body  # a mark asked by name
    assert "Dear" not in draft.body and len(draft.body.splitlines()) < 12


def test_a_discount_asked_in_a_thread_is_left_to_the_salesperson():
    _, draft = _read("r10-thread-discount-en.eml")
    assert 'answer to "At that volume can you improve on the 1.32?"' in draft.body
    assert "UKCA: we do not hold UKCA" in draft.body


@pytest.mark.parametrize("name, returned", [
    ("r21-salam-kano-en.eml", "Wa alaikum assalam,"),  # an English mail from Kano opening "Assalamu alaikum"
    ("r22-salam-kw-ar.eml", "وعليكم السلام ورحمة الله وبركاته،"),  # "السلام عليكم ورحمة الله" from Kuwait
])
def test_a_greeting_of_faith_is_returned_in_the_replys_language(name, returned):
    _, draft = _read(name)
    assert draft.body.splitlines()[1] == returned  # under the form of address, as an Arabic letter has it
    assert draft.body.count(returned) == 1


def test_a_buyer_who_opens_with_no_such_greeting_gets_none_returned():
    _, draft = _read("r10-thread-discount-en.eml")
    assert "alaikum" not in draft.body.lower() and "السلام" not in draft.body


@pytest.mark.parametrize("name, goods, others", [
    # samples by 15 Dec, a board meeting on 22 Dec, the offer before 18 Dec; the goods by 26 Feb
    ("r23-dates-ke-en.eml", "26 February", ("15 December", "18 December", "22 December")),
    # "as amostras até 14 de dezembro e a vossa proposta até 21 de dezembro"; the goods by 10 March
    ("r24-datas-pt-pt.eml", "10 de março", ("14 de dezembro", "21 de dezembro")),
])
def test_the_date_a_draft_meets_is_the_goods_date_not_the_samples_or_the_offers(name, goods, others):
    _, draft = _read(name)
    dated = [ln for ln in draft.body.splitlines() if goods in ln]
    assert dated and "too close" not in dated[0]
    ours = [ln for ln in draft.body.splitlines() if '"' not in ln and "valid" not in ln.lower()]  # not the buyer's
    assert not any(d in ln for d in others for ln in ours)  # words echoed, nor the offer's own validity date


def test_a_certificate_the_company_holds_is_never_denied_when_no_product_is_named():
    _, draft = _read("r25-certs-no-product-es.eml")  # the demo seller holds CE and RoHS; no catalogue product named
    assert "todavía no tenemos CE" not in draft.body and "todavía no tenemos RoHS" not in draft.body
    assert "CE: sí, nuestros productos tienen CE." in draft.body


def test_a_date_at_the_buyers_door_counts_the_sea_transit_when_no_freight_is_priced():
    # DDP Houston by 20 February with no freight figure: the offer stands FOB, yet the date still counts
    # the profile's 32 days to the US Gulf, not only the goods ready to ship
    _, draft = _read("r01-ddp-amazon-en.eml")
    line = next(ln for ln in draft.body.splitlines() if "20 February" in ln)
    assert "with you" in line and "ready to ship" not in line
