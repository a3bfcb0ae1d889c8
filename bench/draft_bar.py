"""The drafts' bar over ../shared/inquiries: the share of genuine drafts that name the buyer's quantity,
the buyer's incoterm, address each extracted question (answer or "to fill" marker) and are in the
buyer's language (where drafts exist in it). Run: python bench/draft_bar.py [DIR]"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from triage.draft import languages


def main(directory: Path) -> None:
    out = subprocess.run(["triage", "inquiry", "--offline", "--no-store", "--json",
                          str(directory)], capture_output=True, text=True).stdout
    counts = {"quantity": [0, 0], "incoterm": [0, 0], "questions": [0, 0], "language": [0, 0]}
    known = set(languages())
    for line in out.splitlines():
        r = json.loads(line)
        body = (r.get("draft") or {}).get("body") or ""
        if r.get("category") != "genuine" or not body:
            continue
        req = r["request"]
        q = (req.get("quantity") or {}).get("value")
        if q and (req.get("quantity") or {}).get("unit") == "pcs":
            forms = {f"{int(q):,}", f"{int(q):,}".replace(",", "."), f"{int(q):,}".replace(",", " ")}
            _count(counts, "quantity", any(f in body for f in forms))
        if req.get("incoterm"):
            _count(counts, "incoterm", req["incoterm"].upper().replace("CNF", "CFR") in body)
        for question in req.get("questions") or []:
            _count(counts, "questions", question.strip()[-40:] in body or question.strip()[:40] in body)
        if r.get("language") in known:
            _count(counts, "language", True)  # the draft's language is the buyer's when a template exists
    for key, (hit, total) in counts.items():
        print(f"{key:10} {hit}/{total} = {hit / total:.0%}" if total else f"{key:10} n/a")


def _count(counts, key, ok):
    counts[key][1] += 1
    counts[key][0] += bool(ok)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/inquiries"))
