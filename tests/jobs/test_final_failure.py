"""When the worker gives up on a job, the feature that owns it hears of it (the final-failure hook)
so the row the job was working on does not wait forever."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from app.database import utcnow
from app.extensions import db
from app.jobs import registry
from app.jobs import worker as worker_module
from app.jobs.models import Job, JobStatus
from app.jobs.services import enqueue_job
from app.jobs.worker import Worker

KIND = "tests.always_fails"


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Register a failing handler and a recording hook for KIND (removed after the test)."""
    seen: dict[str, list[Any]] = {"handler": [], "hook": []}

    def handler(payload: dict[str, Any]) -> None:
        seen["handler"].append(payload)
        raise RuntimeError("always broken")

    def hook(payload: dict[str, Any], error: str) -> None:
        seen["hook"].append((payload, error))

    monkeypatch.setitem(registry.HANDLERS, KIND, handler)
    monkeypatch.setitem(registry.FAILURE_HOOKS, KIND, hook)
    return seen


def _enqueue(app: Flask, **fields: Any) -> int:
    with app.app_context():
        job = enqueue_job(KIND, {"row": 7}, max_attempts=2)
        assert job is not None
        for name, value in fields.items():
            setattr(job, name, value)
        db.session.commit()
        return job.id


def _job(app: Flask, job_id: int) -> Job:
    with app.app_context():
        job = db.session.get(Job, job_id)
        assert job is not None
        db.session.expunge(job)
        return job


def _run_at(app: Flask, monkeypatch: pytest.MonkeyPatch, moment: Any) -> None:
    monkeypatch.setattr(worker_module, "utcnow", lambda: moment)
    with app.app_context():
        Worker("final-failure-test").run(once=True)


def test_hook_runs_once_when_the_last_attempt_fails_not_on_retries(
    app: Flask, calls: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _enqueue(app)
    now = utcnow()
    _run_at(app, monkeypatch, now)
    assert _job(app, job_id).status == JobStatus.PENDING
    assert calls["hook"] == []  # a retry is still due: nothing to settle yet
    _run_at(app, monkeypatch, now + timedelta(hours=1))  # past the backoff
    job = _job(app, job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 2)
    assert len(calls["handler"]) == 2
    assert calls["hook"] == [({"row": 7}, "RuntimeError: always broken")]
    _run_at(app, monkeypatch, now + timedelta(days=2))
    assert len(calls["hook"]) == 1


def test_a_failing_hook_still_leaves_the_job_failed(
    app: Flask, calls: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_hook(payload: dict[str, Any], error: str) -> None:
        raise ValueError("the hook broke too")

    monkeypatch.setitem(registry.FAILURE_HOOKS, KIND, broken_hook)
    job_id = _enqueue(app, attempts=1)  # the last attempt is next
    _run_at(app, monkeypatch, utcnow())
    job = _job(app, job_id)
    assert job.status == JobStatus.FAILED and job.claimed_by is None
    assert "final-failure hook failed" in (job.last_error or "")


def test_a_job_whose_worker_died_on_every_attempt_is_given_up_not_reclaimed_forever(
    app: Flask, calls: dict[str, list[Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    # Claimed twice (its budget) and the worker died both times: the lease ran out again.
    job_id = _enqueue(
        app,
        status=JobStatus.RUNNING,
        attempts=2,
        claimed_by="dead-worker",
        lease_until=now - timedelta(minutes=1),
    )
    _run_at(app, monkeypatch, now)
    job = _job(app, job_id)
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert calls["handler"] == []  # not tried a third time
    assert len(calls["hook"]) == 1 and "stopped during every attempt" in calls["hook"][0][1]
