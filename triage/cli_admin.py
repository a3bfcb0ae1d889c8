"""Admin commands: backup, restore, forget (owned by the hardening work)."""

import click

COMMANDS: list[click.Command] = []
