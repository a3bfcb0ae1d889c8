"""`triage init`: write the seller profile by asking step by step, with the demo's facts as defaults."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from triage.errors import ProfileError
from triage.paths import profile_path
from triage.profile import demo_profile_path, dump_toml, parse_profile, products_from_csv

QUESTIONS = [
    ("company", "name", "Company name"),
    ("company", "short_name", "Short name used in mails"),
    ("company", "city", "City"),
    ("company", "country", "Country (ISO code)"),
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
                  ask: Callable[..., Any] | None = None, path: Path | None = None) -> Path:
    """Ask each question (``ask`` is click.prompt, or None to take the defaults) and write the profile."""
    path = path or profile_path()
    if path.exists() and not force:
        raise ProfileError(f"{path} exists; use --force to overwrite it")
    data = tomllib.loads(demo_profile_path().read_text(encoding="utf-8"))
    data["company"].setdefault("lang", "en")
    for table, key, question in QUESTIONS:
        default = data.get(table, {}).get(key, "")
        data.setdefault(table, {})[key] = ask(question, default=default) if ask else default
    held = data["certifications"]["held"]
    if ask:
        answer = ask("Certifications held (comma separated)", default=", ".join(held))
        data["certifications"]["held"] = [c.strip() for c in answer.split(",") if c.strip()]
    if catalogue:
        data["products"] = products_from_csv(catalogue)
        data["catalogue"] = {"not_made": []}  # the demo's list describes the demo's range, not yours
    if ask:
        not_made = ask("Products buyers ask for that you do NOT make (comma separated)",
                       default=", ".join(data.get("catalogue", {}).get("not_made", [])))
        data["catalogue"] = {"not_made": [w.strip() for w in not_made.split(",") if w.strip()]}
    own = str(data["company"].get("email", "")).rpartition("@")[2]
    data["company"]["domains"] = sorted({own, str(data["company"].get("website", "")).removeprefix("www.")} - {""})
    text = dump_toml(data)
    parse_profile(tomllib.loads(text), path)  # what we write must load
    path.write_text(text, encoding="utf-8")
    return path
