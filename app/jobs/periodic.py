"""Periodic work of other features: need expiry, profile reconfirmation, re-embedding."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from app.database import utcnow
from app.jobs.registry import periodic

log = logging.getLogger("umuhuza.worker")


@periodic("expire-needs", every=timedelta(hours=1))
def expire_needs(payload: dict[str, Any]) -> None:
    from app.needs.services import expire_needs as expire

    expired = expire(utcnow())
    if expired:
        log.info("needs expired: %d", expired)


@periodic("profile-reconfirmation", every=timedelta(days=1))
def send_reconfirmation_requests(payload: dict[str, Any]) -> None:
    from app.profiles.services import mark_unconfirmed
    from app.profiles.services import send_reconfirmation_requests as send

    now = utcnow()
    sent = send(now)
    unconfirmed = mark_unconfirmed(now)
    log.info(
        "reconfirmation: %d requests, %d reminders, %d marked unconfirmed",
        sent["requests"],
        sent["reminders"],
        unconfirmed,
    )


# Every minute: a pass with nothing changed is two small queries; an edit shows up quickly.
@periodic("re-embedding", every=timedelta(minutes=1))
def reembed_stale(payload: dict[str, Any]) -> None:
    from app.ranking.services import reembed_stale as reembed

    reembed(utcnow())
