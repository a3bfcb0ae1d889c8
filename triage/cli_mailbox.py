"""Mailbox commands: ``triage fetch`` (IMAP folders in) and the Drafts folder behind ``draft --to-mailbox``.

Each command parses its options, calls one library function (triage.mailbox) and
echoes. Only click is imported at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from triage.cli_common import db_option, errors as _errors, open_store as _store

COMMANDS: list[click.Command] = []


def _command(func):
    COMMANDS.append(func)
    return func


@_command
@click.command("fetch")
@click.option("--account", "account_name", metavar="NAME",
              help="Only this account (its name, or user@host); default: every [[mailbox]] of the profile.")
@click.option("--watch", is_flag=True, help="Keep going: wait for new mail (IDLE, else polling) and survive dropped connections.")
@click.option("--offline", is_flag=True, help="Triage without network lookups (the IMAP server is still read).")
@click.option("--poll", type=click.FloatRange(1, 3600), default=30, show_default=True,
              help="With --watch on a server without IDLE: seconds between reads (doubles while nothing comes).")
@db_option
@_errors
def fetch_command(account_name: str | None, watch: bool, offline: bool, poll: float, db_path: Path | None):
    """Read new mail from the IMAP account(s) in the profile, triage and store it.

    Each folder is read from where the last fetch stopped (UIDVALIDITY and last
    UID kept in the database); the Sent folder tells which inquiries were already
    answered. The password comes from $TRIAGE_IMAP_PASSWORD (or the variable the
    account names) or the OS keyring, never from the profile. Nothing is sent.
    """
    from triage import mailbox
    from triage.pipeline import Options
    from triage.profile import load_profile

    profile = load_profile()
    accounts = _accounts(profile, account_name)
    options = Options(offline=offline)
    with _store(db_path) as store:
        if watch:
            _watch(accounts[0], profile, store, options, poll)
            return
        for account in accounts:
            _echo_report(mailbox.fetch(account, profile, store, options))


def _accounts(profile: Any, name: str | None) -> list[Any]:
    from triage import mailbox

    found = mailbox.accounts(profile)
    if name:
        found = [a for a in found if name in (a.name, a.key)]
    if not found:
        where = f"no [[mailbox]] named {name!r}" if name else "no [[mailbox]] account"
        raise click.ClickException(f"{where} in {profile.path} (see the README: `triage fetch`)")
    return found


def _watch(account: Any, profile: Any, store: Any, options: Any, poll: float) -> None:
    from triage import mailbox

    click.echo(f"watching {account.key} ({', '.join(account.folders)}); Ctrl-C to stop", err=True)
    mailbox.watch(account, profile, store, options, timing=mailbox.Watch(poll=poll),
                  on_report=lambda r: _echo_report(r, quiet=True),
                  on_error=lambda m: click.echo(f"warning: {m}", err=True))


def _echo_report(report: Any, quiet: bool = False) -> None:
    from triage.report import safe

    for folder in report.folders:
        if quiet and not (folder.read or folder.restarted):
            continue
        parts = [f"{folder.read} read"]
        if folder.stored or folder.updated:
            parts += [f"{folder.stored} new", f"{folder.updated} already stored"]
        if folder.answered:
            parts.append(f"{folder.answered} inquiries answered")
        if folder.restarted:
            parts.append("UIDVALIDITY changed: read again from the start")
        click.echo(f"{safe(report.account)} {safe(folder.folder)}: {', '.join(parts)}")
        for error in folder.errors:
            click.echo(f"  error: {safe(error)}", err=True)
    if report.drafts:
        click.echo(f"{report.drafts} draft(s) put in the Drafts folder")


def draft_to_mailbox(ident: int, db_path: Path | None) -> None:
    """``triage draft ID --to-mailbox``: the reply into the first account's Drafts folder."""
    from triage import mailbox
    from triage.profile import load_profile

    profile = load_profile()
    account = _accounts(profile, None)[0]
    with _store(db_path) as store:
        folder = mailbox.draft_to_mailbox(account, store, ident, profile)
    from triage.report import safe

    click.echo(f"draft saved to {safe(account.key)} {safe(folder)} (not sent)", err=True)
