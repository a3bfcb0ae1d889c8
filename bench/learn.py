"""Learn the genuine-vs-not weights from labelled mail, as SpamAssassin does with its mass-check.

    pip install -e ".[learn]"
    python bench/learn.py [--inquiries DIR] [--corpora DIR] [--public DIR] [--written DIR] [--write FILE]

Runs the shipped signals over every labelled message (offline, through triage.pipeline), builds
one 0/1 vector per message (which named signals hit), and fits an L2-regularised logistic regression
"genuine or not" with stratified k-fold cross-validation. It prints, per source, the cross-validated
share judged as its label for (a) the shipped hand-set weights (the judge's own decision) and (b) the
learned weights, and the held-out phishing_pot-odd figure for both (never used for training).
--write FILE writes the learned weights as a [weights] TOML table ($TRIAGE_HOME/signals.toml format).

--fit is the procedure whose output is shipped (bench/prior_fit.py): the category weights fitted
inside the judge's own decision with the hand-set weights as the prior, cross-validated by source;
`--fit --write playbooks/signals/weights.toml` writes them when they lose on no source and hold the
hard constraints in every fold. Needs nothing beyond triage itself (no scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from triage.inputs import items  # noqa: E402
from triage.pipeline import Options, judge_all, read_inquiry  # noqa: E402
from triage.profile import demo_profile_path, load_profile  # noqa: E402

SHARED = ROOT.parent / "shared"
PUBLIC = Path("/work/corpora-public")
NOT_GENUINE = "not-genuine"  # a label saying only "no genuine inquiry" (phishing_pot: phishing, scam or spam)
SKIP = ("labels.json", "README.md", "LABELS.md", "profile.toml")


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in SKIP
                  and not p.name.startswith(("LICENSE", ".")))


def _judge(paths: list[Path], profile, with_paths: bool = False) -> list:
    pairs = []
    for path in paths:
        for item in items([str(path)]):
            try:
                pairs.append((path, read_inquiry(item, profile)))
            except Exception:  # noqa: BLE001 - unreadable mail is left out of the corpus
                pass
    judge_all([i for _, i in pairs], profile, Options(offline=True), store=None)
    pairs = [(p, i) for p, i in pairs if i.judgment is not None]
    return pairs if with_paths else [i for _, i in pairs]


def _labelled(directory: Path, profile) -> list[tuple[str, object, str, str | None]]:
    """(file name, judged inquiry, category, tier) for each labelled message that could be read."""
    labels = {x["file"]: x for x in json.loads((directory / "labels.json").read_text())}
    pairs = _judge([directory / f for f in labels], profile, with_paths=True)
    return [(p.name, i, _category(labels[p.name]), labels[p.name].get("tier")) for p, i in pairs]


def _category(label: dict) -> str:
    """The label's category, or not-genuine where the label says only that (a public set's `expect`)."""
    return NOT_GENUINE if label.get("expect") == NOT_GENUINE else label["category"]


def _unlabelled(paths: list[Path], root: Path, profile, label: str) -> list[tuple[str, object, str, None]]:
    return [(str(p.relative_to(root)), i, label, None) for p, i in _judge(paths, profile, with_paths=True)]


def collect_labelled(args) -> list[tuple[str, list[tuple[str, object, str, str | None]]]]:
    """Per source: (name, [(file, judged inquiry, category or not-genuine, tier)])."""
    demo = load_profile(demo_profile_path())
    sources = []
    if (args.inquiries / "labels.json").exists():
        sources.append(("inquiries", _labelled(args.inquiries, demo)))
    if args.corpora.exists():
        ordinary = [p for d in sorted(args.corpora.iterdir()) if d.is_dir() and d.name != "phishing_pot"
                    for p in _files(d)]
        sources.append(("ordinary mail", _unlabelled(ordinary, args.corpora, demo, "not_inquiry")))
        if (args.corpora / "phishing_pot").exists():
            pot = args.corpora / "phishing_pot"
            sources.append(("phishing_pot", _unlabelled(_files(pot), pot, demo, NOT_GENUINE)))
    for trade in sorted(args.written.iterdir()) if args.written.exists() else []:
        own = trade / "profile.toml"
        if (trade / "labels.json").exists():
            sources.append((f"written/{trade.name}", _labelled(trade, load_profile(own) if own.exists() else demo)))
    for name in ("spamassassin-spam", "spamassassin-nice"):
        if (args.public / name / "labels.json").exists():
            sources.append((name, _labelled(args.public / name, demo)))
    return [(name, got) for name, got in sources if got]


def collect(args) -> list[tuple[str, list, list[str]]]:
    """Per source: (name, judged inquiries, labels), as the logistic and perceptron runs read them."""
    return [(name, [g[1] for g in got], [g[2] for g in got]) for name, got in collect_labelled(args)]


def fit_cases(args) -> list:
    """The labelled mail as prior_fit's cases (the named signals each message fired). With --cases FILE
    they are read from FILE when it exists, else judged and saved there (rerun without it after any
    change to the signals)."""
    from prior_fit import Case
    from triage.model import Hit

    if args.cases and args.cases.exists():
        return [Case(c["source"], c["name"], c["label"], c["tier"], [Hit(*h, "", "") for h in c["hits"]])
                for c in json.loads(args.cases.read_text(encoding="utf-8"))]
    cases = [Case(name, file, label, tier, list(inquiry.judgment.signals))
             for name, got in collect_labelled(args) for file, inquiry, label, tier in got]
    if args.cases:
        args.cases.write_text(json.dumps([{"source": c.source, "name": c.name, "label": c.label, "tier": c.tier,
                                           "hits": [[h.name, h.group, h.weight] for h in c.hits]} for c in cases]),
                              encoding="utf-8")
    return cases


def run_fit(args) -> int:
    """--fit: the shipped procedure (bench/prior_fit.py)."""
    import prior_fit
    from triage.judge.signals import CATEGORY_GROUPS, load_shipped

    shipped = load_shipped()
    hand = {s.name: float(s.shipped_weight) for s in shipped.signals if s.group in CATEGORY_GROUPS}
    cases = fit_cases(args)
    if not cases:
        print("no labelled mail found", file=sys.stderr)
        return 2
    settings = prior_fit.Settings(folds=args.folds, steps=args.steps, l2=args.l2)
    command = "python bench/learn.py --fit --write " + (args.write.name if args.write else "FILE")
    odd = args.public / "phishing_pot-odd"
    held = [prior_fit.Case("phishing_pot-odd", f, NOT_GENUINE, None, list(i.judgment.signals))
            for f, i, _, _ in _unlabelled(_files(odd), odd, load_profile(demo_profile_path()), NOT_GENUINE)] \
        if odd.exists() else []
    ships = prior_fit.run(cases, hand, shipped.decision, settings, args.write, command, held)
    return 0 if ships or args.write is None else 1


def vector(inquiry, names: list[str]) -> list[int]:
    hit = {h.name for h in inquiry.judgment.signals}
    return [int(n in hit) for n in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inquiries", type=Path, default=SHARED / "inquiries")
    parser.add_argument("--corpora", type=Path, default=SHARED / "corpora")
    parser.add_argument("--written", type=Path, default=ROOT / "bench" / "corpus" / "written")
    parser.add_argument("--public", type=Path, default=PUBLIC)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--C", type=float, default=1.0, help="inverse L2 regularisation strength")
    parser.add_argument("--write", type=Path, help="write the learned weights as a [weights] TOML table")
    parser.add_argument("--perceptron", action="store_true",
                        help="fit the category signals' weights inside the judge's own decision (bench/perceptron.py); "
                             "with --write, writes playbooks/signals/weights.toml when cross-validation does not lose")
    parser.add_argument("--thresholds", action="store_true", help="with --perceptron: also fit the `sure` thresholds (CV)")
    parser.add_argument("--fit", action="store_true",
                        help="the shipped procedure (bench/prior_fit.py): category weights fitted in the judge's decision, "
                             "prior = the hand-set weights, cross-validated by source; with --write, writes the file when "
                             "they lose on no source and hold the hard constraints in every fold")
    parser.add_argument("--steps", type=int, default=300, help="with --fit: optimiser steps")
    parser.add_argument("--cases", type=Path, help="with --fit: read the judged mail from this JSON file, or save it there")
    parser.add_argument("--l2", type=float, help="with --fit: a fixed L2 strength (default: chosen by inner CV)")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--rate", type=float, default=1.0, help="perceptron step, in weight points")
    parser.add_argument("--decay", type=float, default=0.2, help="pull towards the hand-set weight per epoch (L2)")
    args = parser.parse_args()
    if args.fit:
        sys.exit(run_fit(args))
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    sources = collect(args)
    if args.perceptron:
        from perceptron import run

        run(sources, args, ROOT)
        return
    names = sorted({h.name for _, inqs, _ in sources for i in inqs for h in i.judgment.signals})
    X, y, src, hand = [], [], [], []
    for label, inqs, truth in sources:
        for inquiry, category in zip(inqs, truth):
            genuine = category == "genuine"
            X.append(vector(inquiry, names))
            y.append(genuine)
            src.append(label)
            hand.append(inquiry.judgment.category == "genuine" and inquiry.judgment.tier != "D")
    model = LogisticRegression(C=args.C, max_iter=2000, class_weight="balanced")
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=15)
    learned = cross_val_predict(model, X, y, cv=folds)
    lines = [f"{len(y)} messages ({sum(y)} genuine), {len(names)} signals, {args.folds}-fold CV, C={args.C}",
             f"{'source':<22}{'n':>6}{'hand-set':>10}{'learned':>10}   (share judged as labelled)"]
    for label, _, _ in sources:
        idx = [k for k, s in enumerate(src) if s == label]
        right_hand = sum(hand[k] == y[k] for k in idx) / len(idx)
        right_learned = sum(bool(learned[k]) == y[k] for k in idx) / len(idx)
        lines.append(f"{label:<22}{len(idx):>6}{right_hand:>10.3f}{right_learned:>10.3f}")
    model.fit(X, y)
    odd = PUBLIC / "phishing_pot-odd"
    if odd.exists():
        held = _judge(_files(odd), load_profile(demo_profile_path()))
        if held:
            pred = model.predict([vector(i, names) for i in held])
            h = sum(not (i.judgment.category == "genuine" and i.judgment.tier != "D") for i in held) / len(held)
            lines.append(f"{'held-out phishing_pot-odd':<22}{len(held):>6}{h:>10.3f}{1 - pred.mean():>10.3f}")
    print("\n".join(lines))
    if args.write:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out = [f"# learned by bench/learn.py on {stamp}: L2 logistic regression, genuine vs not"]
        out += ["# " + line for line in lines]
        out += ["# a positive weight is evidence for a genuine inquiry (log-odds units x 10)", "[weights]"]
        out += [f'"{n}" = {round(10 * w, 1)}' for n, w in zip(names, model.coef_[0])]
        args.write.write_text("\n".join(out) + "\n", encoding="utf-8")
        print(f"weights written to {args.write}")


if __name__ == "__main__":
    main()
