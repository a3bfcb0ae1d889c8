"""Loading and validating the persona stage's data files.

Shipped files live in ``playbooks/persona/`` (``lexicon.<lang>.toml``,
``weights.toml``) and ``playbooks/languages.toml``; a user's files of the same
names in ``$TRIAGE_HOME/persona/`` are merged on top: word lists are extended
(or trimmed with a ``[remove]`` table), weights and settings are replaced key by
key. Every file is validated strictly; a :class:`~triage.errors.DataFileError`
names the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from triage.errors import DataFileError

# Lexicon categories, each read by the feature of the same name (see weights.toml),
# plus the helpers that no weight reads directly.
WORD_FEATURES = (
    "imperative", "need", "deadline", "ultimatum", "directness", "competition",
    "proof", "precision", "evaluation", "formality", "warmth", "personal", "hedging",
    "risk", "reassurance", "consult", "enthusiasm", "vision", "call",
)
HELPER_CATEGORIES = ("question_start", "pronoun_i", "pronoun_we")
CATEGORIES = WORD_FEATURES + HELPER_CATEGORIES
# Features computed from the matched words in a question or from pronouns and capitals.
DERIVED_WORD_FEATURES = ("spec_question", "relationship_question", "i_focus", "shouting")
# Features that need no lexicon.
TEXT_FEATURES = ("short_sentences", "number_density", "numbered_questions", "exclamations", "emoji")
FEATURES = WORD_FEATURES + DERIVED_WORD_FEATURES + TEXT_FEATURES

SETTINGS = {
    "min_words": int, "min_evidence": float, "platform_min_evidence": float,
    "scale": float, "max_evidence": int,
}
FEATURE_KEYS = {"label": str, "description": str, "assertiveness": float, "responsiveness": float, "cap": float}


@dataclass(slots=True)
class Weight:
    label: str
    assertiveness: float
    responsiveness: float
    cap: float
    description: str = ""


@dataclass(slots=True)
class Lexicon:
    """One language's cue words, compiled once."""

    language: str
    words: dict[str, list[str]]
    cues: re.Pattern  # every phrase of every category except imperative/question_start (lower case)
    imperative: re.Pattern  # anchored at a sentence start
    question_start: re.Pattern
    exact: dict[str, tuple[str, ...]]  # normalised phrase -> categories, in file order
    prefixes: list[tuple[str, str]]  # (prefix, category) of wildcard entries
    common: frozenset[str]  # single words known to the lexicon (for capitals)
    memo: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def categories(self, matched: str) -> tuple[str, ...]:
        """The categories of a cue match, remembered per matched text (at most 4,096)."""
        found = self.memo.get(matched)
        if found is None:
            key = " ".join(matched.lower().split())
            cats = [*self.exact.get(key, ()), *(cat for prefix, cat in self.prefixes if key.startswith(prefix))]
            if len(self.memo) >= 4096:
                self.memo.clear()
            found = self.memo[matched] = tuple(dict.fromkeys(cats))  # file order, the same on every run
        return found


@dataclass(slots=True)
class Lexicons:
    """Everything the persona stage reads: lexicons per language, weights, settings."""

    languages: dict[str, Lexicon]
    weights: dict[str, Weight]
    settings: dict[str, float]
    sources: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading files


def read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"{path}: not valid TOML: {exc}") from exc
    except OSError as exc:
        raise DataFileError(f"{path}: cannot be read: {exc}") from exc


def _word_list(path: Path, key: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataFileError(f"{path}: key {key!r} must be a list of non-empty strings")
    for v in value:
        if "*" in v.rstrip("*") or v.strip() in {"*"}:
            raise DataFileError(f"{path}: key {key!r}: '*' is only allowed at the end of an entry ({v!r})")
    return [" ".join(v.lower().replace("’", "'").split()) for v in value]


def validate_lexicon(path: Path, data: dict, lang: str) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The (added, removed) word lists of one lexicon file."""
    added: dict[str, list[str]] = {}
    removed: dict[str, list[str]] = {}
    for key, value in data.items():
        if key == "language":
            if value != lang:
                raise DataFileError(f"{path}: key 'language' is {value!r}, the file name says {lang!r}")
        elif key == "remove":
            if not isinstance(value, dict):
                raise DataFileError(f"{path}: key 'remove' must be a table of word lists")
            for cat, words in value.items():
                if cat not in CATEGORIES:
                    raise DataFileError(f"{path}: unknown category 'remove.{cat}'")
                removed[cat] = _word_list(path, f"remove.{cat}", words)
        elif key in CATEGORIES:
            added[key] = _word_list(path, key, value)
        else:
            raise DataFileError(f"{path}: unknown key {key!r} (known: {', '.join(CATEGORIES)})")
    return added, removed


def _number(path: Path, key: str, value, kind):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DataFileError(f"{path}: key {key!r} must be a number")
    if kind is int and value != int(value):
        raise DataFileError(f"{path}: key {key!r} must be a whole number")
    return kind(value)


def validate_weights(path: Path, data: dict, shipped: bool) -> tuple[dict, dict]:
    """The (settings, features) tables of one weights file; user files may be partial."""
    settings: dict[str, float] = {}
    features: dict[str, dict] = {}
    for key, value in data.items():
        if key not in ("settings", "features") or not isinstance(value, dict):
            raise DataFileError(f"{path}: unknown key {key!r} (expected the tables [settings] and [features.<name>])")
    for key, value in data.get("settings", {}).items():
        if key not in SETTINGS:
            raise DataFileError(f"{path}: unknown key 'settings.{key}'")
        settings[key] = _number(path, f"settings.{key}", value, SETTINGS[key])
    for name, table in data.get("features", {}).items():
        if name not in FEATURES:
            raise DataFileError(f"{path}: unknown feature 'features.{name}'")
        if not isinstance(table, dict):
            raise DataFileError(f"{path}: key 'features.{name}' must be a table")
        features[name] = _feature(path, name, table)
    if shipped:
        for name in FEATURES:
            missing = [k for k in ("label", "assertiveness", "responsiveness", "cap") if k not in features.get(name, {})]
            if missing:
                raise DataFileError(f"{path}: key 'features.{name}.{missing[0]}' is missing")
        for key in SETTINGS:
            if key not in settings:
                raise DataFileError(f"{path}: key 'settings.{key}' is missing")
    return settings, features


def _feature(path: Path, name: str, table: dict) -> dict:
    out = {}
    for key, value in table.items():
        kind = FEATURE_KEYS.get(key)
        full = f"features.{name}.{key}"
        if kind is None:
            raise DataFileError(f"{path}: unknown key {full!r}")
        if kind is str:
            if not isinstance(value, str):
                raise DataFileError(f"{path}: key {full!r} must be a string")
            out[key] = value
        else:
            out[key] = _number(path, full, value, float)
    if out.get("cap", 1) <= 0:
        raise DataFileError(f"{path}: key 'features.{name}.cap' must be positive")
    return out


# ---------------------------------------------------------------- compiling


def trie_pattern(entries) -> str:
    """A regex alternation of ``entries`` factored by common prefixes (fast in sre).

    A trailing ``*`` matches the rest of a word; a space matches any run of spaces.
    """
    trie: dict = {}
    for entry in entries:
        node = trie
        star = entry.endswith("*")
        for ch in entry.rstrip("*"):
            node = node.setdefault(ch, {})
        node["*" if star else ""] = {}
    return _node(trie) or "(?!)"


def _node(node: dict) -> str:
    ends = [k for k in ("", "*") if k in node]
    alts = [_char(ch) + _node(child) for ch, child in sorted(node.items()) if ch not in ("", "*")]
    if "*" in ends:
        alts.append(r"\w*")
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    if "" in ends and "*" not in ends:
        body = "(?:" + body + ")?"
    return body


def _char(ch: str) -> str:
    return r"\s+" if ch == " " else re.escape(ch)


def compile_lexicon(lang: str, words: dict[str, list[str]]) -> Lexicon:
    exact: dict[str, dict[str, None]] = {}
    prefixes: list[tuple[str, str]] = []
    cue_entries: set[str] = set()
    for cat, entries in words.items():
        if cat in ("imperative", "question_start"):
            continue
        for entry in entries:
            cue_entries.add(entry)
            if entry.endswith("*"):
                prefixes.append((entry.rstrip("*"), cat))
            else:
                exact.setdefault(entry, {})[cat] = None
    wrap = r"(?<![\w'])(?:{})(?![\w'])"
    common = frozenset(e for entries in words.values() for e in entries if " " not in e and "*" not in e)
    return Lexicon(
        language=lang,
        words=words,
        cues=re.compile(wrap.format(trie_pattern(sorted(cue_entries)))),  # run on lower-cased text
        imperative=re.compile(r"(?:{})(?![\w'])".format(trie_pattern(words.get("imperative", []))), re.I),
        question_start=re.compile(r"(?:{})(?![\w'])".format(trie_pattern(words.get("question_start", []))), re.I),
        exact={k: tuple(v) for k, v in exact.items()},
        prefixes=prefixes,
        common=common,
    )


# ---------------------------------------------------------------- loading


def _persona_dir(user_dir: Path | None) -> Path | None:
    """The user's persona folder: ``<user_dir>/persona`` (or ``user_dir`` if it is that folder)."""
    if user_dir is None:
        from triage.paths import user_dir as default_user_dir

        user_dir = default_user_dir()
    user_dir = Path(user_dir)
    folder = user_dir if user_dir.name == "persona" else user_dir / "persona"
    return folder if folder.is_dir() else None


def _lexicon_files(folder: Path | None) -> dict[str, Path]:
    if folder is None or not folder.is_dir():
        return {}
    return {p.name.split(".")[1]: p for p in sorted(folder.glob("lexicon.*.toml")) if p.name.count(".") == 2}


def load(shipped_dir: Path, user_dir: Path | None) -> Lexicons:
    user = _persona_dir(user_dir)
    sources: list[str] = []
    words_by_lang: dict[str, dict[str, list[str]]] = {}
    shipped_files, user_files = _lexicon_files(shipped_dir), _lexicon_files(user)
    for lang in sorted(set(shipped_files) | set(user_files)):
        words: dict[str, list[str]] = {cat: [] for cat in CATEGORIES}
        for path in (shipped_files.get(lang), user_files.get(lang)):
            if path is None:
                continue
            added, removed = validate_lexicon(path, read_toml(path), lang)
            for cat, entries in added.items():
                words[cat].extend(e for e in entries if e not in words[cat])
            for cat, entries in removed.items():
                words[cat] = [e for e in words[cat] if e not in entries]
            sources.append(str(path))
        words_by_lang[lang] = words
    settings, weights = _load_weights(shipped_dir / "weights.toml", user / "weights.toml" if user else None, sources)
    return Lexicons(
        languages={lang: compile_lexicon(lang, words) for lang, words in words_by_lang.items()},
        weights=weights,
        settings=settings,
        sources=sources,
    )


def _load_weights(shipped: Path, user: Path | None, sources: list[str]) -> tuple[dict, dict[str, Weight]]:
    settings, features = validate_weights(shipped, read_toml(shipped), shipped=True)
    sources.append(str(shipped))
    if user is not None and user.is_file():
        more_settings, more_features = validate_weights(user, read_toml(user), shipped=False)
        settings.update(more_settings)
        for name, table in more_features.items():
            features[name] = {**features[name], **table}
        sources.append(str(user))
    weights = {
        name: Weight(
            label=t["label"], assertiveness=t["assertiveness"], responsiveness=t["responsiveness"],
            cap=t["cap"], description=t.get("description", ""),
        )
        for name, t in features.items()
    }
    return settings, weights
