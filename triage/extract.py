"""extract: Message + seller Profile -> Inquiry (who wrote, from where, asking what).

No network, no database. Facts come from, in order of trust: a platform's
labelled fields, the signature block, the headers, then the free text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache

from triage import dates, products, request, terms
from triage.hostnames import registrable
from triage.lexicon import Lexicon, fold, fold_lines, lexicon
from triage.matching import Matcher, pattern
from triage.model import Inquiry, Message
from triage.profile import Profile

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.I)
_WEB = re.compile(r"(?<![@\w.])((?:https?://)?(?:www\.)?[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,6})(?:/[^\s|,;]*)?(?![@\w])", re.I)
_NAME_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-žA-Z'’.-]+"
_NAME = re.compile(rf"^(?:(?:Mr|Mrs|Ms|Miss|Dr|Eng|Ing|Sr|Sra)\.?\s+)?({_NAME_WORD}(?:\s+(?:{_NAME_WORD}|[A-Z]\.|de|da|van|von|der|den|del|la|el|al|bin|dos|do)){{0,4}})\s*$")
_INTROS = ("my name is", "i am", "i'm", "this is", "me llamo", "mi nombre es", "soy", "meu nome é", "sou", "je suis",
           "je m'appelle", "ich bin", "mein name ist", "sono")
_INTRO_NAME = re.compile(rf"(?i:{'|'.join(_INTROS)})\s+({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}})")
_JOINED = re.compile(r"\s+([|·•]|[-–—])\s+|\s*(,)\s+")


def extract(message: Message, profile: Profile, *, today: date | None = None) -> Inquiry:
    """Read the buyer's request off a parsed message."""
    source = _buyer_message(message, profile)
    inquiry = Inquiry(message=message)
    fields = source.platform_fields
    sig_lines = _signature_lines(source.signature, source.from_name)
    _sender(inquiry, source, fields, profile)
    _contact(inquiry, source, fields, sig_lines)
    _company(inquiry, source, fields, sig_lines)
    _phones_and_country(inquiry, source, fields, sig_lines)
    _request(inquiry, source, fields, profile, today or _today(message))
    if inquiry.country is None and inquiry.destination:
        _destination_country(inquiry)
    return inquiry


def _today(message: Message) -> date:
    if message.date:
        return message.date.date()
    return datetime.now(timezone.utc).date()


def _buyer_message(message: Message, profile: Profile) -> Message:
    """A colleague's forward of a buyer's mail is the buyer's inquiry: analyse the forwarded one."""
    own = profile.own_domains
    sender_domain = (message.from_email or "").rsplit("@", 1)[-1]
    if message.forwarded and sender_domain in own and len(message.body) < 600:
        inner = message.forwarded[0]
        if (inner.from_email or "").rsplit("@", 1)[-1] not in own:
            return inner
    return message


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.split("\n") if ln.strip()]


def _signature_lines(text: str, name: str = "") -> list[str]:
    """Signature lines, with 'Title | Company' and 'Owner - Company' split in two, and a line that
    opens with the writer's name (``name``, the From name) split at each separator after it
    ('Piotr Zieliński, dział techniczny, Luxo Oświetlenie': name, title, company)."""
    out = []
    for line in _lines(text):
        parts = _after_own_name(line, name)
        for part in parts or [line]:
            out += _split_title_line(part)
    return out


def _after_own_name(line: str, name: str) -> list[str]:
    """[the name, each part after it] when ``line`` is the name and more, joined by separators."""
    name = name.strip().strip('"')
    if len(name.split()) < 2 or line[:len(name)].casefold() != name.casefold() or "@" in line:
        return []
    joined = _JOINED.match(line, len(name))
    if not joined:
        return []
    rest = _JOINED.split(line[joined.end():])
    return [line[:len(name)], *(part.strip() for part in rest[::3] if part and part.strip())]


_THREE_DIGITS = re.compile(r"\d{3}")


def _split_title_line(line: str) -> list[str]:
    """'Founder & CEO | Kahraba Home' -> two lines; 'Category Buyer – Wiring Devices' stays one."""
    match = _JOINED.search(line)
    if not match or "@" in line or _THREE_DIGITS.search(line) or not _title_words(line[:match.start()]):
        return [line]
    left, sep, right = line[:match.start()].strip(), match.group(1) or match.group(2), line[match.end():].strip()
    companyish = (_has_company_suffix(right) or _has_company_word(right)) and len(right.split()) >= 2
    department = fold(right.split()[0]).strip("&,.") in _word_patterns().departments
    if (sep in "|·•" and (not _title_words(right) or _has_company_suffix(right))) or (
            sep not in "|·•" and companyish and not department and not _title_words(right)):
        return [left, *_split_title_line(right)]
    return [line]


# -- sender -------------------------------------------------------------------------


def _sender(inquiry: Inquiry, source: Message, fields: dict[str, str], profile: Profile) -> None:
    email = source.from_email
    if not email and (source.kind == "text" or source is not inquiry.message):
        email = _shown_email(fields, source, profile)
    inquiry.sender_email = email
    inquiry.sender_name = source.from_name or None
    inquiry.sender_domain = registrable_domain(email.rsplit("@", 1)[-1]) if email else None


def _shown_email(fields: dict[str, str], source: Message, profile: Profile) -> str | None:
    own = set(profile.own_domains)
    for text in (fields.get("email", ""), source.new_text):
        for email in _EMAIL.findall(text) if "@" in text else ():
            if email.rsplit("@", 1)[-1].lower() not in own:
                return email.lower()
    return None


@lru_cache(maxsize=16_384)
def registrable_domain(host: str) -> str:
    """'mail.acme.co.uk' -> 'acme.co.uk', 'elmax.lublin.pl' stays (see hostnames.registrable); an IP
    or a bare name as written, without 'www.'."""
    host = host.lower().strip(". ")
    return registrable(host) or host.removeprefix("www.")


# -- contact ------------------------------------------------------------------------


def _contact(inquiry: Inquiry, source: Message, fields: dict[str, str], sig: list[str]) -> None:
    name_at = _signature_name(sig, source.from_name)
    signed = sig[name_at] if name_at is not None else None
    signed_title = None
    if signed is None:
        signed, signed_title = _name_with_title(sig, source.from_name)
    field_name, field_title = _name_and_title(fields.get("name", ""))
    named = [n for n in (signed, _clean_name(field_name), _display_name(source.from_name),
                         _platform_name(source), _intro_name(source)) if n]
    inquiry.contact_name = _fullest(named)
    inquiry.contact_title = (signed_title or _title(sig, name_at) or field_title
                             or _headline_title(source.text))
    websites = [w for line in sig for w in _websites(line)] + _websites(fields.get("website", ""))
    inquiry.website = websites[0] if websites else None


_WORD = re.compile(r"\w+")


def _signature_name(sig: list[str], display: str) -> int | None:
    """Index of the line that holds the writer's full name (the longest name-like line near the top)."""
    display_words = {w.lower() for w in _WORD.findall(display)}
    best, best_score = None, 0
    signoff, patterns = _signoff(), _word_patterns()
    for i, line in enumerate(sig[:8]):
        if signoff.match(line) or not _NAME.match(line) or _title_words(line, patterns) \
                or _has_company_suffix(line, patterns):
            continue
        words = line.split()
        shared = display_words & {w.lower().strip(".,") for w in words}
        if _has_company_word(line) and len(shared) < len(words) or \
                not shared and len(words) == 1 and (len(display_words) >= 2 or i > 2):
            # a company's line ('Ndlovu Industrial Supplies', 'Attiki Electric' under a Greek name the
            # pattern cannot read) unless it is the From name; a lone word that is not the From name's
            # nor right under the sign-off ('Unsubscribe' at the foot of a mailing)
            continue
        score = len(words) + 3 * len(shared) - i * 0.1
        if len(words) >= 2 or display_words & {words[0].lower()}:
            score += 1
        if score > best_score:
            best, best_score = i, score
    return best


def _name_with_title(sig: list[str], display: str) -> tuple[str | None, str | None]:
    """A signature's 'Jordi Puig, Responsable de Producto' line near the top: the name and the title
    (a name the pattern cannot read, 'Ирина Смирнова', when the From name has its words)."""
    display_words = {w.lower() for w in _WORD.findall(display)}
    for line in sig[:4]:
        name, title = _name_and_title(line)
        words = {w.lower() for w in _WORD.findall(name)}
        if title and len(name.split()) <= 4 and (_NAME.match(name) or display_words & words):
            return name, title
    return None, None


def _signoff() -> re.Pattern:
    """The parse rules' sign-off pattern (fetched once per signature: each fetch reads TRIAGE_HOME)."""
    from triage.mailtext import rules

    return rules().signoff


_NAME_NOISE = re.compile(r"\(.*?\)|\s[-–|].*$|^(?:mr|mrs|ms|miss|dr)\.?\s+", re.I)
_SPACED_TAIL = re.compile(r"\s{2,}.*$")


_NAME_THEN_TITLE = re.compile(r"^([^,]+?)\s*,\s*(.+)$")  # (not ' - ': 'Gregory H.  - Verified Buyer' is a badge)


def _name_and_title(value: str) -> tuple[str, str | None]:
    """A form's 'Buyer: Denise Parker, Category Manager - Electrical' -> the name and the title."""
    match = _NAME_THEN_TITLE.match(value.strip())
    if match and _title_words(match.group(2)) and not _title_words(match.group(1)):
        return match.group(1), match.group(2).strip(" ,|")
    return value, None


def _clean_name(value: str) -> str | None:
    value = _NAME_NOISE.sub("", value.strip()).strip()
    value = _SPACED_TAIL.sub("", value)
    if not value or "@" in value or _THREE_DIGITS.search(value):
        return None
    return value


def _display_name(name: str) -> str | None:
    if not name or "@" in name:
        return None
    if "," in name:  # "Dawson, Rick"
        last, first = [p.strip() for p in name.split(",", 1)]
        name = f"{first} {last}"
    return name.strip() or None


def _fullest(names: list[str]) -> str | None:
    """The first name found, unless a later one says the same more fully ('Ahmed' signing for 'Ahmed Raza')."""
    if not names:
        return None
    first = names[0]
    for other in names[1:]:
        words = other.split()
        if len(words) > len(first.split()) and first.split()[0] == words[0] and not other[0].isdigit():
            return other
    return first


_GREETING = re.compile(r"^(?:dear|hello|hi|hey|good|greetings|thanks|thank|regards|best|kind|ok|yes|no)\b", re.I)
_CHAT_INTRO = re.compile(rf"^({_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}})(?:[.,]\s|\s+(?:from|de|da|von|here)\b)", re.M)
_CHAT_FROM = re.compile(rf"\b({_NAME_WORD}\s+{_NAME_WORD})\s+(?:from|de|da|von)\s+[A-Z]")
_LINKEDIN = re.compile(r"^(.{3,60}?) sent the following message", re.M)


def _intro_name(source: Message) -> str | None:
    """'My name is ...', and in chats a line opening with the writer's name ('Brian Otieno. Kenbuild ...')."""
    text = source.new_text[:1500]
    match = _first_intro(text)
    if match:
        return match.group(1)
    if source.platform in ("chat", "whatsapp", "wechat", "linkedin"):
        for regex in (_CHAT_INTRO, _CHAT_FROM):
            for match in regex.finditer(text):
                if not _GREETING.match(match.group(1)) and not _title_words(match.group(1)):
                    return match.group(1)
    return None


_INTRO_MATCHER = Matcher(_INTRO_NAME)


def _first_intro(text: str) -> re.Match | None:
    """``_INTRO_NAME.search(text)``, tried only where an introduction is written: the search
    itself tries its case-insensitive alternation at every position, which is slow."""
    return _INTRO_MATCHER.search(text)


def _platform_name(source: Message) -> str | None:
    """A platform page's buyer name: LinkedIn's 'X sent the following message', or a name line over a country line."""
    if source.kind != "text" or not source.platform:
        return None
    match = _LINKEDIN.search(source.text[:1000])
    if match:
        return match.group(1).strip()
    from triage import geo

    lines = _lines(source.text[:1500])
    for line, following in zip(lines, lines[1:]):
        if _NAME.match(line) and ":" not in line and geo.country_from_text(following) and not _title_words(line):
            return line
    return None


def _title_words(line: str, words: _WordPatterns | None = None) -> bool:
    """A job title's words in ``line``. ``words``: _word_patterns(), when a loop has it already."""
    folded = fold(line)
    return bool((words or _word_patterns()).titles.search(folded))


@dataclass(frozen=True)
class _WordPatterns:
    """The lexicon's title and company patterns, made once per lexicon (they are read for every
    signature line; rebuilding and hashing their word tuples cost more than the search)."""

    titles: re.Pattern
    suffix: re.Pattern
    suffix_end: re.Pattern
    company_word: re.Pattern
    departments: list[str]

    @classmethod
    def build(cls, lex: Lexicon) -> _WordPatterns:
        suffixes = tuple(lex.words("company", "suffixes"))
        return cls(
            titles=pattern("titles", tuple(lex.words("titles", "words")), r"(?<!\w)(?:{})(?!\w)"),
            suffix=pattern("company-suffix", suffixes, r"(?<![\w])(?:{})(?![\w])"),
            suffix_end=pattern("company-suffix-end", suffixes, r"(?<![\w])(?:{})(?![\w])"),
            company_word=pattern("company-word", tuple(lex.words("company", "words")), r"(?<![\w])(?:{})(?![\w])"),
            departments=lex.words("titles", "departments"),
        )


def _word_patterns() -> _WordPatterns:
    lex = lexicon()
    return lex._view(("extract", "words"), lambda: _WordPatterns.build(lex))


_NOT_TITLE = re.compile(r"\d{4}|@|www\.")
_AT_TAIL = re.compile(r"\s+(?:at|@)\s+.*$")


def _title(sig: list[str], name_at: int | None) -> str | None:
    start = 0 if name_at is None else name_at + 1
    for line in sig[start:start + 3]:
        if _title_words(line) and not _has_company_suffix(line) and not _NOT_TITLE.search(line):
            return _AT_TAIL.sub("", line).strip(" ,|")
        if _NAME.match(line) and not _title_words(line):
            continue
        if name_at is not None and _has_company_suffix(line):
            break
    return None


_HEADLINE = re.compile(r"^([^\n]{2,60}?)\s+at\s+[^\n]+$", re.M)
# ' at ' as every headline has it ('\sat\s'), written to open with 'at': the engine skips ahead to the
# few places of 'at' instead of trying the headline at every line and every position
_AT_WORD = re.compile(r"at(?<=\sat)\s")


def _headline_title(text: str) -> str | None:
    """A profile headline such as 'Founder & CEO at Stroomhuis' (LinkedIn)."""
    head = text[:1500]
    if not _AT_WORD.search(head):
        return None
    for match in _HEADLINE.finditer(head):
        if _title_words(match.group(1)) and len(match.group(1).split()) <= 6:
            return match.group(1).strip()
    return None


_SCHEME = re.compile(r"^https?://", re.I)
_FILE_HOST = re.compile(r"\.(?:jpg|png|pdf|docx?|xlsx?)$")


def _websites(line: str) -> list[str]:
    if "." not in line:  # every address has a dot before its top-level domain: spare the regex's walk
        return []
    out = []
    for match in _WEB.finditer(line):
        host = _SCHEME.sub("", match.group(1)).lower()
        if "." in host and not _FILE_HOST.search(host):
            out.append(host)
    return out


# -- company ------------------------------------------------------------------------


def _has_company_suffix(line: str, words: _WordPatterns | None = None) -> bool:
    """A legal form (Ltd, GmbH, S.A. de C.V., ...) in a short line."""
    if len(line) >= 90:
        return False
    folded = fold(line)
    return bool((words or _word_patterns()).suffix.search(folded))


def _has_company_word(line: str) -> bool:
    folded = fold(line)
    return bool(_word_patterns().company_word.search(folded))


def _company(inquiry: Inquiry, source: Message, fields: dict[str, str], sig: list[str]) -> None:
    inquiry.company_name = (
        _clean_company(fields.get("company", ""))
        or _signature_company(sig, inquiry.contact_name)
        or _text_company(source.new_text)
    )


_COMPANY_FIELD_END = re.compile(r"\s{2,}|\s[|·]\s")


_TRAILING_ASIDE = re.compile(r"\s*\([^()]*\)$")


def _clean_company(value: str) -> str | None:
    """A form's company field without what follows it on the line or a platform's aside
    ('Hartwell Home Centers (verified buyer, 38 stores)')."""
    value = _COMPANY_FIELD_END.split(value.strip())[0].strip()
    return _TRAILING_ASIDE.sub("", value) or None


_AT_HEAD = re.compile(r"^(?:at|@)\s+")


def _signature_company(sig: list[str], contact: str | None) -> str | None:
    signoff = _signoff()
    plain = [ln for ln in sig[:10] if _plain_line(ln, contact, signoff)]
    for test in (_has_company_suffix, lambda ln: _has_company_word(ln) and not _title_words(ln) and _name_like(ln)):
        candidates = [ln for ln in plain if test(ln)]
        if candidates:
            return _without_place(_AT_HEAD.sub("", candidates[0]).strip(" |,"))
    return _after_title(sig, contact)


def _name_like(line: str) -> bool:
    """A line that can be a company's name: a few words, opening with a capital or a letter of a
    script without case ('شركة', 'Công ty'), not a sentence ('10% for trading and trustline usage')."""
    first = line.lstrip("«\"'(")[:1]
    return len(line.split()) <= 7 and first.isalpha() and not first.islower()


_PLACE_AFTER = re.compile(r"\.?\s*(?:,|\s[-–—|]\s)\s*\S")


def _without_place(line: str) -> str:
    """'Obi Electrical Ltd, Lagos, Nigeria' -> 'Obi Electrical Ltd': what follows the legal form is an address."""
    regex = _word_patterns().suffix_end
    folded = fold(line)
    ends = [m.end() for m in regex.finditer(folded)] if len(folded) == len(line) else []
    if ends and _PLACE_AFTER.match(line[ends[-1]:]):
        return line[:ends[-1] + line[ends[-1]:].startswith(".")].rstrip(" ,")  # 'Co., Ltd.' keeps its dot
    return line


_ADDRESS_LIKE = re.compile(r"\d{3}|www\.|https?:|\.(?:com|net|org)\b")


def _plain_line(line: str, contact: str | None, signoff: re.Pattern) -> bool:
    """Not the name, a sign-off, a phone, an address with numbers, an e-mail or a web address."""
    return (
        line != contact and not ("@" in line and _EMAIL.search(line)) and not _ADDRESS_LIKE.search(line)
        and not signoff.match(line) and not line.lower().startswith(("tel", "ph", "fax", "mob", "cel"))
    )


_NOT_COMPANY_LINE = re.compile(r"\d|@|www\.|https?:")


def _after_title(sig: list[str], contact: str | None) -> str | None:
    """Without a legal form, the company is the line after the name and title."""
    if not contact or contact not in sig:
        return None
    i = sig.index(contact) + 1
    while i < len(sig) and _title_words(sig[i]):
        i += 1
    if i < len(sig):
        line = sig[i]
        if not _NOT_COMPANY_LINE.search(line) and 2 <= len(line) <= 60:
            return line
    return None


_TEXT_COMPANY = re.compile(
    r"(?:greetings from|on behalf of|here at|I am \w+ from|I'm \w+ from|we are|somos|nous sommes|wir sind|de la empresa|da empresa)\s+"
    r"((?:[A-Z][\w&'.-]*\s?){1,5}(?:Ltd\.?|LLC|Inc\.?|GmbH|S\.A\.|S\.L\.|SARL|Pty Ltd|Co\., Ltd\.?|Limited|Trading|Electricals?))"
)


_NAMED_COMPANY = re.compile(r"\b((?:(?:[A-Z][\w'-]+|&)[ \t]){1,4}(?:Ltd|LLC|Inc|GmbH|Limited|Co\., Ltd|Pty Ltd|Electricals|Trading(?: Co\.)?))\b\.?")
# Both patterns end in one of these (case matters): text without any has no company to find.
_COMPANY_FORMS = ("Ltd", "LLC", "Inc", "GmbH", "S.A.", "S.L.", "SARL", "Limited", "Trading", "Electrical")


def _text_company(text: str) -> str | None:
    head = text[:2000]
    if not any(form in head for form in _COMPANY_FORMS):
        return None
    match = _TEXT_COMPANY.search(head)
    if match:
        return match.group(1).strip()
    match = _NAMED_COMPANY.search(head)
    return match.group(1).strip() if match else None


# -- phones and country ------------------------------------------------------------


def _phones_and_country(inquiry: Inquiry, source: Message, fields: dict[str, str], sig: list[str]) -> None:
    from triage import geo

    sig_text = "\n".join(sig)
    field_country = geo.country_from_text(fields.get("country", ""))
    address_country = geo.country_from_address(sig_text)
    tld_country = geo.cctld_country(inquiry.sender_domain or "")
    phone_text = "\n".join([fields.get("phone", ""), sig_text, _chat_number(source)])
    inquiry.phones, phone_country = geo.phones(phone_text, field_country or address_country or tld_country)
    for country, where in (
        (field_country or geo.country_from_text(fields.get("name", "")), "platform"),
        (address_country, "signature"),
        (phone_country, "phone"),
        (tld_country, "cctld"),
    ):
        if country:
            inquiry.country, inquiry.country_source = country, where
            return
    country = geo.country_from_text(source.new_text[:1500], strict=True)  # the costliest look, so the last
    if country:
        inquiry.country, inquiry.country_source = country, "text"


def _destination_country(inquiry: Inquiry) -> None:
    """Nothing else says where the buyer is: the port or city it wants the goods delivered to ('CIF
    Mombasa') is, most often, in its own country (the weakest source, read last: a transit port such
    as Dar es Salaam for a Gulf trader is the exception)."""
    from triage import geo

    country = geo.country_of_place(inquiry.destination)
    if country and country != "CN":
        inquiry.country, inquiry.country_source = country, "destination"


def _chat_number(source: Message) -> str:
    name = source.platform_fields.get("name", "") if source.platform in ("whatsapp", "chat") else ""
    return name if name.startswith("+") else ""


# -- the request ---------------------------------------------------------------------


def _request(inquiry: Inquiry, source: Message, fields: dict[str, str], profile: Profile, today: date) -> None:
    text = source.body or source.new_text
    parts = [source.subject, fields.get("product", ""), fields.get("model", ""), text]
    inquiry.products = products.catalogue(profile).match("\n".join(parts), folded=fold_lines(parts))
    inquiry.quantity = request.quantity(text, fields.get("quantity"))
    inquiry.volume = request.volume(text)
    order = fields.get("date_order")
    us = order == "mdy" if order else inquiry.country in ("US", "CA", "PH")
    words = request.scan_words(text)  # one scan for the word lists of the next four
    inquiry.deadline = dates.deadline(text, today, field=fields.get("deadline"), us_dates=us, words=words)
    inquiry.incoterm = terms.incoterm(text, fields.get("terms")) or terms.incoterm(source.quoted)
    inquiry.destination = terms.destination(text, fields.get("destination"))
    inquiry.certifications = request.certifications(text, fields.get("certifications"), words=words)
    inquiry.sample_requested = request.sample_requested(text, words=words)
    inquiry.payment_terms = request.payment_terms(text, words=words)
    inquiry.questions = request.questions(text)
    inquiry.language = _language(text)


def _language(text: str) -> str | None:
    try:
        from triage.persona import detect_language
    except ImportError:
        return None
    return detect_language(text)
