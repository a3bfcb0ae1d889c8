"""`triage signals`: list the scoring signals and run their examples (owned by the judge stage).

Heavy modules are imported inside the commands so that `triage --help` stays fast.
"""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []


def _load():
    from triage.errors import TriageError
    from triage.judge import load_signals

    try:
        return load_signals()
    except TriageError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(name="signals", invoke_without_command=True)
@click.option("--group", "group", default=None, help="Only signals of this group (money, authority, need, authenticity, phishing, ...).")
@click.option("--all", "show_all", is_flag=True, help="Also list signals switched off in your signals.toml.")
@click.pass_context
def signals_cmd(ctx: click.Context, group: str | None, show_all: bool) -> None:
    """List the judge's signals with their current weights and where each weight was set.

    Change a weight or switch a signal off in $TRIAGE_HOME/signals.toml:

    \b
        [weights]
        free_mail_big_company = 0
        [disabled]
        names = ["urgency"]
    """
    if ctx.invoked_subcommand is not None:
        return
    sset = _load()
    for sig in sset.signals:
        if (group and sig.group != group) or (not sig.enabled and not show_all):
            continue
        where = "user" if sset.user_file and sig.weight_source == str(sset.user_file) else "shipped"
        state = "" if sig.enabled else " [off]"
        click.echo(f"{sig.name:30} {sig.group:13} {sig.weight:+6g}  {where}:{_short(sig.weight_source)}{state}")
        click.echo(f"    {sig.description}")


def _short(path: str) -> str:
    from pathlib import Path

    return Path(path).name


@signals_cmd.command(name="test")
@click.option("-v", "--verbose", is_flag=True, help="Print every failing example in full.")
def signals_test(verbose: bool) -> None:
    """Run every signal's examples (must fire) and counter-examples (must not); exit 1 on a failure."""
    from triage.profile import load_profile
    from triage.judge.examples import run_examples

    sset = _load()
    count, failures = run_examples(sset, load_profile(_demo_profile_path()))
    for failure in failures:
        click.echo(str(failure) if not verbose else f"{failure}\n    {failure.example!r}", err=True)
    click.echo(f"{count} examples, {len(failures)} failed")
    if failures:
        raise SystemExit(1)


def _demo_profile_path():
    """Examples are written for the shipped demo seller, whatever the user's own profile."""
    from triage.profile import demo_profile_path

    return demo_profile_path()


COMMANDS.append(signals_cmd)
