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



def _buyer_word(hits: list[Hit], signals: SignalSet) -> str:
    """What the writer is, by the fired signals' ``buyer_word`` (the highest ``buyer_rank`` wins)."""
    declared = [s for h in hits if (s := signals.indexed(h.name)) and s.buyer_word]
    return max(declared, key=lambda s: s.buyer_rank).buyer_word if declared else "buyer"



def _unique_parts(evidence: list[str]) -> str:
    """Evidence joined once per phrase (a combined signal repeats the evidence of its parts)."""
    parts = [p.strip() for e in evidence for p in e.replace(" + ", "; ").split("; ") if p.strip()]
    return "; ".join(dict.fromkeys(parts))



def explain(j: Judgment, signals: SignalSet) -> tuple[str, list[str]]:
    """A one-line verdict a salesperson can act on, and the advice list."""
    cat_advice = signals.decision.get("advice", {})
    advice: list[str] = []
    if j.category != "genuine":
        reasons = _unique_parts(_evidence(j.signals, j.category, n=3)) or "see signals"
        action = cat_advice.get(j.category, "")
        verdict = f"D - {j.category.replace('_', ' ')}: {reasons}. {action}".strip()
        advice.append(action)
    elif j.tier == "D":
        what = "; ".join(_evidence(j.signals, "need", positive=False, n=2))
        verdict = f"D - genuine {_buyer_word(j.signals, signals)} but nothing we make fits ({what}): reply politely, say what we do make."
    else:
        verdict, gaps = _genuine_verdict(j, signals)
        advice += [_ASK[g].capitalize() + "." for g in gaps]
    advice += [s.advice for h in j.signals if (s := signals.indexed(h.name)) and s.advice]
    if j.category == "genuine" and any(h.group == "competitor" for h in j.signals):
        advice.append(cat_advice.get("competitor", ""))
    return verdict, list(dict.fromkeys(a for a in advice if a))



def _genuine_verdict(j: Judgment, signals: SignalSet) -> tuple[str, list[str]]:
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
    notes = [s.verdict_note for h in j.signals if (s := signals.indexed(h.name)) and s.verdict_note]
    parts[:0] = list(dict.fromkeys(notes))
    verdict = f"{j.tier} - genuine {_buyer_word(j.signals, signals)}, " + ", ".join(parts) + f": {action}"
    return verdict, weak if j.tier != "A" else []

