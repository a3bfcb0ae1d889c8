"""Learn the genuine-vs-not weights from labelled mail, as SpamAssassin does with its mass-check.

    pip install -e ".[learn]"
    python bench/learn.py [--inquiries DIR] [--corpora DIR] [--public DIR] [--written DIR] [--write FILE]

Runs the shipped signals over every labelled message (offline, through triage.pipeline), builds
one 0/1 vector per message (which named signals hit), and fits an L2-regularised logistic regression
"genuine or not" with stratified k-fold cross-validation. It prints, per source, the cross-validated
share judged as its label for (a) the shipped hand-set weights (the judge's own decision) and (b) the
learned weights, and the held-out phishing_pot-odd figure for both (never used for training).
--write FILE writes the learned weights as a [weights] TOML table ($TRIAGE_HOME/signals.toml format).
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


def _labelled(directory: Path, profile) -> tuple[list, list[str]]:
    labels = {x["file"]: x["category"] for x in json.loads((directory / "labels.json").read_text())}
    paths = [directory / f for f in labels]
    pairs = _judge(paths, profile, with_paths=True)
    return [i for _, i in pairs], [labels[p.name] for p, _ in pairs]


def collect(args) -> list[tuple[str, list, list[bool]]]:
    demo = load_profile(demo_profile_path())
    sources = []
    if (args.inquiries / "labels.json").exists():
        sources.append(("inquiries", *_labelled(args.inquiries, demo)))
    if args.corpora.exists():
        ordinary = [p for d in sorted(args.corpora.iterdir()) if d.is_dir() and d.name != "phishing_pot"
                    for p in _files(d)]
        got = _judge(ordinary, demo)
        sources.append(("ordinary mail", got, ["not_inquiry"] * len(got)))
        if (args.corpora / "phishing_pot").exists():
            got = _judge(_files(args.corpora / "phishing_pot"), demo)
            sources.append(("phishing_pot", got, [NOT_GENUINE] * len(got)))
    for trade in sorted(args.written.iterdir()) if args.written.exists() else []:
        own = trade / "profile.toml"
        if (trade / "labels.json").exists():
            sources.append((f"written/{trade.name}", *_labelled(trade, load_profile(own) if own.exists() else demo)))
    for name in ("spamassassin-spam", "spamassassin-nice"):
        if (args.public / name / "labels.json").exists():
            sources.append((name, *_labelled(args.public / name, demo)))
    return sources


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
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--rate", type=float, default=1.0, help="perceptron step, in weight points")
    parser.add_argument("--decay", type=float, default=0.2, help="pull towards the hand-set weight per epoch (L2)")
    args = parser.parse_args()
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
