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
    """Embed changed needs and profiles, committing after each stored batch, then send alerts.

    SQLite has one write lock, held from a transaction's first write to its commit. Embedding
    the whole backlog in the job's one transaction held it while the model encoded the later
    batches, longer than any busy timeout: web writes answered 500 "database is locked" during
    the first pass. Committing each batch holds the lock only while one batch's vectors are
    inserted; the encoding runs outside any write. A batch lost to a crash is simply pending
    again (the pass is idempotent).
    """
    from app.extensions import db
    from app.ranking.services import reembed_stale as reembed

    reembed(utcnow(), progress=lambda _stored: db.session.commit())
