"""Facts about a company, read off its parsed web pages (:class:`~triage.enrich.site.Doc`).

Each ``_fact`` function looks at the pages in order (home first) and returns
the value with the URL it came from, so the report can say where it read it.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urljoin, urlsplit

from triage import geo
from triage.enrich.data import load, words
from triage.enrich.domains import cctld_country, host_of
from triage.enrich.site import Doc, hits, is_parked, is_placeholder, off_domain

TYPE_LABELS = {"same_trade_factory": "same-trade factory", "ecommerce_seller": "e-commerce seller",
               "sourcing_agent": "sourcing agent", "retailer": "retailer/chain"}

FOUNDED = re.compile(
    r"(?:founded|established|since|est\.|gegründet|seit|fondée en|fondé en|depuis|desde|fundada en|fundado en"
    r"|fondata nel|fondato nel|opgericht in|założona w|od roku|成立于|创立于|创建于)\s*(?:in\s+)?((?:18|19|20)\d\d)\b"
)
STAFF = re.compile(
    r"(?:team of\s+)?(\d{1,3}(?:[,.]\d{3})+|\d{1,6})\s*\+?\s*(?:full[- ]time\s+)?(?:employees|staff|people|team members"
    r"|workers|associates|mitarbeiter(?:innen|:innen)?|beschäftigte|empleados|trabajadores|salariés|collaborateurs"
    r"|dipendenti|pracowników|medewerkers|名员工|员工|人)"
)
BRANCHES = re.compile(
    r"(\d{1,4})\s+(?:branches|branch locations|locations|stores|warehouses|showrooms|distribution centers"
    r"|filialen|niederlassungen|standorte|sucursales|tiendas|agences|magasins|filiali|oddziałów|vestigingen)\b"
)
PHONE = re.compile(r"\+\s?\d[\d\s().-]{6,18}\d")


def read_site(docs: list[Doc], asked_url: str) -> dict:
    """The ``site`` object of the enrichment from the pages read (home page first).

    ``name_matches_signature`` is left to the caller: it depends on the inquiry, not the site.
    """
    home, text = docs[0], "\n".join(d.text for d in docs)
    facts_from: dict[str, str] = {}
    site = {
        "url": asked_url, "final_url": home.url, "pages": [d.url for d in docs],
        "title": _title(home), "description": _description(home),
    }
    for name, finder in _FINDERS.items():
        value, url = finder(docs)
        site[name] = value
        if url and value not in (None, [], False):
            facts_from[name] = url
    site.update(_kind(docs, text, facts_from))
    site["parked"] = is_parked(home)
    site["placeholder"] = is_placeholder(home) and not site["parked"]
    site["redirected_off_domain"] = off_domain(asked_url, home.url)
    site["facts_from"] = facts_from
    return site


def _title(doc: Doc) -> str | None:
    title = doc.soup.title.get_text(" ", strip=True) if doc.soup.title else ""
    return title[:200] or None


def _description(doc: Doc) -> str | None:
    for attrs in ({"name": "description"}, {"property": "og:description"}):
        tag = doc.soup.find("meta", attrs=attrs)
        if tag and tag.get("content", "").strip():
            return tag["content"].strip()[:300]
    return None


# --- the company's name ---------------------------------------------------


def _company_name(docs: list[Doc]):
    for doc in docs:
        for item in doc.ld:
            if _ld_type(item) & {"organization", "corporation", "localbusiness", "store", "wholesalestore"} and item.get("name"):
                return str(item["name"]).strip(), doc.url
    for finder in (_og_site_name, _copyright, _title_name):
        for doc in docs:
            name = finder(doc)
            if name:
                return name, doc.url
    return None, None


def _ld_type(item: dict) -> set[str]:
    kind = item.get("@type", [])
    return {str(k).lower() for k in (kind if isinstance(kind, list) else [kind])}


def _og_site_name(doc: Doc) -> str | None:
    tag = doc.soup.find("meta", attrs={"property": "og:site_name"})
    return tag["content"].strip() if tag and tag.get("content", "").strip() else None


def _copyright(doc: Doc) -> str | None:
    match = re.search(
        r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?:by\s+)?([^\n|©]{3,80}?)"
        r"\s*(?:[.,]?\s*all rights reserved|\.?\s*alle rechte|\||\n|$)",
        doc.raw_text, re.I,
    )
    if not match:
        return None
    name = match.group(1).strip(" ,-")
    if doc.raw_text[match.end(1) : match.end(1) + 1] == "." and re.search(r"\b(?:ltd|inc|co|corp|bros)$", name, re.I):
        name += "."
    return name.rstrip(" ,-") if re.search(r"[A-Za-z\u4e00-\u9fff]", name) else None


def _title_name(doc: Doc) -> str | None:
    title = _title(doc) or ""
    parts = [p.strip() for p in re.split(r"\s[|\-–—:]\s", title) if p.strip()]
    return min(parts, key=len) if parts else None


def _normal_name(name: str) -> str:
    legal = set(words(load("site"), "legal_forms", "words"))
    tokens = re.findall(r"[\w&]+", name.lower())
    return " ".join(t for t in tokens if t not in legal)


def name_match(signature: str | None, site_name: str | None) -> int | None:
    """0-100: how well the signature's company name matches the site's; None if either is missing."""
    if not signature or not site_name:
        return None
    from rapidfuzz import fuzz

    return round(fuzz.token_set_ratio(_normal_name(signature), _normal_name(site_name)))


# --- what they are and sell --------------------------------------------------


def _kind(docs: list[Doc], text: str, facts_from: dict) -> dict:
    data = load("site")
    products = _products(text, words(data, "products", "words"))
    same = _same_trade(text, data, products)
    scores = {name: len(hits(text, words(data, "business_types", name))) for name in data["business_types"]}
    best = max(scores, key=scores.get) if any(scores.values()) else None
    kind = "same_trade_factory" if same else best
    if kind:
        facts_from["business_type"] = _where(docs, words(data, "business_types", best) if best else [])
    return {"business_type": kind, "same_trade": same, "products": products}


def _where(docs: list[Doc], phrases: list[str]) -> str:
    for doc in docs:
        if hits(doc.text, phrases):
            return doc.url
    return docs[0].url


def _products(text: str, vocabulary: list[str]) -> list[str]:
    counts = {w: len(re.findall(rf"(?<!\w){re.escape(w)}(?!\w)", text)) for w in vocabulary}
    chosen: list[str] = []
    for word in sorted((w for w in counts if counts[w]), key=lambda w: -counts[w]):
        if not any(word in c or c in word for c in chosen):
            chosen.append(word)
    return chosen[:8]


def _same_trade(text: str, data: dict, products: list[str]) -> bool:
    maker = hits(text, words(data, "same_trade", "manufacturer_words"))
    place = hits(text, words(data, "same_trade", "places"))
    return bool(maker and place and len(products) >= 2)


# --- size, age, where ---------------------------------------------------------


def _first(docs: list[Doc], find):
    for doc in docs:
        value = find(doc)
        if value not in (None, [], ""):
            return value, doc.url
    return None, None


def _founded(docs: list[Doc]):
    def find(doc: Doc):
        for item in doc.ld:
            year = re.match(r"(18|19|20)\d\d", str(item.get("foundingDate", "")))
            if year:
                return int(year.group(0))
        years = [int(y) for y in FOUNDED.findall(doc.text) if 1800 <= int(y) <= date.today().year]
        return min(years) if years else None

    return _first(docs, find)


def _staff(docs: list[Doc]):
    def find(doc: Doc):
        for item in doc.ld:
            employees = item.get("numberOfEmployees")
            value = employees.get("value") if isinstance(employees, dict) else employees
            if str(value or "").isdigit():
                return int(value)
        numbers = [int(re.sub(r"[,.]", "", n)) for n in STAFF.findall(doc.text)]
        numbers = [n for n in numbers if 2 <= n <= 500_000]
        return max(numbers) if numbers else None

    return _first(docs, find)


def _branches(docs: list[Doc]):
    def find(doc: Doc):
        numbers = [int(n) for n in BRANCHES.findall(doc.text) if 1 < int(n) < 10_000]
        return max(numbers) if numbers else None

    return _first(docs, find)


def _addresses(docs: list[Doc]):
    found, where = [], None
    for doc in docs:
        new = _ld_addresses(doc) + [_squash(a.get_text(" ", strip=True)) for a in doc.soup.find_all("address")]
        new = [a for a in new if a and a not in found]
        if new and where is None:
            where = doc.url
        found.extend(new)
    return found[:5], where


def _ld_addresses(doc: Doc) -> list[str]:
    out = []
    for item in doc.ld:
        address = item.get("address")
        for one in address if isinstance(address, list) else [address]:
            if isinstance(one, dict):
                keys = ("streetAddress", "postalCode", "addressLocality", "addressRegion", "addressCountry")
                out.append(", ".join(_text(one.get(k)) for k in keys if one.get(k)))
            elif isinstance(one, str):
                out.append(_squash(one))
    return out


def _text(value) -> str:
    return str(value.get("name", "")) if isinstance(value, dict) else str(value)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:200]


def _city(docs: list[Doc]):
    def find(doc: Doc):
        for item in doc.ld:
            address = item.get("address")
            address = address[0] if isinstance(address, list) and address else address
            if isinstance(address, dict) and address.get("addressLocality"):
                return str(address["addressLocality"])
        return None

    return _first(docs, find)


def _phones(docs: list[Doc]):
    found, where = [], None
    for doc in docs:
        region = cctld_country(host_of(doc.url))
        raw = [a["href"][4:] for a in doc.soup.select('a[href^="tel:"]')] + PHONE.findall(doc.raw_text)
        for number in raw:
            e164 = geo.e164(number, region)
            if e164 and e164 not in found:
                found.append(e164)
                where = where or doc.url
    return found[:6], where


def _countries(docs: list[Doc]):
    phonenumbers = geo.phone_lib()

    phones, _ = _phones(docs)
    codes = [phonenumbers.region_code_for_number(phonenumbers.parse(p)) for p in phones]
    codes += [c for doc in docs for c in _ld_countries(doc)]
    unique = list(dict.fromkeys(c for c in codes if c and c != "ZZ"))
    return unique, docs[0].url if unique else None


def _ld_countries(doc: Doc) -> list[str]:
    out = []
    for item in doc.ld:
        address = item.get("address")
        for one in address if isinstance(address, list) else [address]:
            code = _text(one.get("addressCountry", "")) if isinstance(one, dict) else ""
            if len(code) == 2:
                out.append(code.upper())
    return out


# --- presence ------------------------------------------------------------------


def _links(doc: Doc) -> list[str]:
    refs = [a["href"] for a in doc.soup.find_all("a", href=True)]
    return [urljoin(doc.url, r) for r in refs if not r.startswith(("mailto:", "tel:", "javascript:"))]


def _social(docs: list[Doc]):
    hosts = words(load("site"), "social", "hosts")
    found = []
    for doc in docs:
        for link in _links(doc):
            host = (urlsplit(link).hostname or "").lower()
            if any(host == h or host.endswith("." + h) for h in hosts) and link not in found:
                found.append(link)
    return found[:8], docs[0].url if found else None


def _ecommerce(docs: list[Doc]):
    data = load("site")
    for doc in docs:
        links = " ".join(_links(doc)).lower()
        sources = " ".join(str(t.get("src", "")) for t in doc.soup.find_all(["img", "link", "iframe"])).lower()
        if hits(doc.text, words(data, "ecommerce", "phrases")) or any(
            h in links or h in sources for h in words(data, "ecommerce", "hosts") + ["shopify", "woocommerce"]
        ):
            return True, doc.url
    return False, None


def _languages(docs: list[Doc]):
    found = []
    for doc in docs:
        tags = [doc.soup.html.get("lang", "")] if doc.soup.html else []
        tags += [link.get("hreflang", "") for link in doc.soup.find_all("link", hreflang=True)]
        found += [t.split("-")[0].split("_")[0].lower() for t in tags if t and t != "x-default"]
    unique = list(dict.fromkeys(found))
    return unique, docs[0].url if unique else None


_FINDERS = {
    "company_name": _company_name, "founded": _founded, "staff": _staff, "branches": _branches,
    "city": _city, "addresses": _addresses, "countries": _countries, "phones": _phones,
    "social": _social, "ecommerce": _ecommerce, "languages": _languages,
}
