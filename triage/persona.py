"""Persona stage: read the writer's social style from the new text of an inquiry.

Two axes, as in the social-styles model the trade uses:

* assertiveness: tells (> 0) or asks (< 0)
* responsiveness: emotes (> 0) or controls (< 0)

driver = tells + controls, analytical = asks + controls, amiable = asks + emotes,
expressive = tells + emotes. Every feature is a cue of the trade (imperatives,
deadlines, spec questions, warmth, enthusiasm, ...) whose words come from a
per-language lexicon and whose weights come from ``weights.toml`` (see
:mod:`triage.persona_data`). Every cue that fired becomes a line of evidence.
When the text is too thin, the message is not genuine or its language has no
lexicon, the type is None.
"""

from __future__ import annotations

import math
import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from triage.errors import DataFileError
from triage.model import Persona
from triage.paths import shipped
from triage.persona_data import Lexicon, Lexicons, load, read_toml

__all__ = ["read_persona", "load_lexicons", "playbook", "playbook_summary", "detect_language", "STYLES"]

STYLES = ("driver", "analytical", "amiable", "expressive")


# ---------------------------------------------------------------- data


def load_lexicons(user_dir: Path | None = None) -> Lexicons:
    """The shipped lexicons and weights with the user's overrides merged on top."""
    return load(shipped("playbooks") / "persona", user_dir)


_default_cache: dict[tuple, Lexicons] = {}


def _default_lexicons() -> Lexicons:
    """The lexicons for the current user directory, loaded again when a file of its persona folder
    changes (looked at on every call, so a user's edit shows on the next message)."""
    from triage.paths import user_dir

    folder = _persona_folder(user_dir())
    key = (folder, _stamp(folder))
    if key not in _default_cache:
        _default_cache.clear()
        _default_cache[key] = load_lexicons()
    return _default_cache[key]


@lru_cache(maxsize=8)
def _persona_folder(home: Path) -> str:
    return str(home / "persona")


def _stamp(folder: str) -> tuple:
    """The names and mtimes of the folder's ``*.toml`` (as Path.glob lists them: hidden ones too),
    () without the folder; one scandir, no Path built."""
    try:
        entries = os.scandir(folder)
    except OSError:
        return ()
    with entries:
        return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.name.endswith(".toml")))


# ---------------------------------------------------------------- language


@dataclass(slots=True)
class _Languages:
    languages: tuple[str, ...]  # those with stopwords, in the file's order: earlier wins a tie
    stopwords: dict[str, tuple[int, ...]]  # stopword -> the places of its languages in ``languages``
    words: dict[str, frozenset[str]]  # language -> its stopwords, lower case
    scripts: list[tuple[int, int, str]]
    min_hits: int
    max_chars: int


@cache
def _languages() -> _Languages:
    path = shipped("playbooks") / "languages.toml"
    data = read_toml(path)
    stopwords = data.get("stopwords")
    if not isinstance(stopwords, dict):
        raise DataFileError(f"{path}: key 'stopwords' must be a table of word lists")
    for lang, words in stopwords.items():
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataFileError(f"{path}: key 'stopwords.{lang}' must be a list of strings")
    scripts = []
    for lang, ranges in data.get("scripts", {}).items():
        for item in ranges:
            try:
                lo, hi = (int(x, 16) for x in item.split("-"))
            except (ValueError, AttributeError) as exc:
                raise DataFileError(f"{path}: key 'scripts.{lang}' has a bad range {item!r}") from exc
            scripts.append((lo, hi, lang))
    settings = data.get("settings", {})
    places: dict[str, tuple[int, ...]] = {}
    for place, words in enumerate(stopwords.values()):
        for word in dict.fromkeys(w.lower() for w in words):
            places[word] = (*places.get(word, ()), place)
    return _Languages(
        languages=tuple(stopwords),
        stopwords=places,
        words={lang: frozenset(w.lower() for w in ws) for lang, ws in stopwords.items()},
        scripts=scripts,
        min_hits=int(settings.get("min_hits", 2)),
        max_chars=int(settings.get("max_chars", 1500)),
    )


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Every ASCII character that is neither a letter nor the apostrophe (none is part of a _WORD match) made a space.
_SEPARATE = bytes(c if c >= 128 or chr(c).isalpha() or chr(c) == "'" else 32 for c in range(256))
_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\U0001f000-\U0001ffff\u2600-\u27bf\ufe0f]")


def language_words() -> dict[str, frozenset[str]]:
    """Each language's stopwords (lower case), as ``playbooks/languages.toml`` lists them."""
    return _languages().words


def language_scripts() -> list[tuple[int, int, str]]:
    """(first, last code point, language) of each script range in ``playbooks/languages.toml``."""
    return _languages().scripts


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, from stopwords and scripts kept as data.

    The language whose stopwords are most among the distinct words of the text's
    opening wins; a text in a non-Latin script is told by its script. Each stopword among the
    words counts for each of its languages (the same counts as a set intersection per language).
    """
    data = _languages()
    sample = text[: data.max_chars]
    script = _script_language(sample, data)
    if script:
        return script
    counts = [0] * len(data.languages)
    for word in _words(sample.lower()) & data.stopwords.keys():
        for place in data.stopwords[word]:
            counts[place] += 1
    hits = max(counts, default=0)
    return data.languages[counts.index(hits)] if hits and hits >= data.min_hits else None  # earlier wins a tie


def _words(low: str) -> set[str]:
    """The distinct _WORD matches of ``low``, the same as set(_WORD.findall(low)).

    No match spans a white space or an ASCII character that is neither a letter nor the apostrophe,
    so the chunks between them hold the matches: a chunk of letters only is one match, and only the
    other chunks (with an apostrophe, a non-ASCII mark or digit) are read with the regex. The ASCII
    characters are made spaces in the UTF-8 bytes, where they are never part of another character.
    """
    chunks = low.encode("utf-8", "surrogatepass").translate(_SEPARATE).decode("utf-8", "surrogatepass").split()
    words = set(chunks)
    odd = [w for w in words if not w.isalpha()]
    if odd:
        words.difference_update(odd)
        words.update(_WORD.findall(" ".join(odd)))
    return words


def _script_language(sample: str, data: _Languages) -> str | None:
    if sample.isascii():
        return None  # Latin script
    others = _NON_LATIN.findall(sample)
    if len(others) < 10 or len(others) < 0.3 * sum(ch.isalpha() for ch in sample):
        return None
    counts: dict[str, int] = {}
    for ch in others:
        cp = ord(ch)
        for lo, hi, lang in data.scripts:
            if lo <= cp <= hi:
                counts[lang] = counts.get(lang, 0) + 1
    if counts.get("ja"):
        return "ja"
    return max(counts, key=counts.get) if counts else None


# ---------------------------------------------------------------- text


# Python's re skips ahead to a pattern's possible first characters only when the pattern opens
# with a character (set); one opening with a look-behind or \b is tried at every position of the
# text. So the patterns below open with the character their match starts with and look behind it
# afterwards: "X(?<!\wX)" is "\bX" for a word character X, "\s(?<=[.!?]\s)" is "(?<=[.!?])\s".
# tests/test_speed_reply.py checks each against its plain form.
_LIST_MARK = re.compile(r"^\s*(?:[-*•✨·–]|\(?\d{1,2}[.)]|\(?[a-hA-H][.)]|item \d+:?)\s+")
_HAS_END = re.compile(r"[.!?…]\s")
# plain: (?<=[.!?…])\s+(?=\S)|(?<=[.!?]['")\]])\s+
_SENT_END = re.compile(r"\s(?:(?<=[.!?…]\s)\s*(?=\S)|(?<=[.!?]['\")\]]\s)\s*)")
_END_MARK = re.compile(r"[.!?…]['\")\]]?(?=\s)")  # the _SENT_END matches start where these end
_EMOJI_CHARS = "\U0001f300-\U0001faff\u2600-\u27bf\U0001f1e6-\U0001f1ff"
# plain: [<emoji>]+|[:;]-?[)D(P](?!\w)
_EMOJI = re.compile(f"[{_EMOJI_CHARS}:;](?:(?<=[{_EMOJI_CHARS}])[{_EMOJI_CHARS}]*|(?<=[:;])-?[)D(P](?!\\w))")
_LAUGH = re.compile(r"\b(?:lol|xd|jaja\w*|haha\w*|kkkk*)\b")
_LAUGH_WORDS = ("lol", "xd", "jaja", "haha", "kk")  # what any _LAUGH match holds (a cheap test first)
# A whitespace-separated token holding a digit, found at its first digit (plain: (?<!\S)[^\s\d]*+\d):
# the match runs to the token's end, so the next one starts in a later token.
_NUMBERISH = re.compile(r"\d\S*")
_CAP = r"[^\W\d_a-zß-ÿ]"
_CAPS = re.compile(rf"{_CAP}(?<!\w{_CAP}){_CAP}{{2,}}\b")  # plain: \b[^\W\d_a-zß-ÿ]{3,}\b
_ALPHA = re.compile(r"[^\W\d_]")


@dataclass(slots=True)
class _Sentence:
    start: int
    text: str
    listed: bool


def unwrap(text: str) -> str:
    """Hard-wrapped lines (plain-text mail wraps at ~72 characters) joined back into their sentences.

    A newline becomes a space (same length, so positions stay valid) when the line is long, does not
    end a sentence, and the next line goes on with a word; list items and short lines stay apart.
    """
    lines = text.split("\n")
    out = []
    for i, line in enumerate(lines[:-1]):
        following = lines[i + 1]
        joined = (len(line) >= 60 and following.strip() and not _LIST_MARK.match(following)
                  and not line.rstrip().endswith((".", "!", "?", ":", ";")))
        out.append(line + (" " if joined else "\n"))
    return "".join(out) + lines[-1]


def _sentences(text: str) -> list[_Sentence]:
    """The lines' sentences (split at an end mark only in a line that has one followed by a space),
    those with a letter; an empty line has none."""
    out: list[_Sentence] = []
    pos = 0
    for line in unwrap(text).split("\n"):
        if not line:
            pos += 1
            continue
        mark = _LIST_MARK.match(line)
        listed = mark is not None
        offset = mark.end() if listed else len(line) - len(line.lstrip())
        body = line[offset:]
        start = pos + offset
        pos += len(line) + 1
        if _HAS_END.search(body):
            # _SENT_END.finditer(body), with the pattern tried only where a match can start (right
            # after an end mark and its closing quote or bracket), not at every white space.
            last = 0
            for end in _END_MARK.finditer(body):
                m = _SENT_END.match(body, end.end()) if end.end() >= last else None
                if m:
                    _add_sentence(out, start + last, body[last : m.start()], listed)
                    last = m.end()
            body, start = body[last:], start + last
        _add_sentence(out, start, body, listed)
    return out


def _add_sentence(out: list[_Sentence], start: int, text: str, listed: bool) -> None:
    if _ALPHA.search(text):
        out.append(_Sentence(start, text.rstrip(), listed))


# ---------------------------------------------------------------- features


@dataclass(slots=True)
class _Hit:
    feature: str
    value: float  # count-like amount before the weight
    sentence: int | None  # index of the sentence, None for whole-text features
    words: str = ""


@dataclass(slots=True)
class _Reading:
    hits: list[_Hit] = field(default_factory=list)
    words: int = 0
    sentences: list[_Sentence] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)


def _read_words(text: str, low: str, lex: Lexicon, reading: _Reading) -> None:
    sents = reading.sentences
    starts = [s.start for s in sents]
    per_sentence: list[set[str]] = [set() for _ in sents]
    pronouns = {"pronoun_i": 0, "pronoun_we": 0}
    categories, hits = lex.categories, reading.hits
    for m in lex.cues.finditer(low):
        idx = bisect_right(starts, m.start()) - 1
        if idx < 0:
            continue
        words = m.group()
        for cat in categories(words):
            if cat in pronouns:
                pronouns[cat] += 1
            elif cat not in per_sentence[idx] or cat in _REPEATING:
                per_sentence[idx].add(cat)
                hits.append(_Hit(cat, 1.0, idx, words))
    for idx, sent in enumerate(sents):
        _sentence_shape(idx, sent, lex, per_sentence[idx], reading)
    _pronouns(pronouns, reading)
    _capitals(text, lex, reading)


def _sentence_shape(idx: int, sent: _Sentence, lex: Lexicon, cats: set[str], reading: _Reading) -> None:
    m = lex.imperative.match(sent.text)
    if m and not sent.text.rstrip().endswith("?"):
        reading.hits.append(_Hit("imperative", 1.0, idx, m.group()))
    is_question = "?" in sent.text or bool(lex.question_start.match(sent.text))
    if not is_question:
        return
    if not cats.isdisjoint(_SPEC):
        reading.hits.append(_Hit("spec_question", 1.0, idx, "?"))
    elif not cats.isdisjoint(_RELATIONSHIP):
        reading.hits.append(_Hit("relationship_question", 1.0, idx, "?"))


_REPEATING = frozenset({"proof", "warmth", "enthusiasm", "vision"})  # count again in the same sentence
_SPEC = frozenset({"proof", "precision"})
_RELATIONSHIP = frozenset({"reassurance", "risk", "personal", "warmth", "consult"})


def _pronouns(pronouns: dict[str, int], reading: _Reading) -> None:
    i, we = pronouns["pronoun_i"], pronouns["pronoun_we"]
    if i + we >= 4:
        share = i / (i + we)
        value = max(-1.0, min(1.0, (share - 0.5) * 2))
        reading.hits.append(_Hit("i_focus", value, None, f"{i} I / {we} we"))


def _capitals(text: str, lex: Lexicon, reading: _Reading) -> None:
    found = [w for w in _CAPS.findall(text) if w.lower() in lex.common]
    if found:
        reading.hits.append(_Hit("shouting", float(len(found)), None, ", ".join(found[:4])))


def _read_shape(text: str, low: str, reading: _Reading) -> None:
    """Features that need no lexicon: sentence length, figures, lists, ! and emoji (``low``: text.lower())."""
    words, sents = reading.words, reading.sentences
    if sents:
        prose = [s for s in sents if not s.listed] or sents
        avg = len(" ".join([s.text for s in prose]).split()) / len(prose)  # the words of each, summed
        value = max(-1.0, min(1.0, (13.0 - avg) / 6.0))
        size = "short" if value > 0 else "long"
        reading.hits.append(_Hit("short_sentences", value, None, f"{size} sentences, {avg:.0f} words on average"))
    if words >= 10:
        density = len(_NUMBERISH.findall(text)) / words
        value = max(-1.0, min(1.0, (density - 0.07) / 0.06))
        size = "many" if value > 0 else "few"
        reading.hits.append(_Hit("number_density", value, None, f"{size} figures and specs, {density:.0%} of words"))
    listed_q = sum(1 for s in sents if s.listed and "?" in s.text)
    if listed_q:
        reading.hits.append(_Hit("numbered_questions", float(listed_q), None, f"{listed_q} listed questions"))
    bangs = text.count("!")
    if bangs:
        reading.hits.append(_Hit("exclamations", float(bangs), None, f"{bangs} exclamation marks"))
    emoji = _emoji(text, low)
    if emoji:
        reading.hits.append(_Hit("emoji", float(len(emoji)), None, " ".join(emoji[:5])))


def _emoji(text: str, low: str) -> list[str]:
    """Emoji, emoticons and written laughter; the regexes run only on texts that can hold them."""
    found = _EMOJI.findall(text) if not text.isascii() or ":" in text or ";" in text else []
    if any(w in low for w in _LAUGH_WORDS):
        found += _LAUGH.findall(low)
    return found


# ---------------------------------------------------------------- scoring


@dataclass(slots=True)
class _Contribution:
    assertiveness: float
    responsiveness: float
    labels: list[str]


def _score(reading: _Reading, lex: Lexicons) -> tuple[float, float, float, dict, dict]:
    """Raw axis sums, evidence strength, and contributions per sentence and per text feature."""
    used: dict[str, float] = {}
    by_sentence: dict[int, _Contribution] = {}
    by_text: dict[str, _Contribution] = {}
    total_a = total_r = strength = 0.0
    weights = lex.weights
    for hit in reading.hits:
        feature, value = hit.feature, hit.value
        w = weights[feature]
        spent = used.get(feature, 0.0)
        room = w.cap - spent
        if not room > 0:
            continue
        amount = math.copysign(min(abs(value), room), value)
        if not amount:
            continue
        used[feature] = spent + abs(amount)
        da, dr = w.assertiveness * amount, w.responsiveness * amount
        total_a, total_r = total_a + da, total_r + dr
        strength += max(abs(da), abs(dr))
        if hit.sentence is not None:
            label = f'{w.label} "{" ".join(hit.words.split())}"'
            bucket, key = by_sentence, hit.sentence
        else:
            label = _text_label(hit, w.label)
            bucket, key = by_text, feature
        c = bucket.get(key)
        if c is None:
            c = bucket[key] = _Contribution(0.0, 0.0, [])
        c.assertiveness += da
        c.responsiveness += dr
        if label not in c.labels:
            c.labels.append(label)
    return total_a, total_r, strength, by_sentence, by_text


def _text_label(hit: _Hit, label: str) -> str:
    if hit.feature in ("short_sentences", "number_density"):
        return hit.words
    return f"{label} ({hit.words})"


def _style(a: float, r: float) -> str:
    if a >= 0:
        return "expressive" if r >= 0 else "driver"
    return "amiable" if r >= 0 else "analytical"


def _evidence(reading: _Reading, by_sentence: dict, by_text: dict, final: str, limit: int) -> list[str]:
    """The contributions of at least 0.2 as lines, the final style's first, larger first (a sentence
    is quoted only when its line is kept)."""
    lines = []
    for idx, c in by_sentence.items():
        size = abs(c.assertiveness) + abs(c.responsiveness)
        if not size < 0.2:
            text = f'"{_quote(reading.sentences[idx].text)}" ({" + ".join(c.labels)})'
            lines.append(_evidence_line(c, size, text, final))
    for c in by_text.values():
        size = abs(c.assertiveness) + abs(c.responsiveness)
        if not size < 0.2:
            lines.append(_evidence_line(c, size, " + ".join(c.labels), final))
    lines.sort()
    return [text for _, _, text in lines[:limit]]


def _evidence_line(c: _Contribution, size: float, text: str, final: str) -> tuple[bool, float, str]:
    a = c.assertiveness if abs(c.assertiveness) > 1e-9 else _AXES[final][0]
    r = c.responsiveness if abs(c.responsiveness) > 1e-9 else _AXES[final][1]
    style = _style(a, r)
    return style != final, -size, f"{style}: {text}"


_AXES = {"driver": (1, -1), "analytical": (-1, -1), "amiable": (-1, 1), "expressive": (1, 1)}


def _quote(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# ---------------------------------------------------------------- the stage


def read_persona(
    text: str,
    language: str | None,
    *,
    genuine: bool = True,
    platform_form: bool = False,
    lexicons: Lexicons | None = None,
) -> Persona:
    """The writer's social style, read off the new text of an inquiry."""
    if not genuine:
        return Persona(type=None, confidence=0.0, evidence=["none: not a genuine inquiry"])
    lex = lexicons or _default_lexicons()
    settings = lex.settings
    language = language or detect_language(text)
    reading = _Reading(words=len(text.split()), sentences=_sentences(text))
    low = text.lower()
    lang_lex = lex.languages.get(language or "")
    if lang_lex is not None:
        _read_words(text, low, lang_lex, reading)
    _read_shape(text, low, reading)
    total_a, total_r, strength, by_sentence, by_text = _score(reading, lex)
    a = math.tanh(total_a / settings["scale"])
    r = math.tanh(total_r / settings["scale"])
    reason = _why_none(reading.words, strength, lang_lex, language, platform_form, settings)
    if reason:
        return Persona(type=None, confidence=round(min(0.2, _confidence(a, r, strength, settings) / 3), 2),
                       evidence=[f"none: {reason}"], assertiveness=round(a, 3), responsiveness=round(r, 3))
    style = _style(a, r)
    evidence = _evidence(reading, by_sentence, by_text, style, int(settings["max_evidence"]))
    return Persona(
        type=style,
        confidence=_confidence(a, r, strength, settings),
        evidence=evidence,
        assertiveness=round(a, 3),
        responsiveness=round(r, 3),
        advice=playbook_summary(style, "en"),
    )


def _why_none(words: int, strength: float, lang_lex, language, platform_form: bool, settings) -> str | None:
    if words < settings["min_words"]:
        return f"too little text to read a style ({words} words)"
    if lang_lex is None:
        return f"no lexicon for language {language or 'unknown'!r}; word cues cannot be read"
    need = settings["platform_min_evidence"] if platform_form else settings["min_evidence"]
    if strength < need:
        return f"too few style cues (strength {strength:.1f} < {need:.1f})"
    return None


def _confidence(a: float, r: float, strength: float, settings) -> float:
    margin = min(abs(a), abs(r))
    amount = min(1.0, strength / (3 * settings["min_evidence"]))
    return round(max(0.05, min(0.95, (0.25 + 0.75 * math.tanh(3 * margin)) * (0.5 + 0.5 * amount))), 2)


# ---------------------------------------------------------------- playbooks


def _playbook_path(style: str, lang: str) -> Path:
    if style not in STYLES:
        raise ValueError(f"unknown social style {style!r} (known: {', '.join(STYLES)})")
    from triage.paths import user_dir

    name = f"{style}.{lang}.md"
    for path in _playbook_candidates(user_dir(), name):
        if path.is_file():
            return path
    if lang != "en":
        return _playbook_path(style, "en")
    raise DataFileError(f"playbook {name} is missing from {shipped('playbooks') / 'persona'}")


@lru_cache(maxsize=64)
def _playbook_candidates(home: Path, name: str) -> tuple[Path, Path]:
    """The user's and the shipped path of playbook ``name`` (joined once, not per message)."""
    return home / "persona" / name, shipped("playbooks") / "persona" / name


def playbook(style: str, lang: str = "en") -> str:
    """The playbook for ``style`` in ``lang`` (the user's copy first; English if missing)."""
    return _playbook_path(style, lang).read_text(encoding="utf-8")


_SHORT_HEADINGS = ("## in short", "## 要点")
PLAYBOOK_SECTIONS = {
    "en": ("How they decide", "What they value", "Lead with", "Words to use", "Words to avoid",
           "The common mistake and how to recover", "Follow-up", "Reply length and structure",
           "How to close", "In short"),
    "zh": ("他们怎么做决定", "他们看重什么", "开头先讲什么", "该用的词", "要避免的词",
           "常见错误及补救", "跟进节奏", "回复长度与结构", "如何促成成交", "要点"),
}


def playbook_summary(style: str, lang: str = "en") -> list[str]:
    """The bullet lines under the playbook's ``## In short`` heading."""
    return list(_summary(_playbook_path(style, lang)))


@cache
def _summary_cached(path: str, mtime: int) -> tuple[str, ...]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    inside = False
    for line in lines:
        if line.startswith("#"):
            inside = line.strip().lower().startswith(_SHORT_HEADINGS)
            continue
        if inside and line.lstrip().startswith(("- ", "* ")):
            out.append(line.lstrip()[2:].strip())
    if not out:
        raise DataFileError(f"{path}: no bullet lines under a '## In short' heading")
    return tuple(out)


def _summary(path: Path) -> tuple[str, ...]:
    return _summary_cached(str(path), path.stat().st_mtime_ns)
