"""parse: an .eml, one message of an mbox, or pasted text -> :class:`Message`.

No network, no database. Messages are read with the standard library's
``email`` package in its fast ``compat32`` mode, and only by it (addresses by
``email.utils``); only the headers and parts we use are decoded. Charsets are decoded leniently (a wrong or unknown charset
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
from triage.htmltext import dedupe, html_links, html_to_text, text_links
from triage.errors import ParseError
from triage.model import Attachment, Link, Message

_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "gb_2312-80": "gb18030",
    "big5": "big5hkscs", "x-big5": "big5hkscs", "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "us-ascii": "utf-8", "ascii": "utf-8", "ks_c_5601-1987": "cp949", "x-sjis": "shift_jis", "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8", "x-unknown": "", "unknown-8bit": "", "default": "", "charset": "",
}
_MIME_TYPE = re.compile(r"[^\w.+/=-]")  # what may stay of a content type the sender wrote
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
    text = _eight_bit(str(value)[: limits.MAX_HEADER_CHARS], notes)
    if "=?" in text:
        try:
            text = "".join(
                decode_bytes(chunk, charset, notes) if isinstance(chunk, bytes) else chunk
                for chunk, charset in decode_header(text)
            )
        except (ValueError, LookupError, AssertionError):
            pass  # leave the encoded words as they are
    # " ".join(text.split()) is re.sub(r"\s+", " ", text) without a space at either end (str.split
    # and the regex's \s split at the same white space), which the final strip() removes anyway.
    return mailtext.CONTROL.sub("", " ".join(text.split())).strip()


_SURROGATE = re.compile("[\udc80-\udcff]")


def _eight_bit(text: str, notes: list[str] | None = None) -> str:
    """A header's raw 8-bit bytes (kept by compat32 as surrogates) read as UTF-8, else guessed."""
    if _has_surrogates(text):
        return decode_bytes(text.encode("ascii", "surrogateescape"), "utf-8", notes)
    return text


def _has_surrogates(text: str) -> bool:
    """Raw 8-bit bytes in a header (compat32 keeps them as surrogates); ASCII text has none."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def _address(value: str, notes: list[str] | None = None) -> tuple[str, str | None]:
    """(display name, address) of a header, the address read from the raw header.

    Encoded words may only hold the display name; decoding first would let a name like
    ``=?utf-8?q?PayPal_=3Cservice=40paypal=2Ecom=3E?= <x@evil.example>`` pass for paypal.com.
    """
    name, addr = parseaddr(value)
    if "@" not in addr and "=?" in value:  # a broken mailer encoded the address too
        name, addr = parseaddr(header_text(value, notes))
    addr = addr.strip().strip("<>").lower()
    return header_text(name, notes).strip().strip('"').strip(), addr if "@" in addr else None


def _addresses(value: str) -> list[str]:
    """Addresses read from one raw To/Cc/Reply-To header (see ``_address``)."""
    return [a.lower() for _, a in getaddresses([value]) if "@" in a]


def _date(value: str, notes: list[str]):
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        notes.append(f"unreadable Date header: {value[:60]!r}")
        return None


_MSGID = re.compile(r"<[^<>\s]+>")


def _msgid(value: str) -> str | None:
    value = value.strip()
    match = _MSGID.search(value)
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
    mime = _mime(bounded(raw, notes))
    if not mime.keys():
        raise ParseError("no mail headers found: not an e-mail message")
    try:
        message = _from_mime(mime, kind=kind, path=path, notes=notes, depth=0)
    except RecursionError:
        raise ParseError("message too deeply nested to read") from None
    message.raw_hash = hashlib.sha256(raw).hexdigest()
    return message


def _mime(raw: bytes) -> MimeMessage:
    try:
        return email.message_from_bytes(raw, policy=policy.compat32)
    except RecursionError:
        raise ParseError("message too deeply nested to read") from None


# -- bounding the raw message before the email package reads it ---------------------------
#
# The email package reads every header line and every part into objects and recurses once
# per nesting level, so a hostile message can cost minutes and gigabytes before our own walk
# starts. ``bounded`` rewrites such a message first; ordinary mail comes back unchanged.

_LONG_LINE = 4 * limits.MAX_HEADER_CHARS
_CONTENT_TYPE = re.compile(rb"content-type[ \t]*:(.*)", re.I | re.S)
_BOUNDARY = re.compile(rb'boundary\s*=\s*(?:"([^"]*)"|([^\s;]+))', re.I)
_USED_FIELD = re.compile(
    rb"(?:from|to|cc|subject|date|message-id|reply-to|return-path|in-reply-to|references|x-mailer|user-agent|"
    rb"authentication-results|mime-version|content-[\w-]+)[ \t]*:", re.I)


def bounded(raw: bytes, notes: list[str]) -> bytes:
    """``raw`` made cheap for the email package: the top header block within bounds, and the
    MIME structure cut at ``limits.MAX_PARTS`` parts and ``limits.MAX_DEPTH`` levels."""
    raw = _bounded_head(raw, notes)
    lowered = raw.lower()
    nesting = lowered.count(b"multipart/") + lowered.count(b"message/")
    del lowered
    if nesting > limits.MAX_DEPTH or raw.count(b"\n--") > limits.MAX_PARTS:
        raw = _Structure(raw, notes).bounded()
    return raw


def _bounded_head(raw: bytes, notes: list[str]) -> bytes:
    """The top-level header block with lines cut to a few header limits and at most
    ``limits.MAX_HEADER_FIELDS`` fields (past those, only the fields triage reads are kept)."""
    head_end = _header_end(raw)
    if head_end < _LONG_LINE and head_end < limits.MAX_HEADER_FIELDS * 16:
        return raw
    lines = raw[:head_end].split(b"\n")
    kept = _kept_fields(lines, notes)
    if any(len(line) > _LONG_LINE for line in kept):
        notes.append(f"header lines longer than {_LONG_LINE:,} characters were cut")
        kept = [line[:_LONG_LINE] for line in kept]
    if len(kept) == len(lines) and all(a is b for a, b in zip(kept, lines)):
        return raw
    return b"\n".join(kept) + raw[head_end:]


def _header_end(raw: bytes) -> int:
    """Where the first blank line starts (the first match of ``\\r?\\n\\r?\\n``), or len(raw). Its
    first newline is the first one followed by ``\\r?\\n``, found by two bytes.find: the regex has
    no literal to look for and tries every position of the message."""
    found = [at for at in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if at >= 0]
    if not found:
        return len(raw)
    at = min(found)
    return at - 1 if raw[at - 1 : at] == b"\r" else at


def _kept_fields(lines: list[bytes], notes: list[str]) -> list[bytes]:
    kept, fields, keep = [], 0, True
    for line in lines:
        if line[:1] not in (b" ", b"\t"):
            fields += 1
            keep = fields <= limits.MAX_HEADER_FIELDS or bool(_USED_FIELD.match(line))
        if keep:
            kept.append(line)
    if fields > limits.MAX_HEADER_FIELDS:
        notes.append(f"{fields:,} header fields: only the first {limits.MAX_HEADER_FIELDS:,} "
                     "and the ones triage reads were kept")
    return kept


class _Structure:
    """A scan of the MIME structure by offsets, following multipart boundaries and message/*
    bodies the way the email package does. A multipart or message part deeper than
    ``limits.MAX_DEPTH`` is made opaque (``application/octet-stream``), a part's header block
    keeps at most ``limits.MAX_HEADER_FIELDS`` lines, and the message ends after
    ``limits.MAX_PARTS`` parts. Bodies are skipped with ``bytes.find``, line by line only
    where a line starts with ``--``."""

    def __init__(self, raw: bytes, notes: list[str]):
        self.raw = raw
        self.notes = notes
        self.edits: dict[int, tuple[int, bytes]] = {}  # start -> (end, replacement)
        self.stack: list[tuple[bytes, int]] = []  # (delimiter, depth of the parts it starts)
        self.opaque = 0
        self.parts = 1
        self.depth = 0

    def bounded(self) -> bytes:
        pos, size = 0, len(self.raw)
        while pos < size:
            pos = self._body(self._headers(pos))
            if pos < size and self.parts > limits.MAX_PARTS:
                return self._cut_at(pos)
            pos = self._line_end(pos)
        self._note_opaque()
        return self._edited(size)

    def _line_end(self, pos: int) -> int:
        end = self.raw.find(b"\n", pos)
        return len(self.raw) if end < 0 else end + 1

    def _edited(self, stop: int) -> bytes:
        out, pos = [], 0
        for start in sorted(self.edits):
            end, replacement = self.edits[start]
            out += [self.raw[pos:start], replacement]
            pos = end
        out.append(self.raw[pos:stop])
        return b"".join(out)

    def _cut_at(self, pos: int) -> bytes:
        self.notes.append(f"more than {limits.MAX_PARTS} MIME parts; the rest were not read")
        self._note_opaque()
        closing = b"".join(b"\r\n" + sep + b"--" for sep, _ in reversed(self.stack))
        return self._edited(max(pos - 1, 0)) + closing + b"\r\n"

    def _note_opaque(self) -> None:
        if self.opaque:
            self.notes.append(f"MIME nesting deeper than {limits.MAX_DEPTH} levels was not read "
                              f"({self.opaque:,} nested part(s) left unread)")

    def _headers(self, pos: int) -> int:
        """Read the header block(s) at ``pos``; returns the offset where the body starts."""
        while True:
            block: list[tuple[int, int]] = []
            while pos < len(self.raw):
                end = self._line_end(pos)
                if not self.raw[pos:end].strip():
                    pos = end  # the blank line ending the headers
                    break
                block.append((pos, end))
                pos = end
            self._trim(block)
            ctype, boundary, where = self._content_type(block)
            if not ctype.startswith((b"multipart/", b"message/")):
                return pos
            if self.depth > limits.MAX_DEPTH:
                self._make_opaque(where)
                return pos
            if ctype.startswith(b"multipart/"):
                if boundary:
                    self.stack.append((b"--" + boundary, self.depth + 1))
                return pos
            self.depth += 1  # message/*: the body is a message whose headers follow at once

    def _trim(self, block: list[tuple[int, int]]) -> None:
        """Fields past ``limits.MAX_HEADER_FIELDS`` are dropped, but for Content-Type."""
        if len(block) <= limits.MAX_HEADER_FIELDS:
            return
        fields, keep, kept = 0, True, []
        for start, end in block:
            if self.raw[start : start + 1] not in (b" ", b"\t"):
                fields += 1
                keep = fields <= limits.MAX_HEADER_FIELDS or bool(_CONTENT_TYPE.match(self.raw, start, end))
            if keep:
                kept.append((start, end))
            else:
                self.edits[start] = (end, b"")
        block[:] = kept

    def _content_type(self, block: list[tuple[int, int]]) -> tuple[bytes, bytes | None, list[tuple[int, int]]]:
        for n, (start, end) in enumerate(block):
            if _CONTENT_TYPE.match(self.raw, start, end):
                where = [(start, end)]
                for line in block[n + 1 :]:
                    if self.raw[line[0] : line[0] + 1] not in (b" ", b"\t"):
                        break
                    where.append(line)
                value = b" ".join(self.raw[a:b].strip() for a, b in where).split(b":", 1)[1]
                boundary = _BOUNDARY.search(value)
                found = (boundary.group(1) or boundary.group(2) or b"").rstrip() or None if boundary else None  # boundary=""
                return value.split(b";", 1)[0].strip().lower(), found, where
        return b"", None, []

    def _make_opaque(self, where: list[tuple[int, int]]) -> None:
        start, end = where[0]
        ending = b"\r\n" if self.raw[start:end].endswith(b"\r\n") else b"\n"
        self.edits[start] = (end, b"Content-Type: application/octet-stream" + ending)
        for line in where[1:]:
            self.edits[line[0]] = (line[1], b"")
        self.opaque += 1

    def _body(self, pos: int) -> int:
        """The offset of the next line that starts a part of an open multipart (closing lines pop)."""
        raw, stack = self.raw, self.stack
        while stack and pos < len(raw):
            if raw[pos : pos + 2] != b"--":
                found = raw.find(b"\n--", pos)
                if found < 0:
                    break
                pos = found + 1
            end = self._line_end(pos)
            bare = raw[pos:end].rstrip(b"\r\n").rstrip(b" \t")
            for level in range(len(stack) - 1, -1, -1):
                sep, depth = stack[level]
                if bare == sep:
                    del stack[level + 1 :]
                    self.depth, self.parts = depth, self.parts + 1
                    return pos
                if bare == sep + b"--":
                    del stack[level:]
                    break
            pos = end
        return len(raw)


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
    fields = _Fields(mime)
    get = lambda name: header_text(fields.get(name), notes)  # noqa: E731
    raw = lambda name: _eight_bit(str(fields.get(name) or "")[: limits.MAX_HEADER_CHARS], notes)  # noqa: E731
    from_name, from_email = _address(raw("From"), notes)
    _, return_path = _address(raw("Return-Path"), notes)
    if len(fields.get_all("From")) > 1:
        notes.append("several From headers; the first was used")
    auth = fields.get_all("Authentication-Results")
    return {
        "message_id": _msgid(get("Message-ID")),
        "date": _date(get("Date"), notes),
        "subject": get("Subject"),
        "from_name": from_name,
        "from_email": from_email,
        "reply_to": _addresses(raw("Reply-To")),
        "return_path": return_path,
        "to": _addresses(raw("To")),
        "cc": _addresses(raw("Cc")),
        "in_reply_to": _msgid(get("In-Reply-To")),
        "references": _MSGID.findall(get("References")),
        "auth_results": "\n".join(header_text(a, notes) for a in auth),
        "mailer": get("X-Mailer") or get("User-Agent"),
        "headers": fields.sending(),
    }


# The header fields that tell how a mail was sent (a list, a bulk sender, a machine), kept for the
# judge (playbooks/signals/mailkind.toml reads them through the "header" check).
_SENDING_FIELDS = re.compile(r"list-[\w-]+|precedence|auto-submitted|x-auto-response-suppress|x-autoreply|"
                             r"x-autorespond|feedback-id|x-campaign\w*|x-mailgun-[\w-]+|x-sg-[\w-]+|x-ses-[\w-]+|"
                             r"x-mc-user|x-sfmc-[\w-]+|x-csa-complaints|x-report-abuse|x-mailchimp-[\w-]+|"
                             r"x-mailer-recptid|x-rpcampaign|x-job|x-msfbl|x-ms-exchange-organization-autoresponse\w*")


class _Fields:
    """A message's header fields by lower-case name, as written: what ``Message.get`` and ``get_all``
    give for ASCII headers, and for raw UTF-8 ones (RFC 6532; many mailers send them) the bytes kept
    as surrogates, which header_text decodes. (compat32's ``get`` wraps those in an unknown-8bit
    Header whose text has lost them: 'Wiśniewska' became 'Wi\ufffd\ufffdniewska'.)

    ``Message.get`` scans and lower-cases every field name on each call; the dozen headers read
    here would scan a long header block (Received, DKIM, ...) a dozen times.
    """

    def __init__(self, mime: MimeMessage):
        self.by_name: dict[str, list[str]] = {}
        for name, value in mime.raw_items():
            self.by_name.setdefault(name.lower(), []).append(value)

    def get(self, name: str) -> str | None:
        found = self.by_name.get(name.lower())
        return found[0] if found else None

    def get_all(self, name: str) -> list[str]:
        return list(self.by_name.get(name.lower(), ()))

    def sending(self) -> str:
        """The fields that say how the mail was sent, raw, one "name: value" a line (lower-case names)."""
        return "\n".join(f"{name}: {header_text(value)[:200]}" for name, found in self.by_name.items()
                          if _SENDING_FIELDS.fullmatch(name) for value in found[:2])


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
            if self.count == limits.MAX_PARTS + 1 and not any("MIME parts" in n for n in self.notes):
                self.notes.append(f"more than {limits.MAX_PARTS} MIME parts; the rest were not read")
            return
        if depth > limits.MAX_DEPTH:
            if not any("MIME nesting" in n for n in self.notes):
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
        kind = _MIME_TYPE.sub("", ctype)[:100]
        self.attachments.append(Attachment(name=name or "(unnamed)", type=kind, size=_payload_size(part)))

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
            return plain, dedupe(links + text_links(plain)), False
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


# -- pasted text ------------------------------------------------------------------


def parse_pasted(text: str, *, path: str | None = None, seller: frozenset[str] = frozenset()) -> Message:
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
    text = _pasted_headers(message, mailtext.CONTROL.sub("", text))
    mailtext.fill(message, text, seller=seller)
    return message


_PASTED_HEADER = re.compile(
    r"^\*?(from|sent|date|to|cc|subject|von|gesendet|an|betreff|de|enviado|para|asunto|fecha|objet|envoyé|à|"
    r"assunto|data|发件人|发送时间|收件人|主题)\*?\s*[:：]\s*(.*)$", re.I)
_PASTED_KEYS = {"von": "from", "de": "from", "发件人": "from", "betreff": "subject", "asunto": "subject",
                "objet": "subject", "assunto": "subject", "主题": "subject", "sent": "date", "gesendet": "date",
                "enviado": "date", "envoyé": "date", "fecha": "date", "data": "date", "发送时间": "date"}


def _pasted_headers(message: Message, text: str) -> str:
    """A mail copied with its header lines (From:, Sent:, To:, Subject:): read them, return the rest."""
    lines = text.lstrip().split("\n")
    fields: dict[str, str] = {}
    i = 0
    while i < min(len(lines), 12) and (match := _PASTED_HEADER.match(lines[i].strip())):
        key = match.group(1).lower()
        fields.setdefault(_PASTED_KEYS.get(key, key), match.group(2).strip())
        i += 1
    if len(fields) < 2 or not {"from", "subject"} & set(fields):
        return text
    name, address = _address(fields.get("from", ""))
    message.from_name, message.from_email = name, address
    message.subject = fields.get("subject", "")
    message.date = _date(fields.get("date", ""), []) or mailtext.field_date(fields.get("date", ""))
    return "\n".join(lines[i:])


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{1,40}:[ \t]?")
_MAIL_HEADERS = (b"from:", b"date:", b"subject:", b"received:", b"message-id:", b"mime-version:", b"return-path:",
                 b"to:", b"content-type:", b"delivered-to:", b"x-")


def sniff(raw: bytes, name: str = "") -> str:
    """'eml', 'mbox' or 'text' for the content of a file called ``name``."""
    lower = name.lower()
    if _MBOX_FROM.match(raw[:300]) and not lower.endswith(".txt"):
        return "mbox"
    if lower.endswith(".eml") or looks_like_mail(raw):
        return "eml"
    return "text"


# An mbox separator: "From " sender, a date with a time, then a header on the next line.
_MBOX_FROM = re.compile(rb"From \S+ +[^\n]*\d{1,2}:\d{2}[^\n]*\r?\n[A-Za-z][A-Za-z0-9-]*:")


def looks_like_mail(raw: bytes) -> bool:
    """True when the first lines are RFC 822 headers, mostly well-known ones."""
    head = raw[:8192].replace(b"\r\n", b"\n").lstrip().split(b"\n\n", 1)[0].split(b"\n")[:40]
    fields = [line for line in head if _HEADER_LINE.match(line)]
    known = [f for f in fields if f.lower().startswith(_MAIL_HEADERS)]
    return len(known) >= 2 and len(fields) >= max(2, len([h for h in head if h[:1] not in (b" ", b"\t")]) * 0.8)
