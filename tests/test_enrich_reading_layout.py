"""The site reader on how company pages are laid out, served from loopback.

Stat cards and counters that a script counts up, facts rows written as two blocks, a history told
as a timeline, a page that lists the branches, menu pages beyond about/contact, and business-type
evidence that is not a type word: the work a factory describes, the company's own trade name, the
suppliers it names, the customers it serves. Each page is real HTML on a local HTTP server, read
through enrich().
"""

from __future__ import annotations

from sites.helpers import FakeResolver, inquiry, local_fetcher, requested, serve
from triage.enrich import enrich

FILL = "<p>" + " ".join(["lorem", "words", "filler", "texte"] * 12) + "</p>"


def _read(server, host: str, lang: str, pages: dict[str, str]) -> dict:
    for path, body in pages.items():
        body = body + (FILL if path == "/" else "")
        serve(server, host, path, f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
                                  f"<title>{host}</title></head><body>{body}</body></html>")
    return enrich(inquiry(f"info@{host}"), fetcher=local_fetcher(server, host), resolver=FakeResolver())["site"]


def test_a_stat_card_whose_counter_starts_at_zero(httpserver):
    site = _read(httpserver, "kelso-cables.co.uk", "en", {
        "/": '<section class="numbers"><div class="stat"><span class="js-count" data-target="64">0</span>'
             '<div class="caption">people on the payroll</div></div>'
             '<div class="stat"><span class="js-count" data-target="30">0</span><div class="caption">years</div></div></section>'})
    assert site["staff"] == 64
    assert site["evidence"]["staff"]["phrase"].startswith("64")


def test_a_facts_grid_of_label_and_value_blocks(httpserver):
    site = _read(httpserver, "lichtwerk-hof.de", "de", {
        "/": '<div class="facts"><div class="fact"><div class="k">Gründungsjahr</div><div class="v">1979</div></div>'
             '<div class="fact"><div class="k">Mitarbeitende</div><div class="v">38</div></div>'
             '<div class="fact"><div class="k">Standorte</div><div class="v">4</div></div></div>'})
    assert (site["founded"], site["staff"], site["branches"]) == (1979, 38, 4)


def test_a_timeline_without_a_founding_verb_starts_at_its_first_year(httpserver):
    site = _read(httpserver, "humber-switchgear.co.uk", "en", {
        "/": '<nav><a href="/history">Our history</a></nav><p>Switchgear and control panels.</p>',
        "/history": '<h1>Our history</h1><div class="tl"><div class="y">1979</div><p>Two fitters rent a yard in Hull.</p></div>'
                    '<div class="tl"><div class="y">1991</div><p>A second yard in York.</p></div>'
                    '<div class="tl"><div class="y">2008</div><p>Move to the Sutton Fields estate.</p></div>'})
    assert site["founded"] == 1979


def test_a_page_that_lists_the_branches_is_counted(httpserver):
    cards = "".join(f'<div class="depot"><h3>{town}</h3><p>{n} Mill Lane, {code}</p></div>'
                    for n, (town, code) in enumerate([("Leeds", "LS1 4AP"), ("York", "YO1 6DA"), ("Hull", "HU1 2AA"),
                                                       ("Selby", "YO8 4AL"), ("Goole", "DN14 5AA")], start=2))
    site = _read(httpserver, "aire-electrical.co.uk", "en", {
        "/": '<nav><a href="/depots">Depots</a> <a href="/contact">Contact</a></nav><p>Cable, lighting and switchgear.</p>',
        "/depots": f"<h1>Our depots</h1>{cards}",
        "/contact": "<p>Head office: 2 Mill Lane, Leeds LS1 4AP</p>"})
    assert site["branches"] == 5
    assert requested(httpserver, "/depots")


def test_branches_named_in_a_sentence_are_counted(httpserver):
    site = _read(httpserver, "elektro-steiner.at", "de", {
        "/": "<p>Wir haben Filialen in Graz, Leoben und Wels.</p>"})
    assert site["branches"] == 3


def test_menu_pages_beyond_about_and_contact_are_read(httpserver):
    site = _read(httpserver, "lumen-studio.fr", "fr", {
        "/": '<nav><a href="/projets">Projets</a> <a href="/studio">Le studio</a> <a href="/contact">Contact</a></nav>',
        "/projets": "<p>Un hôtel à Annecy, une librairie à Chambéry.</p>",
        "/studio": "<p>Le studio a été fondé en 2004 à Annecy.</p>",
        "/contact": "<p>3 rue Royale, 74000 Annecy</p>"})
    assert requested(httpserver, "/studio")
    assert site["founded"] == 2004


def test_a_works_that_describes_its_work_without_a_type_word(httpserver):
    site = _read(httpserver, "trent-enclosures.co.uk", "en", {
        "/": "<h1>Steel and stainless enclosures to your drawing</h1>"
             "<p>Every box is laser-cut, folded and welded on site.</p>"
             "<p>Doors are powder-coated in our own line, then gasketed.</p>"
             "<p>CNC punching means no tooling charge on short runs.</p>"})
    assert site["business_type"] == "manufacturer", site["business_type_scores"]


def test_the_suppliers_a_distributor_names_are_not_its_type(httpserver):
    site = _read(httpserver, "elvera-vertrieb.de", "de", {
        "/": "<h1>Elvera Vertrieb GmbH</h1><p>Als Vertriebspartner namhafter Hersteller liefern wir ab Lager.</p>"
             "<p>Produkte von über 300 Herstellern, ausgeliefert binnen 24 Stunden.</p>"})
    assert site["business_type_scores"].get("manufacturer", 0) <= 0, site["business_type_scores"]


def test_a_chinese_agent_that_does_not_produce_and_deals_with_factories(httpserver):
    site = _read(httpserver, "hengda-purchasing.cn", "zh", {
        "/": "<h1>恒达采购代理</h1><p>我们自己不生产，代表买家与工厂谈判价格。</p><p>寻找并审核工厂，安排验货和出运。</p>"})
    assert site["business_type"] == "sourcing_agent", site["business_type_scores"]
    assert site["business_type_scores"].get("manufacturer", 0) <= 0
    assert not site["same_trade"]


def test_a_year_followed_by_since(httpserver):
    site = _read(httpserver, "guven-elektrik.com.tr", "tr", {"/": "<p>1987'den beri İzmir'de elektrik malzemesi satıyoruz.</p>"})
    assert site["founded"] == 1987


def test_a_type_word_in_the_company_name_is_strong(httpserver):
    site = _read(httpserver, "hallam-ew.co.uk", "en", {
        "/": "<header><div class='logo'>Hallam Electrical Wholesale</div></header>"
             "<h1>Hallam Electrical Wholesale</h1><p>Cable, containment and lighting, next day.</p>"
             "<p>Why contractors pick Hallam: stock, credit and a van at 7am.</p>"
             "<footer>Hallam Electrical Wholesale Ltd, registered in England</footer>"})
    assert site["business_type"] == "wholesaler", site["business_type_scores"]


def test_the_customers_a_shop_serves_tell_it_is_a_shop(httpserver):
    site = _read(httpserver, "casa-bombilla.es", "es", {
        "/": "<h1>Casa Bombilla</h1><p>Bombillas, enchufes y cables para particulares y aficionados al bricolaje.</p>"
             "<p>Horario: de lunes a sábado.</p>"})
    assert site["business_type_scores"].get("retailer", 0) > 0
    assert "contractor" not in site["business_type_scores"]


def test_a_whole_headcount_wins_over_the_count_of_one_trade(httpserver):
    site = _read(httpserver, "bayou-power.com", "en", {
        "/": '<div class="stat"><b>38</b><span>journeyman electricians</span></div>'
             "<p>We are a 45-strong shop based in Baton Rouge.</p>"})
    assert site["staff"] == 45


def test_not_selling_to_the_public_is_evidence_against_a_shop(httpserver):
    site = _read(httpserver, "materiais-douro.pt", "pt", {
        "/": "<h1>As nossas lojas</h1><p>Três lojas no Grande Porto.</p>"
             "<p>Trabalhamos só para profissionais: não vendemos ao público.</p>"})
    assert site["business_type"] != "retailer", site["business_type_scores"]
    assert site["evidence"]["business_type_against"]["retailer"]["term"] == "ao público"


def test_a_turkish_verb_that_ends_in_its_negation(httpserver):
    site = _read(httpserver, "ege-dagitim.com.tr", "tr", {
        "/": "<h1>Ege Elektrik Dağıtım</h1><p>Üretim yapmıyoruz; markaların yetkili distribütörüyüz.</p>"})
    assert site["business_type_scores"].get("manufacturer", 0) < 0, site["business_type_scores"]
    assert site["business_type"] == "distributor"


def test_a_name_with_partners_and_a_factory_selling_direct_keep_their_evidence(httpserver):
    agent = _read(httpserver, "ningbo-partners.de", "de", {"/": "<h1>Ningbo Partners – Ihr Einkaufsbüro in China</h1>"})
    assert agent["business_type"] == "sourcing_agent", agent["business_type_scores"]
    works = _read(httpserver, "yuyao-switchworks.com", "en", {
        "/": "<h1>Buy direct from the manufacturer</h1><p>Wall switches and sockets, factory prices.</p>"})
    assert works["business_type"] in ("manufacturer", "same_trade_factory"), works["business_type_scores"]


def test_an_arabic_list_of_customers_joined_by_a_glued_and(httpserver):
    site = _read(httpserver, "daralnoor-trading.com.sa", "ar", {
        "/": "<h1>نستورد الأدوات الكهربائية ونوردها لتجار الجملة والمقاولين في المملكة</h1>"})
    assert site["business_type"] == "trading_company", site["business_type_scores"]
    assert "contractor" not in site["business_type_scores"]


def test_distribution_boards_are_a_product_not_a_distributor(httpserver):
    site = _read(httpserver, "metalquadros.com.br", "pt", {
        "/": "<h1>Quadros de distribuição e caixas de distribuição em aço</h1>"
             "<p>Somos uma indústria: cortamos, dobramos e soldamos o aço em Joinville.</p>"})
    assert "distributor" not in site["business_type_scores"], site["business_type_scores"]
    assert site["business_type"] == "manufacturer"


def test_a_works_in_the_name_and_a_seller_to_resellers(httpserver):
    works = _read(httpserver, "tamworth-cableworks.co.uk", "en", {
        "/": "<h1>Looms and harnesses built to print</h1><p>Crimped and overmoulded on site.</p>"
             "<footer>Tamworth Cable Works Ltd, registered in England</footer>"})
    assert works["business_type"] == "manufacturer", works["business_type_scores"]
    seller = _read(httpserver, "leuchtenlager-kiel.de", "de", {
        "/": "<h1>Leuchten ab Lager Kiel</h1><p>Wir verkaufen ausschließlich an Fachhändler, nicht an Endkunden.</p>"
             "<p>Staffelpreise und Palettenversand nur an Wiederverkäufer.</p>"})
    assert seller["business_type"] == "wholesaler", seller["business_type_scores"]
    assert seller["evidence"]["business_type_against"]["retailer"]["term"] == "endkunden"


def test_portuguese_no_is_in_the_and_a_count_after_grown_to(httpserver):
    site = _read(httpserver, "eletrica-olinda.com.br", "pt", {
        "/": "<h1>Material elétrico no atacado</h1><p>Vendemos no atacado para construtoras e revendas.</p>"})
    assert site["business_type"] == "wholesaler", site["business_type_scores"]
    crew = _read(httpserver, "sunreach-solar.com.au", "en", {
        "/": "<p>Started by two sparkies, the business has grown to 38 staff across Perth.</p>"})
    assert crew["staff"] == 38


def test_the_headcount_of_today_over_the_one_of_the_founding_days(httpserver):
    site = _read(httpserver, "traunsee-elektro.at", "de", {
        "/": '<nav><a href="/ueber-uns">Über uns</a></nav><p>Heute sind wir ein Team von 57 Mitarbeitenden.</p>',
        "/ueber-uns": "<h1>Über uns</h1><p>1962 eröffnete Josef Huber in Gmunden einen kleinen Elektrohandel mit drei Mitarbeitern.</p>"})
    assert site["staff"] == 57


def test_a_number_beside_a_staff_noun_beats_one_after_a_counting_verb(httpserver):
    site = _read(httpserver, "volga-kabel.ru", "ru", {
        "/": "<p>Сегодня в команде более 150 сотрудников, а каталог насчитывает свыше 25 000 позиций.</p>"})
    assert site["staff"] == 150


def test_contact_lines_that_each_give_a_place_of_the_company_are_branches(httpserver):
    site = _read(httpserver, "lumiere-etudes.fr", "fr", {
        "/": '<nav><a href="/contact">Contact</a></nav><p>Bureau d’études éclairage.</p>'
             "<footer><p>Lumière Études SAS · 12 rue Garibaldi, 69006 Lyon</p></footer>",
        "/contact": "<h1>Nous contacter</h1><p>Lyon : 04 78 11 22 33<br>Antenne de Valence : 3 place Aristide Briand, "
                    "26000 Valence · 04 75 44 55 66<br>Service commercial : 04 78 11 22 34</p>"})
    assert site["branches"] == 2
