"""The parse stage on real messages: samples, hand-built MIME edge cases, talon replies, forge signatures."""

from __future__ import annotations

import email.message
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from pathlib import Path

from conftest import CORPORA, INQUIRIES, needs_shared
from triage.errors import ParseError
from triage.inputs import items, split_mbox
from triage.mailtext import split_quote, split_signature
from triage.parse import parse_message, parse_pasted, sniff

pytestmark = needs_shared(INQUIRIES)


def parse_sample(name: str):
    path = INQUIRIES / name
    return next(items([str(path)])).parse()


def test_plain_outlook_message_headers_body_and_signature():
    m = parse_sample("d001.eml")
    assert m.from_email == "rdawson@brazosgulf-elec.com"
    assert m.from_name == "Rick Dawson"
    assert m.message_id.startswith("<SA1PR19MB5127")
    assert m.date.year == 2026 and m.date.month == 11
    assert "dkim=pass" in m.auth_results
    assert "Need pricing on" in m.body
    assert m.signature.splitlines()[0] == "Rick Dawson"
    assert "Director of Purchasing" not in m.body


def test_gbk_encoded_words_and_base64_gbk_body():
    m = parse_sample("d047.eml")
    assert "Big" in m.subject and any("\u4e00" <= ch <= "\u9fff" for ch in m.subject)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in m.body)
    assert m.from_email == "tina.wang@brightline-electrical.com"


def test_quoted_printable_windows_1252():
    m = parse_sample("d013.eml")
    assert m.body.startswith("¡Muy buenas tardes")
    assert "“Norte Pro”" in m.body


def test_reply_keeps_only_the_new_text():
    m = parse_sample("d005.eml")
    assert "trial order" in m.body
    assert "Please find our quotation below" not in m.new_text
    assert "Please find our quotation below" in m.quoted


def build(parts, **headers) -> bytes:
    msg = MIMEMultipart("mixed") if len(parts) > 1 else parts[0]
    if len(parts) > 1:
        for part in parts:
            msg.attach(part)
    for key, value in {"From": "Ann <ann@example.org>", "Subject": "RFQ", **headers}.items():
        msg[key] = value
    return msg.as_bytes()


def test_html_only_body_becomes_text_and_links_are_kept():
    html = MIMEText('<html><body><p>Dear Supplier,</p><p>Please <a href="http://evil.example/login">'
                    "view the order</a> today.</p><blockquote>old mail</blockquote></body></html>", "html")
    m = parse_message(build([html]))
    assert m.from_html
    assert "Dear Supplier," in m.body and "view the order" in m.body
    assert m.links[0].href == "http://evil.example/login" and m.links[0].text == "view the order"
    assert "old mail" in m.quoted and "old mail" not in m.new_text


def test_attachments_are_recorded_not_decoded_to_disk(tmp_path):
    body = MIMEText("See the order attached.")
    attachment = MIMEApplication(b"x" * 3000, Name="PO_2291.pdf.html")
    attachment["Content-Disposition"] = 'attachment; filename="PO_2291.pdf.html"'
    m = parse_message(build([body, attachment]))
    assert [(a.name, a.type) for a in m.attachments] == [("PO_2291.pdf.html", "application/octet-stream")]
    assert 2900 <= m.attachments[0].size <= 3100
    assert list(tmp_path.iterdir()) == []


def test_wrong_and_unknown_charsets_fall_back_with_a_note():
    raw = (b"From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=klingon\n\n"
           b"Caf\xe9 \x93quoted\x94 price")
    m = parse_message(raw)
    assert "Café" in m.body and "“quoted”" in m.body
    assert any("klingon" in n for n in m.notes)
    raw = b"From: a@b.example\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n\xff\xfe broken utf8"
    assert "broken utf8" in parse_message(raw).body


def test_missing_and_duplicate_headers():
    m = parse_message(b"From: one@a.example\nFrom: two@b.example\nDate: not a date\n\nhello there")
    assert m.from_email == "one@a.example"
    assert m.date is None and m.subject == ""
    assert any("several From" in n for n in m.notes) and any("Date" in n for n in m.notes)


def test_nested_forwarded_message():
    inner = email.message.EmailMessage()
    inner["From"] = "Buyer <buyer@shop.example>"
    inner["Subject"] = "Need 5000 sockets"
    inner.set_content("Please quote 5,000 pcs Schuko socket 16A.")
    outer = email.message.EmailMessage()
    outer["From"] = "colleague@brightline-electrical.com"
    outer["Subject"] = "Fwd: Need 5000 sockets"
    outer.set_content("FYI")
    outer.add_attachment(inner)
    m = parse_message(outer.as_bytes())
    assert m.forwarded and m.forwarded[0].from_email == "buyer@shop.example"
    assert "5,000 pcs" in m.forwarded[0].body


def test_not_mail_and_empty_input_are_clear_errors():
    with pytest.raises(ParseError):
        parse_message(b"")
    with pytest.raises(ParseError):
        parse_pasted("   \n ")


def test_mbox_is_split_into_messages():
    raw = (b"From a@b Mon Nov  2 10:00:00 2026\nFrom: a@b.example\nSubject: one\n\nfirst\n>From the start\n\n"
           b"From c@d Mon Nov  2 11:00:00 2026\nFrom: c@d.example\nSubject: two\n\nsecond\n")
    assert sniff(raw) == "mbox"
    messages = split_mbox(raw)
    assert len(messages) == 2 and b"From the start" in messages[0]


def test_sniff_tells_mail_from_pasted_text():
    assert sniff((INQUIRIES / "d001.eml").read_bytes(), "x") == "eml"
    assert sniff((INQUIRIES / "d014.txt").read_bytes(), "d014.txt") == "text"


def test_whatsapp_chat_keeps_the_buyers_lines():
    m = parse_sample("d009.txt")
    assert m.platform == "whatsapp"
    assert "I need 13A switched socket" in m.body
    assert "How can I help you" not in m.body  # the seller's own line
    assert m.date.day == 10 and m.date.month == 11


def test_platform_fields_are_read_as_facts():
    m = parse_sample("d014.txt")
    assert m.platform == "made-in-china"
    assert m.platform_fields["company"] == "Hung Phat Trading Co., Ltd"
    assert m.platform_fields["country"] == "Vietnam"
    assert m.platform_fields["quantity"].startswith("1,000")


@needs_shared(CORPORA)
def test_talon_standard_replies_keep_only_the_reply():
    folder = CORPORA / "talon" / "standard_replies"
    for path in sorted(folder.glob("*.eml")):
        expected_file = folder / f"{path.stem}_reply_text"
        expected = expected_file.read_text().strip() if expected_file.exists() else "Hello"
        got = parse_message(path.read_bytes()).new_text
        assert " ".join(got.split()) == " ".join(expected.split()), path.name


@needs_shared(CORPORA)
def test_talon_html_replies_drop_the_quoted_history():
    from triage.htmltext import html_to_text

    good = 0
    files = sorted((CORPORA / "talon" / "html_replies").glob("*.html"))
    for path in files:
        new, _, _ = split_quote(html_to_text(path.read_text(errors="replace")))
        good += " ".join(new.split()) in ("Hi. I am fine. Thanks, Alex",)
    assert good >= len(files) - 1


def forge_signature_scores() -> tuple[float, float]:
    tp = fp = fn = 0
    for folder in ("P", "N"):
        for path in sorted((CORPORA / "forge" / folder).glob("*_body")):
            lines = path.read_text(errors="replace").split("\n")
            marked = [(ln[5:], True) if ln.startswith("#sig#") else (ln, False) for ln in lines]
            _, signature = split_signature("\n".join(text for text, _ in marked))
            nonblank = [truth for text, truth in marked if text.strip()]
            k = len([ln for ln in signature.split("\n") if ln.strip()])
            predicted = [False] * (len(nonblank) - k) + [True] * k
            tp += sum(t and p for t, p in zip(nonblank, predicted))
            fp += sum(p and not t for t, p in zip(nonblank, predicted))
            fn += sum(t and not p for t, p in zip(nonblank, predicted))
    return tp / (tp + fp), tp / (tp + fn)


@needs_shared(CORPORA)
def test_forge_signature_lines_precision_and_recall():
    precision, recall = forge_signature_scores()
    print(f"forge signature lines: precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.80 and recall >= 0.65


def test_pasted_mail_with_its_header_lines():
    text = ("From: Tomasz Kowal <t.kowal@elmax.example>\nSent: Tuesday, 17 November 2026 09:12\n"
            "To: sales@brightline-electrical.com\nSubject: LED downlights\n"
            "Hello, we need 2000 pcs LED downlight 12W, CE, CIF Gdansk.\nRegards\nTomasz Kowal")
    m = parse_pasted(text)
    assert (m.from_name, m.from_email, m.subject) == ("Tomasz Kowal", "t.kowal@elmax.example", "LED downlights")
    assert m.body.startswith("Hello, we need 2000 pcs") and "Subject:" not in m.body
    assert m.date.day == 17 and m.date.month == 11


def test_an_encoded_display_name_cannot_forge_the_sender_address():
    raw = b"From: =?utf-8?q?PayPal_=3Cservice=40paypal=2Ecom=3E?= <x@evil-phish.example>\nSubject: x\n\nhello"
    m = parse_message(raw)
    assert m.from_email == "x@evil-phish.example"
    assert "paypal" in m.from_name.lower()


def test_pasted_text_starting_with_from_is_not_an_mbox():
    raw = b"From the Canton Fair last month, we would like your price for 2,000 pcs 13A sockets.\nThanks, Ali"
    assert sniff(raw, "note.txt") == "text"
    assert sniff(raw) == "text"


def test_directory_scan_skips_hidden_folders_and_files_that_are_not_mail(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "LICENSE").write_text("MIT License\n\nPermission is hereby granted")
    (tmp_path / "Inbox").write_bytes(b"From a@b.example Mon Nov  2 10:00:00 2026\nFrom: a@b.example\nSubject: one\n\nhi\n")
    (tmp_path / "rfq.eml").write_bytes(b"From: c@d.example\nSubject: RFQ\n\nPlease quote.\n")
    labels = sorted(Path(item.label).name for item in items([str(tmp_path)]))
    assert labels == ["Inbox#1", "rfq.eml"]
