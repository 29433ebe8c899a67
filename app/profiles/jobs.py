"""Profile work run by the worker: reading an uploaded CV under limits."""

from __future__ import annotations

import logging
from typing import Any

from app.extensions import db
from app.jobs.registry import job_handler, on_final_failure
from app.profiles import cv
from app.profiles.models import CVDocument

log = logging.getLogger("umuhuza.worker.profiles")


@job_handler(cv.READ_JOB)
def read_uploaded_cv(payload: dict[str, Any]) -> None:
    """Read one queued CV (the row may be gone: the member was erased meanwhile)."""
    document = db.session.get(CVDocument, int(payload["cv_id"]))
    if document is None:
        log.info("CV %s no longer exists; skipped", payload.get("cv_id"))
        return
    cv.read_cv(document)
    log.info("CV %s read: %s %s", document.id, document.status, document.failure or "")


@on_final_failure(cv.READ_JOB)
def give_up_reading_cv(payload: dict[str, Any], error: str) -> None:
    """Every read attempt failed: the CV becomes failed (file deleted), not queued forever."""
    document = db.session.get(CVDocument, int(payload["cv_id"]))
    if document is None:
        return
    cv.give_up_reading(document)
    log.warning("CV %s not read, the worker gave up: %s", document.id, error)
