"""The seller's catalogue for `triage init`: imported from CSV or XLSX, or asked product by product.

Both files have one product a row under a header row naming the columns
``sku, name, aliases, moq, price_min, price_max, breaks, certifications`` (aliases and
certifications separated by ``;`` or ``|``; breaks as ``1000:0.25; 5000:0.21``, from quantity
to FOB unit price); only sku and name are required.
XLSX needs openpyxl (``pip install triage[xlsx]``). ``preview`` is what the user
sees before confirming an import; ``is_demo`` tells a catalogue that is still the
demo company's, so no summary keeps it silently.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from triage.errors import ProfileError
from triage.profile import product_from_row, products_from_csv


def read_catalogue(path: Path) -> list[dict[str, Any]]:
    """The products of a .csv or .xlsx catalogue, as profile [[products]] tables."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return products_from_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _from_xlsx(path)
    raise ProfileError(f"{path}: a catalogue is a .csv or .xlsx file")


def _from_xlsx(path: Path) -> list[dict[str, Any]]:
    try:
        from openpyxl import load_workbook
    except ImportError:
        raise ProfileError("reading .xlsx needs openpyxl: pip install 'triage[xlsx]' (or save the sheet as CSV)") from None
    try:
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in row] for row in sheet.iter_rows(values_only=True)]
    except (OSError, KeyError, ValueError) as exc:
        raise ProfileError(f"{path}: not a readable XLSX workbook ({exc})") from None
    rows = [r for r in rows if any(r)]
    header = [h.lower() for h in rows[0]] if rows else []
    if not {"sku", "name"} <= set(header):
        raise ProfileError(f"{path}: a catalogue sheet needs at least the columns sku and name in its first row")
    return [product_from_row(dict(zip(header, row)), path, n) for n, row in enumerate(rows[1:], start=2)]


def preview(products: list[dict[str, Any]]) -> str:
    """One line per product: what the import will write."""
    lines = [f"{len(products)} product(s) to import:"]
    for p in products:
        price = "-".join(f"{v:.2f}" for v in dict.fromkeys(p.get("price", []))) or "no price"
        if p.get("breaks"):
            price = ", ".join(f"{q:,}+ {v:.2f}" for q, v in p["breaks"])
        certs = ", ".join(p.get("certifications", [])) or "no certificates"
        lines.append(f"  {p['sku']:<10} {p['name'][:40]:<40} MOQ {p.get('moq', 0):>6}  USD {price}  {certs}")
    return "\n".join(lines)


def ask_products(ask: Callable[..., Any], echo: Callable[[str], None] = print) -> list[dict[str, Any]]:
    """Product by product until an empty SKU: name, other names, price breaks (from quantity -> FOB unit
    price, as many as you give; none: a min-max range), MOQ (the first break's quantity by default) and
    certificates. An answer that does not read is asked again."""
    products: list[dict[str, Any]] = []
    while True:
        sku = str(ask("Product SKU (empty when done)", default="")).strip()
        if not sku:
            return products
        row: dict[str, Any] = {"sku": sku, "name": ask("  Name"),
                               "aliases": ask("  Other names buyers use (; separated)", default="")}
        breaks = _ask_breaks(ask, echo)
        if breaks:
            row["breaks"] = ", ".join(f"{q}:{p}" for q, p in breaks)
        else:
            low, _, high = str(ask("  FOB price in USD, min-max (e.g. 0.18-0.25; empty: none)", default="")).partition("-")
            row.update(price_min=low.strip(), price_max=high.strip())
        row["moq"] = _ask_number(ask, "  MOQ (pieces)", str(breaks[0][0]) if breaks else "0", echo, whole=True)
        row["certifications"] = ask("  Certificates of this product (; separated)", default="")
        try:
            products.append(product_from_row(row, Path("<answers>"), len(products) + 1))
        except ProfileError as exc:
            raise ProfileError(f"{sku}: {exc}".replace("<answers>, line", "product")) from None


def _ask_breaks(ask: Callable[..., Any], echo: Callable[[str], None]) -> list[tuple[int, float]]:
    """Price breaks one by one: from how many pieces, then the FOB unit price there; an empty quantity ends."""
    breaks: list[tuple[int, float]] = []
    while True:
        qty = _ask_number(ask, f"  Price break {len(breaks) + 1}: from how many pieces (empty when done)", "", echo,
                          whole=True, empty=True)
        if not qty:
            return breaks
        if any(q == int(qty) for q, _ in breaks):
            echo(f"  there is a break at {qty} pieces already")
            continue
        price = _ask_number(ask, f"  FOB unit price in USD from {qty} pieces", "", echo)
        breaks.append((int(qty), float(price)))


def _ask_number(ask: Callable[..., Any], question: str, default: str, echo: Callable[[str], None], *,
                whole: bool = False, empty: bool = False) -> str:
    """The answer as written, once it reads as a number (a whole one above 0 when ``whole``); "" passes when ``empty``."""
    while True:
        answer = str(ask(question, default=default)).strip().replace(",", "").removeprefix("$")
        if empty and not answer:
            return ""
        try:
            number = float(answer)
        except ValueError:
            number = -1.0
        if number >= 0 and (not whole or (number.is_integer() and number > 0) or (number == 0 and not empty)):
            return str(int(number)) if whole else answer
        echo(f"  {answer!r} is not {'a whole number of pieces' if whole else 'a price in USD'}; try again")


def is_demo(products: list[Any]) -> bool:
    """The catalogue is the demo company's (same SKUs)."""
    from triage.profile import load_profile, demo_profile_path

    demo = {p.sku for p in load_profile(demo_profile_path()).products}
    skus = {getattr(p, "sku", None) or p.get("sku") for p in products}
    return bool(skus) and skus <= demo
