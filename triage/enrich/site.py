"""Reading a buyer's website: which pages to fetch, and what they say.

:func:`crawl` fetches the home page and at most a few same-site pages that tell
who the company is (about, contact, products); :func:`read_site` turns the
pages into facts. Every keyword list is data, in ``playbooks/enrich/site.toml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from triage.enrich.data import load, words
from triage.hostnames import host_of, registrable
from triage.enrich.fetch import FetchError, Fetcher, Page


@dataclass(slots=True)
class Doc:
    """One parsed page: its URL, soup, visible text (lower case) and JSON-LD objects."""

    url: str
    soup: object
    text: str
    raw_text: str
    ld: list[dict]


# --- fetching ---------------------------------------------------------------


def crawl(fetcher: Fetcher, url: str, deadline: float) -> tuple[list[Doc], list[str]]:
    """The home page at ``url`` and up to ``max_pages - 1`` telling pages of the same site."""
    try:
        home = parse(fetcher.get(url, deadline))
    except FetchError as exc:
        return [], [f"site unreachable: {exc}"]
    docs, errors = [home], []
    if _skip_links(home, url):
        return docs, errors
    for link in pick_links(home)[: max(fetcher.max_pages - 1, 0)]:
        try:
            docs.append(parse(fetcher.get(link, deadline)))
        except FetchError as exc:
            errors.append(f"page {urlsplit(link).path} unreachable: {exc}")
    return docs, errors


def _skip_links(home: Doc, url: str) -> bool:
    return off_domain(url, home.url) or is_parked(home) or is_placeholder(home)


def pick_links(home: Doc) -> list[str]:
    """At most one same-site link per kind (about, contact, branches, products), in that order;
    without an about link whose label is known, the first other link of the site's menu (an about
    page called "Ons verhaal" or "Portrait" holds the founding year, the staff and the branches);
    then the other links of the menu, in their order ("L'atelier" after "Réalisations"), for the
    pages the budget still allows."""
    pages = load("site")["pages"]
    skip = words(pages, "skip") + words(pages, "not_about") + words(pages, "contact")
    found: list[str] = []
    for kind in ("about", "contact", "branches", "products"):
        link = _first_link(home, words(pages, kind))
        if kind == "about" and link is None:
            link = next(_menu_links(home, skip), None)
        _add_link(found, link, home)
    for link in _menu_links(home, words(pages, "skip")):
        _add_link(found, link, home)
    return found


def _add_link(found: list[str], link: str | None, home: Doc) -> None:
    if link and link not in found and _home_path(link) != _home_path(home.url):
        found.append(link)


def _home_path(url: str) -> str:
    """``url`` without a trailing slash or index file: "/index.html" is the home page again."""
    return re.sub(r"/(?:index|default)\.(?:html?|php|aspx?)$", "", url.split("?", 1)[0]).rstrip("/")


def _first_link(home: Doc, keys: list[str]) -> str | None:
    """The first same-site link whose label or address has one of ``keys``."""
    site = registrable(host_of(home.url))
    for a in home.soup.find_all("a", href=True):
        label = _fold(f"{a.get_text(' ', strip=True)} {a['href'].replace('-', ' ').replace('_', ' ')}")
        url = urljoin(home.url, a["href"]).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and registrable(host_of(url)) == site:
            if any(_has(label, _fold(key)) for key in keys):
                return url
    return None


def _menu_links(home: Doc, skip: list[str]):
    """The same-site links of the site's menus (``<nav>``, ``<header>``, a menu-like block) in their
    order, but not the home page nor one labelled with a word of ``skip``."""
    site = registrable(host_of(home.url))
    for a in home.soup.find_all("a", href=True):
        url = urljoin(home.url, a["href"]).split("#", 1)[0]
        label = _fold(f"{a.get_text(' ', strip=True)} {a['href'].replace('-', ' ').replace('_', ' ')}")
        if (_in_menu(a) and urlsplit(url).scheme in ("http", "https") and registrable(host_of(url)) == site
                and urlsplit(url).path.strip("/") and not any(_has(label, _fold(k)) for k in skip)):
            yield url


def _in_menu(tag) -> bool:
    for parent in tag.parents:
        attrs = getattr(parent, "attrs", None) or {}
        marks = " ".join([str(attrs.get("id", ""))] + [str(c) for c in attrs.get("class", []) or []]).lower()
        if parent.name in ("nav", "header") or any(m in marks for m in ("nav", "menu")):
            return True
    return False


def _fold(text: str) -> str:
    """Lower case without accents, so "Quiénes somos" finds the key "quienes somos"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- parsing ----------------------------------------------------------------


def parse(page: Page) -> Doc:
    """A :class:`Doc` from a fetched page; garbage HTML gives a Doc with little text."""
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(page.content, "lxml", from_encoding=page.encoding)
    except Exception as exc:  # noqa: BLE001 - any parser failure is a fact, not a crash
        raise FetchError(f"unreadable HTML ({type(exc).__name__})") from exc
    ld = _json_ld(soup)
    for tag in soup(["script", "style", "noscript", "template", "svg"]):
        tag.decompose()
    raw = re.sub(r"[ \t\r\f\v]+", " ", soup.get_text("\n", strip=True))
    return Doc(page.final_url, soup, raw.lower(), raw, ld)


def _json_ld(soup) -> list[dict]:
    found: list[dict] = []
    for tag in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(tag.string or "")
        except ValueError:
            continue
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        found.extend(item for item in items if isinstance(item, dict))
    return found


def _has(text: str, phrase: str) -> bool:
    """``phrase`` in ``text``, as whole words when it starts and ends with a letter."""
    pattern = _pattern(phrase)
    return phrase in text if pattern is None else (phrase in text and pattern.search(text) is not None)


@lru_cache(maxsize=4096)
def _pattern(phrase: str):
    if not phrase[:1].isalnum() or not phrase[-1:].isalnum() or not phrase.isascii():
        return None
    return re.compile(rf"(?<![\w]){re.escape(phrase)}(?![\w])")


def hits(text: str, phrases: list[str]) -> list[str]:
    return [p for p in phrases if _has(text, p)]


# --- judgements on the home page ---------------------------------------------


def off_domain(asked: str, final: str) -> bool:
    return registrable(host_of(asked)) != registrable(host_of(final))


def is_parked(doc: Doc) -> bool:
    return bool(hits(doc.text, words(load("site"), "parked", "phrases")))


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def is_placeholder(doc: Doc) -> bool:
    """A placeholder phrase, or a page with few words and no links to the rest of a site (a Chinese
    or Japanese character counts as half a word: they are written without spaces)."""
    data = load("site")
    count = len(doc.text.split()) + len(_CJK.findall(doc.text)) // 2
    few_words = count < data["placeholder"].get("min_words", 40) and len(_own_links(doc)) < 2
    return few_words or bool(hits(doc.text, words(data, "placeholder", "phrases")))


def _own_links(doc: Doc) -> set[str]:
    site = registrable(host_of(doc.url))
    found = set()
    for a in doc.soup.find_all("a", href=True):
        url = urljoin(doc.url, a["href"]).split("#", 1)[0]
        if urlsplit(url).scheme in ("http", "https") and registrable(host_of(url)) == site \
                and url.rstrip("/") != doc.url.rstrip("/"):
            found.add(url)
    return found
