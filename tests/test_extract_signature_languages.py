"""The writer's name, title and company from signatures as buyers write them in their own
languages: after a sign-off of that language, or in a trailing contact block with no sign-off;
and no mailing's footer word taken for a name."""

from __future__ import annotations

import pytest

from triage.inputs import Item
from triage.pipeline import read_inquiry
from triage.profile import load_profile


def _inquiry(body: str, display: str = ""):
    sender = f"{display} <buyer@trade-house.example>" if display else "buyer@trade-house.example"
    raw = (f"From: {sender}\nTo: sales@demo.example\nSubject: RFQ\nDate: Mon, 07 Dec 2026 09:00:00 +0000\n"
           "Message-ID: <s1@trade-house.example>\nContent-Type: text/plain; charset=utf-8\n\n"
           + body).replace("\n", "\r\n").encode("utf-8")
    return read_inquiry(Item("mail.eml", "eml", raw=raw), load_profile())


@pytest.mark.parametrize(("body", "name", "title", "company"), [
    ("Dzień dobry,\nprosimy o ofertę na 2 000 gniazd 16A.\n\nZ poważaniem\nMarek Zieliński\nDyrektor handlowy\n"
     "Elhurt Sp. z o.o.\ntel. +48 22 555 01 20\n", "Marek Zieliński", "Dyrektor handlowy", "Elhurt Sp. z o.o."),
    ("Xin chào,\nchúng tôi cần báo giá 5.000 ổ cắm.\n\nTrân trọng,\nTran Minh Quan\nTrưởng phòng mua hàng\n"
     "Công ty TNHH Điện Sao Mai\n", "Tran Minh Quan", "Trưởng phòng mua hàng", "Công ty TNHH Điện Sao Mai"),
    ("Здравствуйте, нужны выключатели, 3000 шт., FOB.\n\nДмитрий Орлов\nНачальник отдела снабжения\n"
     "ООО «Электросвет»\n+7 495 555 20 10\n", None, "Начальник отдела снабжения", "ООО «Электросвет»"),
    ("Merhaba, 1.500 adet priz için fiyat rica ediyoruz.\n\nSaygılarımla,\nEmre Kaya\nSatın Alma Müdürü\n"
     "Kaya Elektrik Ltd. Şti.\n", "Emre Kaya", "Satın Alma Müdürü", "Kaya Elektrik Ltd. Şti."),
    ("Hej, vi behöver pris på 800 dimmers.\n\nVänliga hälsningar\nSara Holm\nInköpare\nNordljus AB\n",
     "Sara Holm", "Inköpare", "Nordljus AB"),
])
def test_a_signature_in_the_buyers_language(body, name, title, company):
    inquiry = _inquiry(body)
    if name:
        assert inquiry.contact_name == name
    assert (inquiry.contact_title, inquiry.company_name) == (title, company)


def test_a_company_line_is_not_the_name_the_pattern_cannot_read():
    inquiry = _inquiry("Καλησπέρα σας,\nθα θέλαμε προσφορά για 1.500 τεμ.\n\nΕυχαριστώ,\nΝίκος Παπαδόπουλος\n"
                       "Υπεύθυνος Αγορών\nAttiki Electric\n", display="Νίκος Παπαδόπουλος")
    assert inquiry.contact_name == "Νίκος Παπαδόπουλος"


def test_a_mailings_footer_word_is_no_name():
    inquiry = _inquiry("Win free cloud storage today!\n\nUn cordial saludo,\nEquipo de suscripción\n\n"
                       "Copyright 2024 All rights reserved.\n\nUnsubscribe\n")
    assert inquiry.contact_name != "Unsubscribe"


def test_an_rfq_notice_from_a_platform_we_do_not_know_is_read_as_a_form():
    inquiry = _inquiry("You have received a new Request for Quotation.\n\n"
                       "Buyer:        Ana Ruiz, Head of Purchasing\n"
                       "Company:      Ferreterías del Norte (verified, 12 stores)\n"
                       "Country:      Mexico\nProduct:      USB wall socket\nQuantity:     4,000 pieces\n\n"
                       "Reply to this RFQ in your supplier center.\n", display="RFQ Service")
    assert (inquiry.contact_name, inquiry.contact_title) == ("Ana Ruiz", "Head of Purchasing")
    assert (inquiry.company_name, inquiry.country) == ("Ferreterías del Norte", "MX")


def test_a_quoted_header_block_is_no_form():
    inquiry = _inquiry("Any news on my quote?\n\nTom\n\n-----Original Message-----\nFrom: Lisa Chen\n"
                       "Sent: Monday, November 30, 2026 9:02 PM\nTo: Tom Baker\nSubject: RE: quote\n\n"
                       "Dear Tom, the quote is attached.\n", display="Tom Baker")
    assert inquiry.message.platform_fields == {} and inquiry.contact_name == "Tom Baker"


@pytest.mark.parametrize(("line", "display", "name", "title"), [
    ("Jordi Puig, Responsable de Producto", "Jordi Puig", "Jordi Puig", "Responsable de Producto"),
    ("Ирина Смирнова, менеджер по закупкам", "Ирина Смирнова", "Ирина Смирнова", "менеджер по закупкам"),
])
def test_a_name_and_title_on_one_signature_line(line, display, name, title):
    inquiry = _inquiry(f"Please quote 1,000 pcs FOB.\n\nRegards,\n{line}\n", display=display)
    assert (inquiry.contact_name, inquiry.contact_title) == (name, title)


@pytest.mark.parametrize("footer", ["Sent from my iPhone", "Get Outlook for Android", "Von meinem iPhone gesendet",
                                    "Enviado desde mi Samsung Galaxy", "发自我的iPhone"])
def test_a_mail_clients_footer_does_not_take_the_signatures_place(footer):
    inquiry = _inquiry("Need 500 pcs of the 16A socket, CIF Durban.\n\nThabo\nMokoena Electrical Supplies\n"
                       f"+27 11 555 0142\n\n{footer}\n", display="Thabo Mokoena")
    assert (inquiry.contact_name, inquiry.company_name) == ("Thabo Mokoena", "Mokoena Electrical Supplies")
    assert inquiry.phones == ["+27115550142"] and footer in inquiry.message.signature


def test_a_title_then_a_company_with_its_legal_form():
    inquiry = _inquiry("Quote 3,000 pcs FOB please.\n\nCheers,\nDana Reyes\nFounder & CEO | Reyes Sourcing Group LLC\n"
                       "Phoenix, AZ\n\nSent from my iPhone\n", display="Dana Reyes")
    assert (inquiry.contact_title, inquiry.company_name) == ("Founder & CEO", "Reyes Sourcing Group LLC")


@pytest.mark.parametrize(("body", "display", "title", "company"), [
    # no sign-off: the From name opens the signature ("Name - Company, City"; "Name / Department / Company")
    ("Bom dia, preciso de preço para 3.000 tomadas duplas, CIF Luanda. Obrigado.\n"
     "Joana Mendes - Luanda Materiais Eléctricos Lda, Luanda\n", "Joana Mendes", None,
     "Luanda Materiais Eléctricos Lda"),
    ("Goedemiddag,\ngraag een offerte voor 1.200 dimmers, levering eind januari.\n\nAlvast dank!\n"
     "Pieter de Boer, afdeling inkoop, Lichtwerk Groothandel\n", "Pieter de Boer", "afdeling inkoop",
     "Lichtwerk Groothandel"),
    ("Hi, please quote 2,000 USB sockets CIF Mombasa, thanks a lot for the help.\n\nAmina Odhiambo\n"
     "Procurement Officer\nNyota Electricals Ltd\n", "Amina Odhiambo", "Procurement Officer", "Nyota Electricals Ltd"),
])
def test_a_signature_that_opens_with_the_writers_name(body, display, title, company):
    inquiry = _inquiry(body, display=display)
    assert (inquiry.contact_name, inquiry.contact_title, inquiry.company_name) == (display, title, company)


def test_a_name_in_the_middle_of_the_message_starts_no_signature():
    inquiry = _inquiry("Hello,\nJoana Mendes - our buyer - asked me to write: we need 3,000 sockets.\n"
                       "Please send the price list and the lead time for Luanda.\nThanks\n", display="Joana Mendes")
    assert "3,000 sockets" in inquiry.message.body


@pytest.mark.parametrize(("body", "title", "company"), [
    ("Shalom,\nplease quote 2,000 USB sockets.\n\nבכבוד רב\nדנה לוי\nמנהלת רכש\nאור חשמל בע\"מ\n", "מנהלת רכש",
     "אור חשמל בע\"מ"),
    ("Poštovani,\ntrebamo 4.000 komada utičnica.\n\nLijep pozdrav\nIvan Horvat\nDirektor nabave\nElektro Horvat d.o.o.\n",
     "Direktor nabave", "Elektro Horvat d.o.o."),
    ("Hyvä vastaanottaja,\npyydämme tarjousta 3 000 kpl pistorasioita.\n\nParhain terveisin\nMatti Virtanen\n"
     "Hankintapäällikkö\nSähkö-Virtanen Oy\n", "Hankintapäällikkö", "Sähkö-Virtanen Oy"),
])
def test_sign_offs_titles_and_legal_forms_of_more_languages(body, title, company):
    inquiry = _inquiry(body)
    assert (inquiry.contact_title, inquiry.company_name) == (title, company)
