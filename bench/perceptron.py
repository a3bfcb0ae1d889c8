"""The category weights fitted inside the judge's own decision, as SpamAssassin's perceptron fits
its rule scores over mass-check results (run by ``bench/learn.py --perceptron``).

Each labelled message is judged once (offline); its hits do not depend on the weights, so the
judge's decision (``triage.judge.decide.decide`` with ``decision.toml``) can be replayed with any
weights in microseconds. Only the signals of the five category groups (phishing, scam,
competitor, spam, not_inquiry) are fitted; the MAN and authenticity scores stay as written.

The fit: start from the hand-set weights in the signal files; for every message the replayed
decision gets wrong, step the weights of the signals that fired in the group that should have
won up, and those of the group that wrongly won down (``--rate`` points); after each epoch pull
every weight back towards its hand-set value by ``--decay`` (L2 regularisation) and keep its sign.
Cross-validation: stratified k folds; each fold is judged with weights fitted on the others.
The shipped file (playbooks/signals/weights.toml) is written only when the cross-validated
learned weights lose on no source.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from triage.judge.signals import CATEGORY_GROUPS, load_shipped
from triage.model import Hit

from prior_fit import NOT_GENUINE, genuine_right, replay, right  # one replay of the judge for both fits


class Case:
    __slots__ = ("source", "label", "hits")

    def __init__(self, source: str, label: str, hits: list[Hit]):
        self.source, self.label, self.hits = source, label, hits


def cases_of(sources) -> list[Case]:
    return [Case(name, label, list(inquiry.judgment.signals))
            for name, inquiries, labels in sources for inquiry, label in zip(inquiries, labels)]


def fit(cases: list[Case], hand: dict[str, float], groups: dict[str, str], decision, args, seed: int = 15) -> dict[str, float]:
    weights = dict(hand)
    order = list(cases)
    rng = random.Random(seed)
    for _ in range(args.epochs):
        rng.shuffle(order)
        for case in order:
            category, tier = replay(case, weights, decision)
            if right(case, category, tier):
                continue
            fired = [h.name for h in case.hits if h.name in weights]
            if category != "genuine":  # the group that wrongly won loses weight
                for name in fired:
                    if groups[name] == category:
                        weights[name] -= args.rate
            want = case.label
            if want == NOT_GENUINE:  # the fraud group with most evidence should have won
                totals = defaultdict(float)
                for name in fired:
                    if groups[name] != "not_inquiry":
                        totals[groups[name]] += weights[name]
                want = max(totals, key=totals.get) if totals else None
            if want in CATEGORY_GROUPS:
                for name in fired:
                    if groups[name] == want:
                        weights[name] += args.rate
        for name, w in weights.items():  # L2 pull to the hand-set weight, sign kept
            w = hand[name] + (w - hand[name]) * (1 - args.decay)
            weights[name] = max(0.0, w) if hand[name] >= 0 else min(0.0, w)
    return weights


GRID = range(40, 85, 5)


def with_sure(decision, sure: dict[str, float]):
    """decision.toml's rules with other `sure` thresholds per category."""
    return {**decision, "category": {**decision["category"], "sure": {**decision["category"]["sure"], **sure}}}


def fit_thresholds(cases: list[Case], weights: dict[str, float], decision) -> dict[str, float]:
    """Per category, the `sure` threshold (a grid of 40-80) that judges the most training mail as
    labelled (genuine-or-not counted twice), one category at a time, twice round; ties keep the
    written value."""
    sure = dict(decision["category"]["sure"])

    def score(trial):
        rules = with_sure(decision, trial)
        got = [replay(c, weights, rules) for c in cases]
        return sum(right(c, *g) + 2 * genuine_right(c, *g) for c, g in zip(cases, got))

    best = score(sure)
    for _ in range(2):
        for cat in CATEGORY_GROUPS:
            for value in GRID:
                trial = {**sure, cat: float(value)}
                found = score(trial)
                if found > best:
                    best, sure = found, trial
    return sure


def folds_of(cases: list[Case], k: int, seed: int = 15) -> list[int]:
    """Stratified folds: each (source, label) spread evenly over the k folds."""
    by = defaultdict(list)
    for i, c in enumerate(cases):
        by[(c.source, c.label)].append(i)
    fold = [0] * len(cases)
    rng = random.Random(seed)
    for members in by.values():
        rng.shuffle(members)
        for j, i in enumerate(members):
            fold[i] = j % k
    return fold


def run(sources, args, root: Path) -> None:
    shipped = load_shipped()
    decision = shipped.decision
    hand = {s.name: float(s.shipped_weight) for s in shipped.signals if s.group in CATEGORY_GROUPS}
    groups = {s.name: s.group for s in shipped.signals if s.group in CATEGORY_GROUPS}
    cases = cases_of(sources)
    fold = folds_of(cases, args.folds)
    learned_pred: list[tuple[str, str] | None] = [None] * len(cases)
    for k in range(args.folds):
        train = [c for c, f in zip(cases, fold) if f != k]
        weights = fit(train, hand, groups, decision, args)
        for i, c in enumerate(cases):
            if fold[i] == k:
                learned_pred[i] = replay(c, weights, decision)
    hand_pred = [replay(c, hand, decision) for c in cases]
    thr_pred: list[tuple[str, str] | None] = [None] * len(cases)
    if args.thresholds:
        for k in range(args.folds):
            sure = fit_thresholds([c for c, f in zip(cases, fold) if f != k], hand, decision)
            for i, c in enumerate(cases):
                if fold[i] == k:
                    thr_pred[i] = replay(c, hand, with_sure(decision, sure))
    names = list(dict.fromkeys(c.source for c in cases))
    lines = [f"{len(cases)} messages ({sum(c.label == 'genuine' for c in cases)} genuine), {len(hand)} category signals, "
             f"{args.folds}-fold CV perceptron, {args.epochs} epochs, step {args.rate}, decay {args.decay}",
             f"{'source':<26}{'n':>6}{'hand cat':>10}{'learn cat':>10}{'hand gen':>10}{'learn gen':>10}",
             "  (cat: share judged as labelled, category; gen: genuine-or-not as labelled; learned = cross-validated)"]
    loses, thr_loses = [], []
    if args.thresholds:
        lines[1] += f"{'thr cat':>10}{'thr gen':>10}"
    for name in names:
        idx = [i for i, c in enumerate(cases) if c.source == name]
        hc = sum(right(cases[i], *hand_pred[i]) for i in idx) / len(idx)
        lc = sum(right(cases[i], *learned_pred[i]) for i in idx) / len(idx)
        hg = sum(genuine_right(cases[i], *hand_pred[i]) for i in idx) / len(idx)
        lg = sum(genuine_right(cases[i], *learned_pred[i]) for i in idx) / len(idx)
        row = f"{name:<26}{len(idx):>6}{hc:>10.3f}{lc:>10.3f}{hg:>10.3f}{lg:>10.3f}"
        if args.thresholds:
            tc = sum(right(cases[i], *thr_pred[i]) for i in idx) / len(idx)
            tg = sum(genuine_right(cases[i], *thr_pred[i]) for i in idx) / len(idx)
            row += f"{tc:>10.3f}{tg:>10.3f}"
            if tg < hg - 1e-9 or tc < hc - 0.01:
                thr_loses.append(name)
        lines.append(row)
        if lg < hg - 1e-9 or lc < hc - 0.01:
            loses.append(name)
    final = fit(cases, hand, groups, decision, args)
    odd = Path("/work/corpora-public/phishing_pot-odd")
    if odd.exists():
        from learn import _files, _judge
        from triage.profile import demo_profile_path, load_profile

        held = [Case("held-out", NOT_GENUINE, list(i.judgment.signals))
                for i in _judge(_files(odd), load_profile(demo_profile_path()))]
        if held:
            h = sum(right(c, *replay(c, hand, decision)) for c in held) / len(held)
            l_ = sum(right(c, *replay(c, final, decision)) for c in held) / len(held)
            lines.append(f"{'held-out phishing_pot-odd':<26}{len(held):>6}{h:>10.3f}{l_:>10.3f}   (never trained on)")
    changed = {n: round(w, 1) for n, w in final.items() if abs(w - hand[n]) >= 0.5}
    lines.append(f"{len(changed)} weights moved from their hand-set value; "
                 + ("learned weights lose on: " + ", ".join(loses) if loses else "learned weights lose on no source"))
    sure = None
    if args.thresholds:
        sure = fit_thresholds(cases, hand, decision)
        moved = {c: v for c, v in sure.items() if v != decision["category"]["sure"][c]}
        lines.append("thresholds (hand-set weights): sure " + (", ".join(f"{c} {v:g}" for c, v in moved.items()) or "unchanged")
                     + ("; lose on: " + ", ".join(thr_loses) if thr_loses else "; lose on no source"))
    print("\n".join(lines))
    if args.write:
        target = args.write
        if loses:
            print(f"not written: the learned weights lose on {', '.join(loses)} (the hand-set weights stay)")
            return
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out = ["# GENERATED by bench/learn.py --perceptron --write playbooks/signals/weights.toml; do not edit by hand.",
               f"# Regenerate: pip install -e \".[learn]\"; python bench/learn.py --perceptron --write {target.name} (run {stamp}).",
               "# The judge applies these weights over those written in the signal files; your own",
               "# $TRIAGE_HOME/signals.toml [weights] still override both. Only category signals are fitted.",
               "#"] + ["# " + line for line in lines] + ["", "[weights]"]
        out += [f'{n} = {w:g}' for n, w in sorted(changed.items())]
        target.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"weights written to {target}")
