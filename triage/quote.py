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
    """The profile's own breaks (``breaks = [[qty, price], ...]``); else, from a price range, prices at MOQ,
    3x and 10x MOQ: the top of the range down to a quarter above the floor."""
    if getattr(product, "breaks", None):
        return [{"qty": q, "price": round(p, 4)} for q, p in product.breaks]
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


def order_lines(products: list[dict[str, Any]], text: str, total: float | None,
                each: list[str] | tuple[str, ...] = ()) -> list[tuple[str, float | None, str]]:
    """The buyer's order lines as (sku, quantity, the buyer's words for the line), in the products' order.

    A text line names a product by its SKU, name, alias or the buyer's words for it (all of their
    words, or one word no other product asked shares: "10,000 pcs socket and 3,000 pcs downlight");
    the count on that line (on a table row: under the table's quantity heading) is the product's;
    a line naming several products splits at each name, the counts standing before or after the
    names as the buyer writes them. A product on several lines with their own counts (single and
    twin of one SKU, two colours) gets a line each, in the buyer's words; a line that only sums the
    others is left out. One product with no count of its own takes the total; several take it each
    when the buyer says so (a word of ``each`` right after it), else their quantity is unknown (None).
    """
    rows = _text_rows(text)
    names = [_namer(p, products) for p in products]
    found: list[list[tuple[float, str]]] = [[] for _ in products]
    for row, reading in rows:
        for index, count in _row_counts(row, reading, names):
            found[index].append(count)
    out: list[tuple[str, float | None, str]] = []
    for p, counts in zip(products, found):
        values = list(dict.fromkeys(q for q, _ in counts))
        values = [v for v in values if len(values) < 3 or v * 2 != sum(values)]  # a line summing the others
        if len(values) <= 1:
            out.append((p["sku"], values[0] if values else None, p.get("asked", "")))
            continue
        for value in values:
            words = next(w for q, w in counts if q == value)
            out.append((p["sku"], value, words or p.get("asked", "")))
    if len(products) == 1 and out[0][1] is None and len(out) == 1:
        out[0] = (out[0][0], total, out[0][2])
    elif total and all(q is None for _, q, _ in out) and _said_each(text, total, each):
        out = [(sku, total, asked) for sku, _, asked in out]
    return out


def _text_rows(text: str) -> list[tuple[str, str]]:
    """(row, the text its count is read from): a table row is read under its heading row."""
    rows, heading = [], {}
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        sep = "\t" if "\t" in line else "|" if line.count("|") >= 2 else None
        if sep and not re.search(r"\d", line):
            heading[sep] = line
        rows.append((line, f"{heading[sep]}\n{line}" if sep in heading else line))
    return rows


_WORD = re.compile(r"[^\W\d_][\w-]*[^\W_]|[^\W\d_]{3}")


def _namer(product: dict[str, Any], products: list[dict[str, Any]]) -> tuple[list[str], tuple[list[re.Pattern], list[re.Pattern]]]:
    """(phrases that name the product, word patterns that name it): its SKU, name, aliases and the
    buyer's words as phrases; the buyer's words all together, or one word of its own."""
    phrases = [w.lower() for w in (product.get("asked"), product.get("name"), product.get("sku"),
                                   *product.get("aliases", ())) if w and len(w) >= 3]
    asked = _WORD.findall((product.get("asked") or "").lower())
    mine = set(_WORD.findall(" ".join([product.get("asked") or "", product.get("name") or ""]).lower()))
    others = {w for p in products if p is not product
              for w in _WORD.findall(" ".join([p.get("asked") or "", p.get("name") or ""]).lower())}
    own = [w for w in mine - others if len(w) >= 3]
    pattern = [re.compile(rf"(?<![^\W_]){re.escape(w)}(?:e?s)?(?![^\W_])") for w in own]
    together = [re.compile(rf"(?<![^\W_]){re.escape(w)}") for w in asked] if len(asked) > 1 else []
    return phrases, (pattern, together)


def _named_at(lowered: str, namer: Any) -> tuple[int, int] | None:
    """Where the row names the product (start, end), or None."""
    phrases, (own, together) = namer
    spots = [(lowered.find(p), lowered.find(p) + len(p)) for p in phrases if p in lowered]
    spots += [(m.start(), m.end()) for m in (r.search(lowered) for r in own) if m]
    if together and all(r.search(lowered) for r in together):
        hits = [r.search(lowered) for r in together]
        spots.append((min(h.start() for h in hits), max(h.end() for h in hits)))  # type: ignore[union-attr]
    return min(spots) if spots else None


def _row_counts(row: str, reading: str, names: list[Any]) -> list[tuple[int, tuple[float, str]]]:
    """(product index, (count, the buyer's words)) for each product the row names with a count of its own."""
    from triage.request import quantity

    lowered = row.lower()
    named = sorted((at, i) for i, at in ((i, _named_at(lowered, n)) for i, n in enumerate(names)) if at)
    if not named:
        return []
    if len(named) == 1:
        q = quantity(reading)
        return [(named[0][1], (q.value, _buyer_words(row, q.value)))] if _pieces(q) else []
    starts = [at[0] for at, _ in named]
    ends = [_word_end(lowered, at[1]) for at, _ in named]  # 'interruptor|es': the name's whole word
    before = _pieces(quantity(row[: ends[0]]))  # the count before the first name ('4000 tomadas e 3000 interruptores')
    segments = ([row[(ends[k - 1] if k else 0): ends[k]] for k in range(len(named))] if before else
                [row[starts[k]: (starts[k + 1] if k + 1 < len(named) else len(row))] for k in range(len(named))])
    counts = [quantity(seg) for seg in segments]
    if not all(_pieces(q) for q in counts):
        return []  # one count for several products: a total (or each, which order_lines reads)
    return [(i, (q.value, "")) for (_, i), q in zip(named, counts)]  # type: ignore[union-attr]


def _word_end(text: str, at: int) -> int:
    while at < len(text) and text[at].isalpha():
        at += 1
    return at


def _pieces(q: Any) -> bool:
    return bool(q and q.value and q.unit in ("pcs", "sets", "units"))


_LABEL = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|item\s*\d+\s*[:.)-]?)\s*", re.I)


def _buyer_words(row: str, value: float) -> str:
    """The buyer's words for an order line: the row without its label and its count, at most 60 characters."""
    cells = [c for c in re.split(r"\t|\|", row) if c.strip()]
    if len(cells) > 1:
        row = max(cells, key=len)
    digits = f"{int(value):,}" if float(value).is_integer() else str(value)
    forms = [digits, digits.replace(",", "."), digits.replace(",", " "), digits.replace(",", "")]
    at = min((row.find(f) for f in forms if f in row), default=-1)
    text = _LABEL.sub("", row[:at] if at > 3 else row[at + len(digits):] if at >= 0 else row)
    text = re.sub(r"^\s*(?:x|×)\s+", "", text)
    pieces = [p for p in re.split(r"\s[-–—]\s|:\s", text) if p.strip()]
    text = max(pieces, key=len).strip(" -–—:,;(") if pieces else ""
    return (text if len(text) <= 60 else text[:60].rsplit(" ", 1)[0]).rstrip(" ,;:-–—")


def _said_each(text: str, total: float, each: list[str] | tuple[str, ...]) -> bool:
    """Whether the buyer writes a word of ``each`` next to the total ("500 pcs each one", "je 500 Stück",
    "各500个"): within 20 characters before or after it."""
    digits = f"{int(total):,}" if float(total).is_integer() else str(total)
    lowered = (text or "").lower()
    patterns = [re.compile(rf"(?<![^\W\d_]){re.escape(w)}(?![^\W\d_])" if w[:1].isascii() else re.escape(w))
                for w in each]
    for form in dict.fromkeys([digits, digits.replace(",", "."), digits.replace(",", " "), digits.replace(",", "")]):
        at = lowered.find(form)
        while at >= 0:
            before = re.split(r"\d", lowered[max(0, at - 20): at])[-1]  # no other number in between
            after = re.split(r"\d", lowered[at + len(form): at + len(form) + 20])[0]
            near = f"{before} {after}"
            if any(p.search(near) for p in patterns):
                return True
            at = lowered.find(form, at + 1)
    return False


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
    stated = total_qty if unit in ("pcs", "units", "sets") else None
    by_sku = {p["sku"]: p for p in products}
    ordered = ([(p["sku"], None, p.get("asked", "")) for p in products] if moq_only else
               order_lines(products, text, stated, each_words() if stated and len(products) > 1 else ()))
    per_sku: dict[str, float] = {}  # one SKU on several lines (single and twin): its break and MOQ on their sum
    for sku, q, _ in ordered:
        per_sku[sku] = per_sku.get(sku, 0) + (q or 0)
    last = {sku: i for i, (sku, _, _) in enumerate(ordered)}
    lines = [_line({**by_sku[sku], "asked": asked}, q, profile, earlier.get(sku), moq_only,
                   sku_qty=per_sku[sku] or None, gap_here=last[sku] == i)
             for i, (sku, q, asked) in enumerate(ordered)]
    to_fill: list[str] = []
    boxes = int(total_qty) if unit == "containers" and total_qty and total_qty.is_integer() else None
    container = _container_pieces(lines, by_sku, boxes, text, profile, to_fill) if boxes and not moq_only else None
    before_freight = len(to_fill)
    freight = _freight(term, place, country, lines, profile, to_fill, boxes)
    if freight is not None and not freight["known"] and lines and _all_offered_on(lines, term):
        del to_fill[before_freight:]  # the thread's prices on this term include the freight already
    asked_term = term
    if (freight is not None and not freight["known"] and not moq_only and any(ln["fob"] is not None for ln in lines)
            and not _all_offered_on(lines, term)):
        term, freight = "FOB", None  # no freight we know: the FOB figures stand, the buyer's term is marked to fill
    for line in lines:
        _on_term(line, term, freight)
    priced = [ln for ln in lines if ln["qty"] and ln["price"] is not None]
    total = round(sum(ln["qty"] * ln["price"] for ln in priced), 2) if priced and len(priced) == len(lines) else None
    counted = [ln for ln in lines if ln["qty"]]
    units = {ln["unit"] for ln in counted}
    total_qty_lines = sum(ln["qty"] for ln in counted) if len(counted) == len(lines) and len(units) == 1 else None
    asked_total = None
    if any(ln["qty"] is None for ln in lines) and not moq_only and len(lines) > 1 and total_qty:
        asked_total = {"value": int(total_qty) if total_qty.is_integer() else total_qty, "unit": unit}  # the draft asks the split
    rest = _rest(text, stated, total_qty_lines, units) if not moq_only else None
    port = profile.terms.get("port") or ""
    return {
        "term": term,
        "term_asked": bool(request.get("incoterm")),
        "asked_term": asked_term,  # the buyer's term when it is not the offer's (no freight known to price it)
        "place": place if term not in FOB_LIKE else (port if term == "FOB" else profile.company.get("city", "")),
        "port": port,
        "lines": lines,
        "total": total,
        "total_qty": total_qty_lines,  # the pieces of every line together, when every line has them in one unit
        "asked_total": asked_total,  # the buyer's one total for several products, when it is not split per line
        "rest": rest,  # the part of the buyer's total that no offer line covers: {qty, total, unit, asked}
        "freight": freight,
        "to_fill": to_fill,
        "timing": timing(request, profile, freight or _transit(asked_term, place, country, profile), today),
        "moq_only": moq_only,
        "container": container,  # the buyer's containers in pieces: {count, share, pieces, per_line, known}
        "volume": None if moq_only else _volume(request.get("volume"), lines, by_sku),
    }


def _volume(volume: dict[str, Any] | None, lines: list[dict[str, Any]], by_sku: dict[str, Any]) -> dict[str, Any] | None:
    """The buyer's stated need over a period ("3,000 pcs a month"), beside the first order priced above: the
    yearly quantity, and per line the better break a yearly contract for it reaches (each line's share of it)."""
    if not volume or not volume.get("value"):
        return None
    value = float(volume["value"])
    yearly = value * 12 if volume.get("period") == "month" else value
    share = yearly / max(len(lines), 1)
    better = []
    for ln in lines:
        chosen = break_for(by_sku[ln["sku"]]["breaks"], share)
        if chosen and ln["fob"] is not None and chosen["price"] < ln["fob"] - 0.005 and ln["price"] is not None:
            better.append({"sku": ln["sku"], "fob": chosen["price"], "break_qty": chosen["qty"], "unit": ln["unit"]})
    return {"value": _whole(value), "unit": volume.get("unit") or "pcs", "period": volume.get("period") or "year",
            "yearly": _whole(yearly), "better": better}


def _container_pieces(lines: list[dict[str, Any]], by_sku: dict[str, Any], boxes: int, text: str, profile: Any,
                      to_fill: list[str]) -> dict[str, Any]:
    """A container order ("one 40HQ", "1x20GP") in pieces, priced at the break those pieces reach: each
    line without its own quantity takes an equal part of the load, from the product's packing
    (pcs_per_40hq) or else the profile's mixed load (terms.container_pcs), scaled to the container size.
    With neither, the lines stay at MOQ and the pieces per 40'HQ are marked to fill."""
    from triage.request import container_share

    share = container_share(text)
    open_lines = [ln for ln in lines if not ln["qty"] and ln["earlier"] is None]
    mixed = int(profile.terms.get("container_pcs") or 0)
    for ln in open_lines:
        product = by_sku[ln["sku"]]
        per_40hq = int(product.get("pcs_per_40hq") or 0) or mixed
        if not per_40hq:
            continue
        pieces = int(round(boxes * share * per_40hq / len(open_lines), -1))
        _at_break(ln, product["breaks"], pieces)
        ln["estimated"] = True
    known = all(ln.get("estimated") for ln in open_lines)
    if not known:
        to_fill.append("pieces per 40'HQ of " + ", ".join(ln["sku"] for ln in open_lines if not ln.get("estimated")))
    pieces = sum(ln["qty"] or 0 for ln in open_lines)
    return {"count": boxes, "share": share, "pieces": pieces, "known": known, "mixed": len(open_lines) > 1}


def _at_break(line: dict[str, Any], breaks: list[dict[str, Any]], pieces: int) -> None:
    """An offer line re-priced at ``pieces`` (its break, no MOQ gap when the pieces reach the MOQ)."""
    chosen = break_for(breaks, pieces)
    line["qty"] = line["moq_qty"] = pieces
    line["break_qty"] = chosen["qty"] if chosen else None
    line["fob"] = line["price"] = chosen["price"] if chosen else line["fob"]
    line["moq_gap"] = int(line["moq"] - pieces) if line["moq"] and pieces < line["moq"] else 0


def _rest(text: str, stated: float | None, lines_qty: float | None, units: set[str]) -> dict[str, Any] | None:
    """The pieces of the buyer's stated total that no offer line covers (a variant we may not make,
    an item not in the catalogue), with the buyer's words for them when one line of the text holds
    that count: the draft names the whole and marks the rest to fill, never silently drops it."""
    if not stated or not lines_qty or stated <= lines_qty or units - {"pcs", "units", "sets"}:
        return None
    from triage.request import quantity

    rest = stated - lines_qty
    rows = [row for row, reading in _text_rows(text) if _pieces(q := quantity(reading)) and q.value == rest]
    return {"qty": _whole(rest), "total": _whole(stated), "unit": "pcs",
            "asked": _buyer_words(rows[0], rest) if len(rows) == 1 else ""}


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def each_words() -> list[str]:
    """Words that make one quantity apply to every product named ("500 pcs each"): playbooks/draft/quantity.toml."""
    from triage.answers import words

    return words("quantity.toml", "each")


def _line(product: dict[str, Any], qty: float | None, profile: Any, earlier: dict[str, Any] | None,
          moq_only: bool, sku_qty: float | None = None, gap_here: bool = True) -> dict[str, Any]:
    """One offer line; ``sku_qty`` is the SKU's quantity over all its lines (the break and the MOQ gap are
    on it), and the gap is stated on the SKU's last line only (``gap_here``)."""
    breaks = product["breaks"]
    on = sku_qty if qty and sku_qty else qty
    chosen = break_for(breaks, None if moq_only else on)
    fob = chosen["price"] if chosen else None
    line = {
        "sku": product["sku"], "name": product["name"], "asked": product.get("asked", ""),
        "unit": product.get("unit") or "pcs", "moq": product["moq"],
        "qty": int(qty) if qty and float(qty).is_integer() else qty,
        "break_qty": chosen["qty"] if chosen else None,
        "fob": fob, "price": fob,
        "moq_qty": int(on) if on and float(on).is_integer() else on,
        "moq_gap": int(product["moq"] - on) if on and gap_here and product["moq"] and on < product["moq"] else 0,
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


def _transit(term: str, place: str, country: str, profile: Any) -> dict[str, Any] | None:
    """The sea transit to the buyer (the profile's freight rule), for the date even when no freight is
    priced: a buyer who wants the goods in Savannah by 15 March needs them shipped a month before."""
    if term in FOB_LIKE and not place:
        return None
    rule = _rule(profile.freight, place, country)
    return {"transit_days": int(rule.get("transit_days") or 0)} if rule else None


def _all_offered_on(lines: list[dict[str, Any]], term: str) -> bool:
    """Every line has a price our thread already offered on this term ("USD 1.38 CIF Mombasa"): it stands."""
    return all(ln["earlier"] and ln["earlier"].get("term") == term for ln in lines)


def _freight(term: str, place: str, country: str, lines: list[dict[str, Any]], profile: Any,
             to_fill: list[str], boxes: int | None = None) -> dict[str, Any] | None:
    """Freight and insurance per piece for the shipment, from the profile's rules (None on FOB-like terms).
    ``boxes``: the containers the buyer asks for ('1x40HQ mixed'): full ones, the freight spread over them."""
    if term not in FREIGHT_TERMS:
        return None
    where = place or country or ""
    rule = _rule(profile.freight, place, country)
    qty = sum(ln["qty"] or ln["moq"] or 0 for ln in lines)
    value = sum((ln["qty"] or ln["moq"] or 0) * (ln["fob"] or 0) for ln in lines)
    if rule is None or not qty or not boxes:
        # a rate per 40'HQ prices a container the buyer orders; for pieces, how many containers (or what
        # share of one) they fill is the cartons' volume, which no profile holds: the salesperson books it
        to_fill.append(f"{term} {where}".strip() + ": freight" + (f" to {where}" if where else "")
                       + (", duties and taxes" if term == "DDP" else "")
                       + (" and delivery to the door" if term in DELIVERED else ""))
        return {"known": False, "where": where, "per_piece": None}
    per_box = max(int(profile.terms.get("container_pcs") or 10000), 1)
    if boxes:
        qty, value = boxes * per_box, value * boxes * per_box / qty  # the container full, at the lines' mix
    containers = max(1, math.ceil(qty / per_box))
    lcl = qty * 2 < per_box  # under half a container ships as part of one (LCL): its share, not a whole 40'HQ
    sea = float(rule["usd_per_40hq"]) * (qty / per_box if lcl else containers)
    if lcl:
        to_fill.append(f"LCL rate to {where} (the figure is a 40'HQ's share for {qty:,} pcs)")
    insurance = (value + sea) * 1.1 * float(profile.freight.get("insurance_rate") or 0) if term in INSURED else 0.0
    if term in DELIVERED:
        to_fill.append(f"{'duties, taxes and ' if term == 'DDP' else ''}delivery from the port to {where or 'the door'}")
    return {"known": True, "where": where, "containers": containers, "lcl": lcl, "sea": round(sea, 2),
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
    if earlier and earlier.get("term") == term:  # our offer on this term stands, freight known or not
        if line["price"] is not None and abs(earlier["price"] - line["price"]) > 0.005:
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


PRICE = re.compile(r"(?:USD|US\$|\$)\s?(\d{1,5}(?:\.\d{1,4}|,\d{2})?)(?!\d|[,.]\d)"
                   r"|(?<![\d,.])(\d{1,5}(?:\.\d{2,4}|,\d{2}))\s?(?:USD|US\$)", re.I)
"""A unit price: "USD 0.49", "0.49 USD", with a decimal comma as German, French or Spanish write it
("USD 1,05", "1,05 USD": two digits after the comma); never a part of a larger figure ("USD 9,800.00",
a line total; "USD 1,050" is a thousand and fifty). Read its value with ``price_value``."""


def price_value(match: re.Match) -> float:
    return float((match.group(1) or match.group(2)).replace(",", "."))
