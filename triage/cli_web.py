"""``triage serve``: the queue and inquiries in a browser (triage.web), on 127.0.0.1 only."""

from __future__ import annotations

from pathlib import Path

import click

from triage.cli_common import db_option, errors as _errors

COMMANDS: list[click.Command] = []


@click.command("serve")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: any free one).")
@db_option
@_errors
def serve_command(port: int, db_path: Path | None):
    """Review the morning queue and inquiries in a browser, on 127.0.0.1 only.

    Prints a URL with a random token: open it (it is the only way in). Actions
    there write the same database as the commands. Needs Flask (pip install 'triage[web]').
    """
    try:
        from triage.web import serve
        import flask  # noqa: F401
    except ImportError:
        raise click.ClickException("triage serve needs Flask: pip install 'triage[web]'") from None
    serve(db_path, port, echo=lambda line: click.echo(line, err=True))


COMMANDS.append(serve_command)
