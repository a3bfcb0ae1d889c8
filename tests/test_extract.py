"""Extraction on real sample inquiries and on the request readers' edge cases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import INQUIRIES, needs_shared
from triage import dates, request
from triage.inputs import items
from triage.pipeline import read_inquiry
from triage.products import catalogue
from triage.profile import load_profile

PROFILE = load_profile()


def inquiry(name: str):
    return read_inquiry(next(items([str(INQUIRIES / name)])), PROFILE)


@needs_shared(INQUIRIES)
def test_outlook_rfq_fields():
    i = inquiry("d001.eml")
    assert (i.contact_name, i.contact_title) == ("Rick Dawson", "Director of Purchasing")
    assert i.company_name == "Brazos Gulf Electric Supply, Inc."
    assert (i.country, i.country_source) == ("US", "signature")
    assert [p.sku for p in i.products] == ["BL-GFCI", "BL-WRC"]
    assert (i.quantity.value, i.quantity.unit) == (16000, "pcs")
    assert i.deadline == date(2026, 11, 6)  # "by Friday 11/6", from the Date header
    assert i.incoterm == "FOB" and i.certifications == ["UL"]
    assert "+17135550148" in i.phones and i.website == "www.brazosgulf-elec.com"
    assert i.language == "en"


@needs_shared(INQUIRIES)
def test_platform_inquiry_facts_come_from_its_fields():
    i = inquiry("d014.txt")
    assert i.sender_email is None
    assert i.company_name == "Hung Phat Trading Co., Ltd" and (i.country, i.country_source) == ("VN", "platform")
    assert [p.sku for p in i.products] == ["BL-EXT"] and i.quantity.value == 1000


@needs_shared(INQUIRIES)
def test_spanish_mail_products_by_local_names():
    i = inquiry("d013.eml")
    assert {p.sku for p in i.products} >= {"BL-DR15", "BL-SW1"}
    assert i.quantity.value == 25000  # "En total alrededor de 25,000 piezas"
    assert i.country == "MX" and i.language == "es"


def test_catalogue_prefers_the_longer_phrase():
    skus = [m.sku for m in catalogue(PROFILE).match("Quote 1000 stainless steel wall plates, 1 gang")]
    assert skus == ["BL-WPS"]
    assert [m.sku for m in catalogue(PROFILE).match("We need BL-AU10 and dimmer swiches")] == ["BL-AU10", "BL-DIM"]


@pytest.mark.parametrize("text, value, unit", [
    ("1) GFCI - 12,000 pcs\n2) in-use cover - 4,000 pcs", 16000, "pcs"),
    ("Volumes: 5,000 single / 3,000 twin", 8000, "pcs"),
    ("1x40HQ mixed, CIF Mombasa", 1, "containers"),
    ("- 1-gang: 8,000 pcs\n- 2-gang: 16,000 pcs\n24,000 pcs in total.", 24000, "pcs"),
    ("pedido de 3.000 unidades", 3000, "pcs"),
    ("our MOQ question: is 1,000 pcs ok? we order 500 pcs", 500, "pcs"),
    ("prises 15 A : environ 3 000 unités\nprises USB : environ 2 000 unités", 5000, "pcs"),  # French, space-grouped
    ("bestelling: 1.200 stuks", 1200, "pcs"),
    ("розетки 2000 шт", 2000, "pcs"),
    ("priz 750 adet", 750, "pcs"),
])
def test_quantity(text, value, unit):
    q = request.quantity(text)
    assert (q.value, q.unit) == (value, unit)


@pytest.mark.parametrize("text, value, unit", [
    ("Item\tDescription\tUnit\tQty\n1\tSocket\tNos\t1,240\n2\tDownlight\tNos\t860\n\tTotal\t\t2,100\t\n", 2100, "pcs"),
    ("| Item | Qty |\n|---|---|\n| GFCI | 1,200 |\n| USB | 300 |\n\nThanks", 1500, "pcs"),
    ("Producto\tCantidad\tUnidad\nEnchufe\t500\tjuegos\nPlaca\t200\tjuegos", 700, "sets"),
    ("Item\tQty\nCover\t40\nTotal protection kit\t10", 50, "pcs"),  # a product named 'Total ...' is a row
])
def test_quantity_from_a_table_column(text, value, unit):
    q = request.quantity(text)
    assert (q.value, q.unit) == (value, unit)


def test_a_quantity_in_the_text_wins_over_a_table():
    text = "We need 5,000 pcs in total.\nItem\tQty\nSocket\t3,000\nPlate\t2,000"
    assert request.quantity(text).value == 5000
    assert request.quantity("Name\tPhone\nAnna\t555 0100") is None  # no quantity column, no quantity


@needs_shared(INQUIRIES)
def test_boq_extract_total_row():
    assert inquiry("d049.eml").quantity.value == 7650  # a contractor's BOQ table with a Total row


@pytest.mark.parametrize("text, expected", [
    ("I need the price by Friday 11/6.", date(2026, 11, 6)),
    ("Loading latest 15 Dec", date(2026, 12, 15)),
    ("necesito tenerlos antes del 15 de enero", date(2027, 1, 15)),
    ("Lieferung bis KW 50", date(2026, 12, 11)),
    ("offer within the next two weeks please", date(2026, 11, 16)),
    ("stock in our warehouse by the end of February", date(2027, 2, 28)),
    ("cable 2.5 mm2, no date here", None),
])
def test_deadline_resolved_against_the_message_date(text, expected):
    assert dates.deadline(text, date(2026, 11, 2)) == expected


def test_certifications_required_not_optional():
    assert request.certifications("Must be UL listed and cUL. ISO 9001 would be an advantage.") == ["UL", "cUL"]
    assert request.certifications("We want to reach the minimum order") == []
    assert request.certifications("KC certification is must. CE/RoHS too") == ["KC", "CE", "RoHS"]


@pytest.mark.parametrize("text", ["Please send 2 set of samples by courier", "pay within 30 days net",
                                  "the goods went out 3 weeks ago"])
def test_no_deadline_from_everyday_words_or_payment_terms(text):
    assert dates.deadline(text, date(2026, 11, 20)) is None


@pytest.mark.parametrize("address, domain", [
    ("biuro@elmax.lublin.pl", "elmax.lublin.pl"),  # a Polish regional name: the company's own
    ("sales@acme-lighting.wixsite.com", "acme-lighting.wixsite.com"),
    ("info@mail.acme.co.uk", "acme.co.uk"),
])
def test_the_sender_domain_is_the_one_enrich_looks_up(tmp_path, address, domain):
    from triage.enrich import analyse_domains
    from triage.hostnames import registrable

    eml = tmp_path / "rfq.eml"
    eml.write_bytes((f"From: Jan Kowalski <{address}>\nTo: sales@example.cn\nSubject: RFQ sockets\n"
                     "Date: Mon, 02 Nov 2026 10:00:00 +0100\nMessage-ID: <a1@x>\n\n"
                     "Please quote 2,000 pcs of wall sockets FOB Ningbo.\n").encode())
    i = read_inquiry(next(items([str(eml)])), PROFILE)
    assert i.sender_domain == domain == registrable(address.split("@")[1])
    assert analyse_domains(i)["registrable"] == domain


def test_arabic_questions_end_with_the_arabic_question_mark():
    """'؟' ends a question as '?' and '？' do (tests/draft_reading/r07: a Saudi buyer asks two)."""
    path = Path(__file__).parent / "draft_reading" / "r07-saso-ar.eml"
    i = read_inquiry(next(items([str(path)])), PROFILE)
    assert len(i.questions) == 2 and all(q.endswith("؟") for q in i.questions)
    assert request.questions("هل لديكم شهادة SASO؟ شكرا.") == ["هل لديكم شهادة SASO؟"]


@pytest.mark.parametrize(("text", "skus"), [
    ("Trebam ponudu za 4.000 kom šuko utičnica 16A, podžbukne, bijele.", ["BL-EU16"]),  # Croatian
    ("Tarvitsemme 5 000 kpl Schuko-pistorasioita... anteeksi: Schuko-pistorasia 16A, valkoinen.", ["BL-EU16"]),
    ("Poptávka: schuko zásuvky 16A, 2 000 ks, a USB zásuvka 500 ks.", ["BL-EU16", "BL-USB"]),  # Czech
    ("Vi söker infällda schuko-uttag, ca 3 000 st.", ["BL-EU16"]),  # Swedish
])
def test_a_product_named_in_the_buyers_own_word_for_its_kind(text, skus):
    assert [m.sku for m in catalogue(PROFILE).match(text)] == skus


def test_an_alias_in_the_buyers_words_keeps_its_text_and_a_common_word_names_nothing():
    found = catalogue(PROFILE).match("Wir brauchen 5.000 Schuko-Steckdosen, Unterputz.")
    assert [(m.sku, m.text) for m in found] == [("BL-EU16", "Schuko-Steckdose")]
    assert catalogue(PROFILE).match("Merci pour la prise de contact et la prise de commande rapide.") == []
    # noun first, as many languages write it: the catalogue's 'gniazdo schuko' in Dutch or Czech words
    assert [m.sku for m in catalogue(PROFILE).match("een wandcontactdoos (schuko) inbouw, wit")] == ["BL-EU16"]
    assert [m.sku for m in catalogue(PROFILE).match("zásuvka schuko 16A bílá, 2 000 ks")] == ["BL-EU16"]


@pytest.mark.parametrize(("text", "value"), [
    ("Chúng tôi cần 1.800 cái ổ cắm USB, giao trước Tết.", 1800),  # Vietnamese
    ("Potrebno nam je 6.000 komada utičnica 16A.", 6000),  # Serbian / Croatian
    ("Kérünk árajánlatot 2 500 darab dimmerre.", 2500),  # Hungarian
    ("Χρειαζόμαστε 4.000 τεμάχια πρίζες σούκο.", 4000),  # Greek
    ("אנחנו צריכים 1,200 יחידות של שקעי USB", 1200),  # Hebrew
])
def test_quantity_in_the_buyers_own_unit_word(text, value):
    found = request.quantity(text)
    assert (found.value, found.unit) == (value, "pcs")
