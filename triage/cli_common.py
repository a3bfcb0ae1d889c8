"""What every command shares: library errors as one line, no traceback ever reaching the user."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click


def errors(func):
    """TriageError -> a one-line click error; Ctrl-C -> exit 130 quietly."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from triage.errors import TriageError

        try:
            return func(*args, **kwargs)
        except TriageError as exc:
            raise click.ClickException(_clean(str(exc))) from None
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `triage list | head`: the reader left; stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the last guard: one line, never a traceback
            if os.environ.get("TRIAGE_DEBUG"):
                raise
            where = log_internal_error(exc)
            raise click.ClickException(f"internal error ({type(exc).__name__}: {_clean(str(exc))[:200]}); "
                                       f"details in {where}" if where else
                                       "set TRIAGE_DEBUG=1 to see the traceback") from None

    return wrapper


def log_internal_error(exc: BaseException) -> Path | None:
    """Append the traceback of an unexpected error to $TRIAGE_HOME/triage.log; its path, or None."""
    import traceback
    from datetime import datetime, timezone

    try:
        from triage.paths import user_dir

        path = user_dir() / "triage.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with path.open("a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(f"{stamp} internal error in: triage {' '.join(sys.argv[1:2])}\n")
            log.write("".join(traceback.format_exception(exc)) + "\n")
        return path
    except Exception:  # noqa: BLE001 - the log is a help, never a second failure
        return None


def _clean(text: str) -> str:
    from triage.report import safe

    return safe(text)


def db_option(func):
    """--db: another database file than $TRIAGE_HOME/triage.db."""
    return click.option(
        "--db", "db_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
        help="Database file (default: $TRIAGE_HOME/triage.db).",
    )(func)


def open_store(db_path: Path | None = None):
    from triage.store import Store

    return Store(db_path)
