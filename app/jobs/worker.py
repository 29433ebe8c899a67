"""The worker loop: enqueue periodic slots, run due jobs, drain the pumps (the email outbox).

Each job is claimed with a lease (see claims.py); the handler's writes and the "done" mark are
committed together, so a job's database work happens once even if the worker dies and the job is
reclaimed after its lease. Failures are retried with exponential backoff, then marked failed.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_

from app.database import utcnow
from app.extensions import db
from app.jobs.claims import claim_ids
from app.jobs.models import Job, JobStatus
from app.jobs.registry import (
    FAILURE_HOOKS,
    HANDLERS,
    PUMPS,
    SCHEDULES,
    load_worker_modules,
    slot_key,
)
from app.jobs.services import enqueue_job

log = logging.getLogger("umuhuza.worker")


def new_worker_id() -> str:
    """Return an id naming this worker process in claimed rows (host, pid)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def backoff_delay(attempts: int) -> timedelta:
    """Return the wait before retry number `attempts` (base × 2^(attempts-1), capped at a day)."""
    base = float(current_app.config["WORKER_RETRY_BASE_SECONDS"])
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 86400.0))


class Worker:
    """One worker process; `run()` loops until stopped, `run(once=True)` drains what is due."""

    def __init__(self, worker_id: str | None = None) -> None:
        load_worker_modules()
        self.worker_id = worker_id or new_worker_id()
        self.stopping = False
        self._enqueued_slots: dict[str, str] = {}

    def stop(self, *_: object) -> None:
        log.info("worker %s stopping after the current item", self.worker_id)
        self.stopping = True

    def run(self, *, once: bool = False, sleep: Callable[[float], None] = time.sleep) -> int:
        """Process work until stopped (or, with once, until nothing is due); return items done."""
        log.info("worker %s started (once=%s)", self.worker_id, once)
        total = 0
        while not self.stopping:
            done = self.tick()
            total += done
            if done:
                continue
            if once:
                break
            sleep(float(current_app.config["WORKER_POLL_SECONDS"]))
        db.session.remove()
        log.info("worker %s finished: %d items", self.worker_id, total)
        return total

    def tick(self) -> int:
        """Run one round: periodic enqueues, one batch of jobs, one batch of each pump."""
        self.enqueue_periodic(utcnow())
        done = self.run_due_jobs()
        for name, pump_fn in PUMPS.items():
            if self.stopping:
                break
            handled = pump_fn(self.worker_id)
            if handled:
                log.info("%s: %d handled", name, handled)
            done += handled
        return done

    def enqueue_periodic(self, now: datetime) -> None:
        """Enqueue each periodic schedule once per slot (the unique key dedups across workers)."""
        for schedule in SCHEDULES.values():
            key = slot_key(schedule, now)
            if self._enqueued_slots.get(schedule.name) == key:
                continue
            enqueue_job(schedule.kind, {"slot": key}, run_at=now, unique_key=key)
            db.session.commit()
            self._enqueued_slots[schedule.name] = key

    def run_due_jobs(self) -> int:
        """Claim a batch of due jobs (or expired leases) and run each; return how many ran."""
        now = utcnow()
        lease = timedelta(seconds=int(current_app.config["WORKER_LEASE_SECONDS"]))
        due = or_(
            and_(Job.status == JobStatus.PENDING, Job.run_at <= now),
            and_(Job.status == JobStatus.RUNNING, Job.lease_until < now),
        )
        ids = claim_ids(
            Job,
            due=due,
            limit=int(current_app.config["WORKER_BATCH_SIZE"]),
            values={
                "status": JobStatus.RUNNING,
                "lease_until": now + lease,
                "claimed_by": self.worker_id,
                "attempts": Job.attempts + 1,
            },
        )
        for job_id in ids:
            if self.stopping:
                break
            self.run_job(job_id)
        return len(ids)

    def run_job(self, job_id: int) -> None:
        job = db.session.get(Job, job_id)
        if job is None or job.claimed_by != self.worker_id:
            return
        if job.attempts > job.max_attempts:
            # Reclaimed after its lease expired once more than it may be tried: its worker died
            # on every attempt (the only way attempts outruns the budget), so give up on it.
            self._record_failure(job_id, RuntimeError("the worker stopped during every attempt"))
            return
        handler = HANDLERS.get(job.kind)
        started = time.monotonic()
        try:
            if handler is None:
                raise LookupError(f"no handler registered for job kind {job.kind!r}")
            handler(dict(job.payload or {}))
            job.status = JobStatus.DONE
            job.finished_at = utcnow()
            job.last_error = None
            db.session.commit()
            log.info("job %s (%s) done in %.2fs", job.id, job.kind, time.monotonic() - started)
        except Exception as exc:
            db.session.rollback()
            self._record_failure(job_id, exc)

    def _record_failure(self, job_id: int, exc: Exception) -> None:
        job = db.session.get(Job, job_id)
        if job is None:
            return
        job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts >= job.max_attempts:
            job.status = JobStatus.FAILED
            job.finished_at = utcnow()
            log.error("job %s (%s) failed for good: %s", job.id, job.kind, job.last_error)
            log.debug("%s", traceback.format_exc())
            if not self._run_failure_hook(job):
                return
        else:
            job.status = JobStatus.PENDING
            job.run_at = utcnow() + backoff_delay(job.attempts)
            log.warning(
                "job %s (%s) attempt %d failed, retry at %s: %s",
                job.id,
                job.kind,
                job.attempts,
                job.run_at.isoformat(),
                job.last_error,
            )
        job.lease_until = None
        job.claimed_by = None
        db.session.commit()

    def _run_failure_hook(self, job: Job) -> bool:
        """Let the feature owning the job settle its row (same transaction as the failed mark);
        return False when the hook itself failed and the job was marked failed without it."""
        hook = FAILURE_HOOKS.get(job.kind)
        if hook is None:
            return True
        job_id, last_error = job.id, job.last_error or ""
        try:
            hook(dict(job.payload or {}), last_error)
            db.session.flush()
        except Exception:
            log.exception("job %s (%s): the final-failure hook failed", job_id, job.kind)
            db.session.rollback()
            job = db.session.get(Job, job_id)
            if job is not None:
                job.status = JobStatus.FAILED
                job.finished_at = utcnow()
                job.last_error = f"{last_error} (final-failure hook failed)"[:2000]
                job.lease_until = None
                job.claimed_by = None
                db.session.commit()
            return False
        return True
