"""The dates in a buyer's text: the deadline by which they want the quote or the goods, and every
date written (numeric, with month words in the lexicon's languages, CJK, relative: 'end of next
week', 'KW 12', 'within 10 days'), resolved against the message's date.

Split from request.py, whose word scan (``scan_words``) and keyed patterns (``compiled``) it shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from triage.lexicon import Lexicon, fold
from triage.matching import Matcher, WordPlaces, aligned_lower, pattern
from triage.request import HAS_CJK, MAX_MENTIONS, Taken, compiled, weekday_list, word_matches

@dataclass(frozen=True)
class _DateWords:
    """The lexicon's month words and the date patterns made of them (see ``_compiled``)."""

    months: dict[str, int]
    month_any: re.Pattern
    patterns: dict[str, re.Pattern]

    @classmethod
    def build(cls, lex: Lexicon) -> _DateWords:
        months = lex.numbered("months")
        return cls(
            months=months,
            month_any=pattern("month-any", tuple(months), r"\b(?:{})\b"),
            patterns=dict(_compiled_date_patterns(tuple(months))),
        )


def _date_words() -> _DateWords:
    return compiled("dates", _DateWords.build)


@lru_cache(maxsize=8)
def _compiled_date_patterns(months: tuple[str, ...]):
    month_alt = pattern("months", months, "{}").pattern
    return [
        ("ymd", re.compile(r"\b(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})\b")),
        ("dmy_text", re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?({month_alt})\.?,?(?:\s+(?:de\s+)?(20\d\d))?\b", re.I)),
        ("mdy_text", re.compile(rf"\b({month_alt})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(20\d\d))?\b", re.I)),
        ("numeric", re.compile(r"(?<![\d.,/])(\d{1,2})/(\d{1,2})(?:/(20\d\d|\d\d))?(?![\d/]|\.\d)")),
        ("dotted", re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})\.(20\d\d)\b")),
        ("month_end", re.compile(rf"\b(?:end of|fin de|finales de|fim de|final de|fin|ende|ultimo|late)\s+({month_alt})\b", re.I)),
        ("ordinal", re.compile(r"\bon the (\d{1,2})(?:st|nd|rd|th)\b")),
    ]


def _cjk_date_pattern(lex: Lexicon) -> tuple[re.Pattern, tuple[str, ...]]:
    """'2027年3月15日', '3月15日', '3월 15일' (the marks of [cjk_dates], folded as the text is), and the
    month marks, where such a date is looked for."""
    def marks(key: str) -> str:
        return "|".join(re.escape(w) for w in lex.words("cjk_dates", key))

    regex = re.compile(rf"(?:(20\d\d)\s*(?:{marks('year')})\s*)?(?<!\d)(\d{{1,2}})\s*(?:{marks('month')})\s*"
                       rf"(\d{{1,2}})\s*(?:{marks('day')})")
    return regex, tuple(lex.words("cjk_dates", "month"))




def deadline(text: str, today: date, *, field: str | None = None, us_dates: bool = False,
             words: WordPlaces | None = None, goods_only: bool = False) -> date | None:
    """The date by which the buyer wants the quote or the goods, resolved against ``today``.
    ``words``: scan_words(text), when the caller has it. ``goods_only``: the goods' date alone, never
    one for samples, the offer, a reply or the deposit (``_not_goods``): the date a draft meets."""
    if field and not goods_only:
        found = dates_in(field, today, us_dates=us_dates)
        if found:
            return found[0][1]
    folded = fold(text)
    dates = dates_in(text, today, us_dates=us_dates, words=words)
    weekdays = [(p, d) for p, d in _weekdays(folded, today, words) if not any(0 < q - p < 25 for q, _ in dates)]
    candidates = [(p, d) for p, d in sorted(dates + weekdays + _relative(folded, today)) if not (goods_only and _not_goods(folded, p))]
    cued = [d for pos, d in candidates if _cued(folded, pos)]
    if cued:
        return cued[0]
    ahead = [d for _, d in candidates if today <= d <= today + timedelta(days=366)]
    return min(ahead) if ahead else None


_CLAUSE_END = re.compile(r"[.;!?\n。；！？]\s")


def _not_goods(folded: str, position: int) -> bool:
    """Whether the date is for something else than the goods: samples, our offer, a reply, the deposit,
    a decision ("samples by 18 Dec", "offer before 20.12", "reply by Friday", "deposit on 11 Dec"). A word
    of extract.toml [deadline] not_goods nearer before the date, in its clause, than any word of [deadline]
    goods ("delivery", "on site") says so; or one right after it with no goods word ("12月11日前回复")."""
    before = folded[max(0, position - 60):position]
    ends = list(_CLAUSE_END.finditer(before))
    clause = before[ends[-1].end():] if ends else before
    other = _last_word(clause, "not_goods")
    if other >= 0 and other > _last_word(clause, "goods"):
        return True
    after = _CLAUSE_END.split(folded[position:position + 24], 1)[0]  # "12 月 11 日前回复": the verb after the date
    return _last_word(after, "not_goods") >= 0 and _last_word(after, "goods") < 0


def _last_word(clause: str, key: str) -> int:
    """Where the last word of [deadline] ``key`` starts in the clause, -1 if none is there."""
    words = compiled(f"deadline-{key}", lambda lex: pattern(f"deadline-{key}", tuple(lex.words("deadline", key)),
                                                             r"(?<!\w)(?:{})"))
    found = [m.start() for m in words.finditer(clause)]
    return found[-1] if found else -1


def _cued(folded: str, position: int) -> bool:
    before = folded[max(0, position - 40):position]
    cues = compiled("cues", lambda lex: pattern("deadline-cues", tuple(lex.words("deadline", "cues")),
                                                 r"(?<!\w)(?:{})(?!\w)"))
    return bool(cues.search(before))


def dates_in(text: str, today: date, *, us_dates: bool = False,
             words: WordPlaces | None = None) -> list[tuple[int, date]]:
    """Every date written in ``text``, resolved against ``today``, with its position (``words``:
    scan_words(text), when the caller has it).

    Regex scans are the cost here, so each pattern runs only on short windows around the
    places it can match: month words, slashes, '.20' of a dotted year, 'on the'.
    """
    folded = fold(text)
    date_words = _date_words()
    months, patterns = date_words.months, date_words.patterns
    out: list[tuple[int, date]] = []
    taken = Taken()
    original = text if len(text) == len(folded) else folded
    for kind, start, segment in _date_windows(folded, date_words.month_any, words):
        regex = patterns[kind] if kind != "cjk" else compiled("cjk-dates", _cjk_date_pattern)[0]
        for m in regex.finditer(segment):
            position = start + m.start()
            if taken.near(position, 4) or _everyday_word(kind, m, original, start):
                continue
            found = _resolve(kind, m, months, today, us_dates)
            if found:
                out.append((position, found))
                taken.add(position)
        if len(out) >= MAX_MENTIONS:
            break
    return out


def _date_windows(folded: str, month_any: re.Pattern, words: WordPlaces | None):
    """(pattern kind, offset, text window) for every place a date pattern could match."""
    for m in word_matches(month_any, folded, words, "months"):
        start = max(0, m.start() - 25)
        segment = folded[start:m.end() + 30]
        for kind in ("dmy_text", "mdy_text", "month_end"):
            yield kind, start, segment
    needles = [("/", "numeric", 6, 12), (".20", "dotted", 6, 6), ("20", "ymd", 1, 10), ("on the ", "ordinal", 0, 14)]
    if HAS_CJK.search(folded):
        needles += [(mark, "cjk", 12, 8) for mark in compiled("cjk-dates", _cjk_date_pattern)[1]]
    for needle, kind, before, after in needles:
        i = folded.find(needle)
        while i >= 0:
            start = max(0, i - before)
            yield kind, start, folded[start:i + len(needle) + after]
            i = folded.find(needle, i + len(needle) + after)


_YEAR = re.compile(r"20\d\d")


def _everyday_word(kind: str, m: re.Match, original: str, offset: int) -> bool:
    """'2 set of samples': an ambiguous month abbreviation in lower case, with no year beside it."""
    if kind not in ("dmy_text", "mdy_text", "month_end"):
        return False
    group = {"dmy_text": 2, "mdy_text": 1, "month_end": 1}[kind]
    word = m.group(group).lower().rstrip(".")
    if word not in compiled("ambiguous", lambda lex: frozenset(lex.words("month_words", "ambiguous"))):
        return False
    written = original[offset + m.start(group):offset + m.end(group)]
    return not written[:1].isupper() and not _YEAR.search(m.group(0))


def _resolve(kind: str, m: re.Match, months: dict[str, int], today: date, us_dates: bool) -> date | None:
    if kind == "cjk":
        return _future(today, int(m.group(2)), int(m.group(3)), m.group(1)) if 1 <= int(m.group(2)) <= 12 else None
    if kind == "ymd":
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if kind == "dmy_text":
        return _future(today, months[m.group(2).lower().rstrip(".")], int(m.group(1)), m.group(3))
    if kind == "month_end":
        month = months[m.group(1).lower().rstrip(".")]
        year = today.year if _month_last_day(today.year, month) >= today else today.year + 1
        return _month_last_day(year, month)
    if kind == "ordinal":
        day = int(m.group(1))
        found = _date(today.year, today.month, day) if day >= today.day else None
        return found or _future(today, today.month % 12 + 1, day, None)
    if kind == "mdy_text":
        return _future(today, months[m.group(1).lower().rstrip(".")], int(m.group(2)), m.group(3))
    a, b, year = int(m.group(1)), int(m.group(2)), m.group(3)
    options = [(a, b), (b, a)] if us_dates else [(b, a), (a, b)]
    for month, day in options:
        found = _future(today, month, day, year)
        if found and (year or (found - today).days < 200):
            return found
    return None


def _month_last_day(year: int, month: int) -> date:
    return (date(year, month, 28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _future(today: date, month: int, day: int, year: str | None) -> date | None:
    if year:
        y = int(year) + (2000 if len(year) == 2 else 0)
        return _date(y, month, day)
    found = _date(today.year, month, day)
    if found and found < today - timedelta(days=7):
        found = _date(today.year + 1, month, day)
    return found


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _weekdays(folded: str, today: date, words: WordPlaces | None = None) -> list[tuple[int, date]]:
    days, regex = compiled("weekdays", _weekday_words)
    out = []
    for m in word_matches(regex, folded, words, "weekdays"):
        ahead = (days[m.group(2)] - today.weekday()) % 7 or 7
        out.append((m.start(), today + timedelta(days=ahead + (7 if m.group(1) else 0))))
    return out


def _weekday_words(lex: Lexicon) -> tuple[dict[str, int], re.Pattern]:
    return lex.numbered("weekdays"), pattern("weekdays", weekday_list(lex), r"\b(next\s+)?({})\b")


_RELATIVE = [
    (re.compile(r"end of (?:this|the) month|fin de mes|final de mes|fin du mois|ende des monats|monatsende"), "month_end",
     ("end", "fin")),
    (re.compile(r"end of next week|fin de la (?:semana|semaine) (?:que viene|prochaine)|ende nächster woche"),
     "next_week_end", ("end", "fin")),
    (re.compile(r"end of (?:this |the )?week|fin de semana|fin de la semaine|ende der woche"), "week_end", ("end", "fin")),
    (re.compile(r"\b(?:kw|cw|week)\s?(\d{1,2})\b"), "iso_week", ("kw", "cw", "week")),
    (re.compile(r"(?:within|in|en|dentro de|em|dans|innerhalb von)\s+(?:the next\s+)?(\d{1,2}|one|two|three|four|five|six|dos|tres|deux|trois|zwei|drei)\s+(?:days|dias|días|jours|tagen)"), "days",
     ("days", "dias", "días", "jours", "tagen")),
    (re.compile(r"(?:within|in|en|dentro de|em|dans|innerhalb von)\s+(?:the next\s+)?(\d{1,2}|one|two|three|four|five|six|dos|tres|deux|trois|zwei|drei)\s+(?:weeks|semanas|semaines|wochen)"), "weeks",
     ("weeks", "semanas", "semaines", "wochen")),
]


_PAYMENT_BEFORE = re.compile(r"\b(?:pay\w*|paid|net|credit|invoice\w*|pago|pagamento|paiement|zahlung\w*)\b[^.\n]*$")


def _rare(openings: tuple[str, ...]) -> bool:
    """Openings rare enough to look for: 'end of', 'kw' (a short opening without a vowel is an
    abbreviation), not 'in' or 'en' (written everywhere)."""
    return all(len(o) >= 3 or not set(o) & set("aeiou") for o in openings)


_RELATIVE_MATCHERS = [Matcher(regex, _rare) for regex, _, _ in _RELATIVE]


def _relative(folded: str, today: date) -> list[tuple[int, date]]:
    out = []
    lowered = None  # aligned_lower(folded), made once for all the patterns
    for (_, kind, needles), matcher in zip(_RELATIVE, _RELATIVE_MATCHERS):
        if not any(n in folded for n in needles):
            continue
        if lowered is None:
            lowered = aligned_lower(folded)
        for m in matcher.finditer(folded, lowered):
            if _PAYMENT_BEFORE.search(folded, max(0, m.start() - 25), m.start()):
                continue  # "pay within 30 days", "net 30 days": payment terms
            found = _relative_date(kind, m, today)
            if found:
                out.append((m.start(), found))
    return out


def _relative_date(kind: str, m: re.Match, today: date) -> date | None:
    if kind == "month_end":
        first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        return first_next - timedelta(days=1)
    if kind in ("week_end", "next_week_end"):
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        return friday + timedelta(days=7 if kind == "next_week_end" else 0)
    if kind == "iso_week":
        week = int(m.group(1))
        if not 1 <= week <= 53:
            return None
        year = today.year + (1 if week < today.isocalendar()[1] - 4 else 0)
        return _iso_friday(year, week)
    words = {"one": 1, "two": 2, "dos": 2, "deux": 2, "zwei": 2, "three": 3, "tres": 3, "trois": 3, "drei": 3,
             "four": 4, "five": 5, "six": 6}
    n = int(m.group(1)) if m.group(1).isdigit() else words[m.group(1)]
    return today + timedelta(days=n if kind == "days" else 7 * n)


def _iso_friday(year: int, week: int) -> date | None:
    try:
        return date.fromisocalendar(year, week, 5)
    except ValueError:
        return None
