"""Where the buyer is, when the mail says it only in passing: a country or a city after 'in', 'en',
'aus', 'a', 'i' ('a wholesaler in Perth'), in the mail's own language, and never a surname or the
seller's own port taken for the buyer's country."""

from __future__ import annotations

import pytest

from triage.inputs import Item
from triage.pipeline import read_inquiry
from triage.profile import load_profile


def _inquiry(body: str, sender: str = "buyer@trade-house.example"):
    raw = (f"From: Buyer <{sender}>\nTo: sales@demo.example\nSubject: price request\n"
           "Date: Mon, 07 Dec 2026 09:00:00 +0000\nMessage-ID: <c1@trade-house.example>\n"
           "Content-Type: text/plain; charset=utf-8\n\n" + body).replace("\n", "\r\n").encode("utf-8")
    return read_inquiry(Item("mail.eml", "eml", raw=raw), load_profile())


@pytest.mark.parametrize(("body", "country"), [
    ("Hello, we are an electrical wholesaler in Perth with four branches. Please quote 2,000 pcs of "
     "the 16A socket.\n\nRegards\nMark", "AU"),
    ("Buenos días, somos distribuidores en Guayaquil y buscamos enchufes con certificación INEN.\n"
     "Saludos,\nAndrés", "EC"),
    ("Guten Tag, wir sind ein Elektrogroßhändler aus Graz und suchen LED-Panels, ca. 800 Stück.\n"
     "Mit freundlichen Grüßen\nThomas Berger", "AT"),
    ("Buongiorno, siamo un grossista a Verona. Ci servono 1.500 prese schuko.\nCordiali saluti\nLuca", "IT"),
    ("Hej! Vi är en elgrossist i Malmö och vill ha pris på 600 st dimmers.\nHälsningar\nAnna", "SE"),
    ("Dzień dobry, jesteśmy hurtownią elektryczną we Wrocław, prosimy o ofertę na 1000 gniazd.\nPiotr",
     "PL"),
    ("Bonjour, nous sommes un distributeur basé à Casablanca. Merci de nous envoyer vos prix.\nKarim", "MA"),
    ("Olá, somos uma distribuidora em Curitiba e queremos cotação de 3.000 tomadas.\nAtt.\nMarcos", "BR"),
    ("Hello, we are based in Alemania... sorry, Germany, and need 500 dimmers.\nJan", "DE"),
    ("Здравствуйте! Мы оптовая компания из Новосибирска... Мы в Москве, нужны розетки 2000 шт.\nИгорь", "RU"),
])
def test_the_place_the_buyer_names_gives_the_country(body, country):
    inquiry = _inquiry(body)
    assert (inquiry.country, inquiry.country_source) == (country, "text")


@pytest.mark.parametrize("body", [
    # a surname that is also a city, after a particle: not a place
    "Dear Lisa,\nplease send the price list for 1,000 GFCI outlets.\n\nBest regards\nJoão Pedro de Lima\nBuyer",
    "Ciao Lisa,\nmi mandi il listino per 400 dimmer?\n\nMarco Di Napoli",
    # the seller's port, not the buyer's country
    "Please quote 2,000 pcs FOB Ningbo, delivery from Ningbo in March.\nThanks\nAhmed",
    # a city named without a cue ('Victoria' is also a first name)
    "Hi, Victoria here. Need 300 wall plates, FOB.\nVictoria",
])
def test_no_country_from_a_surname_a_port_of_ours_or_a_bare_name(body):
    assert _inquiry(body).country is None


def test_a_generic_use_cctld_names_its_country_only_under_the_national_second_level():
    from triage.geo import cctld_country

    assert [cctld_country(d) for d in ("electrocaribe.com.co", "startup.co", "tienda.gov.co", "app.io")] == \
        ["CO", None, "CO", None]


@pytest.mark.parametrize(("address", "country"), [
    ("Οδός Πειραιώς 10, Αθήνα, Ελλάδα", "GR"), ("רחוב הרצל 12, תל אביב, ישראל", "IL"),
    ("خیابان ولیعصر، تهران، ایران", "IR"), ("서울특별시 강남구, 대한민국", "KR"), ("Київ, Україна", "UA"),
])
def test_a_country_written_in_its_own_script_in_an_address(address, country):
    from triage.geo import country_from_address

    assert country_from_address(address) == country


def test_the_destination_port_tells_where_a_buyer_is_when_nothing_else_does():
    inquiry = _inquiry("Hi, kindly quote 4,000 pcs twin switched sockets, CIF Dar es Salaam, 30% deposit.\nJoseph")
    assert (inquiry.country, inquiry.country_source) == ("TZ", "destination")


@pytest.mark.parametrize("body", [
    "Please quote 2,000 dimmers FOB Ningbo, delivery in March.\nAlex",  # the seller's own port
    "Please quote 2,000 dimmers CIF your best port, delivery in March.\nAlex",  # no place we know
])
def test_no_country_from_the_sellers_port_or_an_unknown_place(body):
    assert _inquiry(body).country is None


def test_the_signature_outranks_the_destination_port():
    inquiry = _inquiry("Hello, price for 3,000 sockets CIF Jebel Ali please (for our Kabul store).\n\n"
                       "Best regards\nAhmad Noori\nNoori Trading LLC\nKabul, Afghanistan\n")
    assert (inquiry.country, inquiry.country_source) == ("AF", "signature")
