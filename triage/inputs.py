"""Inputs: paths, directories, mbox files and standard input -> raw messages.

Yields one :class:`Item` per message, or per input that could not be read (with
its error), so that a batch goes on past bad input and lists it at the end.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from triage import limits
from triage.errors import InputError, ParseError
from triage.model import Message
from triage.parse import looks_like_mail, parse_message, parse_pasted, sniff



@dataclass
class Item:
    """One message to triage: its raw content, or the error that kept it from being read."""

    label: str  # path, path#n for an mbox message, or "<stdin>"
    kind: str  # eml, mbox, text
    raw: bytes | None = None
    error: str | None = None

    def parse(self, seller: frozenset[str] = frozenset()) -> Message:
        """The message; ``seller`` holds words of the seller's names, to tell its lines in a pasted chat."""
        if self.error:
            raise InputError(self.error)
        assert self.raw is not None
        if self.kind == "text":
            return parse_pasted(_text(self.raw), path=self.label, seller=seller)
        return parse_message(self.raw, kind=self.kind, path=self.label)


def _text(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    from triage.parse import decode_bytes

    return decode_bytes(raw, None)


def items(paths: Iterable[str], stdin=None) -> Iterator[Item]:
    for name in paths:
        if name == "-":
            yield from _from_stream(stdin or sys.stdin.buffer, "<stdin>")
        else:
            yield from _from_path(Path(name))


def _from_stream(stream, label: str) -> Iterator[Item]:
    raw = stream.read(limits.MAX_MESSAGE_BYTES + 1)
    if not raw or not raw.strip():
        yield Item(label, "text", error=f"{label}: nothing to read")
        return
    kind = sniff(raw)
    yield from _split(raw, label, "mbox" if kind != "mbox" and is_mailbox(raw) else kind)


def _from_path(path: Path) -> Iterator[Item]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _wanted(p, path))
        if not files:
            yield Item(str(path), "text", error=f"{path}: no .eml, .mbox or .txt files in this directory")
        for file in files:
            yield from _from_path(file)
        return
    try:
        raw, complete = _read(path)
    except FileNotFoundError:
        yield Item(str(path), "text", error=f"{path}: no such file")
        return
    except OSError as exc:
        yield Item(str(path), "text", error=f"{path}: {exc.strerror or exc}")
        return
    if not raw.strip():
        yield Item(str(path), "text", error=f"{path}: empty file")
        return
    kind = sniff(raw, path.name)
    if kind == "text" and is_binary(raw):
        yield Item(str(path), "text", error=f"{path}: binary content, not text or mail")
        return
    if kind != "mbox" and is_mailbox(raw):
        kind = "mbox"  # a mailbox whose first message lacks its 'From ' line (or a Thunderbird/Apple export)
        if not complete:
            raw, complete = _read(path, MAX_MBOX_BYTES)
    elif kind != "mbox" and path.suffix.lower() in MAILBOX_SUFFIXES and not looks_like_mail(raw):
        yield Item(str(path), "mbox", error=f"{path}: not a mailbox: no 'From ' separator lines and no mail "
                                           "headers (export it as mbox or .eml files)")
        return
    yield from _split(raw, str(path), kind)
    if not complete and kind == "mbox":
        yield Item(str(path), "mbox", error=f"{path}: mailbox larger than {MAX_MBOX_BYTES:,} bytes; "
                                           "the messages past that were not read (split the file)")


MAX_MBOX_BYTES = limits.MAX_MESSAGE_BYTES * 8


MAILBOX_SUFFIXES = (".mbox", ".mbx", ".mbs")

# A separator line: 'From ' then the envelope sender ('-' in Thunderbird's, '???@???' in some exports)
# and a date with a time; the next line is a header.
_SEPARATOR = re.compile(rb"^From \S+ +[^\n]*\d{1,2}:\d{2}[^\n]*\r?\n[A-Za-z][A-Za-z0-9-]*:", re.M)


def is_mailbox(raw: bytes) -> bool:
    """True when the content is a mailbox: mail headers first (or a separator), and separator
    lines after a blank line further on, each followed by headers."""
    if not (looks_like_mail(raw) or _SEPARATOR.match(raw)):
        return False
    return any(at and raw[raw.rfind(b"\n", 0, at - 1) + 1 : at].strip() == b""
               for at in (m.start() for m in _SEPARATOR.finditer(raw)))


def _read(path: Path, limit: int | None = None) -> tuple[bytes, bool]:
    """The file's bytes (a mailbox up to MAX_MBOX_BYTES, a message up to the message limit), and
    whether that was all of it."""
    with path.open("rb") as fh:
        head = fh.read(4096)
        if limit is None:
            limit = MAX_MBOX_BYTES if sniff(head, path.name) == "mbox" else limits.MAX_MESSAGE_BYTES + 1
        raw = head + fh.read(max(0, limit - len(head)))
        return raw, not fh.read(1)


# how documents and images that are no mail begin: PDF, ZIP (docx, xlsx), PNG, JPEG, GIF, OLE (doc, xls, msg)
_DOCUMENT_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")


def is_binary(raw: bytes) -> bool:
    """True for content that is no text: a document's or image's signature, NUL bytes or many
    control bytes in its first 8 KiB (a UTF-16 text, which starts with its byte-order mark, is text)."""
    head = raw[:8192]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    if b"\x00" in head or head.lstrip().startswith(_DOCUMENT_MAGIC):
        return True
    control = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return control > len(head) * 0.1


def skipped_files(paths: Iterable[str]) -> list[str]:
    """The files a directory scan passes over (no mail suffix, no mail inside), each with why:
    what a batch lists as skipped beside the inputs it could not read. Hidden files and folders
    are left out of both."""
    out = []
    for name in paths:
        root = Path(name)
        if name == "-" or not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in path.relative_to(root).parts) or _wanted(path, root):
                continue
            what = f"a {path.suffix.lower()} file" if path.suffix else "no mail headers"
            out.append(f"{path}: not mail ({what}); only .eml, .mbox, .txt and mailbox files are read")
    return out


def _wanted(path: Path, root: Path) -> bool:
    """Mail files in a directory: .eml, .mbox, .txt, or files without a suffix that hold mail;
    nothing in hidden folders (.git, .cache) or hidden itself."""
    if any(part.startswith(".") for part in path.relative_to(root).parts) or path.name == "labels.json":
        return False
    suffix = path.suffix.lower()
    if suffix in (".eml", ".mbox", ".txt"):
        return True
    if suffix:
        return False
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(4096), path.name) in ("eml", "mbox")
    except OSError:
        return False


def _split(raw: bytes, label: str, kind: str) -> Iterator[Item]:
    if kind != "mbox":
        yield Item(label, kind, raw=raw)
        return
    for n, message in enumerate(iter_mbox(raw), start=1):
        yield Item(f"{label}#{n}", "eml", raw=message)


_FROM_LINE = re.compile(rb"^From ", re.M)
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.M)  # mboxrd: one level of '>' comes off


def split_mbox(raw: bytes) -> list[bytes]:
    """The messages of an mbox: split at 'From ' lines, '>From ' unescaped."""
    return list(iter_mbox(raw))


def iter_mbox(raw: bytes) -> Iterator[bytes]:
    """The messages of an mbox one at a time: a 'From ' line that is first, or follows a blank
    line or another 'From ' line, starts a message; '>From ' lines are unescaped. Linear, and
    only one message is copied at a time."""
    start = 0
    # a body line 'From the factory...' after a blank line is no separator: when the file has real
    # separator lines (sender, date and time, headers next), only those split it
    lines = _SEPARATOR if _SEPARATOR.search(raw) else _FROM_LINE
    for match in lines.finditer(raw):
        at = match.start()
        if at != start and raw[raw.rfind(b"\n", 0, at - 1) + 1 : at].strip():
            continue  # a 'From ' inside a message
        if raw[start:at].strip():
            yield _ESCAPED_FROM.sub(rb"\1", raw[start:at])
        end = raw.find(b"\n", at)
        start = len(raw) if end < 0 else end + 1
    if raw[start:].strip():
        yield _ESCAPED_FROM.sub(rb"\1", raw[start:])


def parse_item(item: Item, seller: frozenset[str] = frozenset()) -> Message:
    """Parse one item; any failure becomes a ParseError with the item's label."""
    try:
        message = item.parse(seller)
        if item.kind != "text" and item.raw is not None:
            from triage.identity import content_digest

            message.content_digest = content_digest(item.raw, message)
        return message
    except (InputError, ParseError) as exc:
        raise type(exc)(f"{item.label}: {str(exc).removeprefix(item.label + ': ')}") from None
    except (RecursionError, MemoryError) as exc:
        raise ParseError(f"{item.label}: message too deeply nested or too large ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - hostile input must never crash a batch
        raise ParseError(f"{item.label}: could not be parsed ({type(exc).__name__}: {exc})") from None
