"""What the parse stage and the origin checks read, now that the libraries do the reading:
addresses by ``email.utils``, MIME by the ``email`` package's parser, phone regions by
phonenumbers. Each test states the behaviour a user sees, on real message bytes."""

from __future__ import annotations

import pytest

from triage.judge import load_signals
from triage.judge.examples import example_inquiry
from triage.parse import parse_message
from triage.profile import demo_profile_path, load_profile


def _mail(headers: str, body: str = "Please quote 500 pcs.\n") -> bytes:
    return (headers.strip("\n") + "\n\n" + body).replace("\n", "\r\n").encode("utf-8")


@pytest.mark.parametrize(("header", "name", "address"), [
    ("From: John Smith <John.Smith@Acme-Electric.com>", "John Smith", "john.smith@acme-electric.com"),
    ('From: "Smith, J." <j@acme.example>', "Smith, J.", "j@acme.example"),
    ("From: <j@acme.example>", "", "j@acme.example"),
    ("From: j@acme.example", "", "j@acme.example"),
    ("From: j@acme.example (John at Acme)", "John at Acme", "j@acme.example"),
    ("From: =?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jose@acme.example>", "José Pérez", "jose@acme.example"),
    ("From: Nobody", "", None),
])
def test_sender_name_and_address(header, name, address):
    message = parse_message(_mail(header + "\nSubject: RFQ"))
    assert (message.from_name, message.from_email) == (name, address)


def test_an_encoded_display_name_cannot_pose_as_the_address():
    raw = _mail("From: =?utf-8?q?PayPal_=3Cservice=40paypal=2Ecom=3E?= <x@evil.example>\nSubject: account")
    message = parse_message(raw)
    assert message.from_email == "x@evil.example"
    assert "paypal.com" in message.from_name


def test_an_address_a_broken_mailer_encoded_is_still_read():
    message = parse_message(_mail("From: =?utf-8?q?Ann_=3Cann=40shop=2Eexample=3E?=\nSubject: RFQ"))
    assert message.from_email == "ann@shop.example"


def test_every_recipient_of_a_header_is_kept_lower_case():
    raw = _mail('From: a@b.example\nTo: "Sales, Team" <Sales@Us.example>, boss@us.example\n'
                "Cc: undisclosed-recipients:;\nReply-To: Buyer <Buyer@Else.example>\nSubject: RFQ")
    message = parse_message(raw)
    assert message.to == ["sales@us.example", "boss@us.example"]
    assert message.cc == []
    assert message.reply_to == ["buyer@else.example"]


def test_multipart_parts_are_read_in_their_charsets_and_attachments_only_listed():
    raw = (b'From: a@b.example\r\nSubject: RFQ\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n'
           b'--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n'
           b'--b2\r\nContent-Type: text/plain; charset="ISO-8859-1"\r\n\r\nDie Gr\xf6\xdfe: 500 St\xfcck\r\n'
           b'--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML twin</p>\r\n--b2--\r\n'
           b'--b1\r\nContent-Type: application/pdf; name="spec.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
           b'JVBERi0xLjQK\r\n--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=list.txt'
           b'\r\n\r\nnot the body\r\n--b1--\r\n')
    message = parse_message(raw)
    assert "Die Größe: 500 Stück" in message.text
    assert "not the body" not in message.text and "HTML twin" not in message.text
    assert [(a.name, a.type) for a in message.attachments] == [("spec.pdf", "application/pdf"),
                                                               ("list.txt", "text/plain")]


def test_a_message_without_a_closing_boundary_or_blank_line_is_still_read():
    unclosed = _mail('From: a@b.example\nSubject: RFQ\nContent-Type: multipart/mixed; boundary="b1"',
                     "--b1\nContent-Type: text/plain\n\nno close, 200 pcs\n")
    assert "200 pcs" in parse_message(unclosed).text
    no_blank = b"From: a@b.example\r\nSubject: RFQ\r\nthis line is body text\r\n300 pcs\r\n"
    assert "300 pcs" in parse_message(no_blank).text


def test_a_forwarded_message_is_read_as_its_own_message():
    raw = (b'From: a@b.example\r\nSubject: Fwd\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
           b'--b\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n'
           b'--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: Buyer <buyer@shop.example>\r\nSubject: RFQ\r\n\r\n'
           b'1,000 GFCI outlets please\r\n--b--\r\n')
    message = parse_message(raw)
    assert [m.from_email for m in message.forwarded] == ["buyer@shop.example"]
    assert "1,000 GFCI" in message.forwarded[0].text


def _contradiction(country: str, signature: str) -> str | None:
    signals = load_signals()
    inquiry, history = example_inquiry({"country": country, "signature": signature})
    hits = {h.name: h.evidence for h in signals.evaluate(inquiry, load_profile(demo_profile_path()), history)}
    return hits.get("story_contradicts")


@pytest.mark.parametrize(("country", "signature", "region"), [
    ("AE", "Tel: +971 4 887 5214", None),           # one region for the code
    ("US", "Mobile: +1 809 555 0148", "DO"),        # +1: the full number says the Dominican Republic
    ("US", "O: +1 713-555-0148", None),
    ("GB", "Tel: +7 495 123 45 67", "RU"),          # +7 is shared by Russia and Kazakhstan
    ("DE", "Tel: +49 (0) 30 1234567", None),
    ("BR", "Tel: +57 310 555 4412", "CO"),
])
def test_the_phone_region_is_the_one_phonenumbers_reads(country, signature, region):
    found = _contradiction(country, signature)
    assert found == (f"claims {country}, but phone of {region}" if region else None)


@pytest.mark.parametrize(("encoding", "note"), [("utf-8", False), ("cp1252", True)])
def test_raw_eight_bit_headers_are_read_not_replaced(encoding, note):
    """Many mailers write names and subjects as raw UTF-8 (RFC 6532), some in a legacy charset:
    the name and subject arrive whole, not as 'Wi\ufffd\ufffdniewska'."""
    raw = ("From: Agnieszka Wiśniewska <a.w@voltmarket.example>\nReply-To: Zoë Müller <zoe@voltmarket.example>\n"
           "Subject: Zapytanie ofertowe – gniazda 16A, cały katalog\n\nProsimy o ofertę.\n")
    if encoding == "cp1252":
        raw = raw.replace("ś", "s").replace("ł", "l").replace("ę", "e")  # what cp1252 can write
    message = parse_message(raw.replace("\n", "\r\n").encode(encoding))
    expected = "Agnieszka Wiśniewska" if encoding == "utf-8" else "Agnieszka Wisniewska"
    assert message.from_name == expected
    assert "\ufffd" not in message.subject and message.subject.startswith("Zapytanie ofertowe")
    assert message.reply_to == ["zoe@voltmarket.example"]
    assert any("read as" in n for n in message.notes) == note
