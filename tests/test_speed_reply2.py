"""The second round of persona and draft speed-ups gives exactly what the plain code gives."""

from __future__ import annotations

import random
import re

from triage import persona
from triage.paths import shipped

# Letters of several scripts and cases, the apostrophe and its look-alikes, digits (also non-ASCII
# and non-decimal ones), the underscore, every kind of space, marks, emoji and a lone surrogate.
_ALPHABET = ("aeinostlrdu AEINOSTß ÿÀéÉçñΣσ中文ж٣٤²½Ⅻ0123456789 '''’_\t\u00a0\u2003\u3000\x1c\n"
             "..,;:!?¿¡-—…\"()[]*/@#😀\ud800")
_WORDS = ["the", "and", "de", "la", "que", "don't", "l'eau", "'tis", "rock'n'roll", "it's'", "o'", "días", "für",
          "más", "y", "el", "und", "der", "IN", "The", "ÉTÉ", "x_y", "a1b", "²nd"]


def _texts(seed: int, count: int = 1500) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts = [rng.choice(_WORDS) if rng.random() < 0.5 else "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 8)))
                 for _ in range(rng.randint(0, 40))]
        out.append(rng.choice(["", " ", "\n", ", "]).join(parts))
    return out


TEXTS = _texts(11) + [text.encode("ascii", "ignore").decode() for text in _texts(12, 500)]


def test_words_are_the_distinct_regex_words():
    for text in TEXTS:
        low = text.lower()
        assert persona._words(low) == set(persona._WORD.findall(low)), text


def _plain_detect_language(text: str) -> str | None:
    """detect_language as one set intersection per language's stopwords."""
    data = persona._languages()
    table = persona.read_toml(shipped("playbooks") / "languages.toml")["stopwords"]
    stopwords = {lang: frozenset(w.lower() for w in words) for lang, words in table.items()}
    sample = text[: data.max_chars]
    script = persona._script_language(sample, data)
    if script:
        return script
    words = set(re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", sample.lower()))
    best, hits = None, 0
    for lang, stop in stopwords.items():
        n = len(words & stop)
        if n > hits:
            best, hits = lang, n
    return best if hits >= data.min_hits else None


def test_detect_language_counts_as_the_plain_intersections():
    for text in TEXTS:
        assert persona.detect_language(text) == _plain_detect_language(text), text


def _plain_sentences(text: str) -> list:
    """_sentences with _SENT_END.finditer over each line's body."""
    out = []
    pos = 0
    for line in persona.unwrap(text).split("\n"):
        mark = persona._LIST_MARK.match(line)
        offset = mark.end() if mark else len(line) - len(line.lstrip())
        body = line[offset:]
        start = pos + offset
        last = 0
        for m in persona._SENT_END.finditer(body) if persona._HAS_END.search(body) else ():
            out.append((start + last, body[last:m.start()], bool(mark)))
            last = m.end()
        out.append((start + last, body[last:], bool(mark)))
        pos += len(line) + 1
    return [persona._Sentence(start, piece.rstrip(), listed) for start, piece, listed in out
            if re.search(r"[^\W\d_]", piece)]


_ENDS = [". ", "! ", "? ", "… ", '." ', ".) ", "?] ", "!' ", "…) ", '.") ', ".  ", ".\t", "?", ".", "!) ", " . "]


def test_sentences_split_where_the_pattern_splits():
    rng = random.Random(13)
    texts = TEXTS + ["".join(rng.choice(_ENDS) if rng.random() < 0.4 else rng.choice(_WORDS) for _ in range(rng.randint(0, 30)))
                     for _ in range(3000)]
    for text in texts:
        assert persona._sentences(text) == _plain_sentences(text), text


def test_stamp_lists_what_glob_lists(tmp_path):
    def plain(folder):
        return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.toml"))) if folder.is_dir() else ()

    folder = tmp_path / "persona"
    assert persona._stamp(str(folder)) == plain(folder) == ()
    folder.write_text("a file, not a folder")
    assert persona._stamp(str(folder)) == plain(folder) == ()
    folder.unlink()
    folder.mkdir()
    assert persona._stamp(str(folder)) == plain(folder) == ()
    for name in ("weights.toml", "lexicon.en.toml", ".hidden.toml", ".toml", "notes.txt", "x.toml.bak", "UPPER.TOML"):
        (folder / name).write_text("")
    (folder / "sub.toml").mkdir()
    assert persona._stamp(str(folder)) == plain(folder)
    assert len(persona._stamp(str(folder))) == 5


def _plain_evidence(reading, by_sentence: dict, by_text: dict, final: str, limit: int) -> list[str]:
    items = [(c, f'"{persona._quote(reading.sentences[idx].text)}" ({" + ".join(c.labels)})')
             for idx, c in by_sentence.items()]
    items += [(c, " + ".join(c.labels)) for c in by_text.values()]
    lines = []
    for c, text in items:
        size = abs(c.assertiveness) + abs(c.responsiveness)
        if size < 0.2:
            continue
        a = c.assertiveness if abs(c.assertiveness) > 1e-9 else persona._AXES[final][0]
        r = c.responsiveness if abs(c.responsiveness) > 1e-9 else persona._AXES[final][1]
        style = persona._style(a, r)
        lines.append((style != final, -size, f"{style}: {text}"))
    lines.sort()
    return [text for _, _, text in lines[:limit]]


def test_evidence_keeps_the_lines_the_plain_code_keeps():
    rng = random.Random(17)
    values = [0.0, 1e-10, -1e-10, 0.05, -0.1, 0.1, 0.19, 0.2, 0.5, -0.7, 1.0, -2.5]
    for _ in range(2000):
        sentences = [persona._Sentence(i, rng.choice(TEXTS[:50]) or "x", False) for i in range(6)]
        reading = persona._Reading(sentences=sentences)

        def contribution():
            labels = rng.sample(["a", "b", "imperative \"send\"", "warmth"], rng.randint(1, 3))
            return persona._Contribution(rng.choice(values), rng.choice(values), labels)

        by_sentence = {i: contribution() for i in rng.sample(range(6), rng.randint(0, 6))}
        by_text = {name: contribution() for name in rng.sample(["emoji", "exclamations", "i_focus"], rng.randint(0, 3))}
        final, limit = rng.choice(persona.STYLES), rng.randint(0, 8)
        assert persona._evidence(reading, by_sentence, by_text, final, limit) == _plain_evidence(
            reading, by_sentence, by_text, final, limit)


def test_drafts_from_the_draft_environment_are_those_of_a_plain_jinja_environment():
    """Its templates' globals in one dict and its dict look-up give the drafts Jinja's own give."""
    from collections import ChainMap

    from jinja2 import Environment
    from test_draft import CASES, PERSONAS, TODAY, inquiry

    from triage import draft as drafting
    from triage.profile import load_profile

    fast = drafting.environment()
    plain = Environment(loader=fast.loader, undefined=fast.undefined, autoescape=False, trim_blocks=True,
                        lstrip_blocks=True, keep_trailing_newline=True)
    plain.filters = dict(fast.filters)
    profile = load_profile(shipped("playbooks") / "profile.demo.toml")
    for lang in ("en", "es", "de"):
        for tier in "ABCD":
            for persona_type in PERSONAS:
                for case, kw in CASES.items():
                    kw = {k: v for k, v in kw.items() if k != "destination"}
                    item = inquiry(**dict(kw, tier=tier, persona=persona_type, lang=lang))
                    want = drafting.draft_reply(item, profile, env=plain, today=TODAY)
                    assert drafting.draft_reply(item, profile, env=fast, today=TODAY) == want, (lang, tier, case)
    template = fast.get_template("en/reply-genuine.j2")
    assert template.globals == dict(ChainMap({}, plain.globals))
    assert fast.from_string("{{ x }} {{ range(2)|list }}", globals={"x": 1}).render() == "1 [0, 1]"
