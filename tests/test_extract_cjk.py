"""Chinese, Japanese and Korean inquiries: quantities, trade terms, products, samples and certificates
read next to text that puts no space between words.

tests/learning/cjk/ holds real messages written for this test (none of ../shared/inquiries): a Dubai
trader writing simplified Chinese, a Taipei distributor in traditional Chinese, an Osaka buyer in
Japanese, a Busan buyer in Korean and a WeChat chat pasted as text. Each names products of the demo
catalogue in its own language (the profile's aliases), and each must come out genuine with its facts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from triage import request, terms
from triage.pipeline import Options, read_path, triage_paths
from triage.products import catalogue
from triage.profile import demo_profile_path, load_profile

CJK = Path(__file__).parent / "learning" / "cjk"


@pytest.fixture(scope="module")
def demo():
    return load_profile(demo_profile_path())


@pytest.mark.parametrize("text, value, unit", [
    ("数量约3000个。", 3000, "pcs"),
    ("想询价USB充电插座，3000个", 3000, "pcs"),
    ("约5000pcs插座", 5000, "pcs"),
    ("1万个", 10000, "pcs"),
    ("數量約1.2萬個", 12000, "pcs"),
    ("500套", 500, "sets"),
    ("1,000台", 1000, "pcs"),
    ("采购数量：5000", 5000, "pcs"),
    ("数量3000左右，FOB宁波", 3000, "pcs"),
    ("5000ピースの見積もり", 5000, "pcs"),
    ("数量は3000個です", 3000, "pcs"),
    ("수량 3000개", 3000, "pcs"),
    ("3만개 견적", 30000, "pcs"),
    ("Quantity: 3000, FOB Ningbo", 3000, "pcs"),
    ("3000pcs", 3000, "pcs"),
])
def test_quantities_next_to_cjk_text(text, value, unit):
    found = request.quantity(text)
    assert found is not None and (found.value, found.unit) == (value, unit), text


@pytest.mark.parametrize("text", ["交货期3个月", "我们有10个人", "the 21st of May", "noise below 50db",
                                  "起订量500个吗？", "3ヶ月以内"])
def test_no_quantity_where_none_is_asked(text):
    assert request.quantity(text) is None, text


@pytest.mark.parametrize("text, term", [("请报FOB宁波价格", "FOB"), ("报价CIF迪拜", "CIF"), ("EXW價格", "EXW"),
                                        ("条件はFOB寧波で", "FOB"), ("DDP价格", "DDP"), ("FOB 닝보 가격", "FOB")])
def test_incoterms_next_to_cjk_text(text, term):
    assert terms.incoterm(text) == term


def test_no_incoterm_inside_a_latin_word():
    assert terms.incoterm("FOBIA and CIFRA") is None and terms.incoterm("XFOB") is None


def test_samples_and_certificates_next_to_cjk_text():
    assert request.sample_requested("能不能先寄两个样品") and request.sample_requested("請提供樣品費用")
    assert request.certifications("如果有CE和SASO认证请一起发过来") == ["CE", "SASO"]


@pytest.mark.parametrize("text, skus", [
    ("想询价USB充电插座和墙壁开关", ["BL-USB", "BL-SW1"]),
    ("需要LED筒灯2000只和调光开关", ["BL-DL6", "BL-DIM"]),
    ("我們想詢價英規插座及調光器", ["BL-UK13", "BL-DIM"]),
    ("请报价接线盒", ["BL-JB"]),
    ("ダウンライトとスイッチの見積もり", ["BL-DL6", "BL-SW1"]),
    ("멀티탭 견적 부탁드립니다", ["BL-EXT"]),
    ("空气开关和断路器", []),  # breakers: the wall switch's alias '墙壁开关' is no single '开关'
])
def test_products_named_in_chinese_japanese_korean(demo, text, skus):
    assert [m.sku for m in catalogue(demo).match(text)] == skus


EXPECTED = {  # file: (products, quantity, unit, incoterm)
    "zh-dubai-junction-boxes.eml": ({"BL-JB", "BL-DL6"}, 2000, "pcs", "CIF"),
    "zh-hant-taipei-dimmers.eml": ({"BL-UK13", "BL-DIM"}, 12000, "pcs", "EXW"),
    "ja-osaka-downlights.eml": ({"BL-DL6", "BL-DIM"}, 2500, "pcs", "FOB"),
    "ko-busan-power-strips.eml": ({"BL-EXT"}, 3000, "pcs", "FOB"),
    "zh-wechat-usb-sockets.txt": ({"BL-USB", "BL-SW1"}, 13000, "pcs", "FOB"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cjk_inquiries_are_read_and_genuine(demo, name):
    products, value, unit, term = EXPECTED[name]
    (inquiry,) = read_path(CJK / name, demo)
    assert {m.sku for m in inquiry.products} == products
    assert (inquiry.quantity.value, inquiry.quantity.unit) == (value, unit)
    assert inquiry.incoterm == term
    (result,) = triage_paths([str(CJK / name)], profile=demo,
                             options=Options(offline=True, today=date(2026, 11, 23))).results
    assert result.record["category"] == "genuine", result.record["verdict"]
