"""The command line: a thin shell over the library.

Each command parses its options, calls one library function and echoes. Library
errors (TriageError) become one-line messages with a non-zero exit; no traceback
reaches the user. Only click is imported at start-up: every other module is
imported inside the command that needs it, so `triage --help` stays fast.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from triage import __version__
from triage.cli_common import errors
from triage.cli_admin import COMMANDS as ADMIN_COMMANDS
from triage.cli_followup import COMMANDS as FOLLOWUP_COMMANDS
from triage.cli_learn import COMMANDS as LEARN_COMMANDS
from triage.cli_mailbox import COMMANDS as MAILBOX_COMMANDS
from triage.cli_web import COMMANDS as WEB_COMMANDS
from triage.cli_signals import COMMANDS as SIGNAL_COMMANDS

PASTE_END = "."


def lang_option(func):
    return click.option("--lang", type=click.Choice(["en", "zh"]), default=None,
                        help="Language of the report's labels and playbooks (default: the profile's, else en).")(func)


def filter_options(func):
    options = [
        click.option("--since", metavar="DATE", help="Received on or after this date (YYYY-MM-DD)."),
        click.option("--until", metavar="DATE", help="Received on or before this date (YYYY-MM-DD)."),
        click.option("--tier", type=click.Choice(list("ABCDabcd")), help="Only this tier."),
        click.option("--category", type=click.Choice(
            ["genuine", "phishing", "scam", "competitor", "spam", "not_inquiry"]), help="Only this category."),
        click.option("--country", metavar="CC", help="Only buyers from this country (ISO alpha-2)."),
        click.option("--status", help="Only this status (new, open, replied, won, lost)."),
        click.option("--search", "text", metavar="TEXT", help="Text in the subject, body, company or e-mail."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="triage")
def main():
    """triage: turn buyer inquiries into a decision and a next step.

    \b
    Typical day:
      triage inquiry mail.eml        triage one inquiry (or paste one: triage inquiry)
      triage inquiry inbox.mbox      triage a whole mailbox, stored for later
      triage queue                   today's follow-ups and new inquiries
      triage show 12                 one stored inquiry again

    Data lives in $TRIAGE_HOME (default: your user data directory).
    """


def _lang(lang: str | None, profile) -> str:
    return lang or profile.company.get("lang") or os.environ.get("TRIAGE_LANG") or "en"


@main.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per inquiry, one per line.")
@click.option("--offline", is_flag=True, help="No network at all: cached lookups and offline checks only.")
@click.option("--refresh", is_flag=True, help="Look the sender's domain and website up again, ignoring the cache.")
@click.option("--no-store", is_flag=True, help="Do not save to the database.")
@click.option("--workers", type=click.IntRange(1, 64), default=16, show_default=True,
              help="Parallel lookups in a batch.")
@lang_option
@errors
def inquiry(paths, as_json, offline, refresh, no_store, workers, lang):
    """Triage inquiries: .eml, mbox, .txt (pasted text), directories, or - for standard input.

    With no PATH in a terminal, paste the inquiry and finish with Ctrl-D
    (or a line holding a single '.').
    """
    from triage.pipeline import Options, triage_items
    from triage.profile import load_profile

    profile = load_profile()
    lang = _lang(lang, profile)
    if profile.demo:
        from triage.report import labels

        click.echo(labels(lang)["demo"].format(name=profile.company["name"]), err=True)
    else:
        from triage.catalogue import is_demo

        if is_demo(profile.products):
            click.echo("Your profile still carries the DEMO company's catalogue (products, prices, certificates): "
                       "drafts quote them as yours. Run `triage init --force --catalogue FILE`.", err=True)
    source = _sources(paths)
    options = Options(offline=offline, refresh=refresh, workers=workers)
    store = None if no_store else _store()
    try:
        with _progress(len(paths) > 1 or any(Path(p).is_dir() for p in paths if p != "-")) as progress:
            batch = triage_items(source, profile, options, store, progress=progress)
    finally:
        if store is not None:
            store.close()
    _print_batch(batch, as_json=as_json, lang=lang)
    if batch.errors:
        click.echo(f"\n{len(batch.errors)} input(s) could not be triaged:", err=True)
        from triage.report import safe

        for error in batch.errors:
            click.echo(f"  {safe(error)}", err=True)
    skipped = _skipped(paths)
    if skipped:
        click.echo(f"\n{len(skipped)} file(s) skipped:", err=True)
        for line in skipped:
            click.echo(f"  {line}", err=True)
    if batch.read > 1 or batch.interrupted:
        click.echo(batch.summary(), err=True)
    if batch.interrupted:
        sys.exit(130)
    if batch.errors:
        sys.exit(1)


def _skipped(paths) -> list[str]:
    from triage.inputs import skipped_files
    from triage.report import safe

    return [safe(line) for line in skipped_files(paths or ())]


def _sources(paths):
    from triage.inputs import Item, items

    if paths:
        return items(paths)
    if sys.stdin.isatty():
        text = _paste()
        return [Item("<pasted>", "text", raw=text.encode("utf-8"))]
    return items(["-"])


def _paste() -> str:
    click.echo("Paste the inquiry, then press Ctrl-D (or type a line with a single '.'):", err=True)
    lines = []
    for line in sys.stdin:
        if line.strip() == PASTE_END:
            break
        lines.append(line)
    text = "".join(lines)
    if not text.strip():
        raise click.ClickException("nothing was pasted")
    return text


class _Bar:
    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.bar = None

    def __enter__(self):
        return self if self.enabled else None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="looking buyers up", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)


def _progress(enabled: bool) -> _Bar:
    return _Bar(enabled)


def _print_batch(batch, *, as_json: bool, lang: str) -> None:
    from triage.report import labels, render

    t = labels(lang)
    for n, result in enumerate(batch.results):
        record = result.record
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False, default=str))
            continue
        if n:
            click.echo("")
        click.echo(render(record, lang=lang, color=None, advice=_advice(record, lang)))
        if result.id:
            click.echo(click.style(t["stored" if result.created else "updated"].format(id=result.id), dim=True))


def _advice(record: dict, lang: str) -> list[str]:
    persona = record.get("persona") or {}
    if not persona.get("type"):
        return []
    from triage.persona import playbook_summary

    return playbook_summary(persona["type"], lang)


def _store():
    from triage.store import Store

    return Store()


@main.command()
@click.argument("ident", type=int, metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="Print the stored JSON record.")
@lang_option
@errors
def show(ident, as_json, lang):
    """Show one stored inquiry."""
    from triage.profile import load_profile
    from triage.report import render

    with _store() as store:
        record = store.get(ident)
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    lang = _lang(lang, load_profile())
    click.echo(render(record, lang=lang, advice=_advice(record, lang)))


@main.command(name="list")
@filter_options
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many rows.")
@click.option("--json", "as_json", is_flag=True, help="JSON lines instead of a table.")
@errors
def list_(since, until, tier, category, country, status, text, limit, as_json):
    """List stored inquiries, newest first."""
    from triage.report import safe
    from triage.store import Filters

    with _store() as store:
        rows = store.query(Filters(since, until, tier, category, country, status, text, limit))
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        who = safe(row["company_name"] or row["contact_name"] or row["sender_email"] or "?")[:32]
        click.echo(f"{row['id']:>5}  {(row['received'] or '')[:10]:10}  {row['tier'] or '-'}  "
                   f"{(row['category'] or '-'):<11} {row['country'] or '--':2}  {who:<32}  {safe(row['subject'] or '')[:50]}")
    if not rows and not as_json:
        click.echo("no inquiries match", err=True)


@main.command()
@filter_options
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--ics", type=click.Path(dir_okay=False, writable=True), help="Write the due follow-ups as calendar events.")
@errors
def export(since, until, tier, category, country, status, text, fmt, output, ics):
    """Export stored inquiries as CSV or JSON, or follow-ups as an .ics calendar."""
    from triage.store import Filters

    with _store() as store:
        _export(store, ics, fmt, output, Filters(since, until, tier, category, country, status, text))


def _export(store, ics, fmt, output, filters) -> None:
    from triage.exporting import export_ics, export_records

    if ics:
        count = export_ics(store, Path(ics))
        click.echo(f"{count} follow-up(s) written to {ics}", err=True)
        return
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        count = export_records(store, filters, fmt, stream)
    finally:
        if output:
            stream.close()
    if output:
        click.echo(f"{count} inquiries written to {output}", err=True)


@main.command(name="eval")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--expect", type=click.Choice(["genuine", "not-genuine"]),
              help="DIRECTORY is unlabelled: report the share of its mail judged as expected, and the misses with -v.")
@click.option("-v", "--verbose", is_flag=True, help="List every miss.")
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fail (exit 1) if a figure falls below this JSON baseline.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--profile", "profile_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Seller profile the labels were written for (default: the shipped demo seller's).")
@errors
def eval_(directory, expect, verbose, baseline, as_json, profile_file):
    """Measure extraction, category, tier and persona against a labelled directory (offline)."""
    from triage.evaluate import check_baseline, evaluate, evaluate_expect, render, render_expect
    from triage.profile import demo_profile_path, load_profile

    if expect:
        found = evaluate_expect(directory, expect, profile=load_profile(profile_file or demo_profile_path()))
        click.echo(json.dumps(found.figures(), indent=2) if as_json else render_expect(found, verbose=verbose))
        return

    report = evaluate(directory, profile=load_profile(profile_file or demo_profile_path()))
    click.echo(json.dumps(report.figures(), indent=2) if as_json else render(report, verbose=verbose))
    if baseline:
        failures = check_baseline(report, json.loads(baseline.read_text()))
        for failure in failures:
            click.echo(f"below baseline: {failure}", err=True)
        if failures:
            sys.exit(1)


@main.command()
@click.option("--catalogue", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Import the product catalogue from a CSV or XLSX (columns sku,name,aliases,moq,price_min,"
                   "price_max,breaks,certifications; breaks as 1000:0.25;5000:0.21); previewed before it is imported.")
@click.option("--force", is_flag=True, help="Overwrite an existing profile.")
@click.option("--defaults", is_flag=True, help="Take every default without asking (starts from the demo profile).")
@errors
def init(catalogue, force, defaults):
    """Describe your company, step by step: writes $TRIAGE_HOME/profile.toml."""
    from triage.setup import write_profile

    from triage.setup import summary

    path = write_profile(catalogue=catalogue, force=force, ask=None if defaults else click.prompt,
                         confirm=None if defaults else click.confirm, echo=click.echo)
    click.echo("\n".join(summary(path)))


def _guarded(command: click.Command) -> click.Command:
    """Every command and sub-command of the stage modules gets the same error guard as ours."""
    if command.callback is not None:
        command.callback = errors(command.callback)
    for sub in getattr(command, "commands", {}).values():
        _guarded(sub)
    return command


for _command in SIGNAL_COMMANDS + FOLLOWUP_COMMANDS + ADMIN_COMMANDS + LEARN_COMMANDS:
    main.add_command(_guarded(_command))

for _command in MAILBOX_COMMANDS + WEB_COMMANDS:
    main.add_command(_guarded(_command))
