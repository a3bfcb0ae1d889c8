"""The offer a draft states: each line at the buyer's quantity, on the buyer's incoterm.

``build_quote`` is a function of plain values (the contract record's request, the
profile, the message text, the thread's earlier prices, today) and returns a dict
the templates read (see templates/README.md): per line the price break that the
buyer's quantity reaches, the MOQ gap, the line total; the term and place; the
freight and insurance per piece from the profile's ``[freight]`` rules, or a
"to fill" item where the profile has no figure; and whether the buyer's date can
be met. Nothing here is worded: the templates say it in the buyer's language.
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

FOB_LIKE = {"FOB", "FCA", "EXW"}
FREIGHT_TERMS = {"CFR", "CNF", "CIF", "CPT", "CIP", "DAP", "DPU", "DDP"}
INSURED = {"CIF", "CIP"}
DELIVERED = {"DAP", "DPU", "DDP"}


def price_breaks(product: Any) -> list[dict[str, Any]]:
    """Prices at MOQ, 3x and 10x MOQ: the top of the range down to a quarter above the floor."""
    if product.price_min is None or not product.moq:
        return []
    low, high = product.price_min, product.price_max or product.price_min
    span = high - low
    steps = ((1, high), (3, low + span * 0.55), (10, low + span * 0.25))
    return [{"qty": product.moq * k, "price": round(price, 2)} for k, price in steps]


def break_for(breaks: list[dict[str, Any]], quantity: float | None) -> dict[str, Any] | None:
    """The break the quantity reaches (the MOQ break when it is below the MOQ)."""
    if not breaks:
        return None
    if not quantity:
        return breaks[0]
    eligible = [b for b in breaks if b["qty"] <= quantity]
    return eligible[-1] if eligible else breaks[0]


def line_quantities(products: list[dict[str, Any]], text: str, total: float | None) -> list[float | None]:
    """Each product line's own quantity: a number on the line that names it, else the total when
    there is one product line, else None (the split is unknown)."""
    from triage.request import quantity

    lines = [(ln, ln.lower()) for ln in (text or "").splitlines() if ln.strip()]
    found: list[float | None] = []
    for p in products:
        words = [w.lower() for w in (p.get("text"), p.get("name"), p.get("sku"), *p.get("aliases", ())) if w]
        naming = [ln for ln, lowered in lines if any(w in lowered for w in words)]
        counted = [q for q in (quantity(ln) for ln in naming) if q and q.unit in ("pcs", "sets", "units")]
        found.append(counted[0].value if counted else None)
    if len(products) == 1 and found and found[0] is None:
        found[0] = total
    if total and all(found) and len(set(found)) == 1 and len(found) > 1 and found[0] == total:
        return [None] * len(found)  # one number on every line is the total, not a line each
    return found


def build_quote(request: dict[str, Any], products: list[dict[str, Any]], profile: Any, *, text: str = "",
                country: str = "", earlier: dict[str, Any] | None = None, today: date | None = None,
                moq_only: bool = False) -> dict[str, Any]:
    """The offer: lines, term, freight, totals, MOQ gaps, lead time against the buyer's date."""
    today = today or date.today()
    earlier = earlier or {}
    total_qty = _number((request.get("quantity") or {}).get("value"))
    unit = (request.get("quantity") or {}).get("unit") or "pcs"
    term = (request.get("incoterm") or "FOB").upper().replace("CNF", "CFR")
    place = request.get("destination") or ""
    quantities = [None] * len(products) if moq_only else line_quantities(products, text, total_qty if unit in ("pcs", "units", "sets") else None)
    lines = [_line(p, q, profile, earlier.get(p["sku"]), moq_only) for p, q in zip(products, quantities)]
    to_fill: list[str] = []
    freight = _freight(term, place, country, lines, profile, to_fill)
    for line in lines:
        _on_term(line, term, freight)
    priced = [ln for ln in lines if ln["qty"] and ln["price"] is not None]
    total = round(sum(ln["qty"] * ln["price"] for ln in priced), 2) if priced and len(priced) == len(lines) else None
    units = {ln["unit"] for ln in priced}
    total_qty_priced = sum(ln["qty"] for ln in priced) if total is not None and len(units) == 1 else None
    if any(ln["qty"] is None for ln in lines) and not moq_only and len(lines) > 1 and total_qty:
        to_fill.append("the quantity of each item (the message gives a total only)")
    port = profile.terms.get("port") or ""
    return {
        "term": term,
        "term_asked": bool(request.get("incoterm")),
        "place": place if term not in FOB_LIKE else (port if term == "FOB" else profile.company.get("city", "")),
        "port": port,
        "lines": lines,
        "total": total,
        "total_qty": total_qty_priced,  # the pieces of every line together, when all are priced in one unit
        "freight": freight,
        "to_fill": to_fill,
        "timing": timing(request, profile, freight, today),
        "moq_only": moq_only,
    }


def _line(product: dict[str, Any], qty: float | None, profile: Any, earlier: dict[str, Any] | None,
          moq_only: bool) -> dict[str, Any]:
    breaks = product["breaks"]
    chosen = break_for(breaks, None if moq_only else qty)
    fob = chosen["price"] if chosen else None
    line = {
        "sku": product["sku"], "name": product["name"], "asked": product.get("asked", ""),
        "unit": product.get("unit") or "pcs", "moq": product["moq"],
        "qty": int(qty) if qty and float(qty).is_integer() else qty,
        "break_qty": chosen["qty"] if chosen else None,
        "fob": fob, "price": fob,
        "moq_gap": int(product["moq"] - qty) if qty and product["moq"] and qty < product["moq"] else 0,
        "earlier": None, "changed_from": None,
    }
    if earlier and fob is not None:
        _honour(line, earlier)
    return line


def _honour(line: dict[str, Any], earlier: dict[str, Any]) -> None:
    """A price offered or agreed in the thread stands: on FOB it replaces the break's price."""
    line["earlier"] = earlier
    if earlier.get("term", "FOB") == "FOB":
        if abs(earlier["price"] - line["fob"]) > 0.005:
            line["changed_from"] = line["fob"]
        line["fob"] = line["price"] = earlier["price"]


def _freight(term: str, place: str, country: str, lines: list[dict[str, Any]], profile: Any,
             to_fill: list[str]) -> dict[str, Any] | None:
    """Freight and insurance per piece for the shipment, from the profile's rules (None on FOB-like terms)."""
    if term not in FREIGHT_TERMS:
        return None
    where = place or country or "the buyer's port"
    rule = _rule(profile.freight, place, country)
    qty = sum(ln["qty"] or ln["moq"] or 0 for ln in lines)
    value = sum((ln["qty"] or ln["moq"] or 0) * (ln["fob"] or 0) for ln in lines)
    if rule is None or not qty:
        to_fill.append(f"freight to {where}")
        return {"known": False, "where": where, "per_piece": None}
    containers = max(1, math.ceil(qty / max(int(profile.terms.get("container_pcs") or 10000), 1)))
    sea = containers * float(rule["usd_per_40hq"])
    insurance = (value + sea) * 1.1 * float(profile.freight.get("insurance_rate") or 0) if term in INSURED else 0.0
    if term in DELIVERED:
        to_fill.append(f"{'duties, taxes and ' if term == 'DDP' else ''}delivery from the port to {where}")
    return {"known": True, "where": where, "containers": containers, "sea": round(sea, 2),
            "insurance": round(insurance, 2), "per_piece": (sea + insurance) / qty,
            "transit_days": int(rule.get("transit_days") or 0), "delivered": term in DELIVERED}


def _rule(freight: dict[str, Any], place: str, country: str) -> dict[str, Any] | None:
    rules = freight.get("rules") or []
    wanted = [w.lower() for w in (place, country) if w]
    for w in wanted:  # the place first: a port names its coast better than the country does
        for rule in rules:
            if any(str(t).lower() == w or (len(str(t)) > 3 and str(t).lower() in w) for t in rule.get("to", [])):
                return rule
    return None


def _on_term(line: dict[str, Any], term: str, freight: dict[str, Any] | None) -> None:
    if freight is None or line["fob"] is None:
        return
    line["price"] = round(line["fob"] + freight["per_piece"], 2) if freight["known"] else None
    earlier = line.get("earlier")
    if earlier and earlier.get("term") == term and line["price"] is not None:
        if abs(earlier["price"] - line["price"]) > 0.005:
            line["changed_from"] = line["price"]
        line["price"] = earlier["price"]


def timing(request: dict[str, Any], profile: Any, freight: dict[str, Any] | None, today: date) -> dict[str, Any]:
    """Ready and arrival dates from today's deposit, against the buyer's date."""
    days = profile.terms.get("lead_time_days") or [35, 35]
    ready = today + timedelta(days=int(days[-1]))
    transit = (freight or {}).get("transit_days") or 0
    deadline = as_date(request.get("deadline"))
    arrival = ready + timedelta(days=transit) if transit else None
    out = {"ready": ready, "arrival": arrival, "deadline": deadline, "meets": None, "order_by": None}
    if deadline:
        goal = arrival or ready
        out["meets"] = goal <= deadline
        out["order_by"] = deadline - (goal - today) if out["meets"] else None
    return out


def as_date(value: Any) -> date | None:
    """A date, or an ISO text starting with one; None for anything else."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


PRICE = re.compile(r"(?:USD|US\$|\$)\s?(\d{1,5}(?:\.\d{1,4})?)|(\d{1,5}\.\d{2,4})\s?(?:USD|US\$)", re.I)
