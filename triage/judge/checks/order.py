"""Checks on what the buyer asks against our catalogue: products, quantity, value, terms, certifications."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from triage.judge.checks import check
from triage.judge.evidence import truncate
from triage.judge.facts import Facts, in_range, order_quantity, our_products, search_field, upper_set, word_regex
from triage.matching import WORD


@check("order_value")
def _check_order_value(f: Facts, min: float = 0, max: float | None = None) -> str | None:
    if "_order" not in f._cache:  # the three order_value signals ask the same
        terms = getattr(f.profile, "terms", None) or {}
        qty = order_quantity(f, int(terms.get("container_pcs") or 0))  # pieces in a container: the seller's fact
        f._cache["_order"] = qty, [p.price_min for p in our_products(f) if getattr(p, "price_min", None)]
    qty, prices = f._cache["_order"]
    if not qty or not prices:
        return None
    value = qty * sum(prices) / len(prices)
    if not in_range(value, min, max):
        return None
    return f"about USD {value:,.0f} ({qty:,.0f} pcs x {sum(prices) / len(prices):.2f})"



def _moq_ratio(f: Facts) -> tuple[float, float] | None:
    if "_moq" not in f._cache:  # the quantity_vs_moq signals ask the same
        f._cache["_moq"] = _moq_ratio_of(f)
    return f._cache["_moq"]



def _moq_ratio_of(f: Facts) -> tuple[float, float] | None:
    qty = order_quantity(f, 10000)
    ours = [p for p in our_products(f) if getattr(p, "moq", None)]
    if not qty or not ours:
        return None
    per_item = qty / len(ours)
    avg_moq = sum(p.moq for p in ours) / len(ours)
    return per_item, avg_moq



@check("quantity_vs_moq")
def _check_moq(f: Facts, min: float = 0, max: float | None = None) -> str | None:
    """Quantity per product line, as a multiple of our MOQ, within [min, max)."""
    ratio = _moq_ratio(f)
    if ratio is None or not in_range(ratio[0] / ratio[1], min, max):
        return None
    return f"{ratio[0]:,.0f} pcs per item against MOQ {ratio[1]:,.0f}"



@check("our_products")
def _check_our_products(f: Facts, min: int = 1) -> str | None:
    ours = our_products(f)
    if len(ours) < min:
        return None
    texts = {pm.sku: pm.text or pm.name for pm in f.inquiry.products if pm.sku}
    return ", ".join(f"{p.sku} ({truncate(texts.get(p.sku, ''), 30)})" for p in ours)



@check("not_our_products")
def _check_not_ours(f: Facts) -> str | None:
    if our_products(f):
        return None
    others = [pm.text or pm.name for pm in f.inquiry.products if not pm.sku]
    return "asks for " + ", ".join(others) if others else None



@check("quantity_stated")
def _check_quantity(f: Facts) -> str | None:
    q = f.inquiry.quantity
    return f"{q.value:,.0f} {q.unit}" if q and q.value else None



@check("deadline_stated")
def _check_deadline(f: Facts, max_days: int | None = None) -> str | None:
    due = f.inquiry.deadline
    if due is None:
        return None
    ref = f.today or (f.message.date.date() if f.message.date else None)
    if max_days is not None and ref is not None and (due - ref).days > max_days:
        return None
    return f"by {due.isoformat()}"



@check("terms_stated")
def _check_terms(f: Facts) -> str | None:
    parts = [x for x in (f.inquiry.incoterm, f.inquiry.destination) if x]
    return " ".join(parts) if parts else None



@check("sample_requested")
def _check_sample(f: Facts) -> str | None:
    return "samples requested" if f.inquiry.sample_requested else None



def _certs(f: Facts) -> tuple[list[str], set[str]]:
    """(certifications asked, held), once per message: certification_held and _not_held both ask."""
    if "_certs" not in f._cache:
        f._cache["_certs"] = _certs_of(f)
    return f._cache["_certs"]



def _certs_of(f: Facts) -> tuple[list[str], set[str]]:
    asked = [c for c in dict.fromkeys(v.strip().upper() for v in f.inquiry.certifications if v)
             if c not in {"ISO9001", "ISO 9001", "ISO"}]  # in the order the buyer names them
    held = upper_set(getattr(f.profile, "certifications", []) or [])
    for prod in our_products(f):
        held |= upper_set(getattr(prod, "certifications", []) or [])
    return asked, held



@check("certification_held")
def _check_cert_held(f: Facts) -> str | None:
    asked, held = _certs(f)
    ok = [c for c in asked if c in held]
    return ", ".join(f"{c} asked, held" for c in ok) if ok and len(ok) == len(asked) else None



@check("certification_not_held")
def _check_cert_missing(f: Facts) -> str | None:
    asked, held = _certs(f)
    prods = our_products(f)
    missing = []
    for c in asked:
        if prods and all(c not in upper_set(getattr(p, "certifications", []) or []) for p in prods):
            missing.append(c)
        elif c not in held:
            missing.append(c)
    return ", ".join(f"{c} asked, not held" for c in missing) or None



@check("off_catalogue")
def _check_off_catalogue(f: Facts, min_matches: int = 1) -> str | None:
    """Device types the seller's profile lists under [catalogue] not_made (a different range, so no rule here)."""
    if "_not_made" not in f._cache:  # off_catalogue_words and off_catalogue_many search the same words
        rx = _not_made_pattern(tuple(getattr(f.profile, "not_made", None) or ()))
        f._cache["_not_made"] = [] if rx is None else list(dict.fromkeys(m.group(0) for m in search_field(f, "text", rx)))
    found = f._cache["_not_made"]
    return "; ".join(f'"{w}"' for w in found[:3]) if len(found) >= min_matches else None



@lru_cache(maxsize=8)
def _not_made_pattern(words: tuple[str, ...]) -> re.Pattern | None:
    """The phrases, each a whole word run, also in the plural ('office chairs' for 'office chair').
    Phrases that start with a word character get ``\\b`` (the same as ``(?<!\\w)`` there), which
    lets the engine gate the search on their first words."""
    if not words:
        return None
    phrases = sorted({w.lower().strip() for w in words if w.strip()}, key=len, reverse=True)
    start = r"\b" if all(WORD.match(w) for w in phrases) else r"(?<![\w])"
    return re.compile(start + "(?:" + "|".join(re.escape(w) for w in phrases) + r")(?:e?s)?(?![\w])")



_MAKER = re.compile(r"\b(factory|manufactur\w*|industrial|industry|appliances?|co\.,? ?ltd|工厂|制造)", re.I)



@check("same_trade_maker")
def _check_same_trade(f: Facts) -> str | None:
    """The signature or company is a maker (factory, manufacturer, Co., Ltd) of our own products, or signs from
    a place where our trade's makers cluster (the profile's [catalogue] maker_places)."""
    text = f"{f.field('signature')}\n{f.inquiry.company_name or ''}".lower()
    if not _MAKER.search(text):
        return None
    # a word must first be in the text at all: most are not, and each needs a regex of its own
    places = [p for p in getattr(f.profile, "maker_places", None) or ()
              if p in text and word_regex(p, "").search(text)]
    ours = [w for w in _catalogue_words(f.profile) if w in text and word_regex(w, "s?").search(text)]
    found = places + ours
    return "maker of our trade: " + ", ".join(found[:3]) if found else None



def _catalogue_words(profile: Any) -> tuple[str, ...]:
    key = tuple((p.name, tuple(p.aliases)) for p in getattr(profile, "products", None) or ())
    return _product_nouns(key)



@lru_cache(maxsize=8)
def _product_nouns(products: tuple) -> tuple[str, ...]:
    """The words our catalogue names its products with ('socket', 'downlight'), not sizes or generic words."""
    generic = {"with", "from", "single", "double", "white", "black", "pole", "gang", "outlets", "inch"}
    words = {w for name, aliases in products for text in (name, *aliases)
             for w in re.findall(r"[a-z]{4,}", text.lower())}
    return tuple(sorted(words - generic))



def _market_of(product: Any) -> str:
    return _market(product.name, tuple(getattr(product, "aliases", []) or []),
                   tuple(getattr(product, "certifications", []) or []))



@lru_cache(maxsize=1024)
def _market(product_name: str, aliases: tuple[str, ...], certifications: tuple[str, ...]) -> str:
    """The market a catalogue product is made for (memoised: a catalogue has few products)."""
    certs = upper_set(certifications)
    name = f"{product_name} {' '.join(aliases)}".lower()
    if "SAA" in certs or "RCM" in certs:
        return "AU"
    if re.search(r"\b(uk|bs ?1363|british)\b", name) or "UKCA" in certs:
        return "UK"
    if re.search(r"\b(schuko|eu|german|cee)\b", name):
        return "EU"
    if certs & {"UL", "CUL", "ETL", "CSA"}:
        return "NA"
    return "other"



@check("market_spread")
def _check_market_spread(f: Facts, min: int = 3) -> str | None:
    markets = sorted({_market_of(p) for p in our_products(f)} - {"other"})
    return f"products for {', '.join(markets)}" if len(markets) >= min else None

