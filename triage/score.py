"""The judge stage: is the inquiry real, and how much time does it deserve?

    judge(inquiry, profile, signals=load_signals(), history=None) -> Judgment

Every judgment comes from named signals kept as data (``playbooks/signals/``,
engine in :mod:`triage.signals`). This module only combines their hits, as
``decision.toml`` says, into four scores (money, authority, need,
authenticity), a category, an ABCD tier, a one-line verdict and advice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .history import History, build_history
from .model import Hit, Inquiry, Judgment
from .signals import CATEGORY_GROUPS, MAN_GROUPS, SignalSet, load_signals

__all__ = ["judge", "load_signals", "build_history", "History", "SignalSet", "decide"]

MAN = ("money", "authority", "need")
_ASK = {
    "money": "qualify buying power (company size, yearly volume, who their customers are)",
    "authority": "ask who signs the PO",
    "need": "ask which item, quantity and date they need",
}


def judge(inquiry: Inquiry, profile: Any, *, signals: SignalSet, history: History | None = None,
          today: date | None = None) -> Judgment:
    """Run the signals over one inquiry and decide scores, category, tier and verdict."""
    hits = signals.evaluate(inquiry, profile, history, today)
    judgment = decide(hits, signals.decision)
    judgment.verdict, judgment.advice = explain(judgment, signals)
    return judgment


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
    if scores["authenticity"] < rules["doubtful_below"] and tier < rules["doubtful_tier"]:
        tier = rules["doubtful_tier"]
    return tier


# ------------------------------------------------------------------------ verdict


def _evidence(hits: list[Hit], group: str, positive: bool = True, n: int = 2) -> list[str]:
    chosen = [h for h in hits if h.group == group and (h.weight > 0 if positive else h.weight < 0)]
    chosen.sort(key=lambda h: -abs(h.weight))
    return [h.evidence for h in chosen[:n]]


def _buyer_word(names: set[str]) -> str:
    if "internal_sender" in names:
        return "colleague"
    if "sourcing_agent" in names or "on_behalf_of_client" in names:
        return "sourcing agent"
    if "buyer_type_trade" in names:
        return "distributor"
    if "buyer_type_small" in names or "young_business" in names:
        return "small buyer"
    return "buyer"


def _unique_parts(evidence: list[str]) -> str:
    """Evidence joined once per phrase (a combined signal repeats the evidence of its parts)."""
    parts = [p.strip() for e in evidence for p in e.replace(" + ", "; ").split("; ") if p.strip()]
    return "; ".join(dict.fromkeys(parts))


def explain(j: Judgment, signals: SignalSet) -> tuple[str, list[str]]:
    """A one-line verdict a salesperson can act on, and the advice list."""
    names = {h.name for h in j.signals}
    cat_advice = signals.decision.get("advice", {})
    advice: list[str] = []
    if j.category != "genuine":
        reasons = _unique_parts(_evidence(j.signals, j.category, n=3)) or "see signals"
        action = cat_advice.get(j.category, "")
        verdict = f"D - {j.category.replace('_', ' ')}: {reasons}. {action}".strip()
        advice.append(action)
    elif j.tier == "D":
        what = "; ".join(_evidence(j.signals, "need", positive=False, n=2))
        verdict = f"D - genuine {_buyer_word(names)} but nothing we make fits ({what}): reply politely, say what we do make."
    else:
        verdict, gaps = _genuine_verdict(j, signals, names)
        advice += [_ASK[g].capitalize() + "." for g in gaps]
    advice += [s.advice for h in j.signals if (s := signals.indexed(h.name)) and s.advice]
    if j.category == "genuine" and any(h.group == "competitor" for h in j.signals):
        advice.append(cat_advice.get("competitor", ""))
    return verdict, list(dict.fromkeys(a for a in advice if a))


def _genuine_verdict(j: Judgment, signals: SignalSet, names: set[str]) -> tuple[str, list[str]]:
    strong = strong_groups(j.scores, signals.decision)
    weak = [g for g in MAN if g not in strong]
    parts = []
    for g in strong:
        ev = _evidence(j.signals, g)
        parts.append(f"strong {g}" + (f" ({', '.join(ev)})" if ev else ""))
    for g in weak:
        ev = _evidence(j.signals, g, positive=False, n=1)
        parts.append(f"{g} {'unclear' if j.scores[g] >= 40 else 'weak'}" + (f" ({ev[0]})" if ev else ""))
    action = {"A": "answer today with full attention",
              "B": "answer today and " + (_ASK[weak[0]] if weak else "qualify"),
              "C": "short reply that asks the qualifying questions"}[j.tier]
    if j.scores["authenticity"] < signals.decision["tier"]["doubtful_below"] + 10:
        action += "; verify the sender first"
    if "history_existing_sender" in names:
        parts.insert(0, "existing contact")
    verdict = f"{j.tier} - genuine {_buyer_word(names)}, " + ", ".join(parts) + f": {action}"
    return verdict, weak if j.tier != "A" else []
