#!/usr/bin/env python3
"""Export public mail corpora from their fetched git mirrors into plain directories.

The corpora are third-party material and never enter this repository. Each source below
names the mirror (a bare git directory under /work/.mirror, brought there by `fetch`),
the paths in it to export, and the category our labels give every message in it. Each
exported directory gets a labels.json in the format of ../shared/LABELS.md (category,
tier D, persona null; the fields are not stated) plus `source`, `split` and `expect`
keys, so `triage eval` and the weight-learning procedure can read it like any other
labelled set.

    python3 bench/corpus/extract_public.py /work/corpora-public
    python3 bench/corpus/extract_public.py --mirror-root /elsewhere OUT [NAME ...]

Files are read with `git show <commit>:<path>`, so no work tree is needed.
"""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    name: str  # output directory under OUT
    mirror: str  # directory under the mirror root (owner+repo)
    under: str  # folder inside the repository
    category: str  # our category for every message in it
    split: str  # "train" (may be learned from) or "test" (held out, never trained on)
    licence: str
    pick: str = "all"  # "all", "odd" or "even": phishing_pot's samples by their number
    note: str = ""
    skip: tuple[str, ...] = ()  # files in the folder that are no mail message


SOURCES = (
    Source("spamassassin-spam", "apache+spamassassin", "t/data/spam", "spam", "train", "Apache-2.0",
           note="SpamAssassin's own test spam: bulk junk, some phishing and advance-fee mail",
           skip=("bsmtp", "bsmtpnull")),  # an SMTP transcript and an empty file, not messages
    Source("spamassassin-nice", "apache+spamassassin", "t/data/nice", "not_inquiry", "train", "Apache-2.0",
           note="SpamAssassin's ham test messages: mailing-list and personal mail"),
    Source("phishing_pot-odd", "rf-peixoto+phishing_pot", "email", "phishing", "test", "CC BY-NC 4.0", pick="odd",
           note="odd-numbered samples, which ../shared lacks: HELD-OUT TEST ONLY, never training"),
)


def git(mirror: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(mirror), *args], check=True, capture_output=True).stdout


def wanted(path: str, pick: str) -> bool:
    if pick == "all":
        return True
    number = re.search(r"(\d+)\.eml$", path)
    return bool(number) and int(number.group(1)) % 2 == (1 if pick == "odd" else 0)


def export(source: Source, mirror_root: Path, out: Path) -> int:
    mirror = mirror_root / source.mirror / "repo"
    if not mirror.is_dir():
        raise SystemExit(f"{source.name}: no mirror at {mirror} (bring it with fetch github:{source.mirror.replace('+', '/')})")
    commit = git(mirror, "rev-parse", "HEAD").decode().strip()
    listing = git(mirror, "ls-tree", "-r", "-z", "--name-only", commit, "--", source.under).decode()
    paths = sorted(p for p in listing.split("\0")
                   if p and wanted(p, source.pick) and p.rsplit("/", 1)[-1] not in source.skip)
    target = out / source.name
    target.mkdir(parents=True, exist_ok=True)
    labels = []
    for path in paths:
        name = path[len(source.under):].strip("/").replace("/", "_")
        if not name.endswith(".eml"):
            name += ".eml"
        (target / name).write_bytes(git(mirror, "show", f"{commit}:{path}"))
        labels.append({"file": name, "category": source.category, "tier": "D", "persona": None, "fields": {},
                       "expect": "genuine" if source.category == "genuine" else "not-genuine",
                       "split": source.split, "source": f"github:{source.mirror.replace('+', '/')}@{commit}:{path}"})
    (target / "labels.json").write_text(json.dumps(labels, indent=1) + "\n", encoding="utf-8")
    (target / "SOURCE.md").write_text(
        f"# {source.name}\n\nFrom github:{source.mirror.replace('+', '/')} at {commit}, `{source.under}`"
        f" ({source.pick} files). Licence: {source.licence}. Category: {source.category}. Split: {source.split}.\n"
        f"{source.note}\n", encoding="utf-8")
    return len(labels)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to export into, e.g. /work/corpora-public")
    parser.add_argument("names", nargs="*", help="sources to export (default: all): " + ", ".join(s.name for s in SOURCES))
    parser.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"), help="where fetch put the mirrors")
    args = parser.parse_args(argv)
    chosen = [s for s in SOURCES if not args.names or s.name in args.names]
    for source in chosen:
        print(f"{source.name}: {export(source, args.mirror_root, args.out)} messages ({source.category}, {source.split})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
