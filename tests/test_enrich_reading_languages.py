"""The site reader on phrasings the bench's first sites did not have, served from loopback.

Approximate numerals ("une trentaine"), declined numerals and nouns ("czterdziestu pracowników",
"28 elektryków"), number words that exist in one language only (Turkish "on iki"), a negation
after the verb ("vi tillverkar inte"), a customer named before its marker ("電気工事店さまのための"),
Arabic words with their glued prefixes ("للمقاولات"), CJK addresses without commas and a company
profile table. Each page is a real HTML page on a local HTTP server read through enrich().
"""

from __future__ import annotations

import pytest

from sites.helpers import FakeResolver, inquiry, local_fetcher, serve
from triage.enrich import enrich
from triage.enrich.reading_numbers import number_value


# A home page needs some words, else it reads as a placeholder and no other page is fetched.
FILL = "<p>" + " ".join(["texte", "tekst", "text"] * 15) + "</p>"


def _read(server, host: str, lang: str, pages: dict[str, str]) -> dict:
    pages = {path: body + (FILL if path == "/" else "") for path, body in pages.items()}
    for path, body in pages.items():
        serve(server, host, path, f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                                  f"<title>{host}</title></head><body>{body}</body></html>")
    return enrich(inquiry(f"info@{host}"), fetcher=local_fetcher(server, host), resolver=FakeResolver())["site"]


@pytest.mark.parametrize("text, lang, value", [
    ("une quarantaine", "", 40), ("una ventina", "", 20), ("ein dutzend", "", 12), ("zwei dutzend", "", 24),
    ("decenas", "", 10), ("dutzende", "", 12), ("deux centaines", "", 200), ("czterdziestu", "", 40), ("sześciu", "", 6),
    ("arton", "", 18), ("catorze", "", 14), ("zestig", "", 60), ("восьми", "", 8), ("on iki", "tr", 12),
    ("on", "tr", 10), ("on", "en", None), ("iki yüz elli", "tr", 250), ("مائتي", "", 200),
])
def test_number_words_approximate_declined_and_per_language(text, lang, value):
    assert number_value(text, lang) == value


def test_an_approximate_headcount_is_read_and_marked(httpserver):
    site = _read(httpserver, "electro-savoie.fr", "fr", {
        "/": '<nav><a href="/qui-sommes-nous">Qui sommes-nous</a></nav><h1>Électricité générale</h1>'
             "<p>Entreprise d'électricité générale à Chambéry.</p>",
        "/qui-sommes-nous": "<p>Fondée en 2004, l'entreprise compte une quarantaine de salariés.</p>"})
    assert (site["staff"], site["founded"], site["business_type"]) == (40, 2004, "contractor")
    assert site["evidence"]["staff"]["approximate"] is True
    assert site["evidence"]["staff"]["page"] == "http://electro-savoie.fr/qui-sommes-nous"
    assert site["size_band"] == "small"


def test_the_customers_count_is_not_the_headcount(httpserver):
    site = _read(httpserver, "cable-counter.com", "en", {
        "/": "<h1>Electrical wholesaler</h1><p>We serve 2,000 electricians across the county.</p>"
             "<p>A team of 35 runs our three trade counters.</p>"})
    assert site["staff"] == 35


def test_declined_polish_numerals_and_nouns(httpserver):
    site = _read(httpserver, "elektromont.pl", "pl", {
        "/": '<nav><a href="/o-nas">O nas</a></nav><h1>Wykonujemy instalacje elektryczne</h1>'
             "<p>Projektujemy i wykonujemy instalacji elektrycznych w halach.</p>",
        "/o-nas": "<p>Firma założona w 2006 roku zatrudnia 28 elektryków i działa w sześciu oddziałach.</p>"})
    assert (site["business_type"], site["founded"], site["staff"], site["branches"]) == ("contractor", 2006, 28, 6)


def test_turkish_number_words_count_on_a_turkish_page_only(httpserver):
    tr = _read(httpserver, "anadolu-kablo.com.tr", "tr", {
        "/": "<h1>Kablo üretimi</h1><p>Tesisimizde kablo imal ediyoruz.</p><p>Firmamızda on iki mühendis çalışmaktadır.</p>"})
    assert tr["staff"] == 12 and tr["business_type"] == "manufacturer"
    en = _read(httpserver, "onstaff.com", "en", {
        "/": "<h1>Electrical distributor</h1><p>Authorized distributor with engineers on staff.</p>"})
    assert en["staff"] is None


def test_a_negation_after_the_verb_is_evidence_against(httpserver):
    site = _read(httpserver, "ljusagent.se", "sv", {
        "/": "<h1>Belysning från Europas bästa tillverkare</h1>"
             "<p>Vi är distributör för sju armaturmärken.</p><p>Vi tillverkar inte själva.</p>"})
    assert site["business_type"] == "distributor" and not site["same_trade"]
    assert "manufacturer" in site["evidence"]["business_type_against"]
    german = _read(httpserver, "schaltwerk-ost.de", "de", {
        "/": "<h1>Wir sind Hersteller und keine Händler</h1><p>Hersteller von Schaltern seit 1990.</p>"})
    assert german["business_type"] == "manufacturer"  # "und keine Händler" does not deny "Hersteller"


def test_a_customer_named_before_its_marker_in_japanese(httpserver):
    site = _read(httpserver, "kansai-densetsu.co.jp", "ja", {
        "/": "<h1>電気工事店さまのための電材卸売</h1><p>スイッチ、ケーブルを電気工事店・工務店さまに卸売しております。</p>"})
    assert site["business_type"] == "wholesaler" and site["business_type_tie"] == []


def test_arabic_terms_with_glued_prefixes(httpserver):
    site = _read(httpserver, "nile-power.com.eg", "ar", {
        "/": "<h1>شركة النيل للمقاولات الكهربائية</h1><p>تأسست الشركة عام 1985، ويعمل بها أكثر من مائتي مهندس وفني.</p>"})
    assert (site["business_type"], site["founded"], site["staff"]) == ("contractor", 1985, 200)
    assert site["evidence"]["staff"]["approximate"] is True


def test_a_chinese_address_without_commas_gives_the_country(httpserver):
    site = _read(httpserver, "hengda-imex.com", "zh", {
        "/": "<h1>进出口贸易</h1><p>我们不是工厂，是专业外贸公司。</p><p>地址：浙江省宁波市江北区人民路132号</p>"})
    assert site["country"] == "CN" and site["business_type"] == "trading_company" and not site["same_trade"]
    assert any(p["kind"] == "address" and "浙江省" in p["phrase"] for p in site["evidence"]["country"])


def test_a_company_profile_table_row_is_one_sentence(httpserver):
    site = _read(httpserver, "toyo-shomei.co.jp", "ja", {
        "/": "<h1>業務用LED照明メーカー</h1><table><tr><th>創業</th><td>1958年</td></tr>"
             "<tr><th>従業員</th><td>320名</td></tr></table>"})
    assert (site["founded"], site["staff"]) == (1958, 320)
    assert site["evidence"]["founded"]["phrase"] == "創業 1958年"


def test_later_items_of_a_customer_list_name_customers(httpserver):
    site = _read(httpserver, "pune-switchgear.in", "en", {
        "/": "<h1>Authorised distributor of switchgear</h1>"
             "<p>We supply builders, panel makers and electrical contractors across Pune.</p>"
             "<p>For hotels, hospitals, wholesalers and retailers we keep 8,000 items in stock.</p>"})
    assert site["business_type"] == "distributor"
    # the customers are no evidence of their own types, only of a trade supplier (served)
    assert not {"contractor", "retailer"} & set(site["business_type_scores"]), site["business_type_scores"]


def test_traditional_chinese_and_swiss_german_forms(httpserver):
    tw = _read(httpserver, "fuhsing-plugs.com.tw", "zh-Hant", {
        "/": "<h1>專業插頭製造廠</h1><p>全部在自有工廠完成。</p><p>本公司成立於1981年，員工約150人。</p>"})
    assert (tw["business_type"], tw["founded"], tw["staff"]) == ("manufacturer", 1981, 150)
    ch = _read(httpserver, "elektro-keller.ch", "de-CH", {
        "/": '<nav><a href="/portrait">Portrait</a></nav><h1>Elektroinstallationen</h1>',
        "/portrait": "<p>Rund 40 Mitarbeitende arbeiten in Chur.</p>"})
    assert ch["staff"] == 40 and ch["evidence"]["staff"]["page"] == "http://elektro-keller.ch/portrait"


def test_your_own_number_words_and_a_bad_value(httpserver, tmp_path, monkeypatch):
    from triage.enrich.data import load
    from triage.errors import DataFileError

    body = {"/": "<h1>Sähkötukku</h1><p>Meillä työskentelee parikymmentä työntekijää Oulussa.</p>"}
    assert _read(httpserver, "oulun-sahko.fi", "fi", body)["staff"] is None
    (tmp_path / "enrich").mkdir()
    own = tmp_path / "enrich" / "reading.toml"
    own.write_text('[numbers.approximate]\n"parikymmentä" = 20\n[staff]\nafter = ["työntekijä*"]\n', encoding="utf-8")
    monkeypatch.setenv("TRIAGE_HOME", str(tmp_path))
    httpserver.clear()
    site = _read(httpserver, "oulun-sahko.fi", "fi", body)
    assert site["staff"] == 20 and site["evidence"]["staff"]["approximate"] is True
    own.write_text('[numbers.approximate]\n"parikymmentä" = "twenty"\n', encoding="utf-8")
    monkeypatch.setenv("TRIAGE_HOME", str(tmp_path / "elsewhere"))  # a new home: read afresh
    (tmp_path / "elsewhere" / "enrich").mkdir(parents=True)
    (tmp_path / "elsewhere" / "enrich" / "reading.toml").write_text(own.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(DataFileError, match="numbers.approximate"):
        load("reading")


def test_round_the_clock_is_not_a_headcount(httpserver):
    site = _read(httpserver, "nightowl-electric.com", "en", {
        "/": "<h1>Electrical wholesaler</h1><p>Our 24/7 support staff answers every call.</p>"})
    assert site["staff"] is None


def test_the_installers_warehouse_is_a_wholesaler_and_a_swedish_elfirma_a_contractor(httpserver):
    it = _read(httpserver, "elettro-etna.it", "it", {
        "/": "<h1>Il magazzino dell'installatore</h1><p>Materiale elettrico all'ingrosso per ditte con partita IVA.</p>"})
    assert it["business_type"] == "wholesaler" and it["business_type_tie"] == []
    sv = _read(httpserver, "norrsken-el.se", "sv", {
        "/": "<h1>Behöriga elektriker i Luleå</h1><p>Vi installerar laddboxar och solceller åt villaägare.</p>"})
    assert sv["business_type"] == "contractor"


def test_a_definition_list_a_japanese_denial_and_a_french_elision(httpserver):
    ja = _read(httpserver, "nihon-yunyu.co.jp", "ja", {
        "/": "<h1>配線器具の輸入</h1><p>当社はメーカーではなく、輸入専門の商社です。協力工場で生産した製品を検品しています。</p>"
             "<dl><dt>設立</dt><dd>2003年6月</dd><dt>社員数</dt><dd>18名</dd></dl>"})
    assert (ja["business_type"], ja["founded"], ja["staff"]) == ("trading_company", 2003, 18)
    assert "manufacturer" in ja["evidence"]["business_type_against"]
    fr = _read(httpserver, "elec-outaouais.ca", "fr", {
        "/": "<h1>Distributeur de matériel électrique</h1>"
             "<p>L'entreprise a vu le jour en 1981. Une cinquantaine d'employés vous accueillent.</p>"})
    assert (fr["founded"], fr["staff"]) == (1981, 50)


def test_an_about_page_with_an_unknown_label_is_still_read(httpserver):
    site = _read(httpserver, "lapin-sahko.fi", "fi", {
        "/": '<nav><a href="/">Etusivu</a> <a href="/kirjaudu">Login</a> <a href="/tarinamme">Tarinamme</a></nav>'
             "<h1>Electrical wholesaler in Lapland</h1>",
        "/tarinamme": "<p>Founded in 1977. Today 45 employees work in Rovaniemi.</p>",
        "/kirjaudu": "<p>Founded in 2020, 3 employees.</p>"})
    assert (site["founded"], site["staff"]) == (1977, 45)
    assert site["evidence"]["founded"]["page"] == "http://lapin-sahko.fi/tarinamme"


@pytest.mark.parametrize("host, lang, body, kind, year, staff", [
    ("villamszer-debrecen.hu", "hu", "<h1>Villamossági nagykereskedés Debrecenben</h1>"
     "<p>A céget 1994-ben alapították. Ma 42 munkatárs dolgozik nálunk.</p>", "wholesaler", 1994, 42),
    ("sinar-listrik.co.id", "id", "<h1>Distributor resmi kabel dan lampu di Surabaya</h1>"
     "<p>Perusahaan kami didirikan pada tahun 2008 dan kini memiliki 65 karyawan.</p>", "distributor", 2008, 65),
    ("sahko-virta.fi", "fi", "<h1>Sähköasennukset Tampereella</h1>"
     "<p>Yritys perustettiin 1999. Meillä on 14 työntekijää.</p>", "contractor", 1999, 14),
])
def test_languages_beyond_the_first_twelve(httpserver, host, lang, body, kind, year, staff):
    site = _read(httpserver, host, lang, {"/": body})
    assert (site["business_type"], site["founded"], site["staff"]) == (kind, year, staff), site["business_type_scores"]
