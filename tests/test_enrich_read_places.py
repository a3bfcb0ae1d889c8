"""The site reader on how many places a company has, and on years and counts in words or other
scripts: the saved pages of bench sites (bench/sites/s21-*, d20-*), served from loopback and read
through enrich()."""

from __future__ import annotations

from pathlib import Path

from sites.helpers import FakeResolver, inquiry, local_fetcher, serve
from triage.enrich import enrich

SITES = Path(__file__).resolve().parents[1] / "bench" / "sites"


def _read(server, folder: str, host: str) -> dict:
    for page in (SITES / folder).glob("*.html"):
        path = "/" if page.stem == "index" else f"/{page.stem}"
        serve(server, host, path, page.read_bytes())
        serve(server, host, f"/{page.name}", page.read_bytes())
    return enrich(inquiry(f"info@{host}"), fetcher=local_fetcher(server, host), resolver=FakeResolver())["site"]


def test_a_company_that_works_from_its_only_place_has_one(httpserver):
    site = _read(httpserver, "s21-pruefdienst-donau", "ulmer-pruefdienst.de")
    assert site["branches"] == 1  # "von unserem einzigen Standort in Ulm aus", not "Ulm, Schwaben" = 2
    assert "einzigen standort" in site["evidence"]["branches"]["term"]


def test_a_shop_that_denies_having_shops_has_one_place(httpserver):
    site = _read(httpserver, "s21-swiatlo-online", "swiatlo-online.pl")
    assert site["branches"] == 1  # "Nie mamy sklepów stacjonarnych"
    assert site["business_type"] == "ecommerce_seller"  # the "sklep" of "sklep internetowy" is no shop


def test_the_head_office_before_a_count_of_branches_is_one_more(httpserver):
    site = _read(httpserver, "s21-ferreteria-matriz-sur", "distribuidoramatrizsur.cl")
    assert site["branches"] == 7  # "casa matriz en Temuco y 6 sucursales"
    assert site["founded"] == 1987  # "fundada en mil novecientos ochenta y siete"


def test_arabic_indic_digits_and_a_head_office_with_branches(httpserver):
    site = _read(httpserver, "s21-tarkib-contracting", "tarkib-contracting.com.eg")
    assert (site["founded"], site["staff"], site["branches"]) == (2003, 140, 4)


def test_a_dutch_our_is_not_the_french_eleven(httpserver):
    site = _read(httpserver, "s21-lampenwinkel-zwolle", "lampenwinkel-zwolle.nl")
    assert (site["staff"], site["branches"]) == (20, 3)


def test_a_year_said_in_words_and_an_odd_headcount(httpserver):
    site = _read(httpserver, "s21-waikato-sparks", "waikatosparks.co.nz")
    assert (site["founded"], site["staff"], site["branches"]) == (1988, 30, 1)


def test_a_testing_service_is_no_contractor(httpserver):
    site = _read(httpserver, "d20-shannon-electrical-testing", "shannontesting.ie")
    assert site["business_type"] == "service"
    assert (site["founded"], site["branches"]) == (1995, 1)  # "in nineteen ninety-five", "our one base in Athlone"


def test_a_story_told_from_its_year_to_today_gives_the_founding(httpserver):
    site = _read(httpserver, "s21-quadri-ferri", "quadriferri.it")
    assert (site["founded"], site["staff"]) == (1998, 31)  # "Nel 1998 ... hanno rilevato", "Oggi siamo 31 persone"
    assert site["evidence"]["founded"]["phrase"].startswith("Nel 1998")


def test_a_russian_address_in_a_footer_line_of_parts_gives_the_country(httpserver):
    site = _read(httpserver, "s21-uralsvet-montazh", "uralsvet-montazh.com")
    assert site["country"] == "RU"  # "ООО ... · ИНН ... · 620014, Свердловская обл., г. Екатеринбург ..."
    assert any("Свердловская обл" in e["phrase"] for e in site["evidence"]["country"])
