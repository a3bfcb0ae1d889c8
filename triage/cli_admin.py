"""Admin commands: backup, restore, forget (owned by the hardening work).

Each command parses its options, calls one store function and echoes what it did.
"""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli_common import db_option, errors as _errors, open_store as _store

COMMANDS: list[click.Command] = []


def _command(func):
    COMMANDS.append(func)
    return func


@_command
@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@_errors
def backup_command(file: Path, db_path: Path | None):
    """Copy the database to FILE, consistently, even while other triage commands use it."""
    with _store(db_path) as store:
        count = store.backup(file)
    click.echo(f"{count} inquiries backed up to {file}")


@_command
@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
@_errors
def restore_command(file: Path, yes: bool, db_path: Path | None):
    """Replace the database with the backup FILE.

    FILE must be a triage database that passes SQLite's integrity check. The
    current database is kept beside it as triage.db.before-restore-STAMP.
    """
    from triage.paths import database_path
    from triage.store import restore

    target = db_path or database_path()
    if not yes:
        click.confirm(f"Replace {target} with {file}? (the current one is kept as a copy)", abort=True)
    kept, count = restore(file, target)
    if kept:
        click.echo(f"previous database kept as {kept}")
    click.echo(f"{count} inquiries restored from {file}")


@_command
@click.command("forget")
@click.argument("who", metavar="EMAIL-OR-DOMAIN")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@db_option
@_errors
def forget_command(who: str, yes: bool, db_path: Path | None):
    """Remove everything kept about a buyer (e.g. on a GDPR request).

    EMAIL-OR-DOMAIN is an address (buyer@example.com) or a whole company
    domain (example.com; a free-mail domain such as gmail.com is refused).
    You are shown what and how many will go before anything is removed. Their inquiries and drafts, follow-ups, events and cached
    lookups are deleted and the database file is compacted, so the data is
    gone from disk (backups you made are not touched).
    """
    from triage.report import safe
    from triage.store_forget import forget, forget_preview

    with _store(db_path) as store:
        if not yes:
            plan = forget_preview(store, who)
            shown = ", ".join(safe(a) for a in plan["addresses"][:10])
            more = f" and {len(plan['addresses']) - 10} more" if len(plan["addresses"]) > 10 else ""
            click.echo(f"{safe(plan['who'])}: {plan['inquiries']} inquiries from {len(plan['addresses'])} "
                       f"address(es){': ' + shown + more if shown else ''} will be deleted, with their follow-ups "
                       "and events; other inquiries, restore copies and cached lookups that name them are scrubbed.")
            click.confirm(f"Remove everything kept about {safe(plan['who'])}?", abort=True)
        gone = forget(store, who)
    click.echo(f"forgot {safe(gone.who)}: {gone.inquiries} inquiries (with their drafts), "
               f"{gone.followups} follow-ups, {gone.events} events, {gone.lookups} cached lookups"
               + (f"; scrubbed from {gone.mentions} other inquiries that named them" if gone.mentions else "")
               + (f"; forgotten in {gone.copies} restore copies too" if gone.copies else ""))
