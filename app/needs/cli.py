"""`flask needs ...`: maintenance commands for needs."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db
from app.needs.services import expire_needs

needs_cli = AppGroup("needs", help="Needs maintenance.")


@needs_cli.command("expire")
def expire_command() -> None:
    """Mark open and submitted needs past their end date as expired."""
    count = expire_needs(utcnow())
    db.session.commit()
    click.echo(f"{count} need(s) expired.")
