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


# Documents embedded per transaction by the re-embedding job (MATCHING_EMBED_COMMIT_EVERY).
EMBED_COMMIT_EVERY = 64


# Every minute: a pass with nothing changed is two small queries; an edit shows up quickly.
@periodic("re-embedding", every=timedelta(minutes=1))
def reembed_stale(payload: dict[str, Any]) -> None:
    """Embed changed needs and profiles in small committed chunks, then send need alerts.

    SQLite has one write lock, held from a transaction's first write to its commit. Embedding
    the whole backlog (up to MATCHING_EMBED_BATCH_LIMIT documents) in the job's one transaction
    held it while the model encoded the later batches, longer than any busy timeout: web writes
    answered 500 "database is locked" during the first pass. Committing each chunk holds the lock
    only while one chunk's vectors are inserted; the encoding runs outside any write. A chunk
    left half-done by a crash is simply pending again (the pass is idempotent).
    """
    from flask import current_app

    from app.extensions import db
    from app.ranking.services import alert_open_needs, embed_pending

    total = int(current_app.config.get("MATCHING_EMBED_BATCH_LIMIT", 5000))
    chunk = max(1, int(current_app.config.get("MATCHING_EMBED_COMMIT_EVERY", EMBED_COMMIT_EVERY)))
    needs = profiles = 0
    while needs + profiles < total:
        report = embed_pending(limit=min(chunk, total - needs - profiles))
        db.session.commit()
        needs, profiles = needs + report.needs, profiles + report.profiles
        if report.documents < chunk:
            break  # nothing (more) pending
    if needs or profiles:
        log.info("embedded %d needs and %d profiles", needs, profiles)
    alert_open_needs()
