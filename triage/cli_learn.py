"""`triage mark`: the user's verdict on a stored inquiry, which the token model learns from.

Parses its options, calls one library function and echoes, as every command does.
"""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli_common import db_option, errors, open_store

COMMANDS: list[click.Command] = []

# The judge's categories (triage.learning.CATEGORIES; listed here so `--help` needs no import).
CATEGORIES = ("spam", "phishing", "scam", "competitor", "not_inquiry", "genuine")
MIN_MARKS = 5  # what the shipped learned signals ask of each category compared (learned.toml's min_marks)


@click.command("mark")
@click.argument("ident", metavar="ID")
@click.argument("category", metavar="CATEGORY")
@db_option
@errors
def mark_command(ident: str, category: str, db_path: Path | None):
    """Record your verdict on inquiry ID: spam, phishing, scam, competitor, not_inquiry or genuine.

    \b
    The stored inquiry then shows your category (anything but genuine is tier D), the
    queue leaves it out unless it is genuine, and your token model learns from its words:
    once two categories have 5 marks each, new mail that reads like one of them gets that
    category's learned signal (triage signals lists them). Marking again replaces the
    verdict and what was learned from it.

    \b
    Example:
      triage mark 12 scam      (a new wave of "supplier verification fee" mails)
      triage mark 12 genuine   (it was a real buyer after all)
    """
    from triage.store_marks import mark, mark_counts

    # checked here rather than by click's types, so that a mistake is one line, not a usage block
    if not ident.isdigit():
        raise click.ClickException(f"{ident!r} is no inquiry ID: give the number `triage list` shows")
    if category not in CATEGORIES:
        raise click.ClickException(f"{category!r} is not one of {', '.join(CATEGORIES)}")
    with open_store(db_path) as store:
        done = mark(store, int(ident), category)
        counts = mark_counts(store)
    judged = f"{done.judged} {done.judged_tier or ''}".strip() if done.judged else "nothing"
    again = f", replacing your earlier {done.previous}" if done.previous and done.previous != category else ""
    click.echo(f"#{ident} marked {category} (the judge said {judged}{again}); {done.tokens} tokens learned")
    click.echo("marks: " + ", ".join(f"{c} {n}" for c, n in sorted(counts.items())) + "; " + _readiness(counts))


def _readiness(counts: dict[str, int]) -> str:
    ready = [c for c, n in counts.items() if n >= MIN_MARKS]
    if len(ready) >= 2:
        return "the learned signals are on for " + ", ".join(sorted(ready))
    return f"the learned signals stay silent until two categories have {MIN_MARKS} marks each"


COMMANDS.append(mark_command)
