"""What Salesperson B does that a quick reply does not: greets a Chinese buyer by family name and title,
does not ask who decides when the buyer said it, prices a container order at the break its pieces reach,
reads a monthly or yearly need apart from the order, and reads a chat from the record, not the file.
Real inputs: tests/draft_inputs/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from triage import templating
from triage.names import greets_reader, person, signed_name
from triage.pipeline import Options, triage_paths
from triage.profile import demo_profile_path, load_profile
from triage.quote import price_breaks
from triage.request import container_share, quantity, volume
from triage.store import Store

INPUTS = Path(__file__).parent / "draft_inputs"


def _result(path: Path, store=None):
    profile = load_profile(demo_profile_path())
    return triage_paths([str(path)], profile=profile, options=Options(offline=True), store=store).results[0]


def _gap_lines(body: str, lang: str) -> list[str]:
    heading = templating.phrases(templating.default_environment(), lang)["gaps"]["heading"]
    if heading not in body:
        return []
    return [ln for ln in body.split(heading, 1)[1].split("\n\n")[0].splitlines() if ln.startswith("- ")]


# -- Chinese forms of address ---------------------------------------------------------------------


@pytest.mark.parametrize("name, title, text, last, honorific", [
    ("陈伟明", "", "谢谢！\n陈伟明\n采购经理", "陈", "经理"),  # the title under the name in the signature
    ("王建国", "", "陈经理，您好！\n请报价。\n\n王总\n宏达电气\n总经理", "王", "总"),  # signs as 王总
    ("李先生", "", "", "李", "先生"),
    ("张女士", "", "", "张", "女士"),
    ("欧阳娜娜", "Purchasing Manager", "", "欧阳", "经理"),  # a compound family name; an English title
    ("刘洋", "", "", "刘", ""),  # nothing tells: the full name, no title
])
def test_a_chinese_name_gives_the_family_name_and_the_title(name, title, text, last, honorific):
    found = person(name, title, "zh", text=text)
    assert (found["last_name"], found["honorific"]) == (last, honorific)


def test_a_japanese_name_in_kanji_is_not_read_the_chinese_way():
    assert person("森下健太", "", "en", "JP")["honorific"] == ""


def test_the_name_the_mail_greets_is_the_reader_not_the_writer():
    assert greets_reader("陈经理", "陈经理，您好！\n请报价。")
    assert not greets_reader("陈经理", "您好，\n我是陈经理。")
    assert signed_name("李经理，您好！\n请报价。\n\n张女士\n嘉禾贸易") == "张女士"


def test_a_chinese_buyer_is_greeted_by_family_name_and_title():
    body = _result(INPUTS / "zh-signed-title.eml").inquiry.draft.body
    assert body.startswith("尊敬的王总，您好！")  # signed 王总 / 总经理, in a mail from 王建国
    assert "陈经理" not in body.splitlines()[0]  # the salesperson the mail greets is not the buyer


def test_the_salesperson_the_mail_greets_is_not_taken_for_the_buyer():
    body = _result(INPUTS / "zh-header-names-nobody.eml").inquiry.draft.body
    assert body.startswith("尊敬的张女士，您好！")  # the signature, not "李经理" the mail opens with


# -- authority: not asked when the buyer said it ------------------------------------------------------


def test_who_decides_is_not_asked_of_a_buyer_who_said_it():
    t = templating.phrases(templating.default_environment(), "en")
    body = _result(INPUTS / "authority-stated-en.eml").inquiry.draft.body
    assert t["gaps"]["authority"] not in body  # "I am the purchasing manager and decide on suppliers"


def test_who_decides_is_not_asked_of_a_general_manager():
    t = templating.phrases(templating.default_environment(), "zh")
    body = _result(INPUTS / "zh-signed-title.eml").inquiry.draft.body
    assert t["gaps"]["authority"] not in body


def test_who_decides_is_still_asked_when_nobody_said_it():
    from triage.draft import gaps

    record = {"request": {"quantity": {"value": 5000, "unit": "pcs"}, "incoterm": "FOB"},
              "scores": {"authority": 20, "need": 80, "money": 60}, "contact": {}}
    assert "authority" in gaps(record, [], None, "Please quote 5000 pcs FOB Ningbo.")
    assert "authority" not in gaps(record, [], None, "Please quote 5000 pcs. Our MD will sign off on the order.")
    assert "authority" not in gaps(record, [], None, "Cotice 5000 piezas FOB. La decisión es mía.")


# -- a container order ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text, count, share", [
    ("Please quote one 40HQ of sockets", 1, 1.0),
    ("Please quote 1x20GP of BL-UK13", 1, 0.43),
    ("a full container please, FOB Ningbo", 1, 1.0),
    ("现需要一个40HQ，FOB宁波", 1, 1.0),
    ("two 40ft containers of sockets", 2, 0.88),
])
def test_a_container_written_in_words_is_the_order(text, count, share):
    found = quantity(text)
    assert (found.value, found.unit) == (count, "containers")
    assert container_share(text) == share


def test_a_container_order_is_priced_at_the_break_its_pieces_reach():
    inquiry = _result(INPUTS / "container-40hq-en.eml").inquiry
    profile = load_profile(demo_profile_path())
    pieces = int(profile.terms["container_pcs"])  # the profile's load of a 40'HQ (no packing per product)
    breaks = {b["qty"]: b["price"] for b in price_breaks(profile.product("BL-UK13"))}
    at = max(q for q in breaks if q <= pieces)
    line = next(ln for ln in inquiry.draft.body.splitlines() if ln.startswith("- BL-UK13"))
    assert f"{pieces:,} pcs" in line and f"USD {breaks[at]:.2f}/pc" in line
    assert f"USD {breaks[min(breaks)]:.2f}/pc" not in line  # not the MOQ price


def test_a_container_with_no_packing_known_is_marked_to_fill():
    from triage.quote import build_quote

    profile = load_profile(demo_profile_path())
    profile.terms["container_pcs"] = 0
    product = profile.product("BL-UK13")
    view = {"sku": product.sku, "name": product.name, "asked": "", "moq": product.moq, "unit": "pcs",
            "breaks": price_breaks(product), "pcs_per_40hq": 0}
    quote = build_quote({"quantity": {"value": 1, "unit": "containers"}}, [view], profile, text="one 40HQ")
    assert any("pieces per 40'HQ" in item for item in quote["to_fill"])
    assert quote["lines"][0]["qty"] is None  # left at MOQ, not an invented count


# -- a monthly or yearly need -------------------------------------------------------------------------


@pytest.mark.parametrize("text, order, need, period", [
    ("We need 5,000 pcs now, about 3,000 pcs a month after that.", 5000, 3000, "month"),
    ("annual need 40k, first order 8000 pcs", 8000, 40000, "year"),
    ("Wir brauchen jährlich ca. 20.000 Stück, Erstbestellung 2.000 Stück.", 2000, 20000, "year"),
    ("necesitamos 500 unidades por mes", None, 500, "month"),
    ("年需求量5万只，首批3000只", 3000, 50000, "year"),
])
def test_a_need_over_a_period_is_read_apart_from_the_order(text, order, need, period):
    found = quantity(text)
    assert (found.value if found else None) == order
    v = volume(text)
    assert (v.value, v.period) == (need, period)


def test_no_need_is_read_where_none_is_stated():
    assert volume("Please quote 2000 pcs. We buy annually. Lead time?") is None


def test_the_draft_prices_the_first_order_and_names_the_yearly_need():
    inquiry = _result(INPUTS / "volume-de.eml").inquiry
    from triage.contract import to_contract

    record = to_contract(inquiry)
    assert record["request"]["quantity"] == {"value": 4000, "unit": "pcs"}
    assert record["request"]["volume"] == {"value": 20000, "unit": "pcs", "period": "year"}
    body = inquiry.draft.body
    assert "4.000 Stück zu USD 1,50" in body  # the first order at its own break
    profile = load_profile(demo_profile_path())
    breaks = {b["qty"]: b["price"] for b in price_breaks(profile.product("BL-UK13"))}
    yearly = breaks[max(q for q in breaks if q <= 20000)]
    assert f"USD {yearly:.2f}".replace(".", ",") in body and "20.000 Stück im Jahr" in body
    t = templating.phrases(templating.default_environment(), "de")
    assert t["gaps"]["volume"] not in body


# -- a chat read from the record ----------------------------------------------------------------------


def test_a_stored_chat_is_read_from_the_record_when_its_file_is_gone(tmp_path):
    from triage.draft import draft_reply

    source = tmp_path / "chat.txt"
    shutil.copy(INPUTS / "chat-settled-pt.txt", source)
    with Store(tmp_path / "triage.db") as store:
        result = _result(source, store=store)
        record = store.get(result.id)
    source.unlink()
    assert record["thread"]["chat"] and any(not t["buyer"] for t in record["thread"]["chat"])
    draft = draft_reply(record, load_profile(demo_profile_path()))
    assert "Qual é o pedido mínimo?" not in draft.body
    assert any(n.startswith("answered in the chat already") for n in draft.notes)


# -- what reading r11..r20 taught ------------------------------------------------------------------------

READING = Path(__file__).parent / "draft_reading"


def test_a_question_is_not_cut_at_an_abbreviation_or_a_thousands_dot():
    from triage.request import questions

    asked = questions("1. Welche Staffelpreise gelten für 8.000 bzw. 50.000 Stück?\n2. Liegt ein Prüfbericht vor?")
    assert asked == ["Welche Staffelpreise gelten für 8.000 bzw. 50.000 Stück?", "Liegt ein Prüfbericht vor?"]


def test_items_listed_under_a_line_that_asks_are_questions():
    from triage.request import questions

    text = ("Pouvez-vous nous indiquer :\na) le prix par pièce\nb) le délai de fabrication\n\nCordialement,")
    assert questions(text) == ["le prix par pièce", "le délai de fabrication"]
    assert questions("Could you quote the following:\n- 5000 pcs BL-UK13\n- 3000 pcs BL-JB") == []  # order lines


def test_lettered_points_without_question_marks_are_answered():
    body = _result(READING / "r14-conteneur-ma-fr.eml").inquiry.draft.body
    assert '"le délai de fabrication"' in body and '"le prix par pièce"' in body


def test_a_yearly_need_is_no_order_line_and_names_its_break():
    body = _result(READING / "r15-grosshandel-at-de.eml").inquiry.draft.body
    assert "8.000 Stück zu" in body and "50.000 Stück zu" not in body
    assert "50.000 Stück im Jahr" in body


def test_a_monthly_use_is_no_hook():
    t = templating.phrases(templating.default_environment(), "en")
    body = _result(READING / "r12-solar-au-en.eml").inquiry.draft.body
    assert t["hook"]["message"].split("{")[0] not in body  # "800 USB outlets a month" is what they use


@pytest.mark.parametrize("name, lang, last, gender", [
    ("Rosa Elena Villarreal Garza", "es", "Villarreal", "f"),  # two first names, two surnames
    ("María José García", "es", "García", "f"),  # a double first name, one surname
    ("Айгерим Сапарова", "ru", "Сапарова", "f"),  # the ending tells
    ("Иван Петров", "ru", "Петров", "m"),
])
def test_surnames_and_genders_a_native_reads(name, lang, last, gender):
    found = person(name, "", lang)
    assert (found["last_name"], found["gender"]) == (last, gender)


def test_eac_written_in_cyrillic_is_eac():
    from triage.request import certifications

    assert certifications("Есть ли сертификат ЕАС?") == ["EAC"]


def test_a_closing_reply_keeps_the_quoted_counts_and_place():
    body = _result(READING / "r19-closing-ke-en.eml").inquiry.draft.body
    assert "6,000 pcs at USD 1.38/pc" in body and "4,000 pcs at USD 0.58/pc" in body
    assert "CIF Mombasa" in body and "below our MOQ" not in body  # our own offer's counts stand


@pytest.mark.parametrize("text, place", [
    ("نحتاج 6000 قطعة، CIF الدمام.", "الدمام"),
    ("السعر CFR ميناء جدة من فضلكم", "جدة"),  # a word for the port before the place
    ("CIF Lagos please", "Lagos"),
])
def test_the_place_after_the_term_in_arabic_script(text, place):
    from triage.terms import destination

    assert destination(text) == place


def test_a_use_per_period_with_words_before_the_unit_is_a_volume():
    found = volume("We go through roughly 800 USB outlets a month across our jobs.")
    assert (found.value, found.period) == (800, "month")
    assert volume("We sell 300 smart plugs and need 2000 pcs now") is None
