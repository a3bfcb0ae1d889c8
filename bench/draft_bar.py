"""The drafts' bar over ../shared/inquiries: the share of genuine drafts that name the buyer's quantity,
the buyer's incoterm, address each extracted question (answer or "to fill" marker) and are in the
buyer's language: each line of the draft's own text (quotes and markers out) is identified by
triage.draftcheck from the stopwords and scripts of playbooks/languages.toml, and the draft counts
when most identified lines are in the language detected for the inquiry and none is clearly in
another. "language" is over buyers whose language has templates; "language (all)" over every buyer
whose language was detected (the rest get English with a note).

    python bench/draft_bar.py [DIR]     (default: ../shared/inquiries)
"""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

from triage.draft import languages
from triage.draftcheck import foreign, line_languages, own_text
from triage.profile import load_profile


def main(directory: Path) -> None:
    out = subprocess.run(["triage", "inquiry", "--offline", "--no-store", "--json",
                          str(directory)], capture_output=True, text=True).stdout
    counts = {"quantity": [0, 0], "incoterm": [0, 0], "questions": [0, 0], "language": [0, 0],
              "language (all)": [0, 0]}
    known = set(languages())
    profile = load_profile()
    names = [profile.company.get("name", ""), profile.name] + [n for p in profile.products
                                                             for n in (p.sku, p.name, *p.aliases)]
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
        if r.get("language"):
            ok = in_language(body, r["language"], names + _buyer_names(r))
            _count(counts, "language (all)", ok)
            if r["language"] in known:
                _count(counts, "language", ok)
    for key, (hit, total) in counts.items():
        print(f"{key:15} {hit}/{total} = {hit / total:.0%}" if total else f"{key:15} n/a")


def in_language(body: str, lang: str, names: list[str]) -> bool:
    """Most identified lines of the draft are in ``lang`` and none is clearly in another language."""
    found = [found for _, found in line_languages(body, ignore=names) if found]
    clear = [foreign(own_text(line, names), lang) for line in body.splitlines()]
    return bool(found) and sum(f == lang for f in found) * 2 > len(found) and not any(clear)


def _buyer_names(record: dict) -> list[str]:
    words = [(record.get(k) or {}).get("name") or "" for k in ("contact", "sender", "company")]
    return words + [p.get("text") or "" for p in (record.get("request") or {}).get("products") or []]


def _count(counts, key, ok):
    counts[key][1] += 1
    counts[key][0] += bool(ok)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=Path("../shared/inquiries"),
                        help="the inquiries to draft for (default: ../shared/inquiries)")
    args = parser.parse_args()
    if not args.directory.is_dir():
        parser.error(f"{args.directory}: no such directory")
    main(args.directory)
