"""`triage init`: write the seller profile by asking step by step, with the demo's facts as defaults."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from triage.errors import ProfileError
from triage.paths import profile_path
from triage.profile import demo_profile_path, dump_toml, load_profile, parse_profile

# Demo facts no question covers; a drafted reply would state them as the user's own.
DEMO_ONLY = {"company": ["region"], "terms": ["incoterm_note", "lc", "lc_min_usd", "samples_es", "container_pcs"]}

QUESTIONS = [
    ("company", "name", "Company name"),
    ("company", "short_name", "Short name used in mails"),
    ("company", "kind", "What you are (manufacturer, trading company, ...)"),
    ("company", "trade", "What you make, in a few words"),
    ("company", "city", "City"),
    ("company", "country", "Country (ISO code)"),
    ("company", "founded", "Year founded"),
    ("company", "staff", "Staff"),
    ("company", "factories", "Factories"),
    ("company", "website", "Website"),
    ("company", "email", "Sales e-mail"),
    ("company", "salesperson", "Your name (signs the drafts)"),
    ("company", "lang", "Report language (en or zh)"),
    ("terms", "port", "Port of loading"),
    ("terms", "payment", "Usual payment terms"),
    ("terms", "lead_time", "Lead time"),
    ("terms", "samples", "Sample policy"),
]


def write_profile(*, catalogue: Path | None = None, force: bool = False,
                  ask: Callable[..., Any] | None = None, path: Path | None = None,
                  confirm: Callable[[str], bool] | None = None, echo: Callable[[str], None] = print) -> Path:
    """Ask each question (``ask`` is click.prompt, or None to take the defaults) and write the profile.

    A ``catalogue`` (.csv or .xlsx) is previewed and, when ``confirm`` is given, imported only once
    confirmed; asked with no file, the products are asked one by one (none given: the demo's stay,
    and ``summary`` says so)."""
    path = path or profile_path()
    if path.exists() and not force:
        raise ProfileError(f"{path} exists; use --force to overwrite it")
    data = tomllib.loads(demo_profile_path().read_text(encoding="utf-8"))
    data.pop("freight", None)  # the demo's freight rates are not yours: drafts mark freight "to fill" until you add [freight]
    if ask:  # the demo's facts that are not asked would be stated as yours: drop them
        for table, keys in DEMO_ONLY.items():
            for key in keys:
                data[table].pop(key, None)
    data["company"].setdefault("lang", "en")
    for table, key, question in QUESTIONS:
        default = data.get(table, {}).get(key, "")
        data.setdefault(table, {})[key] = ask(question, default=default) if ask else default
    if ask:
        terms = data["terms"]
        terms["lead_time_days"] = _ask_days(ask, "Lead time in days (e.g. 25-35)", terms.get("lead_time_days"))
        terms["sample_days"] = _ask_days(ask, "Days to send samples (e.g. 3-5)", terms.get("sample_days"))
        pcs = ask("Pieces of your usual mix in a 40' container (0 if unsure)", default="0")
        terms["container_pcs"] = int(pcs) if str(pcs).strip().isdigit() else 0
        data["company"]["markets"] = _ask_list(ask, "Markets you sell to (comma separated)", data["company"].get("markets", []))
        certs = data["certifications"]
        certs["held"] = _ask_list(ask, "Certifications held (comma separated)", certs["held"])
        certs["not_held"] = _ask_list(ask, "Certifications buyers ask for that you do NOT hold", certs.get("not_held", []))
    products = _catalogue(catalogue, ask, confirm, echo)
    if products:
        data["products"] = products
        data["catalogue"] = {"not_made": [], "maker_places": []}  # the demo's lists describe the demo's trade
    if ask:
        catalogue = data.setdefault("catalogue", {})
        catalogue["not_made"] = _ask_list(ask, "Products buyers ask for that you do NOT make (comma separated)",
                                          catalogue.get("not_made", []))
        catalogue["maker_places"] = _ask_list(ask, "Towns where makers of your products cluster (comma separated)",
                                              catalogue.get("maker_places", []))
    data["company"]["domains"] = _own_domains(data["company"])
    text = dump_toml(data)
    parse_profile(tomllib.loads(text), path)  # what we write must load
    if path.exists():  # --force: the old profile is kept beside the new one
        backup = path.with_name(f"{path.name}.bak")
        backup.write_bytes(path.read_bytes())
    path.write_text(text, encoding="utf-8")
    return path


def _catalogue(catalogue: Path | None, ask: Callable[..., Any] | None, confirm: Callable[[str], bool] | None,
               echo: Callable[[str], None]) -> list[dict[str, Any]]:
    from triage.catalogue import ask_products, preview, read_catalogue

    if catalogue:
        products = read_catalogue(catalogue)
        echo(preview(products))
        if confirm is not None and not confirm(f"Import these {len(products)} product(s)?"):
            raise ProfileError("import cancelled: nothing was written")
        return products
    if ask is None:
        return []
    echo("Your products (SKU, name, price breaks, MOQ, certificates); an empty SKU ends the list.")
    return ask_products(ask, echo)


def summary(path: Path) -> list[str]:
    """What the written profile holds, and a clear line when its catalogue is still the demo's."""
    from triage.catalogue import is_demo

    profile = load_profile(path)
    lines = [f"profile written to {path}",
             f"{profile.company.get('name')}: {len(profile.products)} product(s), certificates held: "
             f"{', '.join(profile.certifications) or 'none'}, port {profile.terms.get('port') or '-'}"]
    if is_demo(profile.products):
        lines.append("WARNING: the catalogue is still the DEMO company's (Brightline's products, prices and "
                     "certificates); drafts will quote them as yours. Run `triage init --force --catalogue FILE` "
                     "(CSV or XLSX) or answer the product questions.")
    return lines


def _ask_list(ask: Callable[..., Any], question: str, default: list[str]) -> list[str]:
    answer = ask(question, default=", ".join(str(d) for d in default))
    return [item.strip() for item in str(answer).split(",") if item.strip()]


def _own_domains(company: dict[str, Any]) -> list[str]:
    """The registrable domains of the sales e-mail and the website: mail from them is a colleague's."""
    from urllib.parse import urlparse

    from triage.extract import registrable_domain

    website = str(company.get("website", ""))
    host = urlparse(website if "://" in website else "http://" + website).hostname or ""
    mail = str(company.get("email", "")).rpartition("@")[2]
    return sorted({registrable_domain(h) for h in (host, mail) if h})


def _ask_days(ask: Callable[..., Any], question: str, default: Any) -> list[int]:
    """'25-35' or '30' -> [25, 35] / [30, 30]; asked again until it reads."""
    shown = "-".join(str(d) for d in default) if isinstance(default, list) else str(default or "")
    while True:
        answer = str(ask(question, default=shown))
        numbers = [int(n) for n in answer.replace(" ", "").split("-") if n.isdigit()]
        if 1 <= len(numbers) <= 2:
            return [numbers[0], numbers[-1]]
