"""The drafts' Jinja environment: where templates and phrases are found, and the filters they use.

Templates are looked up in ``$TRIAGE_HOME/templates/`` before the shipped ``templates/``;
``default:<name>`` always names the shipped one, so a user's template can extend it. A
language can be drafted in when it has a ``<lang>/phrases.toml``; the user's phrases are
merged key by key over the shipped ones. Edits show in the next draft (Jinja reloads a changed
template; the names are listed again when a template directory changes). The buyer's words
only ever reach a template as data; a missing variable is an error (StrictUndefined).
"""

from __future__ import annotations

import functools
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from triage.errors import TemplateError
from triage.paths import shipped, user_dir
from triage.quote import as_date


def environment(user: Path | None = None, shipped_dir: Path | None = None) -> Any:
    """A plain Jinja environment: the user's templates, then the shipped ones, ``default:`` = shipped."""
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PrefixLoader, StrictUndefined

    shipped_dir = shipped_dir or shipped("templates")
    user = user if user is not None else user_dir() / "templates"
    loaders: list[Any] = [PrefixLoader({"default": FileSystemLoader(str(shipped_dir))}, delimiter=":")]
    if user.is_dir():
        loaders.append(FileSystemLoader(str(user)))
    loaders.append(FileSystemLoader(str(shipped_dir)))
    env = Environment(loader=ChoiceLoader(loaders), undefined=StrictUndefined, autoescape=False,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(num=fmt_num, usd=fmt_usd, day=fmt_day, and_list=and_list, days=fmt_days, fill=fill)
    return env


def default_environment() -> Any:
    """The environment for the current user directory (one per directory; templates reload when changed)."""
    return _cached_environment(user_dir())


@functools.lru_cache(maxsize=8)
def _cached_environment(home: Path) -> Any:
    return environment(home / "templates")


def languages(env: Any = None) -> list[str]:
    """The languages drafts are written in: those with a ``<lang>/phrases.toml``."""
    env = env or default_environment()
    return sorted({n.split("/")[0] for n in template_names(env)
                   if n.endswith("/phrases.toml") and not n.startswith("default:")})


def check_language(lang: str | None, env: Any = None) -> str | None:
    """``lang`` if drafts can be written in it (None passes); otherwise a TemplateError naming the choices."""
    if lang is None:
        return None
    known = languages(env)
    if lang.lower() not in known:
        raise TemplateError(f"no drafts in {lang!r}: choose one of {', '.join(known)}")
    return lang.lower()


def select(env: Any, names: list[str], lang: str | None) -> tuple[Any, str, list[str]]:
    """(template, language used, notes): the buyer's language if it has phrases, else English.

    For each language, ``<lang>/<name>.j2`` (a template written for that language) before the
    shared ``<name>.j2`` that words itself from ``<lang>/phrases.toml``.
    """
    held = template_names(env)
    wanted = (lang or "en").lower()
    for code in dict.fromkeys([wanted, "en"]):
        if f"{code}/phrases.toml" not in held:
            continue
        candidates = [f"{code}/{n}.j2" for n in names] + [f"{n}.j2" for n in names]
        found = next((name for name in candidates if name in held), None)
        if found is None:
            continue
        notes = [] if code == wanted else [f"no drafts in {wanted!r} yet: drafted in English; translate before sending"]
        return env.get_template(found), code, notes
    raise TemplateError(f"no template found among: {', '.join(n + '.j2' for n in names)}")


def template_names(env: Any) -> frozenset[str]:
    """Every name the environment's loaders hold (``env.list_templates()``), listed again only when
    one of their directories changes (a file added, renamed or deleted there shows in the next draft).

    A draft asks for up to ten names that are not there, each a failed lookup through every
    loader (~0.2 ms a draft); stating the directories instead costs ~10 µs."""
    listed = _LISTED.get(id(env))
    if listed is None or listed[0] is not env or listed[2] != _stamp(listed[1]):
        if listed is not None and env.cache is not None:
            env.cache.clear()  # a user's file may now shadow a shipped template Jinja holds compiled
        roots = dict.fromkeys(_search_paths(env.loader))  # (the shipped directory is searched twice)
        directories = [d for root in roots for d, _, _ in os.walk(root)]
        listed = _LISTED[id(env)] = (env, directories, _stamp(directories), frozenset(env.list_templates()))
    return listed[3]


_LISTED: dict[int, tuple[Any, list[str], list[int], frozenset[str]]] = {}  # id(env) -> (env, dirs, stamp, names)


def _search_paths(loader: Any) -> list[str]:
    """The directories a loader (and the loaders it holds) reads templates from."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader

    if isinstance(loader, ChoiceLoader):
        return [p for inner in loader.loaders for p in _search_paths(inner)]
    if isinstance(loader, PrefixLoader):
        return [p for inner in loader.mapping.values() for p in _search_paths(inner)]
    return list(loader.searchpath) if isinstance(loader, FileSystemLoader) else []


def _stamp(directories: list[str]) -> list[int]:
    """Each directory's modification time (0 when it is gone)."""
    out = []
    for directory in directories:
        try:
            out.append(os.stat(directory).st_mtime_ns)
        except OSError:
            out.append(0)
    return out


def phrases(env: Any, lang: str) -> dict[str, Any]:
    """The language's phrases: the shipped ``<lang>/phrases.toml`` with the user's keys over it.

    Read again whenever a file changed (a user's edit shows in the next draft); parsed once per
    distinct text. The table returned is shared between drafts: read it, do not change it.
    """
    listing = template_names(env)
    shipped_text = _source(env, listing, f"default:{lang}/phrases.toml")
    name = f"{lang}/phrases.toml"
    text = _source(env, listing, name) if name in listing else shipped_text
    return _phrase_table(shipped_text, text)


def _source(env: Any, listing: frozenset[str], name: str) -> str:
    """A file's text through the environment's loader, read again only when the loader says it is
    out of date (Jinja's ``uptodate`` check) or the environment's files were listed again
    (``listing``: :func:`template_names` now)."""
    known = _SOURCES.get((id(env), name))
    if known is None or known[0] is not env or known[1] is not listing or not known[3]():
        text, _, uptodate = env.loader.get_source(env, name)
        known = _SOURCES[(id(env), name)] = (env, listing, text, uptodate or (lambda: False))
    return known[2]


_SOURCES: dict[tuple[int, str], tuple[Any, frozenset[str], str, Any]] = {}


@functools.lru_cache(maxsize=32)
def _phrase_table(shipped_text: str, text: str) -> dict[str, Any]:
    from triage.datafiles import merge

    table = tomllib.loads(shipped_text)
    return table if text == shipped_text else merge(table, tomllib.loads(text), extend_lists=False)


def render(template: Any, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError as JinjaError

    try:
        text = template.render(**context)
    except JinjaError as exc:
        raise TemplateError(f"template {template.name}: {exc}") from None
    except (KeyError, IndexError, ValueError) as exc:
        raise TemplateError(f"template {template.name}: a phrase needs {exc}") from None
    return tidy(text)


_BULLET = re.compile(r"(?m)^([ \t]*(?:-|\d+\.) .*)\n\n+(?=[ \t]*(?:-|\d+\.) )")
_DOUBLE_STOP = re.compile(r"(?<![.])\.\.(?![.])")
_BLANK_LINES = re.compile(r"\n{3,}")


def tidy(text: str) -> str:
    """Trailing spaces off, no blank line inside a list, at most one blank line, no doubled full stop."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    text = _BULLET.sub(r"\1\n", text)
    text = _DOUBLE_STOP.sub(".", text)
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"


# -- filters (the language's number and date forms come from its phrases.toml) ------------


def fmt_days(span: Any) -> str:
    """[25, 35] -> '25-35', [7, 7] -> '7', 30 -> '30'."""
    values = list(span) if isinstance(span, (list, tuple)) else [span]
    values = list(dict.fromkeys(str(v) for v in values if v not in (None, "")))
    return "-".join(values)


def fmt_num(value: Any, t: dict[str, Any] | None = None) -> str:
    """12000 -> '12,000' (or the language's thousands separator); 2.5 -> '2.50'."""
    number = float(value)
    text = f"{int(number):,}" if number.is_integer() else f"{number:,.2f}"
    return _localise(text, t)


def fmt_usd(value: Any, t: dict[str, Any] | None = None) -> str:
    if value is None:  # a profile price that is no single figure (a range, or none): the salesperson's
        return "<<to fill: price>>"
    return "USD " + _localise(f"{float(value):,.2f}", t)


def _localise(text: str, t: dict[str, Any] | None) -> str:
    if not t:
        return text
    sep, dec = t.get("thousands", ","), t.get("decimal", ".")
    return text.replace(",", "\0").replace(".", dec).replace("\0", sep)


def fmt_day(value: Any, t: dict[str, Any] | None = None) -> str:
    """A date in the language's form ('{weekday} {d} {month}' by default)."""
    day = as_date(value)
    if day is None:
        return str(value)
    t = t or {}
    months = t.get("months") or "January February March April May June July August September October November December".split()
    days = t.get("weekdays") or "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
    form = t.get("date_form") or "{weekday} {d} {month}"
    return form.format(weekday=days[day.weekday()], d=day.day, month=months[day.month - 1], m=day.month, y=day.year)


def and_list(items: Any, word: str = "and") -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def fill(phrase: str, **values: Any) -> str:
    """A phrase of phrases.toml with its {names} filled: ``t.moq_gap|fill(gap=..., moq=...)``."""
    return str(phrase).format_map(values)
