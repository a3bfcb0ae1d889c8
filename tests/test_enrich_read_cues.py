"""The site reader on what a careful person reads without the usual words (issue 17, round 19).

A shop that never calls itself one (weekend hours, shelf prices, an invitation in), a maker named in
the third person on a distributor's site, branch lists after a locations word, offices counted in
words, a founding year after "since the year", and a site's own link to "index.html". Each page is
real HTML on a local HTTP server, read through enrich().
"""

from __future__ import annotations

from sites.helpers import FakeResolver, inquiry, local_fetcher, requested, serve
from triage.enrich import enrich


def _read(server, host: str, lang: str, pages: dict[str, str]) -> dict:
    for path, body in pages.items():
        serve(server, host, path, f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                                  f"<title>{host}</title></head><body>{body}</body></html>")
    return enrich(inquiry(f"info@{host}"), fetcher=local_fetcher(server, host), resolver=FakeResolver())["site"]


def test_a_shop_shown_by_weekend_hours_and_shelf_prices(httpserver):
    site = _read(httpserver, "luzdelbarrio.com.ar", "es", {
        "/": "<h1>Luz del Barrio</h1><p>Lámparas y artefactos para tu casa.</p>"
             "<ul><li>Plafón LED redondo 18W – $8.900</li><li>Velador de mesa nórdico – $15.400</li></ul>"
             "<p>Lunes a sábado de 9:00 a 13:00 y de 16:30 a 20:30.</p>"})
    assert site["business_type"] == "retailer"
    assert site["business_type_scores"]["retailer"] >= 1.0


def test_weekday_hours_alone_make_no_shop(httpserver):
    site = _read(httpserver, "kabelhof-nord.de", "de", {
        "/": "<h1>Kabelhof Nord GmbH</h1><p>Wir sind ein Elektrogroßhandel für Installateure.</p>"
             "<p>Abholung Montag bis Freitag 6:30 bis 17:00 Uhr.</p>"})
    assert site["business_type"] == "wholesaler"
    assert "retailer" not in site["business_type_scores"]


def test_a_maker_named_in_the_third_person_is_not_the_site(httpserver):
    site = _read(httpserver, "verlicht.nl", "nl", {
        "/": "<h1>Verlicht – officiële verdeler voor Nederland</h1>"
             "<p>De armaturen worden gemaakt door de fabrikant Nordlys AS in Noorwegen.</p>"
             "<ul><li>Nordlys (fabrikant, Bergen) – downlights</li></ul>"
             "<p>Wij leveren uit voorraad aan installateurs.</p>"})
    assert site["business_type"] == "distributor"
    assert "manufacturer" not in site["business_type_scores"]


def test_a_maker_that_says_we_is_still_a_maker(httpserver):
    site = _read(httpserver, "tornio-luci.it", "it", {
        "/": "<h1>Tornio Luci</h1><p>Siamo il produttore di apparecchi LED per esterni, prodotti dal 1988 nel nostro stabilimento.</p>"})
    assert site["business_type"] == "manufacturer"


def test_locations_listed_after_the_word_and_offices_counted_in_words(httpserver):
    site = _read(httpserver, "hanse-montage.de", "de", {
        "/": "<h1>Hanse Montage</h1><p>Unsere Elektromonteure arbeiten von den Standorten Rostock, Wismar und Stralsund aus.</p>"})
    assert site["branches"] == 3
    site = _read(httpserver, "atlas-ofis.com.tr", "tr", {
        "/": "<h1>Atlas Elektrik</h1><p>Bursa ve Kocaeli'de iki ofisimiz bulunuyor.</p>"})
    assert site["branches"] == 2


def test_branches_listed_after_a_verb_and_in_arabic(httpserver):
    site = _read(httpserver, "svet-ural.ru", "ru", {
        "/": "<h1>Свет-Урал</h1><p>Наши филиалы работают в Екатеринбурге, Челябинске и Перми.</p>"})
    assert site["branches"] == 3
    site = _read(httpserver, "alwaha-elec.com", "ar", {
        "/": "<h1>الواحة للكهرباء</h1><p>فروعنا في الرياض وجدة والدمام.</p>"})
    assert site["branches"] == 3


def test_since_the_year_is_a_founding_year(httpserver):
    site = _read(httpserver, "albayan-elec.com", "ar", {
        "/": "<h1>البيان للكهرباء</h1><p>نخدم عملاءنا منذ عام 1992 في المنطقة الشرقية.</p>"})
    assert site["founded"] == 1992


def test_a_link_to_index_html_is_the_home_page_again(httpserver):
    nav = ('<nav><a href="/index.html">Home</a> <a href="/about.html">About</a> <a href="/contact.html">Contact</a>'
           ' <a href="/branches.html">Branches</a></nav>')
    site = _read(httpserver, "kestrel-supply.com", "en", {
        "/": nav + "<h1>Kestrel Supply</h1><p>Electrical wholesaler.</p>",
        "/index.html": nav + "<h1>Kestrel Supply</h1>",
        "/about.html": nav + "<p>Founded in 1990.</p>",
        "/contact.html": nav + "<p>14 Mill Lane, Derby DE1 3AB</p>",
        "/branches.html": nav + "<p>Our branches in Derby, Nottingham and Leicester.</p>"})
    assert not any(p.endswith("/index.html") for p in site["pages"])
    assert (site["founded"], site["branches"], site["country"]) == (1990, 3, "GB")


def test_a_maker_named_by_name_or_as_the_agent_is_another_company(httpserver):
    site = _read(httpserver, "iluminar-pe.com", "es", {
        "/": "<h1>Iluminar Perú</h1><p>Somos distribuidores de luminarias; el fabricante Lumex nos despacha desde Monterrey.</p>"})
    assert site["business_type"] == "distributor"
    site = _read(httpserver, "boltline.co.ke", "en", {
        "/": "<h1>Boltline</h1><p>Our breakers are built by leading manufacturers; we are their distributor for East Africa.</p>"})
    assert site["business_type"] == "distributor"


def test_a_counter_between_the_number_and_the_branch_noun(httpserver):
    site = _read(httpserver, "lianfa-elec.cn", "zh", {
        "/": "<h1>联发电气</h1><p>公司在杭州、宁波、温州设有三家分公司。</p>"})
    assert site["branches"] == 3
    site = _read(httpserver, "yamada-denki.jp", "ja", {
        "/": "<h1>山田電機</h1><p>神戸と姫路に2つの店舗があります。</p>"})
    assert site["branches"] == 2


def test_what_the_site_says_it_is_outweighs_what_it_says_of_others(httpserver):
    site = _read(httpserver, "elmaks.pl", "pl", {
        "/": "<h1>Elmaks</h1><p>Jesteśmy hurtownią elektryczną.</p><p>Współpracujemy z producentami z Niemiec i Włoch.</p>"})
    assert site["business_type"] == "wholesaler"
    site = _read(httpserver, "kabelwerk-lenz.de", "de", {
        "/": "<h1>Kabelwerk Lenz</h1><p>Wir sind Hersteller von Steuerleitungen.</p>"
             "<p>Verkauft wird ausschließlich über den Großhandel.</p>"})
    assert site["business_type"] == "manufacturer"


def test_a_menu_label_who_we_are_is_no_self_statement(httpserver):
    site = _read(httpserver, "casa-eletrica.com.br", "pt", {
        "/": '<nav><a href="/">Início</a> <a href="/quem-somos">Quem somos</a> <a href="/lojas">Nossas lojas</a></nav>'
             "<h1>Casa Elétrica</h1><p>Material elétrico no atacado para revendas e no varejo para a sua casa.</p>"})
    # "Quem somos Nossas lojas" is a menu, not "we are shops": the menu word counts as a menu word
    assert site["business_type"] == "wholesaler"
    assert site["business_type_scores"]["retailer"] < site["business_type_scores"]["wholesaler"]


def test_a_state_or_province_written_out_before_its_postcode(httpserver):
    site = _read(httpserver, "lakeshore-supply.com", "en", {
        "/": "<h1>Lakeshore Supply</h1><address>410 Front Street West, Toronto, Ontario M5V 3A8</address>"})
    assert site["country"] == "CA"
    site = _read(httpserver, "gulfcoast-lamps.com", "en", {
        "/": "<h1>Gulf Coast Lamps</h1><address>2100 Fannin St, Houston, Texas 77002</address>"})
    assert site["country"] == "US"


def test_a_turkish_we_are_with_a_dotted_capital_i(httpserver):
    site = _read(httpserver, "nova-dagitim.com.tr", "tr", {
        "/": "<h1>Nova</h1><p>Biz İspanyol markaların Türkiye distribütörüyüz.</p>"
             "<p>Ürünler İspanya'daki fabrikalarda üretilmektedir.</p>"})
    assert site["business_type"] == "distributor"


def test_a_shop_for_the_home_with_saturday_hours(httpserver):
    site = _read(httpserver, "luzhogar.es", "es", {
        "/": "<h1>Luz Hogar</h1><p>Lámparas y bombillas para tu casa en Zaragoza.</p><p>Abierto los sábados de 10:00 a 14:00.</p>"})
    assert site["business_type"] == "retailer"


def test_places_named_one_at_a_time_are_branches(httpserver):
    site = _read(httpserver, "kampala-volt.co.ug", "en", {
        "/": "<h1>Kampala Volt</h1><p>Find us at our shop in Kikuubo and our warehouse in Nakawa.</p>"})
    assert site["branches"] == 2
    site = _read(httpserver, "harbour-lamps.co.nz", "en", {
        "/": "<h1>Harbour Lamps</h1><p>Our office in Auckland handles orders for the whole country.</p>"})
    assert site["branches"] is None


def test_we_are_the_distributor_of_a_brand_is_the_site_itself(httpserver):
    site = _read(httpserver, "electroandes.bo", "es", {
        "/": "<h1>Electro Andes</h1><p>Somos el distribuidor Oficial de Schneider en Bolivia.</p>"})
    assert site["business_type"] == "distributor"
