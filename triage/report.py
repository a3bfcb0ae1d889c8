"""The human report: one inquiry at a glance, in the user's language (en or zh).

Works on the JSON contract (a stored record or a fresh one) so that `inquiry`
and `show` print the same thing. Everything from the buyer is passed through
``safe`` so that escape sequences in a subject cannot repaint the terminal.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from typing import Any

import click

from triage.paths import shipped

# C0 controls but tab and newline, DEL, C1 (8-bit CSI), zero-width and bidirectional controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TIER_COLOURS = {"A": "green", "B": "cyan", "C": "yellow", "D": "red"}


def safe(value: Any) -> str:
    """Buyer text fit for a terminal: control and escape characters removed."""
    if value is None:
        return ""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", str(value)))  # a lone surrogate cannot be printed


@cache
def labels(lang: str) -> dict[str, str]:
    data = tomllib.loads((shipped("playbooks") / "labels.toml").read_text(encoding="utf-8"))
    return {**data["en"], **data.get(lang, {})}


def render(record: dict[str, Any], *, lang: str = "en", color: bool | None = None, advice: list[str] | None = None) -> str:
    t = labels(lang)
    lines = [_headline(record, t)]
    lines += _who(record, t)
    lines += _wants(record, t)
    lines += _missing(record, t)
    lines += _background(record, t)
    lines += _judgment(record, t)
    lines += _persona(record, t, advice)
    lines += _warning(record, t)
    lines += _draft(record, t)
    lines += _followups(record, t)
    lines += _notes(record, t)
    text = "\n".join(lines)
    return text if color is not False else click.unstyle(text)


def _headline(r: dict[str, Any], t: dict[str, str]) -> str:
    tier, category = r.get("tier"), r.get("category")
    ident = f"#{r['id']}" if r.get("id") else ""
    if tier:
        badge = click.style(f" {tier} ", fg="black", bg=_TIER_COLOURS.get(tier, "white"), bold=True)
        verdict = safe(r.get("verdict") or category)
        return f"{badge} {click.style(ident, bold=True)} {verdict}"
    subject = safe(r["source"].get("subject") or "")
    return click.style(f"{ident} {subject}".strip() or t["inquiry"], bold=True)


def _row(label: str, value: str) -> str:
    return f"  {click.style(_pad(label, 12), dim=True)} {value}"


def _pad(text: str, width: int) -> str:
    """Pad to a width in terminal columns (Chinese characters take two)."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - columns)


def _who(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    contact, company, sender, source = r["contact"], r["company"], r["sender"], r["source"]
    who = ", ".join(safe(x) for x in (contact["name"], contact["title"]) if x) or t["unknown"]
    where = safe(company["name"] or "")
    if company["country"]:
        where += f" ({company['country']}, {t.get('from_' + (company.get('country_source') or ''), company.get('country_source') or '')})"
    out = [_row(t["who"], who)]
    if where.strip():
        out.append(_row(t["company"], where.strip()))
    if sender["email"]:
        out.append(_row(t["email"], safe(sender["email"])))
    reach = ", ".join(contact["phones"] + ([contact["website"]] if contact["website"] else []))
    if reach:
        out.append(_row(t["reach"], safe(reach)))
    origin = " · ".join(x for x in (source["kind"], source.get("platform"), (source["date"] or "")[:10], source["path"]) if x)
    out.append(_row(t["source"], safe(origin)))
    return out


def _wants(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    req = r["request"]
    products = ", ".join(f"{p['sku']} {p['name']}" if p["sku"] else p["name"] for p in req["products"])
    qty = req["quantity"]
    facts = [
        products or t["no_product"],
        f"{qty['value']:,} {qty['unit']}" if qty else None,
        f"{t['by']} {req['deadline']}" if req["deadline"] else None,
        " ".join(x for x in (req["incoterm"], req["destination"]) if x) or None,
        f"{t['certs']}: {', '.join(req['certifications'])}" if req["certifications"] else None,
        t["samples"] if req["sample_requested"] else None,
        f"{t['payment']}: {req['payment_terms']}" if req["payment_terms"] else None,
    ]
    out = [_row(t["wants"], safe(" · ".join(f for f in facts if f)))]
    for q in req["questions"][:6]:
        out.append(_row("", f"? {safe(q)}"))
    return out


def missing_facts(r: dict[str, Any]) -> list[str]:
    req = r["request"]
    gaps = {
        "product": not req["products"], "quantity": not req["quantity"], "deadline": not req["deadline"],
        "incoterm": not req["incoterm"], "company": not r["company"]["name"], "title": not r["contact"]["title"],
        "country": not r["company"]["country"],
    }
    return [k for k, v in gaps.items() if v]


def _missing(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    gaps = missing_facts(r)
    return [_row(t["missing"], ", ".join(t.get("gap_" + g, g) for g in gaps))] if gaps else []


def _background(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    if not r.get("enrichment"):
        return []
    from triage.enrich import evidence_lines, summary

    return [_row(t["background"], safe(summary(r["enrichment"])))] + \
        [_row("", safe(line)) for line in evidence_lines(r["enrichment"])]


def _judgment(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    scores = r.get("scores")
    if not scores:
        return []
    line = "  ".join(f"{t.get(k, k)} {v}" for k, v in scores.items())
    out = [_row(t["scores"], line)]
    for hit in (r.get("signals") or [])[:12]:
        sign = "+" if hit["weight"] >= 0 else "-"
        out.append(_row("", f"{sign} {hit['name']} ({hit['group']}, {hit['weight']:+g}): {safe(hit['evidence'])[:110]}"))
    return out


def _persona(r: dict[str, Any], t: dict[str, str], advice: list[str] | None) -> list[str]:
    p = r.get("persona")
    if not p:
        return []
    if not p["type"]:
        return [_row(t["persona"], t["persona_unknown"])]
    out = [_row(t["persona"], f"{t.get(p['type'], p['type'])} ({p['confidence']:.2f})")]
    out += [_row("", safe(e)[:120]) for e in p["evidence"][:4]]
    out += [_row(t["handle"] if i == 0 else "", f"- {a}") for i, a in enumerate(advice or [])]
    return out


def _warning(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    if r.get("category") not in ("phishing", "scam"):
        return []
    from triage.draft import warning

    lines = warning(r)
    return [_row(t["warning"] if i == 0 else "", click.style(safe(line), fg="red" if i == 0 else None))
            for i, line in enumerate(lines)]


def _draft(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    d = r.get("draft")
    if not d:
        return []
    body = "\n".join("    " + safe(line) for line in d["body"].splitlines())
    return [_row(t["draft"], click.style(safe(d["subject"]), bold=True)), body]


def _followups(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    steps = r.get("followups") or []
    return [_row(t["followups"] if i == 0 else "", f"{s['step']}. {s['due']}  {safe(s['purpose'])}") for i, s in enumerate(steps)]


def _notes(r: dict[str, Any], t: dict[str, str]) -> list[str]:
    out = []
    if r["attachments"]:
        files = ", ".join(f"{safe(a['name'])} ({safe(a['type'])}, {a['size']:,} B)" for a in r["attachments"][:8])
        out.append(_row(t["attachments"], files))
    for note in r.get("parse_notes") or []:
        out.append(_row(t["note"], safe(note)))
    return out
