"""Outreach work run by the worker: the outbox pump, scheduled sends, the weekly alert digest."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from app.database import utcnow
from app.extensions import db
from app.jobs.registry import job_handler, periodic
from app.outreach import delivery  # noqa: F401  (registers the outbox pump)
from app.outreach.models import MessageStatus, OutreachMessage

log = logging.getLogger("umuhuza.worker.outreach")


@job_handler("outreach.dispatch_message")
def dispatch_scheduled_message(payload: dict[str, Any]) -> None:
    """Send a scheduled broadcast: the segment is evaluated now, at send time."""
    from app.outreach.services import send_message

    message = db.session.get(OutreachMessage, int(payload["message_id"]))
    if message is None or message.status != MessageStatus.SCHEDULED:
        log.info("scheduled message %s no longer scheduled; skipped", payload.get("message_id"))
        return
    audience = send_message(message, now=utcnow())
    log.info(
        "message %s sent to %d members (%d emails)",
        message.id,
        len(audience.recipient_ids),
        len(audience.email_ids),
    )


@periodic("opportunity-digest", every=timedelta(days=7))
def send_opportunity_digests(payload: dict[str, Any]) -> None:
    from app.outreach.alerts import send_weekly_digests

    count = send_weekly_digests(utcnow())
    log.info("opportunity digests queued: %d", count)
