"""The drafts' bar over ../shared/inquiries: the share of genuine drafts that name the buyer's quantity,
the buyer's incoterm, address each extracted question (answer or "to fill" marker; a mere greeting such as
"Tudo bem?" is no question to answer) and are in the
buyer's language: each line of the draft's own text (quotes and markers out) is identified by
triage.draftcheck from the stopwords and scripts of playbooks/languages.toml, and the draft counts
when most identified lines are in the language detected for the inquiry and none is clearly in
another. "language" is over buyers whose language has templates; "language (all)" over every buyer
whose language was detected (the rest get English with a note). A chat question our side already
answered in the chat (the draft's note "answered in the chat already") is not asked of the reply: it is
listed under "settled", with the reply that answered it, and not counted.

    python bench/draft_bar.py [DIR]     (default: ../shared/inquiries)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

from triage.answers import is_greeting
from triage.templating import languages
from triage.draftcheck import foreign, line_language, line_languages, own_text
from triage.profile import load_profile


def main(directory: Path, verbose: bool = False) -> None:
    out = subprocess.run(["triage", "inquiry", "--offline", "--no-store", "--json",
                          str(directory)], capture_output=True, text=True).stdout
    counts = {"quantity": [0, 0], "incoterm": [0, 0], "questions": [0, 0], "language": [0, 0],
              "language (all)": [0, 0]}
    misses: dict[str, list[str]] = {key: [] for key in counts}
    unquoted: list[str] = []
    settled: list[str] = []
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
        where = (r.get("source") or {}).get("path") or r.get("id") or "?"
        q = (req.get("quantity") or {}).get("value")
        quoted = any(p.get("sku") and profile.product(p["sku"]) for p in req.get("products") or [])
        if q and (req.get("quantity") or {}).get("unit") == "pcs" and not quoted:
            unquoted.append(f"{where}: {int(q):,} pcs, no catalogue product matched")
        elif q and (req.get("quantity") or {}).get("unit") == "pcs":
            forms = {f"{int(q):,}", f"{int(q):,}".replace(",", "."), f"{int(q):,}".replace(",", " "),
                     f"{int(q):,}".replace(",", "\u202f"), f"{int(q):,}".replace(",", "\u00a0")}
            _count(counts, "quantity", any(f in body for f in forms), misses, f"{where}: {int(q):,} pcs")
        if req.get("incoterm") and quoted:  # no offer line (no product matched): no price to put on a term
            term = req["incoterm"].upper().replace("CNF", "CFR")
            _count(counts, "incoterm", term in body, misses, f"{where}: {term}")
        settled_here = _settled(r["draft"])
        for question in [q for q in req.get("questions") or [] if not is_greeting(q)]:
            if question in settled_here:  # our side answered it in the chat: the reply does not repeat it
                settled.append(f"{where}: {question.strip()[:60]} -> {settled_here[question]}")
                continue
            _count(counts, "questions", question.strip()[-40:] in body or question.strip()[:40] in body,
                   misses, f"{where}: {question.strip()[:60]}")
        if r.get("language"):
            ok = in_language(body, r["language"], names + _buyer_names(r))
            _count(counts, "language (all)", ok, misses, f"{where}: {r['language']}")
            if r["language"] in known:
                _count(counts, "language", ok)
    for key, (hit, total) in counts.items():
        print(f"{key:15} {hit}/{total} = {hit / total:.0%}" if total else f"{key:15} n/a")
        for miss in misses[key] if verbose else ():
            print(f"  miss {miss}")
    print(f"{'no product':15} {len(unquoted)} drafts with a quantity but no catalogue product (not counted)")
    for miss in unquoted if verbose else ():
        print(f"  {miss}")
    print(f"{'settled':15} {len(settled)} questions our side answered earlier in the chat (not counted)")
    for item in settled if verbose else ():
        print(f"  {item}")


_SETTLED = re.compile(r'^answered in the chat already: "(.*)" \((.*)\)$')


def _settled(draft: dict) -> dict[str, str]:
    """The questions the draft's notes say our side already answered in the chat, with that reply."""
    found = (_SETTLED.match(n) for n in draft.get("notes") or [])
    return {m.group(1): m.group(2) for m in found if m}


def in_language(body: str, lang: str, names: list[str]) -> bool:
    """Most identified lines of the draft are in ``lang`` and none is clearly in another language."""
    found = [found for _, found in line_languages(body, ignore=names) if found]
    if not found:  # a short draft (a chat reply) whose lines are each too short to tell: read it whole
        found = [line_language(" ".join(own_text(line, names) for line in body.splitlines()))]
    clear = [foreign(own_text(line, names), lang) for line in body.splitlines()]
    return bool(found) and sum(f == lang for f in found) * 2 > len(found) and not any(clear)


def _buyer_names(record: dict) -> list[str]:
    words = [(record.get(k) or {}).get("name") or "" for k in ("contact", "sender", "company")]
    return words + [p.get("text") or "" for p in (record.get("request") or {}).get("products") or []]


def _count(counts, key, ok, misses=None, what=""):
    counts[key][1] += 1
    counts[key][0] += bool(ok)
    if not ok and misses is not None:
        misses[key].append(what)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list each miss")
    parser.add_argument("directory", nargs="?", type=Path, default=Path("../shared/inquiries"),
                        help="the inquiries to draft for (default: ../shared/inquiries)")
    args = parser.parse_args()
    if not args.directory.is_dir():
        parser.error(f"{args.directory}: no such directory")
    main(args.directory, args.verbose)
