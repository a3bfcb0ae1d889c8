"""`triage eval`: measure the pipeline against a directory labelled per LABELS.md.

Runs offline (no network) and without the database, so that the figures depend
only on the code and the data files. Fields are scored on genuine inquiries
(LABELS.md: non-genuine messages' fields are not scored).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from triage.errors import InputError
from triage.lexicon import fold

FIELDS = ["sender_email", "contact_name", "contact_title", "company_name", "country", "products", "quantity",
          "deadline", "incoterm", "certifications"]
CATEGORIES = ["genuine", "phishing", "scam", "competitor", "spam", "not_inquiry"]
TIERS = ["A", "B", "C", "D"]
PERSONAS = ["driver", "analytical", "amiable", "expressive", None]


@dataclass
class Report:
    n: int = 0
    field_hits: Counter = field(default_factory=Counter)
    field_totals: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    category: Counter = field(default_factory=Counter)  # (label, predicted)
    tier: Counter = field(default_factory=Counter)
    persona: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float | None:
        total = self.field_totals[name]
        return self.field_hits[name] / total if total else None

    @property
    def overall(self) -> float:
        total = sum(self.field_totals.values())
        return sum(self.field_hits.values()) / total if total else 0.0

    def figures(self) -> dict[str, Any]:
        cat_n = sum(self.category.values())
        tier_n = sum(self.tier.values())
        labelled = {k: v for k, v in self.persona.items() if k[0] is not None}
        per_n = sum(labelled.values())
        within = sum(v for (a, b), v in self.tier.items() if abs(TIERS.index(a) - TIERS.index(b)) <= 1)
        return {
            "messages": self.n,
            "fields": {name: self.accuracy(name) for name in FIELDS},
            "fields_overall": self.overall,
            "category_accuracy": sum(v for (a, b), v in self.category.items() if a == b) / cat_n if cat_n else None,
            "tier_exact": sum(v for (a, b), v in self.tier.items() if a == b) / tier_n if tier_n else None,
            "tier_within_one": within / tier_n if tier_n else None,
            "persona_accuracy": sum(v for (a, b), v in labelled.items() if a == b) / per_n if per_n else None,
            "persona_coverage": sum(v for (a, b), v in labelled.items() if b is not None) / per_n if per_n else None,
            "persona_null_on_non_genuine": self._null_rate(),
            "non_genuine_as_genuine_or_ab": self.non_genuine_leaks,
            "genuine_as_not_genuine_or_d": self.genuine_losses,
        }

    non_genuine_leaks: int = 0
    genuine_losses: int = 0
    persona_non_genuine: Counter = field(default_factory=Counter)

    def _null_rate(self) -> float | None:
        total = sum(self.persona_non_genuine.values())
        return self.persona_non_genuine[None] / total if total else None


def load_labels(directory: Path) -> list[dict[str, Any]]:
    path = directory / "labels.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no labels.json in {directory}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None


def evaluate(directory: Path, *, profile, progress=None) -> Report:
    from triage.inputs import Item, items
    from triage.pipeline import Options, judge_all, read_inquiry

    report = Report()
    labels = load_labels(directory)
    inquiries, kept = [], []
    for label in labels:
        item: Item = next(items([str(directory / label["file"])]))
        try:
            inquiries.append(read_inquiry(item, profile))
            kept.append(label)
        except Exception as exc:  # noqa: BLE001 - a failure is a finding of the evaluation
            report.errors.append(f"{label['file']}: {exc}")
    judge_all(inquiries, profile, Options(offline=True), store=None, progress=progress)
    for label, inquiry in zip(kept, inquiries):
        _score(report, label, inquiry)
    return report


def _score(report: Report, label: dict[str, Any], inquiry) -> None:
    from triage.contract import to_contract

    report.n += 1
    record = to_contract(inquiry)
    genuine = label["category"] == "genuine"
    predicted_cat, predicted_tier = record["category"], record["tier"]
    if predicted_cat:
        report.category[(label["category"], predicted_cat)] += 1
        report.tier[(label["tier"], predicted_tier)] += 1
        if not genuine and (predicted_cat == "genuine" or predicted_tier in ("A", "B")):
            report.non_genuine_leaks += 1
            report.misses.append(f"{label['file']}: LEAK {label['category']} -> {predicted_cat}/{predicted_tier}")
        if genuine and (predicted_cat != "genuine" or predicted_tier == "D") and label["tier"] != "D":
            report.genuine_losses += 1
    if record["persona"] is not None:
        p = record["persona"]["type"]
        if genuine and label.get("persona") is not None:
            report.persona[(label["persona"], p)] += 1
        elif not genuine:
            report.persona_non_genuine[p] += 1
    if genuine:
        for name in FIELDS:
            if name in label["fields"]:
                _compare(report, label["file"], name, label["fields"][name], _predicted(record, name))


def _predicted(record: dict[str, Any], name: str) -> Any:
    req = record["request"]
    return {
        "sender_email": record["sender"]["email"],
        "contact_name": record["contact"]["name"],
        "contact_title": record["contact"]["title"],
        "company_name": record["company"]["name"],
        "country": record["company"]["country"],
        "products": [p["sku"] for p in req["products"] if p["sku"]],
        "quantity": req["quantity"],
        "deadline": req["deadline"],
        "incoterm": req["incoterm"],
        "certifications": req["certifications"],
    }[name]


def same(name: str, expected: Any, got: Any) -> bool:
    """Whether a predicted field matches its label (names compared loosely, lists as sets)."""
    if name in ("products", "certifications"):
        return {fold(x) for x in expected or []} == {fold(x) for x in got or []}
    if expected is None or got is None:
        return expected is None and got is None
    if name == "quantity":
        return float(expected["value"]) == float(got["value"]) and expected["unit"] == got["unit"]
    if name in ("contact_name", "contact_title", "company_name"):
        from rapidfuzz import fuzz

        return fuzz.token_sort_ratio(fold(expected), fold(got)) >= 85
    if name == "sender_email":
        return expected.lower() == got.lower()
    return expected == got


def _compare(report: Report, file: str, name: str, expected: Any, got: Any) -> None:
    report.field_totals[name] += 1
    if same(name, expected, got):
        report.field_hits[name] += 1
    else:
        report.misses.append(f"{file}: {name}: expected {expected!r}, got {got!r}")


def confusion(counter: Counter, labels: list) -> list[str]:
    width = max(len(str(x)) for x in labels) + 1
    head = "label\\got".ljust(width + 2) + " ".join(str(x)[:6].rjust(6) for x in labels)
    rows = [head]
    for a in labels:
        rows.append(str(a).ljust(width + 2) + " ".join(str(counter.get((a, b), 0)).rjust(6) for b in labels))
    return rows


def render(report: Report, *, verbose: bool = False) -> str:
    figures = report.figures()
    lines = [f"{report.n} labelled messages"]
    lines.append("field accuracy (genuine inquiries):")
    for name, value in figures["fields"].items():
        total = report.field_totals[name]
        lines.append(f"  {name:<16} {_pct(value)}  ({report.field_hits[name]}/{total})")
    lines.append(f"  {'overall':<16} {_pct(figures['fields_overall'])}")
    if report.category:
        lines.append(f"category accuracy: {_pct(figures['category_accuracy'])}")
        lines += ["  " + r for r in confusion(report.category, CATEGORIES)]
        lines.append(f"tier exact: {_pct(figures['tier_exact'])}   within one: {_pct(figures['tier_within_one'])}")
        lines += ["  " + r for r in confusion(report.tier, TIERS)]
        lines.append(f"non-genuine as genuine or A/B: {figures['non_genuine_as_genuine_or_ab']}   "
                     f"genuine as not genuine or D: {figures['genuine_as_not_genuine_or_d']}")
    if report.persona:
        lines.append(f"persona accuracy: {_pct(figures['persona_accuracy'])}   answered: {_pct(figures['persona_coverage'])}"
                     f"   null on non-genuine: {_pct(figures['persona_null_on_non_genuine'])}")
        lines += ["  " + r for r in confusion(report.persona, PERSONAS)]
    for error in report.errors:
        lines.append(f"error: {error}")
    if verbose:
        lines.append("misses:")
        lines += ["  " + m for m in report.misses]
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def check_baseline(report: Report, baseline: dict[str, float]) -> list[str]:
    """Figures that fell below the committed baseline."""
    figures = report.figures()
    flat = {f"field.{k}": v for k, v in figures["fields"].items()} | {
        k: v for k, v in figures.items() if isinstance(v, float)
    }
    failures = []
    for key, floor in baseline.items():
        value = flat.get(key)
        if key.endswith(("leaks", "_or_ab", "_or_d")):
            value = figures.get(key)
            if value is not None and value > floor:
                failures.append(f"{key}: {value} above the baseline {floor}")
        elif value is None or value + 1e-9 < floor:
            failures.append(f"{key}: {value if value is None else round(value, 3)} below the baseline {floor}")
    return failures



EXPECTATIONS = ("genuine", "not-genuine")


@dataclass
class ExpectReport:
    """`triage eval --expect`: an unlabelled directory whose every message should be (not) genuine."""

    expect: str
    n: int = 0
    met: int = 0
    tiers: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def share(self) -> float | None:
        return self.met / self.n if self.n else None

    def figures(self) -> dict[str, Any]:
        return {"expect": self.expect, "messages": self.n, "met": self.met, "share": self.share,
                "tiers": dict(self.tiers), "categories": dict(self.categories), "skipped": len(self.skipped)}


def evaluate_expect(directory: Path, expect: str, *, profile, progress=None) -> ExpectReport:
    """Judge every message file under `directory` (offline) and count those meeting `expect`.

    "not-genuine" is met when the category is not genuine and the tier is neither A nor B;
    "genuine" when the category is genuine and the tier is not D.
    """
    from triage.inputs import items
    from triage.pipeline import Options, judge_all, read_inquiry

    if expect not in EXPECTATIONS:
        raise InputError(f"--expect must be one of {', '.join(EXPECTATIONS)}, not {expect!r}")
    report = ExpectReport(expect)
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in ("labels.json", "README.md")
                   and not p.name.startswith(("LICENSE", ".")))
    inquiries, names = [], []
    for path in files:
        for item in items([str(path)]):
            try:
                inquiries.append(read_inquiry(item, profile))
                names.append(str(path.relative_to(directory)))
            except Exception as exc:  # noqa: BLE001 - an unreadable file is listed, not judged
                report.skipped.append(f"{path.relative_to(directory)}: {exc}")
    judge_all(inquiries, profile, Options(offline=True), store=None, progress=progress)
    from triage.contract import to_contract

    for name, inquiry in zip(names, inquiries):
        record = to_contract(inquiry)
        category, tier = record["category"], record["tier"]
        if category is None:
            report.skipped.append(f"{name}: not judged")
            continue
        report.n += 1
        report.tiers[tier] += 1
        report.categories[category] += 1
        genuine = category == "genuine"
        met = (not genuine and tier not in ("A", "B")) if expect == "not-genuine" else (genuine and tier != "D")
        if met:
            report.met += 1
        else:
            report.misses.append(f"{name}: {category}/{tier}")
    return report


def render_expect(report: ExpectReport, *, verbose: bool = False) -> str:
    lines = [f"{report.n} messages, expected {report.expect}: {_pct(report.share)}  ({report.met}/{report.n})"]
    lines.append("tiers: " + "  ".join(f"{t}={report.tiers.get(t, 0)}" for t in TIERS))
    lines.append("categories: " + "  ".join(f"{c}={report.categories.get(c, 0)}" for c in CATEGORIES))
    if report.skipped:
        lines.append(f"skipped: {len(report.skipped)}")
    if verbose:
        lines += ["skipped: " + s for s in report.skipped]
        lines.append("misses:")
        lines += ["  " + m for m in report.misses]
    return "\n".join(lines)
