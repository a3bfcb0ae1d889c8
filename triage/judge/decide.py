"""The decision: scores, category and tier from a message's hits, as ``decision.toml`` says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from triage.errors import DataFileError
from triage.judge.signals import CATEGORY_GROUPS, MAN_GROUPS, read_signal_toml
from triage.model import Hit, Judgment


_DECISION_DEFAULTS: dict[str, Any] = {
    "scores": {"base": {"money": 30, "authority": 30, "need": 20, "authenticity": 75}, "strong": 60},
    "category": {"order": list(CATEGORY_GROUPS), "sure": 60, "likely": 30, "doubt": 50,
                 "impostor_below": -1, "impostor_default": "scam",
                 "genuine_needs": [], "without_evidence": "not_inquiry"},
    "tier": {"A": 3, "B": 2, "unserviceable": [], "unverified": [], "doubtful_below": 40, "doubtful_tier": "C"},
}



def load_decision(path: Path) -> dict[str, Any]:
    """Read decision.toml (thresholds and how groups combine), strictly."""
    data = read_signal_toml(path) if path.exists() else {}
    decision: dict[str, Any] = {}
    for section, defaults in _DECISION_DEFAULTS.items():
        given = data.get(section, {})
        if not isinstance(given, dict):
            raise DataFileError(f"{path}: [{section}] must be a table")
        unknown = set(given) - set(defaults)
        if unknown:
            raise DataFileError(f"{path}: [{section}]: unknown key(s) {', '.join(sorted(unknown))}")
        decision[section] = {**defaults, **given}
    extra = set(data) - set(_DECISION_DEFAULTS) - {"advice"}
    if extra:
        raise DataFileError(f"{path}: unknown section(s) {', '.join(sorted(extra))}")
    decision["advice"] = data.get("advice", {})
    _validate_decision(path, decision)
    return decision



def _validate_decision(path: Path, d: dict[str, Any]) -> None:
    base = d["scores"]["base"]
    if set(base) != set(MAN_GROUPS) or not all(isinstance(v, (int, float)) for v in base.values()):
        raise DataFileError(f"{path}: [scores] base must give a number for each of {', '.join(MAN_GROUPS)}")
    for key in ("sure", "likely"):
        val = d["category"][key]
        if isinstance(val, (int, float)):
            d["category"][key] = {c: val for c in CATEGORY_GROUPS}
        elif not isinstance(val, dict) or set(val) - set(CATEGORY_GROUPS):
            raise DataFileError(f"{path}: [category] {key} must be a number or a table per category")
        else:
            d["category"][key] = {c: val.get(c, 1000) for c in CATEGORY_GROUPS}
    if sorted(d["category"]["order"]) != sorted(CATEGORY_GROUPS):
        raise DataFileError(f"{path}: [category] order must list each of {', '.join(CATEGORY_GROUPS)}")
    needs = d["category"]["genuine_needs"]
    if not isinstance(needs, list) or not all(isinstance(n, str) for n in needs):
        raise DataFileError(f"{path}: [category] genuine_needs must be a list of signal names")
    if d["category"]["without_evidence"] not in CATEGORY_GROUPS:
        raise DataFileError(f"{path}: [category] without_evidence must be one of {', '.join(CATEGORY_GROUPS)}")
    if d["tier"]["doubtful_tier"] not in ("A", "B", "C", "D"):
        raise DataFileError(f"{path}: [tier] doubtful_tier must be A, B, C or D")


# ------------------------------------------------------------------------ deciding

MAN = ("money", "authority", "need")



def decide(hits: list[Hit], decision: dict[str, Any]) -> Judgment:
    """Combine hits into a Judgment, following decision.toml (no verdict yet)."""
    scores = group_scores(hits, decision)
    evidence = category_evidence(hits)
    category = choose_category(evidence, scores["authenticity"], decision, {h.name for h in hits})
    tier = choose_tier(category, hits, scores, decision)
    ordered = sorted(hits, key=lambda h: (-abs(h.weight), h.name))
    return Judgment(scores=scores, category=category, tier=tier, signals=ordered)



def group_scores(hits: list[Hit], decision: dict[str, Any]) -> dict[str, int]:
    base = decision["scores"]["base"]
    totals = {g: float(base[g]) for g in MAN_GROUPS}
    for hit in hits:
        if hit.group in totals:
            totals[hit.group] += hit.weight
    return {g: int(round(min(100.0, max(0.0, v)))) for g, v in totals.items()}



def category_evidence(hits: list[Hit]) -> dict[str, float]:
    evidence = {c: 0.0 for c in CATEGORY_GROUPS}
    for hit in hits:
        if hit.group in evidence:
            evidence[hit.group] += hit.weight
    return evidence



def choose_category(evidence: dict[str, float], authenticity: int, decision: dict[str, Any],
                    fired: set[str] = frozenset()) -> str:
    """The category by the evidence, as decision.toml says; genuine only with an inquiry's evidence."""
    rules = decision["category"]
    doubtful = authenticity <= rules["doubt"]
    for cat in rules["order"]:
        if evidence[cat] >= rules["sure"][cat] or (doubtful and evidence[cat] >= rules["likely"][cat]):
            return cat
    if authenticity <= rules["impostor_below"]:
        fraud = {c: evidence[c] for c in ("phishing", "scam", "competitor", "spam") if evidence[c] > 0}
        return max(fraud, key=fraud.get) if fraud else rules["impostor_default"]
    if rules["genuine_needs"] and fired.isdisjoint(rules["genuine_needs"]):
        return _without_evidence(evidence, rules)
    return "genuine"


def _without_evidence(evidence: dict[str, float], rules: dict[str, Any]) -> str:
    """No ask to buy from us: the category whose likely evidence is largest, else the default."""
    likely = {c: v for c, v in evidence.items() if v > 0 and v >= rules["likely"][c]}
    return max(likely, key=lambda c: (likely[c], -rules["order"].index(c))) if likely else rules["without_evidence"]



def strong_groups(scores: dict[str, int], decision: dict[str, Any]) -> list[str]:
    return [g for g in MAN if scores[g] >= decision["scores"]["strong"]]



def choose_tier(category: str, hits: list[Hit], scores: dict[str, int], decision: dict[str, Any]) -> str:
    rules = decision["tier"]
    if category != "genuine":
        return "D"
    fired = {h.name for h in hits}
    if fired & set(rules["unserviceable"]):
        return "D"
    strong = len(strong_groups(scores, decision))
    tier = "A" if strong >= rules["A"] else "B" if strong >= rules["B"] else "C"
    doubtful = scores["authenticity"] < rules["doubtful_below"] or bool(fired & set(rules["unverified"]))
    if doubtful and tier < rules["doubtful_tier"]:
        tier = rules["doubtful_tier"]
    return tier

