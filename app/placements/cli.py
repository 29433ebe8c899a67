"""`flask placements ...`: the periodic services, runnable by hand or from cron."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db

placements_cli = AppGroup("placements", help="Placement reminders and evaluation waves.")


@placements_cli.command("remind")
def remind_command() -> None:
    """Remind institutions of professionals waiting for an answer."""
    from app.placements.services import send_response_reminders

    count = send_response_reminders(utcnow())
    db.session.commit()
    click.echo(f"{count} placement(s) reminded.")


@placements_cli.command("followups")
def followups_command() -> None:
    """Send the follow-up evaluation wave that is due."""
    from app.placements.services import send_due_followups

    count = send_due_followups(utcnow())
    db.session.commit()
    click.echo(f"{count} follow-up wave(s) sent.")
