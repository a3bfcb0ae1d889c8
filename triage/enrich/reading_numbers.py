"""Numbers on a company's pages: founding year, headcount, branches and floor area, and the size band.

A number (digits or number words in a dozen languages) next to a noun ("48 employees", "team of 48",
"Mitarbeitende | 38") or a founding word ("established in 1986", "1999'dan beri"); a timeline's first
year; a branch list's entries. The words are in ``playbooks/enrich/reading.toml``.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from triage.enrich.data import load, words
from triage.enrich.reading_text import CJK, Sentence, find_terms, is_negated, lexicon_set, term_regex

def _number_words(lang: str = "") -> tuple[dict[str, tuple[str, int]], set[str], re.Pattern]:
    """word -> (kind, value), the joiners, and a regex for a number written in words or digits;
    with the words that count only on a page in ``lang`` (Turkish "on" = 10)."""
    return _number_table(id(load("reading")), lang)


@lru_cache(maxsize=64)
def _number_table(_data_id: int, lang: str) -> tuple[dict[str, tuple[str, int]], set[str], re.Pattern]:
    data = load("reading")["numbers"]
    own = data.get("languages", {}).get(lang, {}) if lang else {}
    table = {k.lower(): ("unit", int(v)) for k, v in (data["units"] | own.get("units", {})).items()}
    # "une quarantaine", "ein Dutzend", "decenas": multiply what stands before them, like "hundred"
    table |= {k.lower(): ("small", int(v)) for k, v in (data["small"] | data.get("approximate", {})).items()}
    table |= {k.lower(): ("large", int(v)) for k, v in (data["large"] | own.get("large", {})).items()}
    for word in own.get("not", []):  # Dutch "onze" is "our", not the French eleven
        table.pop(word.lower(), None)
    joiners = {j.lower() for j in data["joiners"]}
    morph = "|".join(re.escape(w) for w in sorted(table, key=len, reverse=True))
    glue = "|".join(re.escape(j) for j in sorted(joiners, key=len, reverse=True))
    # "ألف وتسعمائة وخمسة": Arabic glues "and" to the next number word
    prefixed = "|".join(re.escape(j) for j in data.get("glued_joiners", []))
    lead = rf"(?:{prefixed})?" if prefixed else ""
    word = rf"(?:{morph})(?:(?:{glue})?(?:{morph}))*"
    spelled = rf"(?<!\w){word}(?:[\s-]+(?:(?:{glue})[\s-]+)?{lead}{word})*(?!\w)"
    cjk = "|".join(re.escape(w) for w in table if CJK.search(w))
    # not the "7" of "24/7 support staff" nor a part of "1/2"
    digits = r"(?<![\d.,/])\d{1,3}(?:[,.'’ \u00a0]\d{3})+(?![\d/])|(?<![\d.,/])\d+(?![\d/])"
    pattern = rf"(?P<num>{digits}|(?:{cjk})+|{spelled})"
    return table, joiners, re.compile(pattern)


def number_value(text: str, lang: str = "") -> int | None:
    """The value of "1,200", "zweihundertfünfzig", "twenty-five", "二百五十", "une quarantaine", else None."""
    clean = text.strip()
    if re.fullmatch(r"[\d,.'’ \u00a0]+", clean):
        digits = re.sub(r"\D", "", clean)
        return int(digits) if digits else None
    table, joiners, _ = _number_words(lang)
    keys = sorted(table, key=len, reverse=True)
    total = current = pending = 0
    found = False
    rest = clean.lower()
    while rest:
        rest = rest.lstrip(" -\u00a0")
        if not rest:
            break
        key = next((k for k in keys if rest.startswith(k)), None)
        if key is None:
            joiner = next((j for j in sorted(joiners, key=len, reverse=True) if rest.startswith(j)), None)
            if joiner is None:
                return None
            rest = rest[len(joiner):]
            continue
        kind, value = table[key]
        found = True
        if kind == "unit":
            pending += value
        elif kind == "small":
            current += (pending or 1) * value
            pending = 0
        else:
            total += (current + pending or 1) * value
            current = pending = 0
        rest = rest[len(key):]
    return total + current + pending if found else None


def _counts(sents: list[Sentence], after: list[str], before: list[str], low: int, high: int) -> list[tuple]:
    """``(value, sentence, term, approximate, beside, past)`` for every count next to one of the nouns, but
    not one that counts the customers ("we serve 2,000 electricians"). ``beside``: the number stands
    next to a noun ("200 сотрудников", "team of 48"), not only after a verb that counts anything
    ("насчитывает свыше 40 000 позиций"); ``past``: the count is told of the founding ("opened in 1957
    with two employees", "empezó como una firma de dos personas"), not of today."""
    data = load("reading")
    approx = "|".join(re.escape(w) for w in sorted(words(data, "approx", "words"), key=len, reverse=True))
    vague = set(data["numbers"].get("approximate", {})) | set(words(data, "approx", "words"))
    counters = "|".join(re.escape(w) for w in words(data, "numbers", "cjk_counters"))
    # "une soixantaine d'employés"; "12位專業同事": a counter and a word or two between in CJK
    cjk_fill = rf"|\s*(?:{counters})[\u3400-\u9fff]{{1,2}}" if counters else ""
    fill = rf"(?:\s*(?:{approx})\s*|\s+\w+\s+|\s+\w['’]{cjk_fill})?"
    proclitics = tuple(words(data, "terms", "proclitics"))
    found = []
    row = int(data["weights"].get("facts_row_chars", 40))
    nouns_first = term_regex(tuple(after), proclitics)
    noun_next = re.compile(rf"\s*\+?{fill}\s*(?:{nouns_first.pattern})") if nouns_first else None
    for s in sents:
        _, _, number = _number_words(s.lang)
        hits = [(m.group("num"), m.start(), m.end(), m.group(0), i == 0 and bool(after))
                for i, regex in enumerate(_count_regexes(tuple(after), tuple(before), number.pattern, approx, fill, proclitics))
                for m in regex.finditer(s.text)]
        if len(s.text) <= row and nouns_first:  # a facts row or stat card: "Mitarbeitende 38", "Standorte | 4"
            hits += [h + (True,) for h in _noun_then_number(s.text, nouns_first, number)]
        for num, start, end, phrase, beside in hits:
            value = number_value(num, s.lang)
            if value is None or not low <= value <= high or _counts_customers(s.text, start):
                continue
            around = s.text[max(0, start - 16):end]
            approximate = any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", around) for w in vague)
            rest = s.text[end:]
            # "team of 48", "employees: 120", "team of 48 dedicated people": the number stands by the noun
            beside = beside or not re.match(r"\s*\+?\s*[^\W\d_]", rest) or bool(noun_next and noun_next.match(rest))
            found.append((value, s, phrase, approximate, beside, _of_the_past(s, start)))
    return found


def _of_the_past(s: Sentence, start: int) -> bool:
    """The count is told of the founding: in its clause (no comma between) a founding word or a year
    stands before it, and no word of today after that ("[story] now": "today", "heute", "hoy")."""
    data = load("reading")
    head = re.split(r"[,;:—–，；：]", s.text[:start])[-1]
    then = [m.end() for m in find_terms(head, words(data, "founded", "strong") + words(data, "story", "then"))]
    then += [m.end() for m in _YEAR.finditer(head)]
    if not then:
        return False
    now = [m.end() for m in find_terms(head, words(data, "story", "now"))]
    return max(then) > max(now, default=-1)


def _noun_then_number(text: str, nouns: re.Pattern, number: re.Pattern) -> list[tuple]:
    out = []
    for m in nouns.finditer(text):
        gap = re.match(r"[\s:：|·–-]*", text[m.end():]).end()
        n = number.match(text, m.end() + gap)
        if n:
            out.append((n.group("num"), m.start(), n.end(), text[m.start():n.end()]))
    return out


def _counts_customers(sentence: str, start: int) -> bool:
    """"we serve 2,000 electricians", "für 500 Installateure": the word right before the count
    is a customer word, so the count is of the customers."""
    before = re.findall(r"[\w']+", sentence[max(0, start - 20):start])[-1:]
    markers = lexicon_set("customers", "before") - lexicon_set("customers", "not_before_counts")  # "grown to 38 staff"
    return bool(before) and before[0] in markers


@lru_cache(maxsize=64)
def _count_regexes(after: tuple, before: tuple, number: str, approx: str, fill: str,
                   proclitics: tuple = ()) -> list[re.Pattern]:
    after_re, before_re = term_regex(after, proclitics), term_regex(before, proclitics)
    out = [re.compile(rf"{number}\s*\+?{fill}\s*(?P<noun>{after_re.pattern})")] if after_re else []
    if before_re:
        out.append(re.compile(rf"(?P<noun>{before_re.pattern})[\s:：]*(?:(?:{approx})\s*)?{number}"))
    return out


def _pick(found: list[tuple]) -> tuple | None:
    """The count from the weightiest sentence (the larger if equal); a number beside its noun over one
    after a counting verb only, and a count of today over one told of the founding."""
    return max(found, key=lambda f: (not f[5:6] == (True,), f[4:5] != (False,), f[1].weight, f[0])) if found else None


def staff(sents: list[Sentence]) -> tuple | None:
    """The headcount: "52 people", "team of 48", "a 52-strong outfit"; a count of one trade ("46
    electricians", "18 montörer", ``[staff] subset``) only when no whole headcount is stated; never
    the count of the founding days ("opened in 1957 with two employees") when today's is stated."""
    data = load("reading")["staff"]
    whole = _counts(sents, words(data, "after"), words(data, "before"), data["min"], data["max"])
    subset = _counts(sents, words(data, "subset"), [], data["min"], data["max"])
    today = [f for f in whole if not f[5]] or [f for f in subset if not f[5]]
    return _pick(today) or _pick(whole) or _pick(subset)


def branches(sents: list[Sentence], docs: list = ()) -> tuple | None:
    """A stated count ("nine branches", "network of 12 depots"), else the branches a page lists:
    "Tenemos sucursales en Córdoba, Río Cuarto y Villa María", "Pobočky: Brno, Olomouc, Zlín",
    or the entries (each with an address or a phone number) under a heading "Our branches"."""
    data = load("reading")["branches"]
    stated = _pick(_counts(sents, words(data, "after"), words(data, "before"), data["min"], data["max"]))
    stated = stated or _pick(_named_places(sents, data))
    found = _and_head_office(stated, data) if stated else None
    found = found or _pick(_one_each(sents, data) + _location_lines(docs, data)
                           + [f for doc in docs for f in _listed_entries(doc, data)])
    return found or _pick(_one_place(sents, data))


def _and_head_office(found: tuple, data: dict) -> tuple:
    """"centrala w Łodzi oraz 11 oddziałów", "المركز الرئيسي في الرياض، ولنا فرعان": the head office named
    before the count is one place more, unless the count says it holds it ("7 branches including
    our head office", ``including``)."""
    s, term = found[1], found[2]
    at = s.text.find(term.lower())
    if at <= 0 or not find_terms(s.text[:at], words(data, "head_office")) or find_terms(s.text, words(data, "including")):
        return found
    return (found[0] + 1, *found[1:])


def _one_place(sents: list[Sentence], data: dict) -> list[tuple]:
    """``(1, sentence, term)`` where a site says it has one place: "our one base in Athlone", "1 seul
    site de production", "с нашего единственного склада" (one of ``only`` and, at most two words on,
    one of ``single``), or denies having branches: "vi har inga fysiska butiker", "we have no branches"."""
    only = term_regex(tuple(words(data, "only")))
    place = term_regex(tuple(words(data, "single")))
    found = []
    for s in sents:
        for m in (only.finditer(s.text) if only and place else ()):
            noun = re.match(rf"(?:\s+[^\W\d_]+){{0,2}}?\s+(?:{place.pattern})", s.text[m.end():])
            if noun:
                found.append((1, s, s.text[m.start():m.end() + noun.end()]))
        found += [(1, s, t.group(0)) for t in find_terms(s.text, words(data, "after"))
                  if is_negated(s.text, t.start(), t.end(), s.lang)]
    return found


def _location_lines(docs: list, data: dict) -> list[tuple]:
    """``(n, sentence, term)`` for the places of the company given one a line, each with its address or
    phone: "Antenne de Grenoble : 5 place Robert Schuman", "深圳辦事處：深圳市福田區...", "Registered office: 47
    Newton Street", "Lyon : 04 78 62 19 40". A label counts when it holds a branch noun and a place
    (not a department: "Sales office", ``not_places``), names the head office, or is a town named in an
    address of the site ("69003 Lyon")."""
    nouns, heads = words(data, "single") + words(data, "head_office"), words(data, "head_office")
    departments = lexicon_set("branches", "not_places")
    site_text = "\n".join(doc.raw_text for doc in docs)
    places: dict[str, Sentence] = {}
    for doc in docs:
        for line in doc.raw_text.split("\n"):
            for part in re.split(r"\s+[·•|]\s+", line):
                m = re.match(r"\s*([^:：\d()]{2,40}?)\s*[:：]\s*(\S.*\d.*)$", part)
                if not m or len(m.group(1).split()) > 5:
                    continue
                label = m.group(1).strip()
                low = label.lower()
                terms = find_terms(low, nouns)
                if terms:
                    rest = low
                    for t in terms:
                        rest = rest.replace(t.group(0), " ")
                    named = [w for w in re.findall(r"[^\W\d_]+", label) if w.lower() in rest.split() and
                             (w[0].isupper() or CJK.match(w) or _ARABIC_WORD.match(w))]
                    cjk = CJK.search(rest) and not departments & set(re.findall(r"\w+", rest))
                    if not ((named or cjk) and not departments & {w.lower() for w in named}) and not find_terms(low, heads):
                        continue
                elif not (all(w[:1].isupper() for w in label.split()) and len(label.split()) <= 3 and re.search(
                        rf"\d{{4,5}}\s+{re.escape(label)}(?!\w)|(?<!\w){re.escape(label)},?\s+\d{{4,5}}(?!\d)", site_text)):
                    continue
                places.setdefault(low, Sentence(doc.url, part.lower(), part[:240], 1.0))
    if len(places) < 2:
        return []
    first = next(iter(places.values()))
    return [(len(places), first, " / ".join(places))]


def _one_each(sents: list[Sentence], data: dict) -> list[tuple]:
    """``(n, sentence, term)`` for a sentence that names n places of the company one by one, each a
    branch noun in the singular and a place: "our showroom in Ikeja and a pickup point in Lekki"."""
    lead = "|".join(re.escape(w) for w in sorted(words(data, "list_after"), key=len, reverse=True))
    found = []
    for s in sents:
        if len(s.raw) != len(s.text):
            continue
        # "our showroom in Ikeja", "oficina de obra en Medellín": at most two words between
        after = [re.match(rf"(?:\s+[^\W\d_A-Z]+){{0,2}}?\s+(?i:{lead})\s+(?P<place>[^\W\d_a-z][\w-]*)", s.raw[m.end():])
                 for m in find_terms(s.text, words(data, "single"))]
        places = {a.group("place") for a in after if a}
        if len(places) >= 2:
            found.append((len(places), s, " / ".join(sorted(places))))
    return found


def _named_places(sents: list[Sentence], data: dict) -> list[tuple]:
    """``(n, sentence, term)`` for a branch noun followed by a list of n place names."""
    ands = set(words(load("reading"), "negation", "and")) | {"&"}
    lead = "|".join(re.escape(w) for w in sorted(words(data, "list_after"), key=len, reverse=True))
    only = term_regex(tuple(words(data, "only")))
    found = []
    for s in sents:
        if len(s.raw) != len(s.text):  # the offsets of the lower-case text must be the raw text's
            continue
        for m in find_terms(s.text, words(data, "after")):
            if only and only.search(" ".join(s.text[:m.start()].split()[-2:])):  # "unserem einzigen Standort in Ulm"
                continue
            # "Filialen in Graz", "Standorte: Brno", "филиалы открыты в Казани", "an unseren Standorten Cottbus und Potsdam"
            head = re.match(rf"(?:\s+[^\W\d_A-Z]+){{0,2}}?\s*(?i:{lead})\s+|\s*[:：]\s*|\s+(?=[^\W\d_a-z])", s.raw[m.end():])
            if head:
                places = _places(s.raw[m.end() + head.end():], ands)
                if places >= 2:
                    found.append((places, s, m.group(0)))
    return found


def _places(text: str, ands: set[str]) -> int:
    """How many names of at most four words open ``text``: "Brno, Olomouc, Zlín" is 3, "Winterthur ·
    St. Gallen · Chur" 3, "Leeds, Bradford and Wakefield open at 7am" 3; a name is capitalised (its
    inner words too, but for short ones: "Viña del Mar"), or in Arabic script, which has no capitals
    and glues "and" on ("القاهرة والإسكندرية وطنطا"), or in Chinese ("香港・深圳")."""
    count = 0
    joined = "|".join(re.escape(a) for a in ands)
    # a sentence ends at a full stop, but not the one of "St. Gallen"
    for item in re.split(r"\s*[,;、·・•|/]\s*", re.split(r"(?<![A-Z][a-z])[.!?。]|[()\n]", text, maxsplit=1)[0]):
        parts = re.split(rf"\s+(?:{joined})\s+|\s+و(?=\S)", item)
        for part in parts:
            words = part.split()
            if not words or len(words) > 4:
                return count
            if _ARABIC_WORD.match(words[0]) or (len(words) == 1 and CJK.match(words[0]) and len(words[0]) <= 6):
                count += 1
                continue
            name = [w for w in words if w[:1].isupper() or len(w) <= 3]
            if not words[0][:1].isupper():
                return count
            count += 1
            if len(name) < len(words):  # "Wakefield open at 7am": the name ends, and the list with it
                return count
    return count


_ARABIC_WORD = re.compile(r"[\u0600-\u06ff]{2,}$")


def _listed_entries(doc, data: dict) -> list[tuple]:
    """``(n, sentence, term)`` for a heading with a branch noun ("Our branches", "Nasze sklepy")
    over n entries that each hold a digit (a street number, a postcode, a phone): the items of a
    list, the rows of a table, or cards side by side."""
    found = []
    for heading in doc.soup.find_all(["h1", "h2", "h3"]):
        title = heading.get_text(" ", strip=True)
        terms = find_terms(title.lower(), words(data, "after"))
        if not terms or re.search(r"\d", title):
            continue
        entries = [e.get_text(" ", strip=True) for e in _entries(heading)]
        if len(entries) >= 2 and all(re.search(r"\d", e) for e in entries):
            raw = f"{title}: " + " | ".join(entries[:3])
            found.append((len(entries), Sentence(doc.url, raw.lower(), raw[:240], 1.0), terms[0].group(0)))
    return found


def _entries(heading) -> list:
    """What stands under a heading: cards of one kind after it (``<div class="branch">`` x 9), else the
    items of the first list or the rows of the first table of its section."""
    rank = [f"h{i}" for i in range(1, int(heading.name[1]) + 1)]
    after = []
    for tag in heading.find_next_siblings(True):
        if tag.name in rank:
            break
        after.append(tag)
    runs: list[list] = []  # runs of cards of one kind, one right after the other
    for tag in after:
        if tag.name in ("div", "article", "section", "address", "li") and runs and \
                (tag.name, tag.get("class")) == (runs[-1][0].name, runs[-1][0].get("class")):
            runs[-1].append(tag)
        else:
            runs.append([tag])
    cards = max(runs, key=len, default=[])
    if len(cards) >= 2:
        return cards
    listing = heading.find_next(["ul", "ol", "table"])
    if listing is None or listing.find_previous(rank) is not heading:
        return []
    if listing.name == "table":
        return [tr for tr in listing.find_all("tr") if tr.find("td")]
    return listing.find_all("li", recursive=False)


def area_m2(sents: list[Sentence]) -> tuple | None:
    data = load("reading")["area"]
    metres = _counts(sents, words(data, "square_metres"), [], 20, 10_000_000)
    feet = [(round(v * 0.0929), s, t, *more) for v, s, t, *more in _counts(sents, words(data, "square_feet"), [], 200, 100_000_000)]
    return _pick(metres + feet)


_YEAR = re.compile(r"(?<![\d.,])(1[89]\d\d|20\d\d)(?![\d.,]\d)")


def _years(s: Sentence) -> list[tuple[int, int, int]]:
    """``(year, start, end)`` for every year of a sentence, in digits ("1995", "١٩٩٥") or in words:
    "two thousand and nine", "ألف وتسعمائة وخمسة وتسعين", and a year said as two numbers, the
    hundreds then the rest: "nineteen ninety-five", "twenty twelve"."""
    found = [(int(y.group(1)), y.start(), y.end()) for y in _YEAR.finditer(s.text)]
    _, _, number = _number_words(s.lang)
    for m in number.finditer(s.text):
        spelled = m.group("num")
        if re.search(r"\d", spelled):
            continue
        value = _year_value(spelled, s.lang)
        if value:
            found.append((value, m.start("num"), m.end("num")))
    return sorted(found, key=lambda f: f[1])


def _year_value(spelled: str, lang: str) -> int | None:
    value = number_value(spelled, lang)
    if value is not None and 1800 <= value <= 2099:
        return value
    words_ = spelled.split()
    for i in range(1, len(words_)):
        hundreds, rest = number_value(" ".join(words_[:i]), lang), number_value(" ".join(words_[i:]), lang)
        if hundreds in range(18, 21) and rest is not None and 0 <= rest <= 99:
            return hundreds * 100 + rest
    return None


def founded(sents: list[Sentence]) -> tuple | None:
    """``(year, sentence, term)``: a year beside a founding word, the earliest; "since 1998" only if
    nothing better."""
    data = load("reading")["founded"]
    this_year = date.today().year
    stops = words(data, "not_before")
    for strength in ("strong", "weak"):
        found = []
        for s in sents:
            terms = find_terms(s.text, words(data, strength))
            after = find_terms(s.text, words(data, "weak_after")) if strength == "weak" else []
            if not terms and not after:
                continue
            for year, y_start, y_end in _years(s):
                head = s.text[max(0, y_start - 8):y_start]
                if year > this_year or any(re.search(rf"(?<!\w){re.escape(w)}\W*$", head) for w in stops):
                    continue
                following = [t for t in after if 0 <= t.start() - y_end <= 4]  # "1999'dan beri", "1999年から"
                if following:
                    found.append((year, s, following[0].group(0)))
                    continue
                if not terms:
                    continue
                term = min(terms, key=lambda t: abs(t.start() - y_start))
                if strength == "weak" and not (0 <= y_start - term.end() <= 4):
                    continue  # "since" must stand right before the year
                if strength == "strong" and abs(term.start() - y_start) > 120:
                    continue
                found.append((year, s, term.group(0)))
        if found:
            return min(found, key=lambda f: (f[0], -f[1].weight))
    return _timeline_start(sents, this_year) or _story_start(sents, this_year)


def _story_start(sents: list[Sentence], this_year: int) -> tuple | None:
    """A story told from its start without a founding word: "in 2014 two brothers listed their first ten
    products. These days we're a team of nine", "1989 übernahm Walter Pichler eine Schlosserei ... Heute
    arbeiten bei uns 74 Menschen": a year in the body of a page, and a word of today (``[story] now``) in
    it or in the next ``story_sentences`` sentences of that page; the earliest such year."""
    data = load("reading")
    ahead = int(data["weights"].get("story_sentences", 2))
    now = words(data, "story", "now")
    found = []
    for i, s in enumerate(sents):
        years = [y for y, _, _ in _years(s) if y <= this_year]
        if not years or s.weight < data["weights"]["other_page"]:  # not the footer's "Reg. 2014/123456/07"
            continue
        later = [t for t in sents[i:i + ahead + 1] if t.page == s.page]
        if any(find_terms(t.text, now) for t in later):
            found.append((min(years), s, str(min(years))))
    return min(found, key=lambda f: f[0]) if found else None


def _timeline_start(sents: list[Sentence], this_year: int) -> tuple | None:
    """A history told as a timeline ("1983 Two toolmakers rent a unit", "1995 The first branch", ...):
    with ``timeline_entries`` entries or more on one page, each led by a year, the earliest is the start."""
    least = int(load("reading")["weights"].get("timeline_entries", 3))
    pages: dict[str, list[tuple[int, Sentence]]] = {}
    for s in sents:
        lead = re.match(r"\W*(1[89]\d\d|20\d\d)(?!\d)", s.text)
        if lead and int(lead.group(1)) <= this_year:
            pages.setdefault(s.page, []).append((int(lead.group(1)), s))
    starts = [min(entries, key=lambda e: e[0]) for entries in pages.values() if len({y for y, _ in entries}) >= least]
    if not starts:
        return None
    year, s = min(starts, key=lambda e: e[0])
    return year, s, str(year)


def size_band(staff_n: int | None, branches_n: int | None, area: int | None) -> tuple[str | None, str | None]:
    """``(band, from)``: from the headcount, else the branches, else the floor area."""
    data = load("reading")["size_bands"]
    if staff_n:
        band = next(b["name"] for b in data["bands"] if staff_n <= b["max"])
        return band, "staff"
    for value, table, source in ((branches_n, data["by_branches"], "branches"), (area, data["by_area"], "area")):
        if value:
            for row in table:
                if value >= row["min"]:
                    return row["band"], source
    return None, None
