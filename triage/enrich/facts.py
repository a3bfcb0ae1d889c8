"""Facts about a company, read off its parsed web pages (:class:`~triage.enrich.site.Doc`).

Each ``_fact`` function looks at the pages in order (home first) and returns
the value with the URL it came from, so the report can say where it read it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from triage import geo
from triage.enrich import reading
from triage.enrich.data import load, words
from triage.enrich.domains import cctld_country
from triage.hostnames import host_of
from triage.enrich.site import Doc, hits, is_parked, is_placeholder, off_domain

TYPE_LABELS = {"same_trade_factory": "same-trade factory", "ecommerce_seller": "e-commerce seller",
               "sourcing_agent": "sourcing agent", "retailer": "retailer/chain"}

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
    site.update(_kind(docs, text, facts_from, site))
    site["parked"] = is_parked(home)
    if site["parked"]:  # a for-sale page's words say nothing about the buyer ("westmark-trading.com is for sale")
        site.update(business_type=None, business_type_tie=[], same_trade=False)
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


def _kind(docs: list[Doc], text: str, facts_from: dict, site: dict) -> dict:
    """Business type, size and country weighed from the sentences (:mod:`triage.enrich.reading`); the
    JSON-LD figures already found win over the text's."""
    data = load("site")
    read = reading.read(docs, site["url"], site["phones"])
    evidence = read.pop("evidence")
    products = _products(text, words(data, "products", "words"))
    same = read["business_type"] == "manufacturer" and _same_trade(text, data, products)
    for name in ("founded", "staff", "branches"):
        site.setdefault(name, None)
        if site[name] is None and read[name] is not None:
            site[name] = read[name]
            facts_from[name] = evidence[name]["page"]
        elif site.get(name) is not None:
            evidence[name] = {"page": facts_from.get(name), "phrase": "JSON-LD", "term": name}
    read.pop("founded"), read.pop("staff"), read.pop("branches")
    band, band_from = reading.size_band(site.get("staff"), site.get("branches"), read["area_m2"])
    if band:
        evidence["size_band"] = {"from": band_from, **(evidence.get(band_from if band_from != "area" else "area_m2") or {})}
    kind = "same_trade_factory" if same else read["business_type"]
    if evidence.get("business_type"):
        facts_from["business_type"] = evidence["business_type"][0]["page"]
    return read | {"business_type": kind, "same_trade": same, "products": products, "size_band": band,
                   "evidence": evidence}


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
        return None

    return _first(docs, find)


def _staff(docs: list[Doc]):
    def find(doc: Doc):
        for item in doc.ld:
            employees = item.get("numberOfEmployees")
            value = employees.get("value") if isinstance(employees, dict) else employees
            if str(value or "").isdigit():
                return int(value)
        return None

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
    "company_name": _company_name, "founded": _founded, "staff": _staff,
    "city": _city, "addresses": _addresses, "countries": _countries, "phones": _phones,
    "social": _social, "ecommerce": _ecommerce, "languages": _languages,
}
