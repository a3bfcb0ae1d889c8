"""Follow-up commands: draft, queue, done, snooze, replied, won, lost (owned by the draft stage).

Each command parses its options, calls one library function and echoes. Heavy
modules are imported inside the commands so that ``triage --help`` stays fast.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import click

from triage.cli_common import db_option, errors as _errors, open_store as _store

COMMANDS: list[click.Command] = []

REVIEW_KEYS = "d=done  s=snooze 3d  r=replied  w=won  l=lost  u=undo the last  n=next  q=quit"
CONFIRMED = {"r": "replied", "w": "won", "l": "lost"}  # close the inquiry: asked again before acting


def _command(func):
    COMMANDS.append(func)
    return func


def date_option(help_text: str):
    return click.option("--date", "day", type=click.DateTime(["%Y-%m-%d"]), default=None, help=help_text)


def _today(day: Any) -> date:
    return day.date() if day else date.today()


def parse_duration(text: str) -> int:
    """'3d' -> 3, '2w' -> 14, '5' -> 5 (days)."""
    match = re.fullmatch(r"\s*(\d+)\s*([dw]?)\s*", text.lower())
    if not match or int(match.group(1)) == 0:
        raise click.BadParameter(f"{text!r}: use a number of days or weeks, e.g. 3d or 2w")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


# -- draft -------------------------------------------------------------------------------


@_command
@click.command("draft")
@click.argument("ident", type=int, metavar="ID")
@click.option("--step", type=int, default=None, help="Draft follow-up step N instead of the reply.")
@click.option("--lang", default=None, help="Language of the draft (default: the buyer's): en, es, pt, fr, de, ru, ar, zh.")
@click.option("--eml", "eml_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the draft as a threaded reply message (.eml, marked X-Unsent) to this file.")
@click.option("--as", "who", default=None, metavar="NAME", help="Sign as this salesperson of the profile (default: the profile's).")
@click.option("--to-mailbox", is_flag=True,
              help="Also put the reply in the mail account's Drafts folder (threaded, flagged \\Draft; never sent).")
@db_option
@_errors
def draft_command(ident: int, step: int | None, lang: str | None, eml_path: Path | None, who: str | None,
                  db_path: Path | None, to_mailbox: bool = False):
    """Print the reply draft for inquiry ID (or follow-up step N's text).

    Phishing and scam get a warning instead of a draft; spam and ordinary mail get nothing.
    """
    from triage import draft as drafting, templating
    from triage.profile import load_profile

    with _store(db_path) as store:
        record = stored_record(store, ident)
    profile = load_profile()
    lang = templating.check_language(lang)
    warning = drafting.warning(record)
    if warning:
        from triage.report import safe

        click.echo(safe("\n".join(warning)))
        return
    result = (drafting.draft_reply(record, profile, lang=lang, salesperson=who) if step is None
              else drafting.draft_followup(record, step, profile, lang=lang, salesperson=who))
    if result is None:
        click.echo(f"No draft: inquiry {ident} is {record.get('category')}, not a buyer to answer.")
        return
    from triage.report import safe

    click.echo(f"Subject: {safe(result.subject)}\n\n{safe(result.body)}", nl=False)
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if eml_path:
        message = drafting.reply_message(record, result, profile, headers=drafting.original_headers(record), who=who)
        eml_path.write_bytes(bytes(message))
        click.echo(f"wrote {eml_path}", err=True)
    if to_mailbox:
        from triage.cli_mailbox import draft_to_mailbox

        draft_to_mailbox(ident, db_path)


def stored_record(store: Any, ident: int) -> dict[str, Any]:
    """The stored record with the row's subject and body and the stored follow-up plan."""
    from triage import store_followups

    record, row = store.get(ident), store.row(ident)
    record.setdefault("subject", row.get("subject"))
    record.setdefault("body", row.get("body"))
    steps = store_followups.plan(store, ident)
    if steps:
        record["followups"] = [{"step": s["step"], "due": s["due"], "purpose": s["purpose"]} for s in steps]
    return record


# -- the queue -------------------------------------------------------------------------------


@_command
@click.command("queue")
@date_option("Show the queue of another day (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.option("--review", is_flag=True, help="Walk through the items one by one with single-key actions.")
@db_option
@_errors
def queue_command(day: Any, as_json: bool, review: bool, db_path: Path | None):
    """Today's work: overdue and due follow-ups, and new inquiries still to answer.

    Ordered by tier (A first) and due date; each line shows the buyer, the product,
    the last touch and the next step.
    """
    from triage import queue, store_followups

    today = _today(day)
    with _store(db_path) as store:
        items = queue.build(store_followups.due_items(store, today), today)
        if review:
            return run_review(store, items, today)
    click.echo(queue.to_json(items, today) if as_json else queue.render(items, today))


def run_review(store: Any, items: list[Any], today: date, getchar=None, echo=click.echo,
               prompt=None) -> dict[int, str]:
    """One item at a time; a key acts on it. Returns {id: action} for the items acted on (an undone one
    is left out). Closing keys (replied, won, lost) ask to confirm, lost asks for its reason; ``u``
    undoes the last action."""
    getchar = getchar or click.getchar
    prompt = prompt or (lambda text: click.prompt(text, default="", show_default=False))
    done: dict[int, str] = {}
    last: list[tuple[dict[str, Any], str]] = []  # (snapshot before the action, what it was)
    echo(f"{len(items)} item(s). {REVIEW_KEYS}")
    for item in items:
        from triage.report import safe

        echo(f"\n#{item.id} [{item.tier or '?'}] {safe(item.buyer)} | {safe(item.product)} | {safe(item.last_touch)}"
             f" | next: {safe(item.next_step)}")
        while True:
            action = _review_key(store, item, today, getchar, echo, prompt, last)
            if action != "undo":
                break
        if action == "quit":
            break
        if action:
            done[item.id] = action
    undone = {t["id"] for t, w in last if w.startswith("undone")}
    return {k: v for k, v in done.items() if k not in undone}


def _review_key(store: Any, item: Any, today: date, getchar, echo, prompt, last) -> str | None:
    from triage import store_followups

    while True:
        key = getchar().lower()
        if key == "q":
            return "quit"
        if key == "n":
            return None
        if key == "u":
            if not last or last[-1][1].startswith("undone"):
                echo("  nothing to undo")
                continue
            taken, what = last[-1]
            store_followups.undo(store, taken, what)
            last[-1] = (taken, "undone " + what)
            echo(f"  #{taken['id']}: {what} undone")
            return "undo"
        before = store_followups.snapshot(store, item.id)
        reason = None
        if key in CONFIRMED:
            status = CONFIRMED[key]
            if key == "l":
                reason = prompt(f"  #{item.id} lost: why? (empty: keep it open)").strip()
                if not reason:
                    echo("  not changed")
                    continue
            else:
                echo(f"  mark #{item.id} {status}? y/n")
                if getchar().lower() != "y":
                    echo("  not changed")
                    continue
            store_followups.stop(store, item.id, status, reason=reason, today=today)
        elif key == "d":
            step = store_followups.mark_done(store, item.id, today=today)
            if step and step.get("repeat"):
                echo(f"  already recorded as sent today; nothing changed")
                continue
        elif key == "s":
            echo(f"  snoozed to {store_followups.snooze(store, item.id, 3, today=today)}")
        else:
            echo(f"  keys: {REVIEW_KEYS}")
            continue
        action = {"d": "done", "s": "snoozed", "r": "replied", "w": "won", "l": "lost"}[key]
        last.append((before, action))
        echo(f"  {action} (u undoes it)")
        return action


# -- actions ---------------------------------------------------------------------------------


@_command
@click.command("done")
@click.argument("ident", type=int, metavar="ID")
@date_option("The day it was sent (default: today).")
@db_option
@_errors
def done_command(ident: int, day: Any, db_path: Path | None):
    """Record that the current step of inquiry ID was sent (the reply, or the next follow-up)."""
    from triage import store_followups

    today = _today(day)
    with _store(db_path) as store:
        _check_open(store, ident)
        step = store_followups.mark_done(store, ident, today=today)
        following = store_followups.next_step(store, ident)
    what = f"step {step['step']} ({step['purpose']})" if step and step["step"] else "reply"
    if step and step.get("repeat"):
        due = f"; next: step {following['step']} due {following['due']}" if following else ""
        click.echo(f"#{ident}: {what} was already recorded as sent {today}; nothing changed{due}")
        return
    later = f"; next: step {following['step']} ({following['purpose']}) on {following['due']}" if following else ""
    click.echo(f"#{ident}: {what} sent {today}{later}")


@_command
@click.command("snooze")
@click.argument("ident", type=int, metavar="ID")
@click.argument("duration", metavar="DURATION")
@date_option("The day to count from (default: today).")
@db_option
@_errors
def snooze_command(ident: int, duration: str, day: Any, db_path: Path | None):
    """Move inquiry ID's next step DURATION later (3d, 2w); later steps move with it."""
    from triage import store_followups

    days = parse_duration(duration)
    with _store(db_path) as store:
        _check_open(store, ident)
        new_due = store_followups.snooze(store, ident, days, today=_today(day))
    click.echo(f"#{ident}: next step now due {new_due}")


@_command
@click.command("replied")
@click.argument("ident", type=int, metavar="ID")
@click.argument("reply_file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--offline", is_flag=True, help="Triage the reply without network lookups.")
@date_option("The day the buyer answered (default: today).")
@db_option
@_errors
def replied_command(ident: int, reply_file: Path | None, offline: bool, day: Any, db_path: Path | None):
    """The buyer of inquiry ID answered: stop its follow-ups.

    With REPLY_FILE (the buyer's .eml or pasted text), the reply is imported and
    triaged as part of the thread, and shows in the queue as new work.
    """
    from triage import store_followups

    with _store(db_path) as store:
        stopped = store_followups.stop(store, ident, "replied", today=_today(day))
        click.echo(f"#{ident}: replied; {stopped} pending step(s) stopped")
        if reply_file:
            _import_reply(store, reply_file, offline, thread=ident)


def _import_reply(store: Any, path: Path, offline: bool, thread: int) -> None:
    from triage.profile import load_profile

    try:
        from triage.pipeline import Options, triage_paths
    except ImportError:
        raise click.ClickException("importing a reply needs the pipeline (triage.pipeline)") from None
    batch = triage_paths([str(path)], profile=load_profile(), options=Options(offline=offline), store=store)
    for result in batch.results:
        store.link_thread(result.id, store.row(thread)["thread_id"] or thread)
        judgment = result.inquiry.judgment
        grade = f" tier {judgment.tier}, {judgment.category}" if judgment else ""
        click.echo(f"imported {path.name} as #{result.id} in the thread of #{thread}:{grade}")
    for error in batch.errors:
        click.echo(f"error: {error}", err=True)


@_command
@click.command("won")
@click.argument("ident", type=int, metavar="ID")
@db_option
@_errors
def won_command(ident: int, db_path: Path | None):
    """Mark inquiry ID as won (an order came); its follow-ups stop."""
    from triage import store_followups

    with _store(db_path) as store:
        store_followups.stop(store, ident, "won", today=date.today())
    click.echo(f"#{ident}: won")


@_command
@click.command("lost")
@click.argument("ident", type=int, metavar="ID")
@click.option("--reason", required=True, help="Why it was lost (price, no answer, competitor, ...).")
@db_option
@_errors
def lost_command(ident: int, reason: str, db_path: Path | None):
    """Mark inquiry ID as lost, with the reason; its follow-ups stop."""
    from triage import store_followups

    with _store(db_path) as store:
        store_followups.stop(store, ident, "lost", reason=reason, today=date.today())
    click.echo(f"#{ident}: lost ({reason})")


def _check_open(store: Any, ident: int) -> None:
    status = store.row(ident)["status"]
    if status not in ("new", "open"):
        raise click.ClickException(f"inquiry {ident} is {status}: nothing to follow up")

