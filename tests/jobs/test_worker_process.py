"""The real `flask worker` process: killed mid-batch (SIGKILL) and restarted, and two at once.

Counted at the SMTP server by Message-ID (built from each outbox row's idempotency key).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from app.extensions import db
from app.outreach import services
from app.outreach.models import OutboxEmail, OutboxStatus
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink, SMTPServer

ROOT = Path(__file__).resolve().parents[2]


def _worker_env(database_url: str, smtp_port: int, lease_seconds: int = 3) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "APP_ENV": "development",
            "DATABASE_URL": database_url,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(smtp_port),
            "APP_WORKER_LEASE_SECONDS": str(lease_seconds),
            "APP_WORKER_POLL_SECONDS": "0.2",
            "APP_WORKER_BATCH_SIZE": "20",
        }
    )
    return env


def _start_worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _run_crashing_worker(env: dict[str, str], point: str, after: int) -> None:
    """Run a worker that SIGKILLs itself at `point` of the `after`-th row; wait for its death."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.jobs.crashing_worker", point, str(after)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, errors = worker.communicate(timeout=600)
    assert worker.returncode == -signal.SIGKILL, errors.decode()


# The crash tests count rows per status at the kill, so no batch may be cut short by the
# lease deadline (app/outreach/delivery.py, sending_deadline) even on a loaded machine.
CRASH_LEASE_SECONDS = 10


def _restart_after_lease(env: dict[str, str]) -> None:
    # The killed worker's lease expires; its claimed rows become reclaimable.
    time.sleep(CRASH_LEASE_SECONDS + 0.5)
    restarted = _start_worker(env, "--once")
    _, errors = restarted.communicate(timeout=600)
    assert restarted.returncode == 0, errors.decode()


def _queue_broadcast(app: Flask, count: int) -> set[str]:
    with app.app_context():
        create_members(count)
        message = make_message()
        services.send_message(message)
        db.session.commit()
        keys = db.session.scalars(select(OutboxEmail.idempotency_key)).all()
        return {f"<{key}@umuhuza.gov.rw>" for key in keys}


def _statuses(app: Flask) -> dict[str, int]:
    with app.app_context():
        rows = db.session.execute(
            select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
        ).all()
        db.session.remove()
        return {str(status): count for status, count in rows}


def test_worker_killed_mid_batch_and_restarted_delivers_every_email_once(
    app: Flask, database_url: str, smtp_server: SMTPServer, mail_sink: MailSink
) -> None:
    expected = _queue_broadcast(app, 2000)
    env = _worker_env(database_url, smtp_server.port, CRASH_LEASE_SECONDS)

    # SIGKILL in the middle of the 26th batch of 20, right after the 510th "sent" mark.
    _run_crashing_worker(env, "marked", 510)
    assert len(mail_sink.messages) == 510
    assert _statuses(app) == {
        OutboxStatus.SENT: 510,
        OutboxStatus.SENDING: 10,  # claimed by the dead worker, held by its lease
        OutboxStatus.QUEUED: 1480,
    }

    _restart_after_lease(env)

    counts = Counter(str(m.message["Message-ID"]) for m in mail_sink.messages)
    assert set(counts) == expected  # none lost, nothing unexpected
    assert set(counts.values()) == {1}, counts.most_common(3)  # none duplicated
    assert _statuses(app) == {OutboxStatus.SENT: 2000}


def test_kill_between_smtp_acceptance_and_sent_mark_resends_that_one_with_its_message_id(
    app: Flask, database_url: str, smtp_server: SMTPServer, mail_sink: MailSink
) -> None:
    # The window SMTP cannot close (docs/outreach.md): the server accepted message 10, the worker
    # died before committing its mark. That one message goes out again, with the same Message-ID,
    # so receiving servers and mail clients can recognise the copy. No other message repeats.
    expected = _queue_broadcast(app, 30)
    env = _worker_env(database_url, smtp_server.port, CRASH_LEASE_SECONDS)

    _run_crashing_worker(env, "accepted", 10)
    assert len(mail_sink.messages) == 10
    tenth = str(mail_sink.messages[9].message["Message-ID"])
    assert _statuses(app) == {
        OutboxStatus.SENT: 9,
        OutboxStatus.SENDING: 11,
        OutboxStatus.QUEUED: 10,
    }

    _restart_after_lease(env)

    counts = Counter(str(m.message["Message-ID"]) for m in mail_sink.messages)
    assert set(counts) == expected
    assert {key for key, n in counts.items() if n > 1} == {tenth}
    assert counts[tenth] == 2
    assert _statuses(app) == {OutboxStatus.SENT: 30}


def test_two_workers_at_once_share_the_outbox_without_duplicates(
    app: Flask, database_url: str, smtp_server: SMTPServer, mail_sink: MailSink
) -> None:
    expected = _queue_broadcast(app, 400)
    # A mail server taking 20 ms a message keeps the first worker busy for seconds, so the
    # second one (started right after) really works at the same time.
    mail_sink.delay_seconds = 0.02
    # A 10 s lease, as in the crash tests: with 3 s, a loaded machine can reach a batch's sending
    # deadline before its first send; the batch is handed back and `--once` stops there.
    env = _worker_env(database_url, smtp_server.port, CRASH_LEASE_SECONDS)
    workers = [_start_worker(env, "--once") for _ in range(2)]
    for worker in workers:
        _, errors = worker.communicate(timeout=600)
        assert worker.returncode == 0, errors.decode()
    counts = Counter(str(m.message["Message-ID"]) for m in mail_sink.messages)
    assert set(counts) == expected
    assert set(counts.values()) == {1}
    with app.app_context():
        claimed_by = set(db.session.scalars(select(OutboxEmail.claimed_by)))
    if database_url.startswith("postgresql"):
        # SKIP LOCKED: both workers take disjoint batches at the same time. (On SQLite the write
        # lock serialises claims, and one worker may drain everything before the other starts.)
        assert len(claimed_by) == 2
