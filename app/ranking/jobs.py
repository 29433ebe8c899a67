"""Background work of ranking: embed changed texts, rank newly opened needs and alert."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from flask import current_app

from app.jobs.registry import job_handler, periodic

log = logging.getLogger("umuhuza.worker.ranking")


@periodic("ranking-embed", every=timedelta(minutes=1))
def embed_changed(payload: dict[str, Any]) -> None:
    """Encode profiles and needs whose content hash has no stored vector, then alert."""
    from app.ranking.services import alert_open_needs, embed_pending

    limit = int(current_app.config.get("MATCHING_EMBED_BATCH_LIMIT", 5000))
    report = embed_pending(limit=limit)
    if report.documents:
        log.info("embedded %d needs and %d profiles", report.needs, report.profiles)
    sent = alert_open_needs()
    if sent:
        log.info("opportunity alerts created: %d", sent)


@job_handler("ranking.embed_pending")
def embed_now(payload: dict[str, Any]) -> None:
    """One-off run (e.g. enqueued by staff after an import)."""
    embed_changed(payload)
