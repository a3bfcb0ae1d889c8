"""What the buyer asks for, read off the text: quantity, certifications, samples, payment terms and
questions (the deadline and other dates: dates.py; the trade term and its place: terms.py).

Pure functions of strings; the words they look for are in the extraction lexicon
(playbooks/extract.toml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import Iterable

from triage.errors import DataFileError
from triage.lexicon import Lexicon, fold, fold_lines, lexicon
from triage.matching import WordPlaces, WordScan, finditer_at, pattern
from triage.model import Quantity, Volume


def compiled(name: str, build):
    """``build(lexicon)``, made once per lexicon: the word patterns below are read on every
    message, and rebuilding and hashing their word tuples cost more than using them."""
    lex = lexicon()
    return lex._view(("request", name), lambda: build(lex))


def scan_words(text: str) -> WordPlaces:
    """Where the month, weekday, payment, certification and sample words may be written in
    ``text``, found in one scan: give it to deadline, certifications, payment_terms and
    sample_requested reading the same text, and each tries its pattern only there."""
    return compiled("word-scan", _word_scan).read(fold(text))


def _word_scan(lex: Lexicon) -> WordScan:
    """The lists, each with the words that open every match of its pattern (see below)."""
    return WordScan({
        "months": lex.numbered("months"),  # month_any: r"\b(?:{})\b"
        "weekdays": ("next", *weekday_list(lex)),  # r"\b(next\s+)?({})\b"
        "payment": lex.mapping("payment"),  # r"(?<![\w/])(?:{})(?![\w/])"
        "certifications": _canonical_certifications(lex),  # r"(?<![\w-])(?:{})(?!\w)"
        "samples": lex.words("sample", "words"),  # r"(?<!\w)(?:{})(?!\w)"
    })


def weekday_list(lex: Lexicon) -> tuple[str, ...]:
    """The weekday words read as dates: not the three-letter ones ('sat', 'sun', 'wed' are words too)."""
    return tuple(w for w in lex.numbered("weekdays") if len(w) > 3)


def word_matches(regex: re.Pattern, folded: str, words: WordPlaces | None, name: str,
                  offset: int = 0) -> Iterable[re.Match]:
    """``regex.finditer(folded)``, tried only at the places of list ``name`` when ``words`` is the
    scan of ``folded[offset:]`` (and ``folded[:offset]`` holds no match: a lone line break)."""
    places = words.places(name) if words is not None else None
    if places is None or len(folded) != len(words.text) + offset or not folded.endswith(words.text):
        return regex.finditer(folded)
    return finditer_at(regex, folded, [at + offset for at in places] if offset else places)


# -- numbers and quantities ---------------------------------------------------------

# Chinese, Japanese and Korean characters (Hangul also as the jamo it folds to) are word characters to
# '\w' and '\b', but those scripts write no space between words: '约3000个', '报FOB宁波价格'. SPACED is a
# word character of a script that spaces its words, and the boundaries below are 'no SPACED character
# beside', so a number or a term next to CJK text is read as it is next to a space.
CJK = "\u1100-\u11ff\u3130-\u318f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
SPACED = f"[^\\W{CJK}]"

# A number not glued to a word or another number: '(?<![\w.,])(\d{1,3}(?:[.,\s]\d{3})+|\d+(?:[.,]\d+)?)',
# written with the first digit ahead of the look-behinds (which then span that digit): the same
# matches, tried in the same order, but a pattern that opens with a digit lets the regex engine
# skip ahead to the digits of the text instead of trying every position. The scale words ('k', 'mil',
# '万' ten thousand ...) that may follow are the lexicon's [scales] (see _scale_words).
_DIGITS = r"(?:\d{0,2}(?:[.,\s]\d{3})+|\d*(?:[.,]\d+)?))"
_NUMBER_START = rf"(\d(?<![.,]\d)(?<!{SPACED}\d){_DIGITS}"
# A quantity's number: a '.' or ',' before it hides it only after a digit ('12,000' is not read as '000'),
# since a full-width comma folds to ',': '12W，2000只' is '12w,2000只' there.
_QUANTITY_START = rf"(\d(?<!\d[.,]\d)(?<!{SPACED}\d){_DIGITS}"
_THOUSANDS = re.compile(r"\d{1,3}(?:[.,]\d{3})+")


@dataclass(frozen=True)
class _ScaleWords:
    """The lexicon's [scales]: each word (folded, as the text is: Korean '만' is its two jamo there)
    and its factor, and the optional group a number may end with."""

    factors: dict[str, int]
    group: str  # r"\s*(k|mil|...)?"
    alone: re.Pattern  # a number on its own, with its scale word

    @classmethod
    def build(cls, lex: Lexicon) -> _ScaleWords:
        factors = lex.numbered("scales")
        bad = sorted(w for w, n in factors.items() if n < 2 or not w)
        if bad:
            raise DataFileError(f"{lex.path}: [scales] a factor must be a whole number above 1, "
                                f"for words that are not empty (see {', '.join(map(repr, bad))})")
        group = r"\s*(" + "|".join(re.escape(w) for w in sorted(factors, key=len, reverse=True)) + ")?"
        return cls(factors, group, re.compile(_NUMBER_START + group + rf"(?!{SPACED})", re.I))


def _scale_words() -> _ScaleWords:
    return compiled("scales", _ScaleWords.build)


def number(text: str) -> float | None:
    """'12,000' -> 12000, '3.000' -> 3000, '1,5' -> 1.5, '20k' -> 20000."""
    match = _scale_words().alone.match(text.strip())
    if not match:
        return None
    return _value(match.group(1), match.group(2))


def _value(digits: str, scale: str | None) -> float:
    digits = digits.replace(" ", "")
    if _THOUSANDS.fullmatch(digits):
        value = float(digits.replace(".", "").replace(",", ""))
    else:
        value = float(digits.replace(",", "."))
    return value * _scale_words().factors.get(fold(scale or "").lower(), 1) if scale else value


def _quantity_pattern(lex: Lexicon) -> re.Pattern:
    """A number and a unit word. The unit may be glued to the number ('3000pcs', '3000个', '100шт'):
    _mentions drops the glued units of [quantity] not_glued ('21st', '50db')."""
    units = tuple(lex.units)
    number = (_QUANTITY_START + _scale_words().group + r"(?!\d)").replace("{", "{{").replace("}", "}}")
    template = number + r"\+?\s*(?:x\s*)?(?:-\s*)?({})" + f"(?!{SPACED})"  # '100,000+ units'
    return pattern("quantity", units, template)


@dataclass(frozen=True)
class _QuantityWords:
    """The lexicon's quantity words and patterns (see ``_compiled``)."""

    units: dict[str, str]
    nouns: frozenset[str]
    noun_min: int
    regex: re.Pattern
    ignore_before: re.Pattern
    ignore_after: re.Pattern
    revisions: tuple[re.Pattern, ...]
    per_period: tuple[str, ...]
    not_glued: frozenset[str]
    counts_other: tuple[str, ...]
    sample_context: re.Pattern  # a word that makes a small count on its line a sample count
    sample_max: int

    @classmethod
    def build(cls, lex: Lexicon) -> _QuantityWords:
        return cls(
            units=lex.units,
            nouns=frozenset(lex.words("quantity", "noun_units")),
            noun_min=int(lex.data["quantity"].get("noun_units_min", 50)),
            regex=_quantity_pattern(lex),
            ignore_before=pattern("qty-ignore", tuple(lex.words("quantity", "ignore_before")),
                                  f"(?<!{SPACED})(?:{{}})(?!{SPACED})"),
            ignore_after=pattern("qty-after", tuple(lex.words("quantity", "ignore_after")),
                                 r"^[^.;:\n]{{0,15}}?" + f"(?<!{SPACED})(?:{{}})(?!{SPACED})"),
            revisions=tuple(re.compile(r + r"$") for r in lex.data["quantity"].get("revision", [])),
            per_period=tuple(w.lstrip("/") for w in lex.words("quantity", "per_period")),
            not_glued=frozenset(fold(w) for w in lex.words("quantity", "not_glued")),
            counts_other=tuple(fold(w) for w in lex.words("quantity", "ignore_right_after")),
            sample_context=pattern("qty-sample", tuple(lex.words("quantity", "sample_context")),
                                   f"(?<!{SPACED})(?:{{}})(?!{SPACED})"),
            sample_max=int(lex.data["quantity"].get("sample_max", 0)),
        )


def _quantity_words() -> _QuantityWords:
    return compiled("quantity", _QuantityWords.build)


# '2 x 40HQ'. The count opens at the start of a digit run ('(?<!\d)' after its first digit): a match
# can only start there anyway (inside a run the digits before would match too), and a pattern
# that opens with a digit lets the engine skip to the digits of the text.
_CONTAINER = re.compile(r"(\d(?<!\d\d)\d*)\s*(?:x|×)\s*(40\s*'?\s*(?:hq|hc|gp|ft)?|20\s*'?\s*(?:gp|ft)?)\b", re.I)
_TIMES = re.compile(r"^\s*(\d{1,3}(?:[.,]\d{3})+|\d+)\s*(?:x|×)\s+\D", re.I | re.M)


@dataclass(frozen=True)
class _ContainerWords:
    """extract.toml [containers]: the count words, the size words and each size's share of a 40'HQ."""

    regex: re.Pattern  # group 1: the count word, group 2: the size word
    counts: dict[str, int]
    sizes: dict[str, float]

    @classmethod
    def build(cls, lex: Lexicon) -> _ContainerWords:
        table = lex.data.get("containers", {})
        try:
            counts = {fold(w): int(n) for n, words in table.get("counts", {}).items() for w in words}
            sizes = {fold(w): float(share) for share, words in table.get("sizes", {}).items() for w in words}
        except (TypeError, ValueError):
            raise DataFileError("extract.toml: [containers] counts and sizes map numbers to word lists") from None
        if not counts or not sizes:
            return cls(re.compile("(?!)"), counts, sizes)
        alt = lambda words: "|".join(map(re.escape, sorted(words, key=len, reverse=True)))  # noqa: E731
        regex = re.compile(rf"(?<!{SPACED})({alt(counts)})\s*(?:x\s*)?({alt(sizes)})(?!{SPACED})")
        return cls(regex, counts, sizes)


def _container_words() -> _ContainerWords:
    return compiled("containers", _ContainerWords.build)


def containers_said(text: str) -> list[tuple[int, Quantity]]:
    """Containers written with a count word ("one 40HQ", "a full container", "一个40HQ"): [(position, n containers)]."""
    words = _container_words()
    folded = fold(text)
    return [(m.start(), Quantity(float(words.counts[m.group(1)]), "containers")) for m in words.regex.finditer(folded)]


def container_share(text: str) -> float:
    """The share of a 40'HQ's load the buyer's container size holds ("20GP": a bit under half; 1.0 when
    the text names no size, a container reckoned as a 40'HQ)."""
    words = _container_words()
    folded = fold(text)
    sized = [words.sizes[m.group(2)] for m in words.regex.finditer(folded)]
    sized += [words.sizes.get(fold(m.group(2)).replace(" ", ""), 1.0) for m in _CONTAINER.finditer(folded)]
    return sized[0] if sized else 1.0


@dataclass(frozen=True)
class _VolumeWords:
    """extract.toml [volume]: the period words after a quantity, and before one in its sentence."""

    after: dict[str, str]  # folded word -> "month" or "year"
    before: re.Pattern  # a period word, then a figure in the same sentence: group 1 the word
    cued: re.Pattern  # a period word, then a bare figure (with its scale): "annual need 40k"
    abbreviations: tuple[str, ...] = ()  # "ca.", "approx.": a dot that ends no sentence

    @classmethod
    def build(cls, lex: Lexicon) -> _VolumeWords:
        table = lex.data.get("volume", {})
        after = {fold(w): p for p in ("month", "year") for w in table.get(f"{p}_after", [])}
        before = {fold(w): p for p in ("month", "year") for w in table.get(f"{p}_before", [])}
        needs = {fold(w): p for p in ("month", "year") for w in table.get(f"{p}_need", [])}
        shorts = tuple(fold(w) for w in lex.data.get("sentences", {}).get("abbreviations", []))
        if not before:
            return cls(after, re.compile("(?!)"), re.compile("(?!)"), shorts)
        alt = lambda ws: "|".join(map(re.escape, sorted(ws, key=len, reverse=True))) or "(?!)"  # noqa: E731
        lead = rf"(?<!{SPACED})({alt(before)})(?!{SPACED})"
        need = rf"(?<!{SPACED})({alt(needs)})(?!{SPACED})"
        return cls(after, re.compile(lead + r"[^\n;!?]{0,50}$"),
                   re.compile(need + r"[^\d\n;!?]{0,20}?" + _NUMBER_START + _scale_words().group
                              + rf"(?!\d|[.,]\d|{SPACED}|\s*%)"), shorts)

    def period_before(self, folded: str, start: int) -> str | None:
        """The period a word before ``start`` in its sentence names ("jährlich ca. 20.000 Stück")."""
        before = folded[max(0, start - 60):start]
        for short in self.abbreviations:  # "jährlich ca. 20.000": the dot of "ca." ends no sentence
            before = before.replace(short, short.rstrip(".") + " ")
        before = before[max((m.end() for m in _SENTENCE_END.finditer(before)), default=0):]
        found = self.before.search(before)
        if found is None or _FIGURE.search(before, found.end(1)) or _FIGURE.search(before, 0, found.start(1)):
            return None  # a figure beside the word takes the period: "annual need 40k, first order 8000",
            # "2 contêineres por mês, começando com 1 contêiner"
        return self._period(found.group(1))

    def period_after(self, folded: str, end: int) -> str | None:
        """The period a word after the quantity names, right after it or after at most two words of the
        thing counted ("2.000 tomadas USB por mês"), in the same clause."""
        clause = _CLAUSE_END.split(folded[end:end + 30], maxsplit=1)[0]
        words = clause.lstrip(" /").split(" ")
        for skip in range(min(3, len(words))):
            if skip and not words[skip - 1].isalpha():
                break  # only words of the thing counted stand between ("tomadas USB"), no figure ("de 40'")
            rest = " ".join(words[skip:])
            found = next((p for w, p in self.after.items() if rest.startswith(w.lstrip("/"))
                          and not rest[len(w.lstrip("/")):][:1].isalpha()), None)
            if found:
                return found
        return None

    def _period(self, word: str) -> str | None:
        return next((p for w, p in self._before_periods().items() if w == word), None)

    def _before_periods(self) -> dict[str, str]:
        table = lexicon().data.get("volume", {})
        return {fold(w): p for p in ("month", "year") for key in ("before", "need") for w in table.get(f"{p}_{key}", [])}


_CLAUSE_END = re.compile(r"[,.;:!?\n(]")
_NAMED_COUNT = re.compile(rf"(?<![\d.,])(\d{{1,3}}(?:[.,]\d{{3}})+|\d+)\s+((?:[^\W\d_][\w-]*\s+){{1,2}}?)([^\W\d_]+)(?!{SPACED})")
_FIGURE = re.compile(rf"(?<!{SPACED})\d[\d.,]*(?:\s*(?:k|mil|thousand|million|万|萬|千))?(?=[\s,;.:)'’]|$|[{CJK}])")  # "40k", "5万只", "40'", not "16A"


def _volume_words() -> _VolumeWords:
    return compiled("volume", _VolumeWords.build)


def said_per_period(text: str, phrase: str) -> bool:
    """Whether ``phrase`` stands in ``text`` with a period word after it ("800 USB outlets a month"): a need
    over time, not a count of what the buyer has."""
    folded, wanted = fold(text), fold(phrase)
    at = folded.find(wanted)
    return at >= 0 and _volume_words().period_after(folded, at + len(wanted)) is not None


def volume(text: str) -> Volume | None:
    """The buyer's need over a period, apart from the order: a quantity with a period word after it ("about
    3,000 pcs a month") or before it in its sentence ("jährlich ca. 20.000 Stück", "annual need 40k")."""
    folded = fold(text)
    if not _DIGIT.search(folded):
        return None
    words, found = _volume_words(), []
    qty = _quantity_words()
    for m in qty.regex.finditer(folded):
        value = _value(m.group(1), m.group(2))
        period = words.period_after(folded, m.end()) or words.period_before(folded, m.start())
        if period and value >= 2 and not (_year(value) and m.group(1).isdigit()):  # "2.000" is no year
            found.append((m.start(), Volume(value, qty.units.get(m.group(3).lower(), "pcs"), period)))
    for m in _NAMED_COUNT.finditer(folded):  # "800 USB outlets a month": a word or two before the unit word
        unit = qty.units.get(m.group(3))
        period = words.period_after(folded, m.end()) if unit else None
        value = _value(m.group(1), None)
        if period and value >= 2 and not any(at == m.start() for at, _ in found):
            found.append((m.start(), Volume(value, unit, period)))
    for m in words.cued.finditer(folded):
        value = _value(m.group(2), m.group(3))
        if value >= 10 and not _year(value):
            found.append((m.start(2), Volume(value, "pcs", words._period(m.group(1)) or "year")))
    return min(found, key=lambda pv: pv[0])[1] if found else None


def quantity(text: str, field: str | None = None) -> Quantity | None:
    """The total quantity asked for: a platform's quantity field, a stated total, else the sum of line items."""
    if field:
        found = _mentions(field)
        if found:
            return found[0][1]
        bare = number(field)
        if bare:
            return Quantity(bare, "pcs")
    mentions = _mentions(text)
    need = volume(text) if len(mentions) > 1 else None
    if need:  # the yearly need named again ("Staffelpreise für 8.000 bzw. 50.000 Stück?") is no order line
        mentions = [(at, q) for at, q in mentions if q.value != need.value] or mentions
    if not mentions:
        return _table_quantity(text)
    total = _stated_total(text, mentions)
    if total:
        return total
    return _sum(mentions)


MAX_MENTIONS = 500  # quantities read per message; a body listing more is not an inquiry's order lines


class Taken:
    """Positions already read, to skip a second reading of the same number (linear, not pairwise)."""

    def __init__(self):
        self.positions: set[int] = set()

    def near(self, position: int, distance: int) -> bool:
        return any(p in self.positions for p in range(position - distance + 1, position + distance))

    def add(self, position: int) -> None:
        self.positions.add(position)


_DIGIT = re.compile(r"\d")
_TIMES_SIGNS = ("x", "X", "×")  # what '(?:x|×)' matches with re.I


def _times_sign(folded: str) -> bool:
    """Whether a digit, then perhaps white space, then 'x' or '×' is written, as in every match of
    _CONTAINER and _TIMES. Those regexes try every digit of the text; the signs are few, and found
    with str.find (str.isspace and str.isdecimal are re's own \\s and \\d)."""
    for sign in _TIMES_SIGNS:
        at = folded.find(sign)
        while at >= 0:
            before = at - 1
            while before >= 0 and folded[before].isspace():
                before -= 1
            if before >= 0 and folded[before].isdecimal():
                return True
            at = folded.find(sign, at + 1)
    return False


def _mentions(text: str) -> list[tuple[int, Quantity]]:
    folded = fold(text)
    if not _DIGIT.search(folded):  # every pattern below (and in _cued_numbers) reads a \d: no digit, no figure
        return containers_said(text)
    out: list[tuple[int, Quantity]] = []
    taken = Taken()
    times = _times_sign(folded)  # else neither '2 x 40HQ' nor '500 x item' is written: spare their walks
    for match in _CONTAINER.finditer(folded) if times else ():
        out.append((match.start(), Quantity(float(match.group(1)), "containers")))
        taken.add(match.start())
    words = _quantity_words()
    units, nouns, lex_min = words.units, words.nouns, words.noun_min
    for match in words.regex.finditer(folded):
        if _ignored(folded, match.start(), match.end(), words):
            continue
        if match.end(2 if match.group(2) else 1) == match.start(3) and match.group(3).lower() in words.not_glued:
            continue  # '21st', '50db': no unit glued to the number
        value = _value(match.group(1), match.group(2))
        unit = units.get(match.group(3).lower(), "pcs")
        if unit == "pcs" and (value < 2 or not float(value).is_integer()):
            continue
        if match.group(3).lower() in nouns and value < lex_min:
            continue
        if unit == "pcs" and value < words.sample_max and _for_samples(folded, match.start(), words):
            continue
        if value > 0 and not taken.near(match.start(), 3):
            out.append((match.start(), Quantity(_multiplied(folded, match.end(), value), unit)))
            taken.add(match.start())
        if len(out) >= MAX_MENTIONS:
            break
    for match in _TIMES.finditer(folded) if times else ():
        if len(out) >= MAX_MENTIONS:
            break
        if not taken.near(match.start(), 8):
            out.append((match.start(), Quantity(_value(match.group(1), None), "pcs")))
            taken.add(match.start())
    for at, q in containers_said(text) if not out else ():
        out.append((at, q))  # "one 40HQ": a container counted in words, when no figure is written
    if not out:
        out = _cued_numbers(folded)
    return sorted(out, key=lambda pq: pq[0])


_QTY_CUE = re.compile(r"(?:volumes?|quantity|quantities|qty|cantidad(?:es)?|quantidade|quantite|menge|mengen|quantita|ilosc)\s*(?::|of|de|:\s*approx\.?|about|around|approx\.?)\s*")
# (a ',' or '.' after the number ends it unless a digit follows: '3000, FOB' and '数量约3000，' (a full-width
# comma folds to ','); no SPACED character after it, so '3000左右' is read)
_BARE = re.compile(rf"(?<![\w.,$€£])(\d{{1,3}}(?:[.,]\d{{3}})+|\d{{2,7}})(?!{SPACED}|%|[.,]\d|\s*(?:usd|eur|us\$|\$|v|w|a|mm|cm|m|k)\b)")


def _cue_pattern(lex: Lexicon) -> re.Pattern:
    """[quantity] cues and cue_links: '数量约3000', '수량: 3000' (a number written after them is the quantity)."""
    cues, links = lex.words("quantity", "cues"), lex.words("quantity", "cue_links")
    if not cues:
        return re.compile("(?!)")
    link = "|".join(map(re.escape, sorted((fold(w) for w in links), key=len, reverse=True))) or "(?!)"
    cue = "|".join(map(re.escape, sorted((fold(w) for w in cues), key=len, reverse=True)))
    return re.compile(rf"(?<!{SPACED})(?:{cue})\s*(?:(?:{link})\s*){{0,2}}(?=\d)")
_LINE_ITEM = re.compile(r"^\s*(?:[-•*·–]|\d{1,2}[.)]|item\s*\d+\b)[^\n]*?[:=–—-]\s*(\d{1,3}(?:[.,]\d{3})+|\d{2,7})\s*(?:pcs|units|nos|pieces)?\s*$", re.M)


def _cued_numbers(folded: str) -> list[tuple[int, Quantity]]:
    """'Volumes: 5,000 single / 3,000 twin' and '- 20A GFCI, white: 1,900': quantities written without a unit."""
    out = []
    cues = compiled("qty-cues", _cue_pattern)
    for cue in chain(_QTY_CUE.finditer(folded), cues.finditer(folded)):
        line_end = folded.find("\n", cue.end())
        line = folded[cue.end(): line_end if line_end >= 0 else None]
        if _volume_words().period_before(folded, cue.end()):
            continue  # "monthly volume: 12,000": a need over a period, not the order
        for m in _BARE.finditer(line):
            value = _value(m.group(1), None)
            if not _year(value):
                out.append((cue.end() + m.start(), Quantity(value, "pcs")))
    for m in _LINE_ITEM.finditer(folded):
        value = _value(m.group(1), None)
        if not _year(value) and value >= 10:
            out.append((m.start(1), Quantity(value, "pcs")))
    return out


def _year(value: float) -> bool:
    return 1990 <= value <= 2099 and float(value).is_integer()


_SENTENCE_END = re.compile(r"[\n?!？！。]|\.\s")


def _ignored(folded: str, start: int, end: int, words: _QuantityWords) -> bool:
    before = folded[max(0, start - 25):start]
    before = before[max((m.end() for m in _SENTENCE_END.finditer(before)), default=0):]  # its own sentence only
    after = folded[end:end + 25]
    if words.ignore_before.search(before):
        return True
    if words.ignore_after.search(after):
        return True
    if any(r.search(folded[max(0, start - 60):start]) for r in words.revisions):
        return True
    if words.counts_other and after.startswith(words.counts_other):
        return True  # '3个月' (three months), '10个人': counted right after the unit, as CJK writes it
    monthly = after.lstrip(" /").startswith(words.per_period) or _volume_words().period_after(folded, end)
    if monthly and not _FOR_MONTHS.search(folded[end:end + 60]):
        return True
    return _volume_words().period_before(folded, start) is not None  # "jährlich ca. 20.000 Stück": a need, no order


def _for_samples(folded: str, at: int, words: _QuantityWords) -> bool:
    """Whether the line of a small count says it is for samples without the word 'sample': sent by
    courier, to an office, to test or to present ('5 pcs of each to my office, I send my FedEx account')."""
    start = folded.rfind("\n", 0, at) + 1
    end = folded.find("\n", at)
    return bool(words.sample_context.search(folded, start, end if end >= 0 else len(folded)))


_FOR_MONTHS = re.compile(r"\bfor\s+\d+\s+months?\b|\bdurante\s+\d+\s+mes")
_PER_MONTH_FOR = re.compile(r"\s*(?:per|a|/)\s*month\s+for\s+(\d+)\s+months?")


def _multiplied(folded: str, end: int, value: float) -> float:
    """'1,000 pcs per month for 6 months' -> 6,000."""
    match = _PER_MONTH_FOR.match(folded[end:end + 60])
    return value * int(match.group(1)) if match else value


def _stated_total(text: str, mentions: list[tuple[int, Quantity]]) -> Quantity | None:
    """A quantity the buyer calls the total: after a total word ('Total: 11,000 pcs'), or before one on
    its line ('11,000 pcs in total'); never a total of something else ('Total output', 'total weight')."""
    folded = fold(text)
    totals, measures = compiled("totals", _total_words)
    for hit in totals.finditer(folded):
        if measures.match(folded, hit.end()):
            continue
        near = [(min(abs(p - hit.end()), abs(hit.start() - p)), q) for p, q in mentions
                if 0 <= p - hit.end() < 25 or (0 <= hit.start() - p < 20 and "\n" not in folded[p:hit.start()])]
        if near:
            return min(near, key=lambda dq: dq[0])[1]
    return None


def _table_quantity(text: str) -> Quantity | None:
    """The quantity column of a table (a BOQ extract: tab- or |-separated cells under a heading row that
    names a quantity column): its total row, else the sum of its rows in the unit of the first one."""
    headings, unit_headings, units, totals = compiled("qty-table", _table_words)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        sep = "\t" if "\t" in line else "|" if line.count("|") >= 2 else None
        if sep is None:
            continue
        cells = [fold(c.strip()) for c in line.split(sep)]
        column = next((j for j, c in enumerate(cells) if c in headings), None)
        if column is None:
            continue
        unit_column = next((j for j, c in enumerate(cells) if c in unit_headings), None)
        rows: list[Quantity] = []
        for row in lines[i + 1:]:
            if sep not in row:
                break
            row_cells = [c.strip() for c in row.split(sep)]
            value = number(row_cells[column]) if column < len(row_cells) else None
            if value is None:
                continue
            if any(totals.fullmatch(fold(c)) for c in row_cells if c):
                return Quantity(value, rows[0].unit if rows else "pcs")
            unit = fold(row_cells[unit_column]) if unit_column is not None and unit_column < len(row_cells) else ""
            rows.append(Quantity(value, units.get(unit, units.get(unit.rstrip("."), "pcs"))))
        if rows:
            return Quantity(sum(q.value for q in rows if q.unit == rows[0].unit), rows[0].unit)
    return None


def _table_words(lex: Lexicon) -> tuple[frozenset[str], frozenset[str], dict[str, str], re.Pattern]:
    def folded(key: str) -> frozenset[str]:
        return frozenset(fold(w) for w in lex.words("quantity", key))

    totals = re.compile("(?:" + "|".join(map(re.escape, sorted(folded("total_words")))) + r")[\s:.]*")  # a cell of its own
    return folded("table_headings"), folded("table_unit_headings"), lex.units, totals


def _total_words(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    """(the total words, the measures a total word may name instead of the quantity: 'total output')."""
    measures = pattern("qty-total-of", tuple(lex.words("quantity", "total_of_other")), r"[ \t]*(?:of[ \t]+)?(?:{})\b")
    return pattern("qty-total", tuple(lex.words("quantity", "total_words")), r"\b(?:{})\b"), measures


def _sum(mentions: list[tuple[int, Quantity]]) -> Quantity:
    units = [q.unit for _, q in mentions]
    unit = "pcs" if "pcs" in units else units[0]
    same = [q.value for _, q in mentions if q.unit == unit]
    if max(same) >= 100:
        same = [v for v in same if v >= 10]  # '3 pcs of each as samples' beside 10,000 pcs
    distinct = list(dict.fromkeys(same))
    if len(distinct) > 1 and max(distinct) == sum(distinct) - max(distinct):
        return Quantity(max(distinct), unit)  # items and their total both written
    return Quantity(sum(distinct), unit)


def certifications(text: str, field: str | None = None, *, words: WordPlaces | None = None) -> list[str]:
    """Product approvals the buyer requires, in canonical spelling, optional ones left out.
    ``words``: scan_words(text), when the caller has it."""
    canonical, regex, optional, documents = compiled("certifications", _certification_words)
    whole = (field or "") + "\n" + text
    folded = fold_lines([field or "", text])  # the text's own fold, read by the other stages too
    cjk = compiled("cjk-words", _cjk_words)[1] if HAS_CJK.search(folded) else None
    if len(folded) != len(whole):  # accents changed the length: positions differ, fold per sentence
        return _certifications_by_sentence(whole, canonical, cjk or regex, optional, documents)
    if cjk is not None:
        matches = cjk.finditer(folded)
    else:
        matches = word_matches(regex, folded, words, "certifications", 1) if not field else regex.finditer(folded)
    found = [canonical[m.group(0).lower()] for m in matches
             if _certification_word(whole, m) and not optional.search(_sentence_at(folded, m.start()))]
    return [c for c in dict.fromkeys(found) if c not in documents]


def _certification_words(lex: Lexicon) -> tuple[dict[str, str], re.Pattern, re.Pattern, frozenset[str]]:
    canonical = _canonical_certifications(lex)
    optional = pattern("cert-optional", tuple(lex.words("certifications", "optional")), "(?:{})")
    documents = frozenset(lex.data["certifications"].get("documents", []))
    return canonical, pattern("certs", tuple(canonical), r"(?<![\w-])(?:{})(?!\w)"), optional, documents


def _canonical_certifications(lex) -> dict[str, str]:
    return lex._view(("cert-canonical",), lambda: {fold(n): n for n in lex.data["certifications"]["names"]}
                     | lex.mapping("certifications", "aliases"))


def _sentence_at(text: str, position: int) -> str:
    start = max(text.rfind(ch, 0, position) for ch in ".!?;\n") + 1
    ends = [i for i in (text.find(ch, position) for ch in ".!?;\n") if i >= 0]
    return text[start:min(ends) if ends else len(text)]


def _certifications_by_sentence(whole, canonical, regex, optional, documents) -> list[str]:
    found: list[str] = []
    for sentence in _sentences(whole):
        folded = fold(sentence)
        if optional.search(folded):
            continue
        for m in regex.finditer(folded):
            if _certification_word(sentence, m):
                found.append(canonical[m.group(0).lower()])
    return [c for c in dict.fromkeys(found) if c not in documents]


def _certification_word(sentence: str, m: re.Match) -> bool:
    """Marks written in capitals ('CE', 'REACH') count only in capitals; 'reach the minimum' is no mark."""
    word = sentence[m.start():m.end()]
    if " " in word or word.lower() in ("cul", "c-ul", "rohs", "inmetro"):
        return True
    return word.upper() == word


_SENTENCE = re.compile(r"(?<=[.!?;\n])\s+")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s.strip()]


def sample_requested(text: str, *, words: WordPlaces | None = None) -> bool:
    """``words``: scan_words(text), when the caller has it."""
    folded = fold(text)
    if HAS_CJK.search(folded):
        return compiled("cjk-words", _cjk_words)[0].search(folded) is not None
    regex = compiled("samples", _sample_words)
    return any(True for _ in word_matches(regex, folded, words, "samples"))


def _sample_words(lex: Lexicon) -> re.Pattern:
    return pattern("samples", tuple(lex.words("sample", "words")), r"(?<!\w)(?:{})(?!\w)")


# The sample and certification patterns with SPACED boundaries ('寄两个样品', 'CE和SASO认证'), tried only on
# a text that holds CJK characters: on any other text they find what the '\w' ones find, and those keep
# the one scan of scan_words (whose places are whole runs of '\w').
HAS_CJK = re.compile(f"[{CJK}]")


def _cjk_words(lex: Lexicon) -> tuple[re.Pattern, re.Pattern]:
    samples = tuple(lex.words("sample", "words"))
    return (pattern("samples-cjk", samples, f"(?<!{SPACED})(?:{{}})(?!{SPACED})"),
            pattern("certs-cjk", tuple(_canonical_certifications(lex)), f"(?<!{SPACED}|-)(?:{{}})(?!{SPACED})"))


def payment_terms(text: str, *, words: WordPlaces | None = None) -> str | None:
    """``words``: scan_words(text), when the caller has it."""
    terms, regex = compiled("payment", _payment_words)
    folded = fold(text)
    found = [terms[m.group(0).lower()] for m in word_matches(regex, folded, words, "payment")]
    return ", ".join(dict.fromkeys(found)) or None


def _payment_words(lex: Lexicon) -> tuple[dict[str, str], re.Pattern]:
    terms = lex.mapping("payment")
    return terms, pattern("payment", tuple(terms), r"(?<![\w/])(?:{})(?![\w/])")


QUESTION_MARKS = ("?", "？", "؟")  # Latin and others, full-width (CJK), Arabic
_QUESTION_SPLIT = re.compile(r"(?<=[.!?。？؟])\s+|\n")
_QUESTION_HEAD = re.compile(r"^\W*(?:\d{1,2}[.)](?!\d)\s*)?")  # "2. Wie ...", never "50." of "50.000 Stück?"


def questions(text: str, limit: int = 12) -> list[str]:
    """The buyer's explicit questions: sentences ending with a question mark, and the items listed under
    a line that asks for them ("Pouvez-vous nous indiquer :\na) le prix par pièce"; ``listed_questions``)."""
    listed = listed_questions(text)
    if not any(mark in text for mark in QUESTION_MARKS):
        return listed[:limit]
    out = []
    for sentence in _question_sentences(text):
        sentence = sentence.strip()
        if not sentence.endswith(QUESTION_MARKS):
            continue
        q = _QUESTION_HEAD.sub("", sentence).lstrip("¿¡ ").strip()
        if len(q) > 3 and q not in out:
            out.append(q)
    if listed:
        out = [q for q in _in_text_order(text, out + [q for q in listed if q not in out])]
    return out[:limit]


_LISTED = re.compile(r"^\s*(?:[a-h]\)|[a-h]\.\s|\d{1,2}[.)](?!\d)|[-•*·–])\s*(.+?)\s*$")


def listed_questions(text: str) -> list[str]:
    """The items listed right under a line that ends with ':' and asks (extract.toml [questions] intros),
    each a question of its own though it has no question mark; an item with one is left to ``questions``."""
    intros = compiled("question-intros", lambda lex: tuple(lex.words("questions", "intros")))
    out: list[str] = []
    asking = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.endswith((":", "：")):
            asking = any(w in fold(stripped) for w in intros)
            continue
        item = _LISTED.match(line) if asking else None
        if item is None:
            asking = asking and not stripped and not out  # a blank line may stand between the intro and its list
            continue
        words = item.group(1)
        if not words.endswith(QUESTION_MARKS) and len(words) > 3 and not _mentions(words):
            out.append(words)  # (a line with a count is an order line: "- 5,000 pcs BL-UK13")
    return out


def _in_text_order(text: str, found: list[str]) -> list[str]:
    return sorted(found, key=lambda q: (text.find(q) if q in text else len(text)))


def _question_sentences(text: str) -> list[str]:
    """The pieces of ``_QUESTION_SPLIT.split(text)`` that may end with a question mark, each with
    perhaps more white space around it, and perhaps some white space alone: split line by line,
    only the lines with a question mark. The same pieces once stripped: each line break is a
    separator either way, and a run of white space after a sentence end that goes on past a line
    break is a separator whole in the text, and in the next lines their leading white space."""
    return [sentence for line in text.split("\n") if any(mark in line for mark in QUESTION_MARKS)
            for sentence in _joined_abbreviations(_QUESTION_SPLIT.split(line))]


def _joined_abbreviations(pieces: list[str]) -> list[str]:
    """Pieces split after an abbreviation's dot ("bzw.", "e.g.", "ca.": extract.toml [sentences]) joined
    again: "Welche Staffelpreise gelten für 8.000 bzw. 50.000 Stück?" is one question."""
    shorts = _abbreviations()
    out: list[str] = []
    for piece in pieces:
        if out and out[-1].rstrip().lower().endswith(shorts):
            out[-1] = out[-1].rstrip() + " " + piece.lstrip()
        else:
            out.append(piece)
    return out


def _abbreviations() -> tuple[str, ...]:
    return compiled("abbreviations", lambda lex: tuple(
        w.lower() for w in lex.data.get("sentences", {}).get("abbreviations", []) if w.endswith(".")))
