"""Exports: stored inquiries as CSV or JSON, due follow-ups as an iCalendar file."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import IO

CSV_COLUMNS = ["id", "received", "tier", "category", "status", "sender_email", "contact_name", "company_name",
               "country", "products", "subject", "persona", "money", "authority", "need", "authenticity", "verdict"]


def export_records(store, filters, fmt: str, stream: IO[str]) -> int:
    """Write the matching inquiries to ``stream``; returns how many."""
    if fmt == "json":
        records = list(store.records(filters))
        json.dump(records, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return len(records)
    rows = [{k: _cell(v) for k, v in row.items()} for row in store.query(filters)]
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)


def export_ics(store, path: Path) -> int:
    """Write the pending follow-ups as calendar events; returns how many."""
    from triage import store_followups
    from triage.queue import followups_to_ics

    rows = store_followups.upcoming(store)
    path.write_text(followups_to_ics(rows), encoding="utf-8", newline="")
    return len(rows)


def _cell(value):
    """A CSV cell a spreadsheet shows as text: control characters removed, formulas disarmed."""
    from triage.report import safe

    if not isinstance(value, str):
        return value
    value = safe(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
