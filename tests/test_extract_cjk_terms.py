"""Chinese, Japanese and Korean destinations and dates, and the quantity scale words, read from the
extraction lexicon (playbooks/extract.toml: [destination], [cjk_dates], [scales]).

tests/learning/cjk_terms/ holds real messages written for this test (base64 UTF-8 bodies and RFC 2047
headers, as such mail is sent): a Hamburg wholesaler in simplified Chinese ('运到汉堡港', '3月15日前交货'),
a Dubai trader in traditional Chinese ('目的港：迪拜', '2027年2月20日前到貨'), a Hamburg lighting trader
in Japanese ('仕向地：ハンブルク', '3月15日までに') and a Busan distributor in Korean ('목적항: 함부르크',
'납기 3월 15일'). Each is dated December 2026, so the March dates are next year's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from triage import dates, request, terms
from triage.errors import DataFileError
from triage.pipeline import read_path
from triage.profile import demo_profile_path, load_profile

TERMS = Path(__file__).parent / "learning" / "cjk_terms"
TODAY = date(2026, 12, 7)


@pytest.fixture(scope="module")
def demo():
    return load_profile(demo_profile_path())


@pytest.mark.parametrize("name, place, due, quantity", [
    ("zh-hamburg-sockets.eml", "汉堡", date(2027, 3, 15), 3000),
    ("zh-hant-dubai-switches.eml", "迪拜", date(2027, 2, 20), 2000),
    ("ja-hamburg-downlights.eml", "ハンブルク", date(2027, 3, 15), 1500),
    ("ko-hamburg-power-strips.eml", "함부르크", date(2027, 3, 15), 2000),
])
def test_destination_and_deadline_of_real_cjk_mail(demo, name, place, due, quantity):
    (inquiry,) = read_path(TERMS / name, demo)
    assert inquiry.destination == place
    assert inquiry.deadline == due
    assert inquiry.incoterm == "CIF"
    assert inquiry.quantity.value == quantity


@pytest.mark.parametrize("text, place", [
    ("运到汉堡", "汉堡"),
    ("目的港：汉堡，数量3000个", "汉堡"),
    ("请报CIF汉堡价格", "汉堡"),
    ("运到香港的价格", "香港"),  # '港' ends a place only from its third character on
    ("发往迪拜港，谢谢", "迪拜"),
    ("仕向地：ハンブルク", "ハンブルク"),
    ("목적항: 함부르크", "함부르크"),
    ("CIF Lagos, 运到汉堡", "Lagos"),  # the Latin 'CIF Lagos' is read first
])
def test_cjk_destinations(text, place):
    assert terms.destination(text) == place


@pytest.mark.parametrize("text", ["请报FOB宁波价格", "CIF价格请告知", "我们在汉堡", "价格运到"])
def test_no_cjk_destination_where_none_is_named(text):
    assert terms.destination(text) is None


@pytest.mark.parametrize("text, due", [
    ("3月15日前交货", date(2027, 3, 15)),
    ("2027年4月1日交货", date(2027, 4, 1)),
    ("交期：1月20号", date(2027, 1, 20)),
    ("3月15日までに納品", date(2027, 3, 15)),
    ("납기 3월 15일", date(2027, 3, 15)),
    ("2027년 2월 1일까지", date(2027, 2, 1)),
])
def test_cjk_dates(text, due):
    assert dates.deadline(text, TODAY) == due


@pytest.mark.parametrize("text", ["3个月内交货", "13月40日", "3개월 이내"])
def test_no_cjk_date_where_none_is_written(text):
    assert dates.deadline(text, TODAY) is None


@pytest.mark.parametrize("text, value", [
    ("20k pcs", 20000), ("1,5 mil unidades", 1500), ("2 lakh pieces", 200000), ("3 million units", 3000000),
    ("我们需要1万只插座", 10000), ("數量約1.2萬個", 12000), ("수량 3만 개", 30000),
])
def test_scale_words_from_the_lexicon(text, value):
    assert request.quantity(text).value == value


def test_a_users_scale_word_is_added_and_a_bad_factor_is_refused(tmp_path, monkeypatch):
    assert request.quantity("3 lacs pcs") is None  # not a shipped scale word
    home = tmp_path / "home"
    home.mkdir()
    (home / "extract.toml").write_text('[scales]\n100000 = ["lacs"]\n', encoding="utf-8")
    monkeypatch.setenv("TRIAGE_HOME", str(home))
    assert request.quantity("3 lacs pcs").value == 300000
    assert request.quantity("20k pcs").value == 20000  # the shipped words stay
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "extract.toml").write_text('[scales]\n1 = ["each"]\n', encoding="utf-8")
    monkeypatch.setenv("TRIAGE_HOME", str(bad))
    with pytest.raises(DataFileError, match=r"extract\.toml: \[scales\]"):
        request.quantity("3 each pcs")
