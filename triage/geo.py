"""Countries and phone numbers: ISO alpha-2 from names, addresses, ccTLDs and phone prefixes.

pycountry supplies the country names, phonenumbers the parsing and the prefix ->
region mapping; other spellings are data in playbooks/extract.toml [countries].
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Iterator

from triage import hostnames
from triage.lexicon import fold, lexicon
from triage.matching import alternation

_GENERIC_CCTLDS = {"co", "io", "ai", "me", "tv", "cc", "ws", "fm", "am", "ly", "to", "gg", "so", "app", "eu"}
_US_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC"
).split()
_ADDRESS_PATTERNS = [
    (re.compile(rf"\b(?:{'|'.join(_US_STATES)})\s+\d{{5}}(?:-\d{{4}})?\b"), "US"),
    (re.compile(r"\b(?:ON|QC|BC|AB|MB|SK|NS|NB|NL|PE)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"), "CA"),
    (re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"), "CA"),
    (re.compile(r"\b(?:VIC|NSW|QLD|WA|SA|TAS|ACT|NT)\s+\d{4}\b"), "AU"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b"), "GB"),
]


@cache
def _names() -> _Places:
    """Country names (folded) -> ISO alpha-2: pycountry's English ones, then the data's own spellings."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names[fold(value)] = country.alpha_2
    names.update({k: v for k, v in lexicon().mapping("countries").items()})
    return _Places(names)


@cache
def _places() -> _Places:
    """Where a buyer says it is ('a wholesaler in Barcelona', 'aus Österreich'): the country names, the
    names pycountry's translations give in extract.toml [geo] name_languages, and [cities]. Read only
    after a cue: 'indien' is India in German and 'if' in Dutch."""
    import gettext

    import pycountry

    countries = dict(_names().names)
    for language in lexicon().words("geo", "name_languages"):
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)
        for country in pycountry.countries:
            name = fold(translation.gettext(country.name))
            if len(name) >= 4:
                countries.setdefault(name, country.alpha_2)
    return _Places({**lexicon().mapping("cities"), **countries}, countries=set(countries))


_WORD = re.compile(r"\w+")


class _Places:
    """Place names found as whole words by looking their words up (4,000 names as one regex took
    0.2 s to compile on every start): the longest name at the leftmost place first."""

    def __init__(self, names: dict[str, str], countries: set[str] | None = None):
        self.names = names
        self.countries = set(names) if countries is None else countries  # the names that are countries, not cities
        self.widest: dict[str, int] = {}  # a name's first word -> the most words a name opening with it has
        for name in names:
            words = _WORD.findall(name)
            if words:
                self.widest[words[0]] = max(self.widest.get(words[0], 0), len(words))

    def finditer(self, folded: str) -> Iterator[tuple[int, str, str]]:
        """(start, name, code) of each name in ``folded``, not inside a longer word or a hyphenated one."""
        words = list(_WORD.finditer(folded))
        names, widest = self.names, self.widest
        after = 0  # where the last name found ends: names do not overlap
        for i, word in enumerate(words):
            start, most = word.start(), widest.get(word.group())
            if most is None or start < after or folded[start - 1: start] == "-":
                continue
            for last in range(min(i + most, len(words)) - 1, i - 1, -1):
                end = words[last].end()
                span = next((s for s in (folded[start: end + 1], folded[start: end])  # 'u.s.a.' with its dot
                             if s in names and not _JOINED.match(folded, start + len(s))), None)
                if span is not None:
                    yield start, span, names[span]
                    after = start + len(span)
                    break


_JOINED = re.compile(r"[\w-]")  # a name followed by one of these is part of a longer word


def country_from_text(text: str, *, strict: bool = False) -> str | None:
    """The first country named in ``text``. strict: a country or a city of extract.toml [cities], only
    right after one of [geo] cues ('from', 'based in', 'en', 'aus'), and never China (the seller's)."""
    if not text:
        return None
    folded = fold(text)
    if not strict:
        return next((code for _, _, code in _names().finditer(folded)), None)
    places = _places()
    for start, name, code in places.finditer(folded):
        cue = _cue_before("cues" if name in places.countries else "city_cues")
        if code != "CN" and cue.search(folded[max(0, start - 12):start]):
            return code
    return None


@cache
def _cue_before(key: str) -> re.Pattern:
    """One of extract.toml [geo] ``key`` ('in', 'based in', 'aus', 'i') ending where a place begins."""
    return re.compile(rf"(?<![\w-])(?:{alternation(lexicon().words('geo', key))})\s+$")


def country_of_place(place: str) -> str | None:
    """The country of a place named on its own ('Mombasa', 'Puerto Caldera', '인천'): a city of
    extract.toml [cities] or a country's name, the whole of ``place``; None for any other."""
    folded = fold(place).strip(" .,;")
    return _places().names.get(folded) if folded else None


def country_from_address(text: str) -> str | None:
    """A country named in an address block, else one implied by a postcode format."""
    found = country_from_text(text)
    if found:
        return found
    for regex, code in _ADDRESS_PATTERNS:
        if regex.search(text):
            return code
    return None


def cctld_country(domain: str) -> str | None:
    """The country a domain's country-code TLD names: not one sold for generic use (``.co``, ``.io``),
    unless the name sits under that country's own second level (``electrocaribe.com.co``)."""
    tld = domain.rsplit(".", 1)[-1].lower() if "." in domain else ""
    if len(tld) != 2 or tld in _GENERIC_CCTLDS and "." not in hostnames.split(domain.lower()).suffix:
        return None
    return {"uk": "GB"}.get(tld, tld.upper())


_THREE_DIGITS = re.compile(r"\d{3}")
# A run of digits with the separators phone numbers are written with; phonenumbers then judges it.
_PHONE = re.compile(r"(?<![\w.])\+?\(?\d[\d\s().\-/]{5,20}\d(?![\w])")


def phones(text: str, region: str | None) -> tuple[list[str], str | None]:
    """Phone numbers in ``text`` as E.164, and the country of the first one."""
    if not _THREE_DIGITS.search(text):
        return [], None
    found, country = [], None
    for candidate in _PHONE.findall(text):
        parsed = _phone(candidate, region or "ZZ")
        if parsed is None:
            continue
        e164, number_region = parsed
        if e164 not in found:
            found.append(e164)
            country = country or number_region
    return found, country if country not in (None, "ZZ", "001") else None


@lru_cache(maxsize=None)
def phone_lib():
    """phonenumbers, imported on first use, told to keep every metadata pattern it compiles: it otherwise
    leans on re's own cache of 512, which the rest of the pipeline fills, and recompiled a country's
    number patterns (~0.3 ms each) whenever mail from a new country came in."""
    import phonenumbers

    keep = getattr(phonenumbers, "enable_pattern_cache", None)  # phonenumbers 9.0.43 and later
    if keep is not None:
        keep()
    return phonenumbers


def e164(candidate: str, region: str | None) -> str | None:
    """A possible phone number as E.164, else None (``region``: where it is read as a national number)."""
    parsed = _phone(candidate, region or "ZZ")
    return parsed[0] if parsed else None


@lru_cache(maxsize=64)
def _phone(candidate: str, region: str) -> tuple[str, str | None] | None:
    """(E.164, region of the number) of a possible phone number, else None. The latest few are
    remembered: phonenumbers.parse costs ~25 us, and a buyer's signature brings the same number
    back in the next messages of a thread (not more: most numbers are seen once)."""
    phonenumbers = phone_lib()

    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
            phonenumbers.region_code_for_number(number))
