"""The parse stage's fast paths give exactly what the plain code they replace gives."""

from __future__ import annotations

import re

from randomtext import random_texts

from triage import htmltext, limits, parse


def _random_texts(seed: int, alphabet: str, pieces: list[str], count: int, size: int = 12) -> list[str]:
    """Half random characters of ``alphabet`` (up to ``size``), half runs of ``pieces`` (up to ``size // 2``):
    the second kind reaches the fast paths, the first their edges."""
    return (random_texts(2 * seed, count // 2, alphabet=alphabet, word_share=0, parts=(1, 1), piece=(0, size))
            + random_texts(2 * seed + 1, count - count // 2, words=pieces, word_share=1, parts=(0, size // 2),
                           joiners=("",)))


def test_text_links_finds_what_findall_finds():
    pieces = ["http://", "HTTPS://", "hTtPſ://", "www.", "WwW.", "x", "_", "é", " ", "\n", "a.b/c", "<", ")", "'",
              "http:/", "wwww.", "ſ", "9", "—"]
    for text in _random_texts(1, "hHtTpPsSſwW:/.x_é 9\n<'", pieces, 20_000, 30):
        assert [link.href for link in htmltext.text_links(text)] == htmltext.URL.regex.findall(text)[: limits.MAX_LINKS]


def test_header_end_is_where_the_blank_line_pattern_starts():
    pattern = re.compile(rb"\r?\n\r?\n")
    for text in _random_texts(2, "\r\na:", ["\r\n", "\n", "\r", "x: y", "\r\n\r\n", "\n\n"], 20_000, 10):
        raw = text.encode()
        match = pattern.search(raw)
        assert parse._header_end(raw) == (match.start() if match else len(raw)), raw


def test_header_text_folds_white_space_and_drops_controls_as_the_regexes_did():
    from triage.mailtext import CONTROL

    pieces = [" ", "  ", "\t", "\r\n ", "\x01", "\x0b", "\x1c", "\x85", "\x7f", "\x9f", "\xa0", "\u2028", "\u3000",
              "Re:", "Subject", "é", "\x00"]
    for text in _random_texts(6, " \t\n\x01\x0b\x1c\x1f\x85\x9f\xa0\u2028ab", pieces, 20_000, 10):
        assert parse.header_text(text) == CONTROL.sub("", re.sub(r"\s+", " ", text)).strip(), repr(text)


def test_chat_turn_skips_only_lines_no_chat_pattern_matches():
    from triage import mailtext

    pieces = ["10/11/2026", ", ", "09:14", " - ", "Name", ": ", "[9:05 PM", "2026/10/28 15:02:13", "  ", "Lisa",
              "]", "hello", "\n", ":"]
    for line in _random_texts(7, "0129/:-[] APMab", pieces, 20_000, 14):
        plain = next((p.match(line.strip()) for p in mailtext._CHAT_PATTERNS if p.match(line.strip())), None)
        assert (mailtext._chat_turn(line) is None) == (plain is None), line
        assert ":" in line or plain is None


def test_label_lines_are_the_lines_label_re_matches():
    from triage import mailtext

    r = mailtext.rules()
    pieces = ["Name", "Company Name", "E-mail", "Quantity", "Message", "  ", ":", "：", " Lisa", "\t", "Qty", "é", "K"]
    for line in _random_texts(9, "NnAaMmEe:： \t", pieces, 20_000, 10):
        want, got = r.label_re.match(line), r.label(line)
        assert (got and got.groups()) == (want and want.groups()), line




def _html_links_by_position_lists(html: str) -> list:
    """html_links as it was written before (every '>' position listed, then bisected): the reference."""
    import html as html_module
    from bisect import bisect_left

    from triage.model import Link

    a_open, a_close = re.compile(r"<a\b", re.I), re.compile(r"</a\s*>", re.I)
    href_re, tag, space = re.compile(r"href\s*=\s*[\"']?([^\"' >]+)", re.I), re.compile(r"<[^<>]+>"), re.compile(r"\s+")
    html = html[: limits.MAX_HTML_BYTES]
    ends = [m.start() for m in re.finditer(">", html)]
    closes = [(m.start(), m.end()) for m in a_close.finditer(html)]
    links, pos = [], 0
    for start in (m.start() for m in a_open.finditer(html)):
        if start < pos:
            continue
        i = bisect_left(ends, start)
        j = bisect_left(closes, (ends[i] + 1, 0)) if i < len(ends) else len(closes)
        href = href_re.search(html, start, ends[i]) if i < len(ends) and ends[i] - start < 8192 else None
        if href is None or j >= len(closes):
            continue
        inner = html[ends[i] + 1 : closes[j][0]]
        text = space.sub(" ", html_module.unescape(tag.sub(" ", inner[:20_000]))).strip()
        links.append(Link(text=text, href=html_module.unescape(href.group(1)).strip()))
        pos = closes[j][1]
        if len(links) >= limits.MAX_LINKS:
            break
    return links


def test_html_links_finds_what_the_position_lists_found():
    pieces = ["<a href='x'>", '<A HREF="http://b.example/?q=1&amp;r=2">', "</a>", "</A >", ">", "<a", "<a name=x>",
              "text", " ", "<b>", "</b>", "&amp;", "<a href=y", "\n", "<ab>", "<"]
    for html in _random_texts(12, "<>/a= hrefx'\"", pieces, 20_000, 16):
        assert htmltext.html_links(html) == _html_links_by_position_lists(html), html
