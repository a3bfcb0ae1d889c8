"""The verdict: one line a salesperson can act on, and the advice list, from a judgment's hits."""

from __future__ import annotations

from triage.judge.decide import MAN, strong_groups
from triage.judge.signals import SignalSet
from triage.model import Hit, Judgment


_ASK = {
    "money": "qualify buying power (company size, yearly volume, who their customers are)",
    "authority": "ask who signs the PO",
    "need": "ask which item, quantity and date they need",
}



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

