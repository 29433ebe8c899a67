"""`flask profiles reconfirm`: ask members to confirm their availability, mark the silent ones."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.database import utcnow
from app.extensions import db
from app.profiles import services

profiles_cli = AppGroup("profiles", help="Diaspora professionals' profiles.")


@profiles_cli.command("reconfirm")
def reconfirm() -> None:
    """Send due re-confirmation requests and reminders, then mark unanswered profiles."""
    now = utcnow()
    sent = services.send_reconfirmation_requests(now)
    db.session.commit()
    marked = services.mark_unconfirmed(now)
    db.session.commit()
    click.echo(
        f"Requests sent: {sent['requests']}, reminders sent: {sent['reminders']}, "
        f"marked unconfirmed: {marked}."
    )
