"""Offline domain analysis: no network, only the bundled public-suffix list and data files.

Registrable domain (tldextract's bundled snapshot, never fetched), free-mail
and throwaway providers, look-alikes of well-known brands, the country of a
country-code ending, the display name claiming a brand, and whether From,
Reply-To, Return-Path and the signature's website agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from triage.enrich.data import load, words
from triage.hostnames import registrable, split


@cache
def _free_mail() -> frozenset[str]:
    data = load("free_mail")
    return frozenset(d for group in data["groups"] for d in words(data, "groups", group))


def is_free_mail(host: str | None) -> bool:
    return bool(host) and (host in _free_mail() or registrable(host) in _free_mail())


def is_disposable(host: str | None) -> bool:
    from disposable_email_domains import blocklist

    return bool(host) and (host in blocklist or registrable(host) in blocklist)


def cctld_country(host: str | None) -> str | None:
    """ISO 3166 alpha-2 of a country-code ending (``.co.uk`` -> GB), None for generic ones; a generic
    one under the country's own second level is the country's (``.com.co`` -> CO, ``.co`` -> None)."""
    suffix = split(host).suffix if host else ""
    last = suffix.rsplit(".", 1)[-1]
    data = load("domains")
    generic = last in words(data, "cctld", "generic") and "." not in suffix
    if len(last) != 2 or not last.isascii() or generic:
        return None
    return data.get("cctld_aliases", {}).get(last, last.upper())


# --- brands and look-alikes -------------------------------------------------


@cache
def brands() -> list[dict[str, Any]]:
    return load("brands")["brand"]


def brand_of(host: str | None) -> dict | None:
    """The brand that really owns ``host``, if any."""
    reg = registrable(host)
    for brand in brands():
        if host in brand["domains"] or reg in brand["domains"]:
            return brand
    return None


@cache
def _brand_labels() -> list[tuple[dict, str, str]]:
    """``(brand, label, skeleton)`` for every brand name worth comparing against."""
    table = []
    for brand in brands():
        labels = {split(d).domain for d in brand["domains"][:1]} | set(brand.get("short", []))
        table += [(brand, label, skeleton(label)) for label in sorted(labels) if len(label) >= 3]
    return table


@cache
def _homoglyphs() -> list[tuple[str, str]]:
    return [(p["fake"], p["real"]) for p in load("domains").get("homoglyph", [])]


@lru_cache(maxsize=8192)
def skeleton(text: str) -> str:
    """``text`` with every look-alike character folded to one form (i, l, 1 -> l; rn -> m ...)."""
    text = unicodedata.normalize("NFKC", text.lower())
    for fake, real in _homoglyphs():
        if fake not in ("l", "i"):
            text = text.replace(fake, real)
    return text.replace("i", "l")


def _swap_text(label: str, target: str) -> str:
    return ", ".join(f"homoglyph {s}" for s in _swaps(label, target))


def _swaps(label: str, target: str) -> list[str]:
    """The homoglyph swaps that turn ``label`` towards ``target``'s spelling."""
    found = []
    for fake, real in _homoglyphs():
        if label.count(fake) > target.count(fake) and label.count(real) < target.count(real):
            found.append(f"{fake}->{real}")
    return found


def lookalike(host: str | None) -> dict | None:
    """``{"of": "alibaba.com", "how": "..."}`` when ``host`` imitates a brand it is not."""
    found = _find_lookalike(host)
    return dict(found) if found else None


@lru_cache(maxsize=4096)
def _find_lookalike(host: str | None) -> dict | None:
    if not host or brand_of(host):
        return None
    return _brand_as_subdomain(host) or _lookalike_label(host)


def _brand_as_subdomain(host: str) -> dict | None:
    sub = split(host).subdomain
    if not sub:
        return None
    for brand in brands():
        for domain in brand["domains"]:
            if re.search(rf"(^|\.){re.escape(domain)}$|(^|\.){re.escape(domain)}\.", sub):
                return {"of": brand["domains"][0], "how": f"brand as subdomain of {registrable(host)}"}
    return None


def _lookalike_label(host: str) -> dict | None:
    parts = split(host)
    for brand, label, real in _brand_labels():
        how = _compare(parts.domain, label, real, parts.suffix)
        if how:
            return {"of": brand["domains"][0], "how": how}
    return None


def _compare(candidate: str, label: str, real: str, suffix: str) -> str | None:
    if candidate == label:
        return _same_name(suffix)
    cand = skeleton(candidate)
    if cand == real:
        return _swap_text(candidate, label) or "look-alike spelling"
    extra = _extra_words(candidate, real) if real in cand or len(real) >= 7 else None
    if extra and not _phishing_words(extra):
        extra = None  # the brand's name inside another company's name
    if extra:
        return ", ".join(x for x in (_swap_text(candidate, label), f"brand plus extra words {extra!r}") if x)
    if len(real) >= 5 and _distance(cand, real) <= (2 if len(real) >= 9 else 1):
        return f"one or two letters off {label!r}"
    return None


def _same_name(suffix: str) -> str | None:
    """Brand name on another ending: country variants are let through, generic ones are not."""
    if cctld_country(f"x.{suffix}"):
        return None
    return f"brand name on another ending (.{suffix})"


def _extra_words(candidate: str, real: str) -> str | None:
    """What ``candidate`` adds around the brand ``real`` (a skeleton): ``docusign-notify`` -> ``notify``."""
    tokens = [t for t in re.split(r"[-_.]+", candidate) if t]
    want = real.split("-")
    for i in range(len(tokens) - len(want) + 1):
        if [skeleton(t) for t in tokens[i : i + len(want)]] == want:
            return "-".join(tokens[:i] + tokens[i + len(want) :]) or None
    if len(real) < 7:  # short brand names are parts of ordinary words
        return None
    for token in tokens:
        folded = skeleton(token)
        if folded != real and folded.startswith(real):
            return token[len(real) :]
        if folded != real and folded.endswith(real):
            return token[: -len(real)]
    return None


def phishing_affixes() -> frozenset[str]:
    return _affixes(id(load("domains")))


@lru_cache(maxsize=4)
def _affixes(_data_id: int) -> frozenset[str]:
    """The affix list, folded once per loaded data file (keyed by it: a new TRIAGE_HOME reloads it)."""
    return frozenset(skeleton(w) for w in words(load("domains"), "lookalike", "phishing_affixes"))


def _phishing_words(extra: str) -> bool:
    """Every word the candidate adds to the brand is one phishing domains add (notify, member, line...)."""
    parts = [skeleton(p) for p in re.split(r"[-_.\s]+", extra) if p]
    return bool(parts) and all(p in phishing_affixes() for p in parts)


def _distance(a: str, b: str) -> int:
    from rapidfuzz.distance import DamerauLevenshtein

    return DamerauLevenshtein.distance(a, b)


def brand_in_display_name(display: str | None, host: str | None) -> str | None:
    """The brand a From display name claims when the address does not belong to it."""
    text = unicodedata.normalize("NFKC", display or "").lower()
    if not text:
        return None
    owner = brand_of(host)
    for brand, pattern in _display_patterns():
        if brand is not owner and pattern.search(text):
            return brand["name"]
    return None


@cache
def _display_patterns() -> list[tuple[dict[str, Any], re.Pattern]]:
    """Per brand, one regex for every name it shows in a display name (compiled once, not per message)."""
    out = []
    for brand in brands():
        phrases = sorted({p.lower() for p in brand.get("display", []) if p}, key=len, reverse=True)
        if phrases:
            out.append((brand, re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, phrases)) + r")(?![\w])")))
    return out
