"""Follow-up commands: draft, queue, done, snooze, replied, won, lost (owned by the draft stage)."""

import click

COMMANDS: list[click.Command] = []
