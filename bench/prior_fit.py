"""The shipped category weights, fitted inside the judge's own decision with the hand-set weights as
the prior (run by ``bench/learn.py --fit``; writes ``playbooks/signals/weights.toml``).

SpamAssassin sets its rule scores by fitting them over mass-check results; this does the same over
the judge's named signals, keeping each one named, explained and editable.

The model. A category group's evidence is the sum of the weights of its signals that fired; the
judge (``triage.judge.decide``) calls a mail that category when the evidence reaches ``sure`` (or
``likely`` when the sender already looks doubtful). Each labelled mail therefore asks for one or
more margins in weight points: a genuine inquiry wants every group below its threshold, a phishing
mail wants the phishing evidence above it, a mail labelled only "not genuine" wants its strongest
group above it. A mail the decision cannot call genuine anyway (no ``genuine_needs`` signal fired)
asks nothing. Each margin is scored by the logistic loss ``log(1 + exp(-margin / T))`` and the
weights are the hand-set ones plus a delta that minimises

    mean loss (genuine mail weighted up to balance the classes) + l2 * sum(((w - hand) / 10) ** 2)

by projected Adam: a fixed number of full-batch steps from the hand-set weights, each weight kept
on its hand-set side of zero. Signals written with weight 0 are helpers (evidence for others)
and stay 0; the MAN and authenticity scores, the thresholds and the tiers stay as written. The
fitted weights are rounded to whole points, the form the judge reads.

Honesty. The regularisation strength ``l2`` is chosen by 3-fold cross-validation inside each
training split (a grid; ties go to the stronger pull to the hand-set weights), and every figure is
k-fold cross-validated with folds stratified by source and label: each mail is judged, by the
judge's own ``decide``, with weights fitted on the other folds only. The hard constraints (no fake
judged genuine, at most one genuine lost, no phishing or ordinary mail as tier A/B) are counted per
fold. The weights are written only when, cross-validated, they lose on no source and hold the
constraints in every fold; the final weights are fitted on all the mail with the ``l2`` that
cross-validation chose most often.

Everything is deterministic (no random numbers; folds by a fixed hash of the file names).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from triage.judge.decide import decide, group_scores
from triage.judge.signals import CATEGORY_GROUPS
from triage.model import Hit

NOT_GENUINE = "not-genuine"  # a label saying only "no genuine inquiry" (phishing_pot, SpamAssassin spam)
L2_GRID = (0.3, 0.1, 0.03, 0.01, 0.003)  # strongest first: a tie keeps the weights nearer the hand-set ones


@dataclass
class Case:
    source: str
    name: str
    label: str  # a category, or NOT_GENUINE
    tier: str | None  # the labelled tier (None when the label has none)
    hits: list[Hit]


@dataclass
class Settings:
    folds: int = 5
    steps: int = 300
    rate: float = 0.5  # Adam step, in weight points
    temperature: float = 5.0  # the logistic loss's scale, in weight points
    margin: float = 5.0  # how far past a threshold a margin counts as safe, in weight points
    l2: float | None = None  # fixed strength; None: chosen by inner cross-validation


# ------------------------------------------------------------------ judged as labelled


def replay(case: Case, weights: dict[str, float], decision) -> tuple[str, str]:
    """The judge's category and tier for the case's hits with these category weights."""
    hits = [Hit(h.name, h.group, weights.get(h.name, h.weight), h.description, h.evidence) for h in case.hits]
    judged = decide(hits, decision)
    return judged.category, judged.tier


def right(case: Case, category: str, tier: str) -> bool:
    """Judged as labelled: the category (a bare not-genuine label: anything but genuine, never A/B)."""
    if case.label == NOT_GENUINE:
        return category != "genuine" and tier not in ("A", "B")
    return category == case.label


def genuine_right(case: Case, category: str, tier: str) -> bool:
    """Genuine or not as labelled (a genuine inquiry of tier D is still genuine)."""
    if case.label == "genuine":
        return category == "genuine"
    return category != "genuine" and tier not in ("A", "B")


def violations(case: Case, category: str, tier: str) -> Counter:
    """The hard constraints this judgment breaks: a labelled fake as genuine (or A/B), a genuine inquiry
    lost (not genuine, or D when not labelled D); unlabelled mail (ordinary, phishing_pot) as genuine is
    counted apart, as its figures allow a share of it."""
    out = Counter()
    if case.label == "genuine":
        if (category != "genuine" or tier == "D") and case.tier != "D":
            out["genuine lost"] += 1
    elif category == "genuine" or tier in ("A", "B"):
        out["fake as genuine" if case.label != NOT_GENUINE and case.tier is not None else "mail as genuine"] += 1
        if tier in ("A", "B"):
            out["non-genuine as A/B"] += 1
    return out


def score(cases: list[Case], weights: dict[str, float], decision) -> float:
    """What the l2 grid is chosen by: judged as labelled, genuine-or-not twice, constraints ten times."""
    total = 0.0
    for c in cases:
        got = replay(c, weights, decision)
        total += right(c, *got) + 2 * genuine_right(c, *got) - 10 * sum(violations(c, *got).values())
    return total


# ------------------------------------------------------------------ the fit


@dataclass
class Row:
    """A case as the loss sees it: which fitted signals fired in each group, what it wants."""
    want: str  # "genuine", a category, or "any" (NOT_GENUINE)
    fired: dict[str, list[int]]  # group -> indices of fitted signals that fired
    fixed: dict[str, float]  # group -> evidence of fired signals that are not fitted
    threshold: dict[str, float]  # group -> sure, or likely when the sender looks doubtful
    weight: float
    before: tuple[str, ...] = ()  # the groups decision.toml's order tries before the labelled one


def rows_of(cases: list[Case], index: dict[str, int], decision, genuine_weight: float) -> list[Row]:
    rules = decision["category"]
    needs = set(rules["genuine_needs"])
    rows = []
    for c in cases:
        names = {h.name for h in c.hits}
        if rules["genuine_needs"] and names.isdisjoint(needs) and c.label in (NOT_GENUINE, rules["without_evidence"]):
            continue  # the decision cannot call it genuine, whatever the weights: it asks nothing
        doubtful = group_scores(c.hits, decision)["authenticity"] <= rules["doubt"]
        fired, fixed = defaultdict(list), defaultdict(float)
        for h in c.hits:
            if h.group in CATEGORY_GROUPS:
                if h.name in index:
                    fired[h.group].append(index[h.name])
                else:
                    fixed[h.group] += h.weight
        threshold = {g: float(rules["likely"][g] if doubtful else rules["sure"][g]) for g in CATEGORY_GROUPS}
        if c.label not in ("genuine", NOT_GENUINE) and names.isdisjoint(needs):
            threshold[c.label] = float(rules["likely"][c.label])  # without an ask, `likely` decides
        want = "any" if c.label == NOT_GENUINE else c.label
        before = tuple(rules["order"][:rules["order"].index(c.label)]) if c.label in rules["order"] else ()
        rows.append(Row(want, dict(fired), dict(fixed), threshold, genuine_weight if c.label == "genuine" else 1.0, before))
    return rows


def _softplus(x: float) -> float:
    return x + math.log1p(math.exp(-x)) if x > 0 else math.log1p(math.exp(x))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


def loss_and_gradient(rows: list[Row], w: list[float], hand: list[float], l2: float, s: Settings):
    """The regularised logistic loss over the margins, and its gradient in weight points."""
    grad = [0.0] * len(w)
    total = 0.0
    norm = sum(r.weight for r in rows) or 1.0

    def push(group: str, r: Row, sign: float) -> None:
        """One margin: sign +1 wants the group's evidence above its threshold, -1 below."""
        nonlocal total
        evidence = r.fixed.get(group, 0.0) + sum(w[i] for i in r.fired.get(group, ()))
        m = sign * (evidence - r.threshold[group]) - s.margin
        total += r.weight * _softplus(-m / s.temperature)
        slope = -r.weight * _sigmoid(-m / s.temperature) / s.temperature * sign
        for i in r.fired.get(group, ()):
            grad[i] += slope

    for r in rows:
        if r.want == "genuine":
            for group in r.fired:
                push(group, r, -1.0)
        elif r.want == "any":
            groups = list(r.fired) or [None]
            if groups[0] is not None:
                best = max(groups, key=lambda g: (r.fixed.get(g, 0.0) + sum(w[i] for i in r.fired[g]) - r.threshold[g],
                                                  -CATEGORY_GROUPS.index(g)))
                push(best, r, 1.0)
        else:
            if r.fired.get(r.want) or r.fixed.get(r.want):
                push(r.want, r, 1.0)
            for group in r.before:  # a group earlier in decision.toml's order would win first
                if group in r.fired:
                    push(group, r, -1.0)
    total /= norm
    grad = [g / norm for g in grad]
    for i, (wi, hi) in enumerate(zip(w, hand)):
        total += l2 * ((wi - hi) / 10) ** 2
        grad[i] += 2 * l2 * (wi - hi) / 100
    return total, grad


def fit(cases: list[Case], hand: dict[str, float], decision, l2: float, s: Settings) -> dict[str, float]:
    """The hand-set weights plus the fitted delta, rounded to whole points (projected Adam)."""
    names = sorted(n for n, v in hand.items() if v != 0)
    index = {n: i for i, n in enumerate(names)}
    h = [hand[n] for n in names]
    n_genuine = sum(c.label == "genuine" for c in cases)
    balance = (len(cases) - n_genuine) / n_genuine if n_genuine else 1.0
    rows = rows_of(cases, index, decision, balance)
    w, m1, m2 = list(h), [0.0] * len(h), [0.0] * len(h)
    for t in range(1, s.steps + 1):
        _, g = loss_and_gradient(rows, w, h, l2, s)
        for i, gi in enumerate(g):
            m1[i] = 0.9 * m1[i] + 0.1 * gi
            m2[i] = 0.999 * m2[i] + 0.001 * gi * gi
            step = s.rate * (m1[i] / (1 - 0.9 ** t)) / (math.sqrt(m2[i] / (1 - 0.999 ** t)) + 1e-8)
            wi = w[i] - step
            w[i] = max(0.0, min(100.0, wi)) if h[i] > 0 else min(0.0, max(-100.0, wi))
    return {**hand, **{n: float(round(wi)) for n, wi in zip(names, w)}}


# ------------------------------------------------------------------ cross-validation


def folds_of(cases: list[Case], k: int) -> list[int]:
    """Stratified folds: each (source, label) spread evenly, in the order of a fixed hash of the name."""
    by = defaultdict(list)
    for i, c in enumerate(cases):
        by[(c.source, c.label)].append(i)
    fold = [0] * len(cases)
    for members in by.values():
        members.sort(key=lambda i: hashlib.sha1(f"{cases[i].source}/{cases[i].name}".encode()).hexdigest())
        for j, i in enumerate(members):
            fold[i] = j % k
    return fold


def choose_l2(cases: list[Case], hand: dict[str, float], decision, s: Settings) -> float:
    """The l2 of the grid that judges the training mail best under an inner 3-fold cross-validation."""
    if s.l2 is not None:
        return s.l2
    inner = folds_of(cases, 3)
    best, chosen = None, L2_GRID[0]
    for l2 in L2_GRID:
        total = 0.0
        for k in range(3):
            weights = fit([c for c, f in zip(cases, inner) if f != k], hand, decision, l2, s)
            total += score([c for c, f in zip(cases, inner) if f == k], weights, decision)
        if best is None or total > best:
            best, chosen = total, l2
    return chosen


@dataclass
class Outcome:
    lines: list[str]
    weights: dict[str, float]
    ships: bool


def cross_validate(cases: list[Case], hand: dict[str, float], decision, s: Settings,
                   held: list[Case] = ()) -> Outcome:
    fold = folds_of(cases, s.folds)
    fitted_pred: list[tuple[str, str]] = [("", "")] * len(cases)
    chosen = []
    for k in range(s.folds):
        train = [c for c, f in zip(cases, fold) if f != k]
        l2 = choose_l2(train, hand, decision, s)
        chosen.append(l2)
        weights = fit(train, hand, decision, l2, s)
        for i, c in enumerate(cases):
            if fold[i] == k:
                fitted_pred[i] = replay(c, weights, decision)
    hand_pred = [replay(c, hand, decision) for c in cases]
    lines = [f"{len(cases)} messages ({sum(c.label == 'genuine' for c in cases)} genuine), "
             f"{sum(1 for v in hand.values() if v)} category weights fitted, {s.folds}-fold CV stratified by source and label; "
             f"l2 chosen per fold by inner 3-fold CV: {', '.join(f'{x:g}' for x in chosen)}",
             f"{'source':<26}{'n':>6}{'hand cat':>10}{'fit cat':>10}{'hand gen':>10}{'fit gen':>10}",
             "  (cat: share judged as labelled, category; gen: genuine-or-not as labelled; fit = cross-validated)"]
    loses = []
    for name in dict.fromkeys(c.source for c in cases):
        idx = [i for i, c in enumerate(cases) if c.source == name]
        hc, fc, hg, fg = (sum(fn(cases[i], *pred[i]) for i in idx) / len(idx)
                          for fn, pred in ((right, hand_pred), (right, fitted_pred), (genuine_right, hand_pred),
                                           (genuine_right, fitted_pred)))
        lines.append(f"{name:<26}{len(idx):>6}{hc:>10.3f}{fc:>10.3f}{hg:>10.3f}{fg:>10.3f}")
        if fc < hc - 1e-9 or fg < hg - 1e-9:
            loses.append(name)
    broken = []
    for k in range(s.folds):
        idx = [i for i in range(len(cases)) if fold[i] == k]
        hv = sum((violations(cases[i], *hand_pred[i]) for i in idx), Counter())
        fv = sum((violations(cases[i], *fitted_pred[i]) for i in idx), Counter())
        lines.append(f"fold {k + 1}: hand {_counts(hv)}; fitted {_counts(fv)}")
        if (fv["fake as genuine"] > hv["fake as genuine"] or fv["genuine lost"] > max(1, hv["genuine lost"])
                or fv["non-genuine as A/B"] > 0):
            broken.append(k + 1)
    final_l2 = Counter(chosen).most_common(1)[0][0]
    final = fit(cases, hand, decision, final_l2, s)
    moved = {n: w for n, w in final.items() if w != hand[n]}
    lines.append(f"final fit on all mail, l2 {final_l2:g}: {len(moved)} weights moved from their hand-set value")
    if held:
        h, f = (sum(right(c, *replay(c, w, decision)) for c in held) / len(held) for w in (hand, final))
        lines.append(f"held-out {held[0].source} ({len(held)}, never fitted on): not genuine, never A/B: "
                     f"hand {h:.4f}, fitted {f:.4f}")
    lines.append("cross-validated, the fitted weights " + (f"lose on: {', '.join(loses)}" if loses else "lose on no source")
                 + (f"; break a hard constraint in fold(s) {', '.join(map(str, broken))}" if broken
                    else "; hold the hard constraints in every fold"))
    return Outcome(lines, final, not loses and not broken)


def _counts(v: Counter) -> str:
    keys = ("fake as genuine", "genuine lost", "non-genuine as A/B", "mail as genuine")
    return ", ".join(f"{k} {v[k]}" for k in keys)


def weights_file(outcome: Outcome, hand: dict[str, float], command: str) -> str:
    """The generated weights.toml: how it was made, the cross-validated figures, the moved weights."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    out = [f"# GENERATED by `{command}` ({stamp}); do not edit by hand.",
           "# Regenerate: pip install -e \".[test]\"; the same command (deterministic). bench/prior_fit.py explains the fit:",
           "# an L2-regularised logistic loss over the judge's own decision, prior = the weights written in the",
           "# signal files. The judge applies these over those files; $TRIAGE_HOME/signals.toml [weights] still",
           "# override both. Only category signals (phishing, scam, competitor, spam, not_inquiry) are fitted.",
           "#"] + ["# " + line for line in outcome.lines] + ["", "[weights]"]
    for name, w in sorted(outcome.weights.items()):
        if w != hand[name]:
            out.append(f"{name} = {w:g}  # written {hand[name]:g}")
    return "\n".join(out) + "\n"


def run(cases: list[Case], hand: dict[str, float], decision, s: Settings, target: Path | None, command: str,
        held: list[Case] = ()) -> bool:
    """Cross-validate, print the figures, write the weights file when they ship. True when they ship.
    ``held``: mail never fitted on (phishing_pot-odd), judged with the hand-set and the final weights."""
    outcome = cross_validate(cases, hand, decision, s, held)
    print("\n".join(outcome.lines))
    if target is None:
        return outcome.ships
    if not outcome.ships:
        print(f"not written: {target} (the hand-set weights stay)")
        return False
    target.write_text(weights_file(outcome, hand, command), encoding="utf-8")
    print(f"weights written to {target}")
    return True
