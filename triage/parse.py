"""parse: an .eml, one message of an mbox, or pasted text -> :class:`Message`.

No network, no database. Messages are read with the standard library's
``email`` package in its fast ``compat32`` mode; only the headers and parts we
use are decoded. Charsets are decoded leniently (a wrong or unknown charset
falls back, with a note), attachments are recorded (name, type, size) and never
decoded to disk, and the body is split into the writer's new text, the quoted
history and the signature (see ``mailtext``).
"""

from __future__ import annotations

import email
import hashlib
import re
from email import policy
from email.header import decode_header
from email.message import Message as MimeMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from triage import limits, mailtext
from triage.errors import ParseError
from triage.model import Attachment, Link, Message

_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "utf-8", "ascii": "utf-8", "ks_c_5601-1987": "cp949", "x-sjis": "shift_jis", "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8", "x-unknown": "", "unknown-8bit": "", "default": "", "charset": "",
}
_HEADER_SPACE = re.compile(r"\s+")
_A_TAG = re.compile(r"<a\b[^>]*?href\s*=\s*[\"']?([^\"' >]+)[^>]*>(.*?)</a\s*>", re.I | re.S)
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"'\])]+", re.I)
_RISKY_HTML_BODY = re.compile(r"<\s*(?:script|form|iframe)\b", re.I)


# -- decoding helpers ------------------------------------------------------------


def decode_bytes(data: bytes, charset: str | None, notes: list[str] | None = None) -> str:
    """Decode ``data`` in its declared charset, falling back to UTF-8, then cp1252, then latin-1."""
    declared = (charset or "").strip().strip('"').lower()
    name = _CHARSET_ALIASES.get(declared, declared)
    for encoding in (name, "utf-8", "cp1252"):
        if not encoding:
            continue
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
        if notes is not None and declared and encoding != name:
            notes.append(f"charset {declared!r} did not decode; read as {encoding}")
        return text
    if notes is not None:
        notes.append(f"charset {declared or 'undeclared'!r} did not decode; read as latin-1")
    return data.decode("latin-1")


def header_text(value: object, notes: list[str] | None = None) -> str:
    """A header value as clean text: encoded words decoded, raw 8-bit bytes guessed, folding undone."""
    if value is None:
        return ""
    text = str(value)[: limits.MAX_HEADER_CHARS]
    if _has_surrogates(text):
        text = decode_bytes(text.encode("ascii", "surrogateescape"), "utf-8", notes)
    if "=?" in text:
        try:
            text = "".join(
                decode_bytes(chunk, charset, notes) if isinstance(chunk, bytes) else chunk
                for chunk, charset in decode_header(text)
            )
        except (ValueError, LookupError, AssertionError):
            pass  # leave the encoded words as they are
    return _HEADER_SPACE.sub(" ", text).strip()


def _has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _address(value: str) -> tuple[str, str | None]:
    name, addr = parseaddr(value)
    addr = addr.strip().strip("<>").lower()
    return name.strip().strip('"').strip(), addr if "@" in addr else None


def _addresses(values: list[str]) -> list[str]:
    return [a.lower() for _, a in getaddresses(values) if "@" in a]


def _date(value: str, notes: list[str]):
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        notes.append(f"unreadable Date header: {value[:60]!r}")
        return None


def _msgid(value: str) -> str | None:
    value = value.strip()
    match = re.search(r"<[^<>\s]+>", value)
    return match.group(0) if match else (value or None)


# -- message parsing -----------------------------------------------------------------


def parse_message(raw: bytes, *, kind: str = "eml", path: str | None = None) -> Message:
    """Parse one RFC 822 message (bytes) into a Message."""
    notes: list[str] = []
    if len(raw) > limits.MAX_MESSAGE_BYTES:
        notes.append(f"message of {len(raw):,} bytes cut to {limits.MAX_MESSAGE_BYTES:,}")
        raw = raw[: limits.MAX_MESSAGE_BYTES]
    if not raw.strip():
        raise ParseError("empty message")
    mime = email.message_from_bytes(raw, policy=policy.compat32)
    if not mime.keys():
        raise ParseError("no mail headers found: not an e-mail message")
    message = _from_mime(mime, kind=kind, path=path, notes=notes, depth=0)
    message.raw_hash = hashlib.sha256(raw).hexdigest()
    return message


def _from_mime(mime: MimeMessage, *, kind: str, path: str | None, notes: list[str], depth: int) -> Message:
    head = _headers(mime, notes)
    parts = _Parts(notes)
    parts.walk(mime, depth)
    message = Message(kind=kind, path=path, notes=notes, **head)
    message.attachments = parts.attachments
    message.forwarded = parts.forwarded
    text, links, from_html = parts.body()
    message.from_html = from_html
    message.links = links
    mailtext.fill(message, text)
    return message


def _headers(mime: MimeMessage, notes: list[str]) -> dict:
    get = lambda name: header_text(mime.get(name), notes)  # noqa: E731
    from_name, from_email = _address(get("From"))
    _, return_path = _address(get("Return-Path"))
    if len(mime.get_all("From") or []) > 1:
        notes.append("several From headers; the first was used")
    auth = mime.get_all("Authentication-Results") or []
    return {
        "message_id": _msgid(get("Message-ID")),
        "date": _date(get("Date"), notes),
        "subject": get("Subject"),
        "from_name": from_name,
        "from_email": from_email,
        "reply_to": _addresses([get("Reply-To")]),
        "return_path": return_path,
        "to": _addresses([get("To")]),
        "cc": _addresses([get("Cc")]),
        "in_reply_to": _msgid(get("In-Reply-To")),
        "references": re.findall(r"<[^<>\s]+>", get("References")),
        "auth_results": "\n".join(header_text(a, notes) for a in auth),
        "mailer": get("X-Mailer") or get("User-Agent"),
    }


class _Parts:
    """Walks the MIME tree once, collecting text bodies, attachments and forwarded messages."""

    def __init__(self, notes: list[str]):
        self.notes = notes
        self.plain: list[str] = []
        self.html: list[str] = []
        self.attachments: list[Attachment] = []
        self.forwarded: list[Message] = []
        self.count = 0
        self.skipped_attachments = 0

    def walk(self, part: MimeMessage, depth: int) -> None:
        self.count += 1
        if self.count > limits.MAX_PARTS:
            if self.count == limits.MAX_PARTS + 1:
                self.notes.append(f"more than {limits.MAX_PARTS} MIME parts; the rest were not read")
            return
        if depth > limits.MAX_DEPTH:
            if "MIME nesting" not in " ".join(self.notes):
                self.notes.append(f"MIME nesting deeper than {limits.MAX_DEPTH} levels was not read")
            return
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            self._forwarded(part, depth)
        elif part.is_multipart():
            children = part.get_payload()
            for child in children if isinstance(children, list) else []:
                if isinstance(child, MimeMessage):
                    self.walk(child, depth + 1)
        elif self._is_attachment(part, ctype):
            self._attachment(part, ctype)
        elif ctype == "text/html":
            self.html.append(self._text(part))
        else:
            self.plain.append(self._text(part))

    @staticmethod
    def _is_attachment(part: MimeMessage, ctype: str) -> bool:
        disposition = str(part.get("Content-Disposition", "")).lower()
        if disposition.startswith("attachment") or part.get_filename():
            return True
        return not ctype.startswith("text/") or ctype not in ("text/plain", "text/html")

    def _text(self, part: MimeMessage) -> str:
        payload = part.get_payload(decode=True) or b""
        if len(payload) > limits.MAX_DECODED_PART_BYTES:
            self.notes.append(f"a text part of {len(payload):,} bytes was cut")
            payload = payload[: limits.MAX_DECODED_PART_BYTES]
        return decode_bytes(payload, part.get_content_charset(), self.notes)

    def _attachment(self, part: MimeMessage, ctype: str) -> None:
        if len(self.attachments) >= limits.MAX_ATTACHMENTS:
            self.skipped_attachments += 1
            if self.skipped_attachments == 1:
                self.notes.append(f"more than {limits.MAX_ATTACHMENTS} attachments; the rest were counted only")
            return
        name = header_text(part.get_filename() or part.get_param("name") or "", self.notes)
        self.attachments.append(Attachment(name=name or "(unnamed)", type=ctype, size=_payload_size(part)))

    def _forwarded(self, part: MimeMessage, depth: int) -> None:
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) and inner else None
        name = header_text(part.get_filename() or "", self.notes) or "forwarded message"
        self.attachments.append(Attachment(name=name, type="message/rfc822", size=_payload_size(part)))
        if isinstance(inner, MimeMessage):
            self.forwarded.append(_from_mime(inner, kind="forward", path=None, notes=[], depth=depth + 1))

    def body(self) -> tuple[str, list[Link], bool]:
        """The readable text (plain preferred), the links, and whether the text came from HTML."""
        html = "\n".join(self.html)
        links = html_links(html) if html else []
        plain = "\n".join(p for p in self.plain if p.strip())
        if plain:
            return plain, _dedupe(links + text_links(plain)), False
        if html:
            return html_to_text(html, self.notes), links, True
        return "", [], False


def _payload_size(part: MimeMessage) -> int:
    payload = part.get_payload()
    if isinstance(payload, list):
        return sum(_payload_size(p) for p in payload if isinstance(p, MimeMessage))
    size = len(payload or "")
    if str(part.get("Content-Transfer-Encoding", "")).lower().strip() == "base64":
        size = size * 3 // 4
    return size


# -- HTML -----------------------------------------------------------------------


def html_links(html: str) -> list[Link]:
    links = []
    for href, inner in _A_TAG.findall(html[: limits.MAX_HTML_BYTES]):
        text = _HEADER_SPACE.sub(" ", _unescape(_TAG.sub(" ", inner))).strip()
        links.append(Link(text=text, href=_unescape(href).strip()))
        if len(links) >= limits.MAX_LINKS:
            break
    return links


def text_links(text: str) -> list[Link]:
    return [Link(text=u, href=u) for u in _URL.findall(text)[: limits.MAX_LINKS]]


def _dedupe(links: list[Link]) -> list[Link]:
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
        text = _lxml_text(html)
    except Exception:  # noqa: BLE001 - lxml refuses some broken markup; fall back, never crash
        text = _soup_text(html)
    text = re.sub(r"[ \t\xa0]+", " ", text)
    return re.sub(r"\n\s*\n\s*\n+", "\n\n", "\n".join(line.strip() for line in text.splitlines())).strip()


def _lxml_text(html: str) -> str:
    import lxml.html

    if not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    for bad in root.xpath("//script|//style|//head|//title"):
        bad.drop_tree()
    for quote in root.xpath("//blockquote[not(ancestor::blockquote)]"):
        lines = quote.text_content().splitlines()
        marker = lxml.html.Element("pre")
        marker.text = "\n" + "\n".join("> " + line for line in lines) + "\n"
        marker.tail = quote.tail
        quote.getparent().replace(quote, marker)
    for element in root.iter(*_BLOCK_TAGS):
        element.tail = "\n" + (element.tail or "")
    return root.text_content()


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


# -- pasted text ------------------------------------------------------------------


def parse_pasted(text: str, *, path: str | None = None) -> Message:
    """Text pasted at the prompt or saved as .txt: no headers, everything comes from the text."""
    notes: list[str] = []
    if len(text) > limits.MAX_TEXT_CHARS * 5:
        notes.append(f"pasted text of {len(text):,} characters cut")
        text = text[: limits.MAX_TEXT_CHARS * 5]
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\ufeff")
    if not text.strip():
        raise ParseError("empty text: nothing was pasted")
    message = Message(kind="text", path=path, notes=notes)
    message.raw_hash = hashlib.sha256(_normalised(text).encode("utf-8", "surrogatepass")).hexdigest()
    message.links = text_links(text)
    mailtext.fill(message, text)
    return message


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]?")
_MAIL_HEADERS = (b"from:", b"date:", b"subject:", b"received:", b"message-id:", b"mime-version:", b"return-path:",
                 b"to:", b"content-type:", b"delivered-to:", b"x-")


def sniff(raw: bytes, name: str = "") -> str:
    """'eml', 'mbox' or 'text' for the content of a file called ``name``."""
    lower = name.lower()
    if lower.endswith(".mbox") or raw.startswith(b"From ") and b"\n" in raw[:2000]:
        first = raw.split(b"\n", 1)[0]
        if raw.startswith(b"From ") and not first.rstrip().endswith(b":"):
            return "mbox"
    if lower.endswith((".eml", ".msg.txt")) or looks_like_mail(raw):
        return "eml"
    return "text"


def looks_like_mail(raw: bytes) -> bool:
    """True when the first lines are RFC 822 headers, mostly well-known ones."""
    head = raw[:8192].replace(b"\r\n", b"\n").lstrip().split(b"\n\n", 1)[0].split(b"\n")[:40]
    fields = [line for line in head if _HEADER_LINE.match(line)]
    known = [f for f in fields if f.lower().startswith(_MAIL_HEADERS)]
    return len(known) >= 2 and len(fields) >= max(2, len([h for h in head if h[:1] not in (b" ", b"\t")]) * 0.8)
