"""Enqueueing jobs (from services, inside the caller's transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.database import utcnow
from app.extensions import db
from app.jobs.models import Job, JobStatus


def enqueue_job(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    run_at: datetime | None = None,
    unique_key: str | None = None,
    max_attempts: int = 5,
) -> Job | None:
    """Add a job to run at `run_at` (now by default); flushes, never commits.

    With a unique_key the job is added only once, ever (returns None when it already exists).
    """
    values = {
        "kind": kind,
        "payload": payload or {},
        "run_at": run_at or utcnow(),
        "status": JobStatus.PENDING,
        "attempts": 0,
        "max_attempts": max_attempts,
        "unique_key": unique_key,
        "created_at": utcnow(),
    }
    if unique_key is None:
        job = Job(**values)
        db.session.add(job)
        db.session.flush()
        return job
    dialect = db.session.get_bind().dialect.name
    insert_fn = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert_fn(Job).values(**values).on_conflict_do_nothing(index_elements=["unique_key"])
    )
    result = db.session.execute(statement)
    if not result.rowcount:
        return None
    return db.session.scalar(select(Job).where(Job.unique_key == unique_key))


def cancel_jobs(unique_key_prefix: str) -> int:
    """Mark pending jobs whose unique key starts with the prefix as failed (cancelled)."""
    jobs = db.session.scalars(
        select(Job).where(
            Job.unique_key.startswith(unique_key_prefix), Job.status == JobStatus.PENDING
        )
    ).all()
    for job in jobs:
        job.status = JobStatus.FAILED
        job.last_error = "cancelled"
        job.finished_at = utcnow()
    db.session.flush()
    return len(jobs)
