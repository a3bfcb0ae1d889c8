"""`triage signals`: list the scoring signals and run their examples (owned by the judge stage)."""

import click

COMMANDS: list[click.Command] = []
