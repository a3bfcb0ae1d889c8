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
from triage.parse import html_links, html_to_text, parse_message, parse_pasted, sniff

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


@FUZZ
@given(st.data())
def test_truncated_real_mail(data):
    raw = data.draw(st.sampled_from(_samples()))
    cut = data.draw(st.integers(0, len(raw)))
    kind = sniff(raw[:cut])
    _through_extract(_read(raw[:cut], "eml" if kind == "mbox" else kind))


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
