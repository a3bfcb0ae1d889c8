"""The seller's catalogue for `triage init`: imported from CSV or XLSX, or asked product by product.

Both files have one product a row under a header row naming the columns
``sku, name, aliases, moq, price_min, price_max, certifications`` (aliases and
certifications separated by ``;`` or ``|``); only sku and name are required.
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
        certs = ", ".join(p.get("certifications", [])) or "no certificates"
        lines.append(f"  {p['sku']:<10} {p['name'][:40]:<40} MOQ {p.get('moq', 0):>6}  USD {price}  {certs}")
    return "\n".join(lines)


def ask_products(ask: Callable[..., Any]) -> list[dict[str, Any]]:
    """Product by product until an empty SKU: name, other names, MOQ, FOB price range, certificates."""
    products: list[dict[str, Any]] = []
    while True:
        sku = str(ask("Product SKU (empty when done)", default="")).strip()
        if not sku:
            return products
        row = {"sku": sku, "name": ask("  Name"), "aliases": ask("  Other names buyers use (; separated)", default=""),
               "moq": ask("  MOQ (pieces)", default="0"), "certifications": ask("  Certificates (; separated)", default="")}
        low, _, high = str(ask("  FOB price in USD, min-max (e.g. 0.18-0.25)", default="")).partition("-")
        row.update(price_min=low.strip(), price_max=high.strip())
        try:
            products.append(product_from_row(row, Path("<answers>"), len(products) + 1))
        except ProfileError as exc:
            raise ProfileError(f"{sku}: {exc}".replace("<answers>, line", "product")) from None


def is_demo(products: list[Any]) -> bool:
    """The catalogue is the demo company's (same SKUs)."""
    from triage.profile import load_profile, demo_profile_path

    demo = {p.sku for p in load_profile(demo_profile_path()).products}
    skus = {getattr(p, "sku", None) or p.get("sku") for p in products}
    return bool(skus) and skus <= demo
