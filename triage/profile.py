"""The seller profile: who we are, what we make, on what terms.

It is a TOML file at ``$TRIAGE_HOME/profile.toml`` (written by ``triage init``);
until the user has one, the shipped demo profile (playbooks/profile.demo.toml)
stands in and ``Profile.demo`` is true.
"""

from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.errors import ProfileError
from triage.paths import profile_path, shipped


@dataclass(slots=True)
class Product:
    sku: str
    name: str
    aliases: list[str] = field(default_factory=list)
    moq: int = 0
    price_min: float | None = None
    price_max: float | None = None
    unit: str = "pcs"
    certifications: list[str] = field(default_factory=list)
    excludes: list[str] = field(default_factory=list)  # words right after a name that make it another product
    breaks: list[tuple[int, float]] = field(default_factory=list)  # [(from quantity, FOB unit price)], the seller's own
    pcs_per_40hq: int = 0  # the packing: pieces of this product alone that fill a 40'HQ (0: not known)

    @property
    def price(self) -> float | None:
        """A middle price, to value an order."""
        if self.price_min is None:
            return None
        return (self.price_min + (self.price_max or self.price_min)) / 2


@dataclass(slots=True)
class Profile:
    company: dict[str, Any]
    terms: dict[str, Any]
    certifications: list[str]
    not_held: list[str]
    products: list[Product]
    path: Path
    demo: bool = False
    not_made: list[str] = field(default_factory=list)  # what buyers ask for that we do not make
    maker_places: list[str] = field(default_factory=list)  # where makers of our trade cluster
    freight: dict[str, Any] = field(default_factory=dict)  # [freight]: insurance_rate, rules [{to, usd_per_40hq, transit_days}]
    salespeople: list[dict[str, Any]] = field(default_factory=list)  # [[salespeople]]: name, title, email, signature

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.products if p.sku == sku), None)

    @property
    def name(self) -> str:
        return self.company.get("short_name") or self.company.get("name", "")

    @property
    def chat_names(self) -> frozenset[str]:
        """Distinctive words of our company's and salespeople's names: our side of a pasted chat."""
        names = " ".join(str(self.company.get(k, "")) for k in ("name", "short_name"))
        generic = {"ltd", "limited", "company", "corp", "group", "trading", "industrial", "international",
                   "electrical", "electric", "electronics", "import", "export", "manufacturing", "factory"}
        words = {w.lower() for w in re.findall(r"[^\W\d_]{4,}", names)} - generic
        person = str(self.company.get("salesperson", "")).strip().lower()
        return frozenset(words | ({person} if " " in person else set()))  # a person by full name only

    @property
    def own_domains(self) -> list[str]:
        return [d.lower() for d in self.company.get("domains", [])]


def demo_profile_path() -> Path:
    return shipped("playbooks") / "profile.demo.toml"


def load_profile(path: Path | None = None) -> Profile:
    """The user's profile if there is one, else the shipped demo."""
    if path is None:
        user = profile_path()
        path, demo = (user, False) if user.exists() else (demo_profile_path(), True)
    else:
        demo = path == demo_profile_path()
    return parse_profile(_read_toml(path), path, demo=demo)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{path}: no such profile") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from None


def parse_profile(data: dict[str, Any], path: Path, *, demo: bool = False) -> Profile:
    company = _table(data, "company", path)
    if not company.get("name"):
        raise ProfileError(f"{path}: [company] needs a name")
    certs = _table(data, "certifications", path)
    products = [_product(p, path, i) for i, p in enumerate(data.get("products", []))]
    return Profile(
        company=company,
        terms=_terms(_table(data, "terms", path), path),
        certifications=list(certs.get("held", [])),
        not_held=list(certs.get("not_held", [])),
        products=products,
        path=path,
        demo=demo,
        not_made=[str(w) for w in _table(data, "catalogue", path).get("not_made", [])],
        maker_places=[str(w).lower() for w in _table(data, "catalogue", path).get("maker_places", [])],
        freight=_freight(_table(data, "freight", path), path),
        salespeople=_salespeople(data.get("salespeople", []), company, path),
    )


def _freight(freight: dict[str, Any], path: Path) -> dict[str, Any]:
    for n, rule in enumerate(freight.get("rules", [])):
        if not isinstance(rule, dict) or not isinstance(rule.get("to"), list):
            raise ProfileError(f"{path}: freight.rules[{n}] needs `to` = [ports or country codes]")
        if not isinstance(rule.get("usd_per_40hq"), (int, float)) or isinstance(rule.get("usd_per_40hq"), bool):
            raise ProfileError(f"{path}: freight.rules[{n}].usd_per_40hq must be a number")
    rate = freight.get("insurance_rate", 0)
    if not isinstance(rate, (int, float)) or not 0 <= rate < 0.1:
        raise ProfileError(f"{path}: freight.insurance_rate must be a fraction such as 0.003")
    return freight


def _salespeople(raw: Any, company: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """[[salespeople]] (name, title, email, signature); a profile with none has [company] salesperson."""
    if not isinstance(raw, list) or not all(isinstance(p, dict) and p.get("name") for p in raw):
        raise ProfileError(f"{path}: every [[salespeople]] entry needs a name")
    people = [{k: str(v) for k, v in p.items()} for p in raw]
    if not people and company.get("salesperson"):
        people = [{"name": str(company["salesperson"])}]
    return people


def salesperson(profile: Profile, name: str | None = None) -> dict[str, str]:
    """The salesperson who signs: ``name`` (case-insensitive, first name enough), else the profile's
    default (``[company] salesperson``), else the first one listed."""
    people = profile.salespeople
    if name:
        wanted = name.strip().lower()
        found = [p for p in people if p["name"].lower() == wanted or p["name"].lower().split()[0] == wanted]
        if not found:
            names = ", ".join(p["name"] for p in people) or "none"
            raise ProfileError(f"no salesperson {name!r} in the profile (have: {names})")
        return found[0]
    default = str(profile.company.get("salesperson") or "").lower()
    return next((p for p in people if p["name"].lower() == default), people[0] if people else {"name": profile.name})


_RANGES = ("lead_time_days", "sample_days")  # [min, max] days; one number means both


def _terms(terms: dict[str, Any], path: Path) -> dict[str, Any]:
    """[terms] with day ranges as [min, max] lists (templates join them) and the text keys present."""
    out = dict(terms)
    for key in _RANGES:
        value = out.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = [int(value), int(value)]
        elif value is not None and not (isinstance(value, list) and value and all(isinstance(v, int) for v in value)):
            raise ProfileError(f"{path}: [terms] {key} must be a number of days or [min, max]")
    for key in ("payment", "lead_time", "samples"):
        out.setdefault(key, "")
    return out


def _table(data: dict[str, Any], key: str, path: Path) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{path}: [{key}] must be a table")
    return value


def _product(raw: Any, path: Path, index: int) -> Product:
    if not isinstance(raw, dict) or not raw.get("sku") or not raw.get("name"):
        raise ProfileError(f"{path}: products[{index}] needs a sku and a name")
    breaks = _breaks(raw, path, index)
    price = raw.get("price") or ([min(p for _, p in breaks), max(p for _, p in breaks)] if breaks else [None, None])
    if not isinstance(price, list) or len(price) not in (1, 2):
        raise ProfileError(f"{path}: products[{index}] ({raw['sku']}): price must be [min, max]")
    try:
        return Product(
            breaks=breaks,
            sku=str(raw["sku"]),
            name=str(raw["name"]),
            aliases=[str(a) for a in raw.get("aliases", [])],
            moq=int(raw.get("moq", 0)) or (breaks[0][0] if breaks else 0),
            price_min=None if price[0] is None else float(price[0]),
            price_max=None if price[-1] is None else float(price[-1]),
            unit=str(raw.get("unit", "pcs")),
            certifications=[str(c) for c in raw.get("certifications", [])],
            excludes=[str(e) for e in raw.get("excludes", [])],
            pcs_per_40hq=int(raw.get("pcs_per_40hq") or 0),
        )
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: products[{index}] ({raw['sku']}): {exc}") from None


def _breaks(raw: dict[str, Any], path: Path, index: int) -> list[tuple[int, float]]:
    """``breaks = [[1000, 0.25], [5000, 0.21]]``: (from quantity, unit price), sorted by quantity."""
    value = raw.get("breaks") or []
    try:
        if not isinstance(value, list) or not all(isinstance(b, list) and len(b) == 2 for b in value):
            raise ValueError("breaks must be [[quantity, unit price], ...]")
        out = sorted((int(q), float(p)) for q, p in value)
        if any(q <= 0 or p < 0 for q, p in out) or len({q for q, _ in out}) != len(out):
            raise ValueError("each break needs its own quantity above 0 and a price of 0 or more")
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"{path}: products[{index}] ({raw.get('sku')}): {exc}") from None
    return out


# -- writing (triage init) ---------------------------------------------------


def products_from_csv(path: Path) -> list[dict[str, Any]]:
    """Catalogue rows from a CSV with columns sku,name,aliases,moq,price_min,price_max,certifications.

    ``aliases`` and ``certifications`` are separated by ``;`` or ``|``.
    """
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ProfileError(f"{path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text; save the sheet as 'CSV UTF-8' and try again") from None
    if not rows or not {"sku", "name"} <= set(rows[0]):
        raise ProfileError(f"{path}: a catalogue CSV needs at least the columns sku and name")
    return [_csv_product(row, path, n) for n, row in enumerate(rows, start=2)]


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").replace("|", ";").split(";") if v.strip()]


def _csv_product(row: dict[str, str], path: Path, line: int) -> dict[str, Any]:
    try:
        product: dict[str, Any] = {"sku": (row.get("sku") or "").strip(), "name": (row.get("name") or "").strip()}
        if not product["sku"] or not product["name"]:
            raise ValueError("every row needs a sku and a name")
        product["aliases"] = _split(row.get("aliases"))
        product["moq"] = int(float(row.get("moq") or 0))
        low, high = row.get("price_min"), row.get("price_max")
        if low:
            product["price"] = [float(low), float(high or low)]
        product["certifications"] = _split(row.get("certifications"))
        if (row.get("breaks") or "").strip():
            product["breaks"] = parse_breaks(row["breaks"])
    except ValueError as exc:
        raise ProfileError(f"{path}, line {line}: {exc}") from None
    return product


def parse_breaks(text: str) -> list[list[float]]:
    """'1000:0.25, 5000:0.21; 20000:0.18' -> [[1000, 0.25], [5000, 0.21], [20000, 0.18]] (a ValueError says what is wrong)."""
    out = []
    for part in (p.strip() for p in str(text).replace(";", ",").replace("|", ",").split(",")):
        if not part:
            continue
        qty, sep, price = part.replace("=", ":").partition(":")
        if not sep:
            raise ValueError(f"price break {part!r}: write quantity:price, e.g. 1000:0.25")
        number = float(qty.strip().replace(" ", "").replace("_", ""))
        if not number.is_integer() or number <= 0:
            raise ValueError(f"price break {part!r}: the quantity must be a whole number of pieces")
        out.append([int(number), float(price.strip().removeprefix("$").removeprefix("USD").strip())])
    if len({q for q, _ in out}) != len(out):
        raise ValueError("two price breaks at the same quantity")
    return sorted(out)


product_from_row = _csv_product  # one catalogue row (CSV, XLSX, init's answers) -> a [[products]] table


def dump_toml(data: dict[str, Any]) -> str:
    """A small TOML writer for the profile's shapes (tables, arrays of tables, scalars, lists)."""
    lines: list[str] = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines += ["", f"[{key}]"] + [f"{k} = {_toml_value(v)}" for k, v in value.items()]
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for item in value:
                lines += ["", f"[[{key}]]"] + [f"{k} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines).lstrip() + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'
