"""The structure of a message's text: new text, quoted history, signature,
chat transcripts and B2B platforms' labelled fields.

The patterns are data (playbooks/parse.toml, extended by $TRIAGE_HOME/parse.toml);
this module only applies them. Pure functions on strings; no I/O past loading rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from triage import limits
from triage.datafiles import merge, read_toml
from triage.errors import DataFileError
from triage.lexicon import per_home
from triage.matching import Matcher, aligned_lower
from triage.model import Message
from triage.paths import shipped, user_dir

# -- rules -----------------------------------------------------------------------


@dataclass
class Rules:
    quote_headers: list[re.Pattern]
    forward_headers: list[str]
    signoff: re.Pattern
    contact_line: re.Pattern  # a line of a trailing contact block (see _contact_block_index)
    client_footer: re.Pattern  # a mail client's line under the message (see _client_footer_index)
    platforms: dict[str, tuple[re.Pattern, list[str]]]
    labels: dict[str, str]  # label -> field
    label_re: re.Pattern = field(init=False)
    one_line: re.Pattern = field(init=False)
    two_line: re.Pattern | None = field(init=False)
    markers: dict[str, Matcher] = field(init=False)  # per platform, its markers tried only where they can begin

    def __post_init__(self) -> None:
        one = [p.pattern for p in self.quote_headers if r"\n" not in p.pattern]
        two = [p.pattern for p in self.quote_headers if r"\n" in p.pattern]
        self.one_line = re.compile("|".join(f"(?:{p})" for p in one), re.I)
        self.two_line = re.compile("|".join(f"(?:{p})" for p in two), re.I) if two else None
        names = sorted(self.labels, key=len, reverse=True)
        alternatives = "|".join(re.escape(n) for n in names)
        self.label_re = re.compile(rf"^\s*({alternatives})\s*[:：]\s*(.*)$", re.I)
        self.markers = {name: Matcher(markers) for name, (markers, _) in self.platforms.items()}

    def label(self, line: str) -> re.Match | None:
        """``label_re.match(line)``: a 'Label: value' line has a colon, so most lines need no try."""
        return self.label_re.match(line) if ":" in line or "：" in line else None


def rules() -> Rules:
    """The parse rules: shipped, with $TRIAGE_HOME/parse.toml's lists added (read once per home)."""
    return _current_rules()


@cache
def _rules(home: str) -> Rules:
    shipped_file = shipped("playbooks") / "parse.toml"
    data = read_toml(shipped_file)
    user = user_dir() / "parse.toml"
    if user.exists():
        data = merge(data, read_toml(user))
    return _compile(data, user if user.exists() else shipped_file)


_current_rules = per_home(_rules)


def _compile(data: dict, path) -> Rules:
    try:
        quote = [re.compile(p, re.I) for p in data["quote"]["headers"]]
        signoff = re.compile(r"^\s*(?:%s)\s*[,.!:;\-–]*\s*$" % "|".join(data["signature"]["signoffs"]), re.I)
        words = "|".join(map(_whole_word, data["signature"]["contact_words"]))
        contact_line = re.compile(rf"{_CONTACT_MARK}|{words}", re.I)
        client_footer = re.compile(r"^\s*(?:%s)\s*[.!]*\s*$" % "|".join(data["signature"]["client_footers"]), re.I)
        platforms = {
            name: (re.compile("|".join(p["markers"]), re.I), [d.lower() for d in p.get("domains", [])])
            for name, p in data["platforms"].items()
        }
        labels = {label.lower(): fld for fld, names in data["fields"].items() for label in names}
    except (KeyError, TypeError, re.error) as exc:
        raise DataFileError(f"{path}: invalid parse rules: {exc}") from None
    return Rules(quote, [f.lower() for f in data["quote"].get("forward_headers", [])], signoff, contact_line,
                 client_footer, platforms, labels)


# -- filling a Message -------------------------------------------------------------

# Control characters (C0 but tab and newlines, DEL, C1): no mail needs them, and ESC or CSI
# sequences from a buyer would repaint the user's terminal wherever the text is printed.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def fill(message: Message, text: str, depth: int = 0, seller: frozenset[str] = frozenset()) -> None:
    """Set text, platform, platform_fields, new_text, quoted, body and signature of ``message``."""
    if len(text) > limits.MAX_TEXT_CHARS:
        message.notes.append(f"body text of {len(text):,} characters cut to {limits.MAX_TEXT_CHARS:,}")
        text = text[: limits.MAX_TEXT_CHARS]
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    message.text = text
    message.platform = detect_platform(message, text)
    chat = parse_chat(text, seller) if message.kind == "text" else None
    if chat and chat.buyer_lines:
        _fill_chat(message, chat)
        return
    fields = labelled_fields(text)
    if message.platform or message.kind == "text" or _a_form(fields):
        message.platform_fields = fields
    if not message.platform and len(message.platform_fields) >= 4:
        message.platform = "platform"  # an unnamed platform or form: labelled facts all the same
    new, quoted, forwarded = split_quote(text)
    if forwarded and not message.forwarded:
        if depth < limits.MAX_DEPTH:
            inner = forwarded_message(forwarded, depth + 1)
            message.forwarded.append(inner)
            message.notes.extend(n for n in inner.notes if n not in message.notes)
        else:
            message.notes.append(f"forwarded messages nested deeper than {limits.MAX_DEPTH} levels were not read")
    message.new_text, message.quoted = new, quoted
    body, signature = split_signature(_form_message(message) or new, message.from_name)
    message.body, message.signature = body, signature
    if message.kind == "text" and message.date is None:
        message.date = field_date(message.platform_fields.get("received", ""))


def _form_message(message: Message) -> str:
    """A platform or form's free-text part: its message field, or the text less labels and menus."""
    if not message.platform:
        return ""
    if message.platform_fields.get("message"):
        return message.platform_fields["message"]
    if message.kind != "text" or not message.platform_fields:
        return ""
    label = rules().label
    kept = [ln for ln in message.new_text.split("\n") if not label(ln) and not _menu_line(ln)]
    return "\n".join(kept).strip()


_MENU_SEPARATORS = re.compile(r"\s(?:\||>|·|•)\s|\s{3,}|^\[.*\]$")


def _menu_line(line: str) -> bool:
    """Navigation, menus and status lines of a platform page ('Reply | Forward', 'A > B > C')."""
    stripped = line.strip()
    return bool(stripped) and len(_MENU_SEPARATORS.findall(stripped)) >= 2 or stripped.startswith("[") and stripped.endswith("]")


def detect_platform(message: Message, text: str) -> str | None:
    r = rules()
    sender = (message.from_email or "").rsplit("@", 1)[-1]
    for name, (markers, domains) in r.platforms.items():
        if any(sender == d or sender.endswith("." + d) for d in domains):
            return name
    head = text[:3000]
    lowered = aligned_lower(head)
    for name, (markers, _) in r.platforms.items():
        if r.markers[name].search(head, lowered):
            return name
    return None


# -- quoted history --------------------------------------------------------------------


_HEADER_LABELS = ("from", "sent", "date", "to", "cc", "subject", "von", "gesendet", "an", "betreff", "de", "enviado",
                  "para", "asunto", "fecha", "envoyé", "à", "objet", "da", "inviato", "oggetto", "od", "wysłano",
                  "temat", "от", "отправлено", "кому", "тема", "发件人", "发送时间", "收件人", "主题")
_HEADER_LABEL = re.compile(r"^\*?(%s)\*?\s*[:：]" % "|".join(_HEADER_LABELS), re.I)
_WRAPPED_OPENINGS = ("on ", "le ", "am ", "el ", "em ")  # a quote header wrapped onto two lines


def _header_block(lines: list[str], i: int) -> bool:
    """'From:' (or 'Date:') with two more mail-header lines among the next four: a pasted header block."""
    if not _HEADER_LABEL.match(lines[i].strip()):
        return False
    following = [ln.strip() for ln in lines[i + 1:i + 6] if ln.strip()][:4]
    return sum(bool(_HEADER_LABEL.match(ln)) for ln in following) >= 2


def _is_quote_header(lines: list[str], i: int, r: Rules) -> bool:
    line = lines[i].strip()
    if not line:
        return False
    if _header_block(lines, i):
        return True
    if r.one_line.search(line):
        return True
    following = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if following and r.two_line is not None and r.two_line.search(line + "\n" + following):
        return True
    wrapped_header = line.lower().startswith(_WRAPPED_OPENINGS) and len(line) < 120
    return bool(following and wrapped_header and r.one_line.search(line + " " + following))


def split_quote(text: str) -> tuple[str, str, str]:
    """(new text, quoted history, forwarded block) of a message body."""
    lines = text.split("\n")
    start = _quote_start(lines)
    if start is None:
        return text.strip(), "", ""
    header = lines[start].strip().lower()
    quoted = "\n".join(lines[start:]).strip()
    new = "\n".join(lines[:start]).strip()
    is_forward = any(f in header for f in rules().forward_headers)
    if not new and not is_forward:
        new = _unquoted_after(lines, start)  # bottom-posting: the reply follows the quote
    return new, quoted, quoted if is_forward else ""


def _quote_start(lines: list[str]) -> int | None:
    r = rules()
    for i, line in enumerate(lines):
        if line.startswith(">") and _quoted_run(lines, i):
            return _header_above(lines, i)
        if _is_quote_header(lines, i, r):
            return i
    return None


def _quoted_run(lines: list[str], i: int) -> bool:
    """At least two quoted lines here, or one followed by nothing but quoting."""
    following = [ln for ln in lines[i:i + 3] if ln.strip()]
    return sum(ln.startswith(">") for ln in following) >= min(2, len(following))


def _header_above(lines: list[str], i: int) -> int:
    j = i - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    return j if j >= 0 and lines[j].rstrip().endswith(":") and len(lines[j]) < 200 else i


def _unquoted_after(lines: list[str], start: int) -> str:
    tail = [ln for ln in lines[start + 1:] if not ln.startswith(">")]
    return "\n".join(tail).strip()


FORWARD_FIELD = re.compile(r"^\s*\*?(from|von|de|da|date|datum|fecha|sent|subject|betreff|asunto|objet|assunto|to|an|para|à|cc)\*?\s*:\s*(.*)$", re.I)


def forwarded_message(block: str, depth: int = 1) -> Message:
    """A Message for an inline forwarded block: its pseudo-headers, then its text."""
    from email.utils import parseaddr

    lines = block.split("\n")[1:]
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines) and (FORWARD_FIELD.match(lines[i]) or not lines[i].strip() and not headers):
        match = FORWARD_FIELD.match(lines[i])
        if match:
            headers.setdefault(_forward_key(match.group(1)), match.group(2).strip())
        i += 1
    name, addr = parseaddr(headers.get("from", ""))
    inner = Message(kind="forward", subject=headers.get("subject", ""), from_name=name.strip('" '),
                    from_email=addr.lower() if "@" in addr else None)
    fill(inner, "\n".join(lines[i:]), depth)
    return inner


def _forward_key(label: str) -> str:
    label = label.lower()
    return {"von": "from", "de": "from", "da": "from", "betreff": "subject", "asunto": "subject", "objet": "subject",
            "assunto": "subject", "datum": "date", "fecha": "date", "sent": "date", "an": "to", "para": "to",
            "à": "to"}.get(label, label)


# -- signature ---------------------------------------------------------------------------

# A line of a contact block: a phone number, an address, a web address or a labelled contact line
# ("Tel:", "WeChat"); or one of parse.toml [signature] contact_words (titles, departments, legal forms).
_CONTACT_MARK = (r"(\+?\d[\d\s().\-]{6,}\d)|(@[\w.-]+\.\w+)|(www\.|https?://)|"
                 r"\b(tel|phone|mobile|cell|fax|mob|whatsapp|wechat|skype|e-?mail|web|address|direct|office|ph)\b\s*[.:]?")


def _whole_word(word: str) -> str:
    """``word`` as a regex matching it as a whole word; Chinese and Japanese have no spaces between
    words ('采购经理'), so a word of theirs matches anywhere."""
    if _CJK_WORD.search(word):
        return re.escape(word)
    return rf"(?<!\w){re.escape(word)}(?!\w)"


_CJK_WORD = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _contact_line(line: str) -> bool:
    return rules().contact_line.search(line) is not None


def split_signature(text: str, name: str = "") -> tuple[str, str]:
    """(body, signature): the signature starts at a sign-off line or at '-- ', else at the writer's
    name (``name``, the From name) opening one of the last lines, or at a trailing contact block; a
    mail client's footer under it ('Sent from my iPhone') is set aside first and ends it."""
    lines = text.rstrip().split("\n")
    footer = _client_footer_index(lines)
    lines, tail = lines[:footer], lines[footer:]
    cut = _signoff_index(lines)
    if cut is None:
        starts = [i for i in (_name_line_index(lines, name), _contact_block_index(lines)) if i is not None]
        cut = min(starts, default=None)
    if cut is None:
        cut = len(lines)
    body, signature = "\n".join(lines[:cut]).strip(), "\n".join(lines[cut:] + tail).strip()
    return (body, signature) if body else (text.strip(), "")


def _client_footer_index(lines: list[str]) -> int:
    """Where the mail client's footer lines (and the blank lines around them) begin at the end."""
    footer = rules().client_footer
    i = len(lines)
    while i > 0 and (not lines[i - 1].strip() or footer.match(lines[i - 1])):
        i -= 1
    while i < len(lines) and not lines[i].strip():
        i += 1  # the blank lines above the footer stay with the message
    return i


def _signoff_index(lines: list[str]) -> int | None:
    signoff = rules().signoff
    lower_bound = max(0, len(lines) - 25)
    for i in range(len(lines) - 1, lower_bound - 1, -1):
        line = lines[i].strip()
        if line in ("--", "-- ", "__", "—"):
            return i + 1 if i + 1 < len(lines) else None
        if len(line) <= 40 and signoff.match(line) and i > 0:
            return i
    return None


def _name_line_index(lines: list[str], name: str) -> int | None:
    """A line among the last few that opens with the writer's full name and is no sentence of the
    message: many sign with their name and no sign-off ('Luis Fernández - Distribuidora Andina SAC')."""
    name = name.strip().strip('"')
    if len(name.split()) < 2:
        return None
    shown = [i for i, line in enumerate(lines) if line.strip()][-6:]
    for i in shown:
        line = lines[i].strip()
        if i and line[:len(name)].casefold() == name.casefold() and not line[len(name):][:1].isalnum() \
                and len(line) <= 80 and not line.endswith(("?", ":")):
            return i
    return None


def _contact_block_index(lines: list[str]) -> int | None:
    """Start of a trailing block of short lines that look like name, title, company, phone, web."""
    start, hits = len(lines), 0
    for i in range(len(lines) - 1, max(-1, len(lines) - 12), -1):
        line = lines[i].strip()
        if not line:
            if hits >= 2:
                break
            continue
        if len(line) > 70 or line.endswith(("?", ".")) and not _contact_line(line):
            break
        hits += _contact_line(line)
        start = i
    if hits >= 2 and start > 0:
        return start
    return None


# -- labelled fields (platforms, forms) ------------------------------------------------


_REQUEST_FIELDS = {"company", "country", "product", "quantity", "message"}


def _a_form(fields: dict[str, str]) -> bool:
    """Labelled facts enough to be a form or a platform's notice, not a quoted header block (From,
    Sent, To, Subject): four or more fields, two of them about the buyer's request."""
    return len(fields) >= 4 and len(_REQUEST_FIELDS & fields.keys()) >= 2


def labelled_fields(text: str) -> dict[str, str]:
    """Facts a platform or form shows as 'Label: value' lines; 'message' takes the following block."""
    out: dict[str, str] = {}
    lines = text.split("\n")
    label, labels = rules().label, rules().labels
    for i, line in enumerate(lines[:400]):
        match = label(line)
        if not match:
            continue
        name, value = labels[match.group(1).lower()], match.group(2).strip()
        if name == "message":
            value = _message_block(lines, i, value)
        if value and name not in out:
            out[name] = value
    return out


def _message_block(lines: list[str], i: int, first: str) -> str:
    """The free text under a 'Message:' label: up to the next label, rule, section title or closing quote."""
    label = rules().label
    block = [first] if first else []
    quoted = first.startswith(('"', "“"))
    for j in range(i + 1, len(lines)):
        stripped = lines[j].strip()
        if label(lines[j]) and block or stripped.startswith(("-----", "=====", "____", "[ ]", "--")):
            break
        if not stripped and block and (_section_title(lines, j + 1) or _generic_label(lines, j + 1)):
            break
        block.append(lines[j].rstrip())
        if quoted and stripped.endswith(('"', "”", '..."', "…")) and len(block) > 1:
            break
    return "\n".join(block).strip().strip('"“”').strip()


_GENERIC_LABEL = re.compile(r"^[A-Z][\w /()-]{1,30}:\s")


def _generic_label(lines: list[str], j: int) -> bool:
    """A 'Label: value' line that starts a run of such lines (form metadata), not a sentence of the message."""
    if j >= len(lines) or not _GENERIC_LABEL.match(lines[j].strip()):
        return False
    following = next((ln.strip() for ln in lines[j + 1:] if ln.strip()), "")
    return not following or bool(_GENERIC_LABEL.match(following)) or following.startswith(("--", "__", "=="))


def _section_title(lines: list[str], j: int) -> bool:
    """A short capitalised line with no sentence punctuation, followed by a label or a blank line."""
    if j >= len(lines):
        return True
    line = lines[j].strip()
    if not line or len(line) > 40 or line.endswith((".", "!", "?", ",", ":")) or not line[0].isupper():
        return False
    after = lines[j + 1].strip() if j + 1 < len(lines) else ""
    return not after or bool(rules().label(after))


def field_date(value: str) -> datetime | None:
    match = re.search(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", value)
    if match:
        y, m, d = map(int, match.groups())
    else:
        match = re.search(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
        if not match:
            return None
        d, m, y = map(int, match.groups())
        if m > 12:
            d, m = m, d
    try:
        return datetime(y, m, d)
    except ValueError:
        return None


# -- chat transcripts (WhatsApp, WeChat, platform messengers) -------------------------------

_CHAT_PATTERNS = [
    # 10/11/2026, 09:14 - Name: text    |   2026/11/12 03:14 - Name: text
    re.compile(r"^\[?(?P<date>\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}),?\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?)\]?\s*[-–]?\s*(?P<who>[^:]{1,60}?):\s(?P<text>.*)$", re.I),
    # [9:05 PM, 11/5/2026] Name: text
    re.compile(r"^\[(?P<time>\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?),\s*(?P<date>\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})\]\s*(?P<who>[^:]{1,60}?):\s(?P<text>.*)$", re.I),
    # Name 2026/10/28 15:02:13   (WeChat; text on the following lines)
    re.compile(r"^(?P<who>\S.{0,60}?)\s+(?P<date>\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s*$"),
    # 2026-10-27 17:02  Name   (platform messenger; text on the following lines)
    re.compile(r"^(?P<date>\d{4}[/.-]\d{1,2}[/.-]\d{1,2})\s+(?P<time>\d{1,2}:\d{2}(?::\d{2})?)\s{2,}(?P<who>\S.{0,80})$"),
]
_SYSTEM = re.compile(r"end-to-end encrypted|现在可以开始聊天|you can now chat|<media omitted>|<audio omitted>", re.I)


@dataclass
class Chat:
    turns: list[tuple[str, str, str]]  # (speaker, timestamp text, text)
    buyer: str
    buyer_lines: list[str]
    seller_lines: list[str]
    last_stamp: str


def parse_chat(text: str, seller: frozenset[str] = frozenset()) -> Chat | None:
    """A chat transcript's turns, when at least three lines are chat turns; else None."""
    turns: list[list[str]] = []
    matched = 0
    for line in text.split("\n")[:5000]:
        turn = _chat_turn(line)
        if turn:
            matched += 1
            turns.append(list(turn))
        elif turns and line.strip():
            turns[-1][2] = (turns[-1][2] + "\n" + line.strip()).strip()
    turns = [t for t in turns if t[2] and not _SYSTEM.search(t[2]) or t[2] and len(t[2]) > 80]
    if matched < 3 or not turns:
        return None
    return _assign_roles([tuple(t) for t in turns], seller)


def _chat_turn(line: str) -> tuple[str, str, str] | None:
    if ":" not in line:
        return None  # every pattern holds a clock time, 'h:mm' (most lines of a mail have no colon)
    for pattern in _CHAT_PATTERNS:
        match = pattern.match(line.strip())
        if match:
            who = match.group("who").strip()
            text = match.groupdict().get("text") or ""
            return who, f"{match.group('date')} {match.group('time')}", text.strip()
    return None


def _assign_roles(turns: list[tuple[str, str, str]], seller: frozenset[str]) -> Chat:
    """The buyer is the first to speak who is not the seller (a name carrying one of ``seller``'s words,
    the seller's company and salespeople); with no such name, whoever speaks first."""
    own = seller
    speakers = list(dict.fromkeys(t[0] for t in turns))
    sellers = {s for s in speakers if own & {w.lower() for w in re.findall(r"[^\W\d_]{4,}", s)}
               or any(" " in name and name in s.lower() for name in own)}
    buyers = [s for s in speakers if s not in sellers]
    buyer = buyers[0] if buyers else speakers[0]
    if not sellers:
        sellers = set(speakers[1:]) if len(speakers) > 1 else set()
        buyer = speakers[0]
    buyer_lines = [t[2] for t in turns if t[0] == buyer]
    seller_lines = [f"{t[0]}: {t[2]}" for t in turns if t[0] != buyer]
    return Chat(turns, buyer, buyer_lines, seller_lines, turns[-1][1])



def _fill_chat(message: Message, chat: Chat) -> None:
    message.platform = message.platform or "chat"
    message.platform_fields = {"name": chat.buyer, "date_order": _date_order(chat.last_stamp)}
    message.chat_turns = list(chat.turns)
    message.new_text = "\n".join(chat.buyer_lines)
    message.quoted = "\n".join(chat.seller_lines)
    message.body, message.signature = message.new_text, ""
    message.date = message.date or _chat_date(chat.last_stamp)


def _date_order(stamp: str) -> str:
    """'mdy' when the chat writes month-first dates (12-hour clocks do), else 'dmy'."""
    parts = [int(n) for n in re.split(r"[/.-]", stamp.split()[0]) if n.isdigit()]
    if len(parts) == 3 and parts[0] <= 31:
        if parts[1] > 12:
            return "mdy"
        if parts[0] > 12:
            return "dmy"
    return "mdy" if "M" in stamp.upper() else "dmy"


def _chat_date(stamp: str) -> datetime | None:
    date_part = stamp.split()[0]
    numbers = [int(n) for n in re.split(r"[/.-]", date_part)]
    if len(numbers) != 3:
        return None
    if numbers[0] > 31:
        y, m, d = numbers
    else:
        a, b, y = numbers
        us = "M" in stamp.upper() and b <= 31 and a <= 12  # 12-hour clocks come with month-first dates
        m, d = (a, b) if us or b > 12 else (b, a)
    try:
        return datetime(y if y > 99 else 2000 + y, m, d)
    except ValueError:
        return None
