"""HTML bodies for the parse stage: their readable text (blockquotes kept as "> " quoting) and their links.

Bounded for hostile mail: bodies are cut at ``limits.MAX_HTML_BYTES``, links at ``limits.MAX_LINKS``,
and finding anchors stays linear in the body's size.
"""

from __future__ import annotations

import re

from triage import limits
from triage.matching import Matcher
from triage.model import Link

_A_OPEN = re.compile(r"<a\b", re.I)
_A_CLOSE = re.compile(r"</a\s*>", re.I)
_HREF = re.compile(r"href\s*=\s*[\"']?([^\"' >]+)", re.I)
_TAG = re.compile(r"<[^<>]+>")
_SPACE = re.compile(r"\s+")
URL = Matcher(re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\])]+", re.I))  # tried only after 'http', 'www.'


def html_links(html: str) -> list[Link]:
    """Links of an HTML body, (text, href), in order; nested anchors are read as one.

    Linear in the size of the body: the end of each start tag is found once (str.find, which
    anchors that start before it share) and the closing ``</a>`` looked up in a position list,
    so unclosed anchors cannot make it quadratic.
    """
    html = html[: limits.MAX_HTML_BYTES]
    closes = [(m.start(), m.end()) for m in _A_CLOSE.finditer(html)]
    links, pos, tag_end = [], 0, -1  # tag_end: the first '>' at or after the last start (len(html): none)
    for start in (m.start() for m in _A_OPEN.finditer(html)):
        if start < pos:
            continue
        if tag_end < start:
            found = html.find(">", start)
            tag_end = len(html) if found < 0 else found
        link, end = _anchor(html, start, tag_end if tag_end < len(html) else None, closes)
        if link is not None:
            links.append(link)
            pos = end
            if len(links) >= limits.MAX_LINKS:
                break
    return links


def _anchor(html: str, start: int, tag_end: int | None, closes: list[tuple[int, int]]) -> tuple[Link | None, int]:
    """The link whose start tag begins at ``start`` and ends at ``tag_end`` (None: no '>' after
    it), and where its closing tag ends."""
    from bisect import bisect_left

    j = bisect_left(closes, (tag_end + 1, 0)) if tag_end is not None else len(closes)
    href = _HREF.search(html, start, tag_end) if tag_end is not None and tag_end - start < 8192 else None
    if href is None or j >= len(closes):
        return None, start
    inner = html[tag_end + 1 : closes[j][0]]
    text = _SPACE.sub(" ", _unescape(_TAG.sub(" ", inner[:20_000]))).strip()
    return Link(text=text, href=_unescape(href.group(1)).strip()), closes[j][1]


def text_links(text: str) -> list[Link]:
    urls = [m.group() for m in URL.finditer(text)]  # URL.findall(text)
    return [Link(text=u, href=u) for u in urls[: limits.MAX_LINKS]]


def dedupe(links: list[Link]) -> list[Link]:
    seen, out = set(), []
    for link in links:
        if (link.text, link.href) not in seen:
            seen.add((link.text, link.href))
            out.append(link)
    return out


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


_BLOCK_TAGS = ("p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr", "pre")


def html_to_text(html: str, notes: list[str] | None = None) -> str:
    """Readable text of an HTML body; blockquotes become '> ' lines so quoting can be found.

    lxml parses (about 20x faster than building a BeautifulSoup tree on this machine);
    BeautifulSoup stays as the fallback for markup lxml refuses.
    """
    if len(html) > limits.MAX_HTML_BYTES:
        if notes is not None:
            notes.append(f"HTML body of {len(html):,} characters cut to {limits.MAX_HTML_BYTES:,}")
        html = html[: limits.MAX_HTML_BYTES]
    try:
        text = _lxml_text(html.encode("utf-8", "replace").decode("utf-8"))  # lone surrogates become '?'
    except Exception:  # noqa: BLE001 - lxml refuses some broken markup; fall back, never crash
        text = _soup_text(html) if len(html) < _SOUP_MAX_CHARS else _unescape(_TAG.sub(" ", html))
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def _lxml_text(html: str) -> str:
    """lxml's parser calls :class:`_TextTarget` back for each tag and string: no tree is built,
    so the cost stays linear however deep the nesting (100,000 nested tags) and no text is lost
    below libxml2's tree depth limit."""
    from lxml import etree

    if not html.strip():
        return ""
    parser = etree.HTMLParser(target=_TextTarget(), recover=True, huge_tree=True)
    parser.feed(html)
    return parser.close()


class _TextTarget:
    """Text from parser events: skipped tags dropped, a newline after each block tag, and each
    outermost blockquote's text as '> ' lines."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.skipping = 0
        self.quoting = 0
        self.quote: list[str] = []

    def start(self, tag: object, attrib: object = None) -> None:
        tag = _local(tag)
        if self.skipping or tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "blockquote":
            self.quoting += 1

    def end(self, tag: object) -> None:
        tag = _local(tag)
        if self.skipping:
            self.skipping -= 1
        elif tag == "blockquote" and self.quoting:
            self.quoting -= 1
            if not self.quoting:
                lines = "".join(self.quote).splitlines()
                self.out.append("\n" + "\n".join("> " + line for line in lines) + "\n")
                self.quote = []
        elif tag in _BLOCK_TAGS and not self.quoting:
            self.out.append("\n")

    def data(self, text: str) -> None:
        if not self.skipping:
            (self.quote if self.quoting else self.out).append(text)

    def comment(self, text: str) -> None:
        pass

    def close(self) -> str:
        return "".join(self.out + self.quote)


def _local(tag: object) -> str:
    return tag.lower() if isinstance(tag, str) else ""


_SKIPPED_TAGS = frozenset(("script", "style", "head", "title"))
_SOUP_MAX_CHARS = 100_000  # BeautifulSoup's tree edits are quadratic: only small bodies fall back to it


def _soup_text(html: str) -> str:
    import warnings

    from bs4 import BeautifulSoup, XMLParsedAsHTMLWarning

    warnings.filterwarnings("ignore", category=XMLParsedAsHTMLWarning)
    try:
        soup = BeautifulSoup(html, "html.parser")
    except (RecursionError, ValueError, AssertionError):
        return _unescape(_TAG.sub(" ", html))
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    for quote in soup.find_all("blockquote"):
        lines = quote.get_text("\n").splitlines()
        quote.replace_with("\n" + "\n".join("> " + line for line in lines) + "\n")
    for tag in soup.find_all(list(_BLOCK_TAGS)):
        tag.insert_after("\n")
    return soup.get_text()
