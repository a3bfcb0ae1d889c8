"""Hostile and broken input, property-based: the parse and extract stages never crash.

Random bytes, truncated and mutated versions of real mail (../shared/corpora and
../shared/inquiries) and random Unicode text go through ``parse_item``,
``parse_message``, ``parse_pasted`` and ``extract``. Each either gives a Message
(and an Inquiry) or raises ``ParseError``; nothing else may escape.
"""

from __future__ import annotations

import os
import random
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CORPORA, INQUIRIES
from triage.errors import ParseError
from triage.extract import extract
from triage.inputs import Item, parse_item, split_mbox
from triage.model import Inquiry, Message
from triage.htmltext import html_links, html_to_text
from triage.parse import parse_message, parse_pasted, sniff

# Fixed examples in CI; TRIAGE_FUZZ=5000 runs a longer, random search.
_SCALE = int(os.environ.get("TRIAGE_FUZZ", "0"))
FUZZ = settings(max_examples=_SCALE or 60, deadline=None, database=None, derandomize=not _SCALE,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@cache
def _profile():
    from triage.profile import load_profile

    return load_profile()


@cache
def _samples() -> tuple[bytes, ...]:
    """Real messages: every labelled inquiry and a spread of the corpora (smallest first, < 200 kB)."""
    files = sorted(p for folder in (INQUIRIES, CORPORA) if folder.exists() for p in folder.rglob("*")
                   if p.is_file() and p.suffix not in (".json", ".xml", ".md") and "LICENSE" not in p.name)
    raws = [p.read_bytes() for p in files]
    return tuple(r for r in raws if 0 < len(r) < 200_000)


needs_samples = pytest.mark.skipif(not (INQUIRIES.exists() or CORPORA.exists()),
                                   reason="../shared (inquiries, corpora) is not beside the checkout: no real mail to mutate")


def _read(raw: bytes, kind: str) -> Message | None:
    """The parse stage on raw input; ParseError is the one allowed failure."""
    try:
        message = parse_item(Item("<fuzz>", kind, raw=raw))
    except ParseError as exc:
        assert str(exc).startswith("<fuzz>: ") and "\n" not in str(exc)
        return None
    assert isinstance(message, Message)
    return message


def _through_extract(message: Message | None) -> None:
    if message is not None:
        assert isinstance(extract(message, _profile()), Inquiry)


def _mutate(raw: bytes, seed: int) -> bytes:
    """A few random edits: flipped bytes, cut or repeated chunks, stray boundaries, junk headers."""
    rnd = random.Random(seed)
    data = bytearray(raw)
    for _ in range(rnd.randint(1, 6)):
        at = rnd.randrange(len(data) + 1)
        choice = rnd.randrange(6)
        if choice == 0 and data:
            data[min(at, len(data) - 1)] = rnd.randrange(256)
        elif choice == 1:
            del data[at : at + rnd.randint(1, 400)]
        elif choice == 2:
            chunk = data[at : at + rnd.randint(1, 400)]
            data[at:at] = chunk * rnd.randint(1, 20)
        elif choice == 3:
            data[at:at] = rnd.choice([b"\r\n--", b"\n\n", b"=?utf-8?b?", b"Content-Type: multipart/mixed; boundary=x\n",
                                      b"\x00", b"\xff\xfe", b"<blockquote>", b"charset=\"x-unknown\"", b"=\n"])
        elif choice == 4:
            data[at:at] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64)))
        else:
            data = data[:at]
    return bytes(data)


@FUZZ
@given(st.binary(max_size=4096), st.sampled_from(["eml", "text", "mbox"]))
def test_random_bytes_give_a_message_or_a_parse_error(raw, kind):
    items = [Item("<fuzz>", "eml", raw=m) for m in split_mbox(raw)] if kind == "mbox" else [Item("<fuzz>", kind, raw=raw)]
    for item in items:
        _through_extract(_read(item.raw, item.kind))


@FUZZ
@given(st.binary(max_size=2048))
def test_parse_message_raises_only_parse_error(raw):
    try:
        message = parse_message(raw)
    except ParseError:
        return
    assert isinstance(message, Message)


@needs_samples
@FUZZ
@given(st.data())
def test_truncated_real_mail(data):
    raw = data.draw(st.sampled_from(_samples()))
    cut = data.draw(st.integers(0, len(raw)))
    kind = sniff(raw[:cut])
    _through_extract(_read(raw[:cut], "eml" if kind == "mbox" else kind))


@needs_samples
@settings(FUZZ, max_examples=_SCALE or 200)
@given(st.data())
def test_mutated_real_mail(data):
    raw = data.draw(st.sampled_from(_samples()))
    mutated = _mutate(raw, data.draw(st.integers(0, 2**32)))
    _through_extract(_read(mutated, "eml"))
    _through_extract(_read(mutated, "text"))


@FUZZ
@given(st.text(max_size=3000))
def test_random_unicode_pasted_text(text):
    try:
        message = parse_pasted(text)
    except ParseError:
        assert not text.replace("\ufeff", "").strip()
        return
    _through_extract(message)


@FUZZ
@given(st.lists(st.sampled_from(["From: a@b.com", "Subject: x", "Label: value", "> quoted", "-- ", "Best regards,",
                                 "10/11/2026, 09:14 - Ana: hi", "Tel: +1 555 0100", "www.x.com", "Message:", "",
                                 "On Mon, Bob wrote:", "-----Original Message-----", "\u202e\u0000\x1b[2J"]),
                max_size=80),
       st.text(max_size=200))
def test_text_made_of_mail_fragments(lines, noise):
    _through_extract(_read(("\n".join(lines) + noise).encode("utf-8", "surrogatepass"), "text"))


@FUZZ
@given(st.lists(st.sampled_from(list("<>/ab =\"'&;#x\n") + ["<a href=", "</a>", "<div>", "<blockquote>", "</blockquote>",
                                                             "<script>", "<!--", "]]>", "\ud800", "&#0;"]),
                max_size=1000).map("".join))
def test_html_to_text_and_links_never_fail(html):
    assert isinstance(html_to_text(html, []), str)
    assert all(link.href for link in html_links(html))


def test_samples_are_there():
    if not (INQUIRIES.exists() or CORPORA.exists()):
        pytest.skip("../shared is not beside the checkout")
    assert len(_samples()) > 200


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x00\x08\r"


def _has_control(text: str) -> bool:
    return any(ch in text for ch in "\x1b\x07\x9b\x00\x08\r")


def test_terminal_escapes_from_the_buyer_are_dropped_at_parse():
    raw = (f"From: Evil {ESCAPES} <evil@example.com>\nSubject: RFQ {ESCAPES} now\n"
           "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=X\n\n"
           f"--X\nContent-Type: text/plain\n\nHello {ESCAPES} we need 500 pcs.\n"
           f"--X\nContent-Type: application/x-\x1b[2J; name=\"a{ESCAPES}.pdf\"\n\nxx\n--X--\n").encode("utf-8")
    message = parse_message(raw)
    for text in (message.subject, message.from_name, message.text, message.body,
                 message.attachments[0].name, message.attachments[0].type):
        assert not _has_control(text), repr(text)
    pasted = parse_pasted(f"From: Evil <e@x.com>\nSubject: hi {ESCAPES}\n\nWe need {ESCAPES} 500 pcs")
    assert not _has_control(pasted.subject) and not _has_control(pasted.text)


def test_report_safe_strips_what_repaints_a_terminal():
    from triage.report import safe

    assert safe(f"a{ESCAPES}b\u202e\ud800") == "a[2J]0;pwned31mb\ufffd"
    assert safe("line one\nline two\ttab") == "line one\nline two\ttab"


def test_the_cli_prints_no_escape_from_a_hostile_message(tmp_path):
    from click.testing import CliRunner

    from triage.cli import main

    path = tmp_path / "evil.eml"
    path.write_bytes(f"From: Evil <evil@evil-{'x'}.com>\nSubject: RFQ {ESCAPES}\nMessage-ID: <e@x>\n\n"
                     f"We need 500 pcs {ESCAPES} of LED panels.\n\nRegards,\nEvil {ESCAPES}\nCEO\n".encode())
    runner = CliRunner()
    for args in (["inquiry", "--offline", str(path)], ["list"], ["show", "1"], ["queue"], ["draft", "1"],
                 ["export", "--format", "csv"]):
        result = runner.invoke(main, args, catch_exceptions=False)
        assert not _has_control(result.output.replace("\r\n", "\n")), (args, result.output)
