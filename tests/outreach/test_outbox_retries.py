"""The outbox survives real outages: a 72-hour retry window for transient SMTP failures, immediate
failure only for a refused recipient, staff counts and resend. Real local SMTP servers; the
clock is moved, never slept."""

from __future__ import annotations

import random
import smtplib
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.audit import actions as audit_actions
from app.audit.models import AuditEntry
from app.database import utcnow
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import delivery, services
from app.outreach.models import OutboxEmail, OutboxStatus
from app.outreach.retry import RetryPolicy, is_permanent, next_attempt_at, retry_delay
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink, SMTPServer

POLICY = RetryPolicy()  # the production defaults: 1 min doubling, 6 h cap, 72 h window


class Clock:
    """The outbox's notion of now, moved by the test instead of sleeping."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(delivery, "utcnow", moved)
    return moved


@pytest.fixture()
def own_server() -> Iterator[SMTPServer]:
    """A mail server of this test alone, which it may stop, restart or make refuse."""
    server = SMTPServer()
    server.start()
    yield server
    if server.controller._thread is not None:  # still running
        server.stop()


def _run(app: Flask) -> int:
    with app.app_context():
        return Worker("retry-test").run(once=True)


def _rows(app: Flask) -> list[OutboxEmail]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboxEmail).order_by(OutboxEmail.id)))
        db.session.expunge_all()
        return rows


def _advance_to_next_retry(app: Flask, clock: Clock) -> None:
    with app.app_context():
        due = db.session.scalar(
            select(func.min(OutboxEmail.next_attempt_at)).where(
                OutboxEmail.status == OutboxStatus.QUEUED
            )
        )
    assert due is not None
    clock.now = max(clock.now, due) + timedelta(seconds=1)


# --------------------------------------------------------------------------- the schedule


def test_retry_delay_doubles_with_jitter_within_bounds_and_is_capped() -> None:
    rng = random.Random(7)
    for attempts in range(1, 60):
        nominal = min(60.0 * 2 ** (attempts - 1), 6 * 3600.0)
        for _ in range(50):
            seconds = retry_delay(attempts, POLICY, rng).total_seconds()
            assert nominal / 2 <= seconds <= nominal
            assert seconds <= 6 * 3600
    # The jitter really spreads: many different values, not one.
    assert len({retry_delay(3, POLICY, rng) for _ in range(50)}) > 40


@pytest.mark.parametrize("seed", range(20))
def test_schedule_spans_at_least_72_hours_then_gives_up(seed: int) -> None:
    rng = random.Random(seed)
    first = datetime(2026, 1, 1, tzinfo=utcnow().tzinfo)
    now, attempts, gaps = first, 1, []
    while (retry_at := next_attempt_at(attempts, first, now, POLICY, rng)) is not None:
        gaps.append(retry_at - now)
        now, attempts = retry_at, attempts + 1
    assert now - first >= timedelta(hours=72)  # the last attempt is at or after 72 h
    assert now - first < timedelta(hours=72 + 6)  # and not much later: one capped gap at most
    assert max(gaps) <= timedelta(hours=6)
    assert gaps[0] <= timedelta(minutes=1)
    assert attempts > 5  # far more than the old 5 tries in 15 minutes


def test_only_a_5xx_naming_the_recipient_is_permanent() -> None:
    def refused(code: int) -> smtplib.SMTPRecipientsRefused:
        return smtplib.SMTPRecipientsRefused({"a@example.org": (code, b"nope")})

    assert is_permanent(refused(550)) and is_permanent(refused(553))
    for transient in (
        refused(450),
        refused(451),
        smtplib.SMTPDataError(421, b"closing"),
        smtplib.SMTPDataError(451, b"try later"),
        smtplib.SMTPSenderRefused(451, b"later", "no-reply@umuhuza.gov.rw"),
        smtplib.SMTPServerDisconnected("gone"),
        smtplib.SMTPConnectError(421, "busy"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
    ):
        assert not is_permanent(transient), transient


# --------------------------------------------------------------------------- real outages


def test_outage_longer_than_the_old_window_loses_and_duplicates_nothing(
    app_factory: Callable[..., Flask], own_server: SMTPServer, clock: Clock
) -> None:
    app = app_factory(MAIL_PORT=own_server.port)
    with app.app_context():
        create_members(12)
        services.send_message(make_message())
        db.session.commit()
    clock.now = utcnow()  # rows are due from their insertion
    start = clock.now
    # 1. The relay is down: connections are refused for 20 hours.
    own_server.stop()
    while clock.now - start < timedelta(hours=20):
        _run(app)
        _advance_to_next_retry(app, clock)
    rows = _rows(app)
    assert {r.status for r in rows} == {OutboxStatus.QUEUED}
    assert min(r.attempts for r in rows) > 5
    assert all("ConnectionRefused" in (r.last_error or "") for r in rows)
    # 2. It is back but overloaded: 421 to every message, then greylisting: 451, for 30 hours.
    own_server.restart()
    for reply in ("421 4.3.2 Service not available, closing channel", "451 4.7.1 Try later"):
        own_server.sink.refuse_reply = reply
        phase = clock.now
        while clock.now - phase < timedelta(hours=15):
            _run(app)
            _advance_to_next_retry(app, clock)
        assert {r.status for r in _rows(app)} == {OutboxStatus.QUEUED}
        assert all(reply[:3] in (r.last_error or "") for r in _rows(app))
    assert own_server.sink.messages == []
    # 3. It recovers, 50 hours after the first attempt: every message arrives exactly once.
    own_server.sink.refuse_reply = None
    recovered = clock.now
    while OutboxStatus.QUEUED in {r.status for r in _rows(app)}:
        _advance_to_next_retry(app, clock)  # each row comes back at its own (jittered) time
        _run(app)
    assert clock.now - recovered <= timedelta(hours=6, seconds=2)  # within one capped delay
    rows = _rows(app)
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    received = Counter(str(m.message["Message-ID"]) for m in own_server.sink.messages)
    assert len(received) == 12 and set(received.values()) == {1}
    assert _run(app) == 0 and len(own_server.sink.messages) == 12


def test_gives_up_only_after_72_hours_since_the_first_attempt(
    app_factory: Callable[..., Flask], own_server: SMTPServer, clock: Clock
) -> None:
    app = app_factory(MAIL_PORT=own_server.port)
    with app.app_context():
        create_members(2)
        services.send_message(make_message())
        db.session.commit()
    clock.now = utcnow()  # rows are due from their insertion
    own_server.stop()
    start = clock.now
    first_failure = None
    while OutboxStatus.QUEUED in {r.status for r in _rows(app)}:
        assert clock.now - start < timedelta(hours=72 + 7)
        _run(app)
        if first_failure is None and OutboxStatus.FAILED in {r.status for r in _rows(app)}:
            first_failure = clock.now
        if OutboxStatus.QUEUED in {r.status for r in _rows(app)}:
            _advance_to_next_retry(app, clock)
    assert first_failure is not None and first_failure - start >= timedelta(hours=72)
    rows = _rows(app)
    assert {r.status for r in rows} == {OutboxStatus.FAILED}
    assert [r.first_attempt_at for r in rows] == [start, start]
    assert clock.now - start >= timedelta(hours=72)


def test_recipient_refused_with_550_fails_at_once_and_the_rest_are_sent(
    app_factory: Callable[..., Flask], own_server: SMTPServer, clock: Clock
) -> None:
    own_server.sink.refused_recipients = {
        "member0@example.org": "550 5.1.1 No such user here",
        "member1@example.org": "451 4.7.1 Greylisted, try later",
    }
    app = app_factory(MAIL_PORT=own_server.port)
    with app.app_context():
        create_members(3)
        services.send_message(make_message())
        db.session.commit()
    clock.now = utcnow()  # rows are due from their insertion
    _run(app)
    by_address = {r.to_address: r for r in _rows(app)}
    gone, grey, fine = (by_address[f"member{i}@example.org"] for i in range(3))
    assert (gone.status, gone.attempts) == (OutboxStatus.FAILED, 1)
    assert "550" in (gone.last_error or "") and "No such user" in (gone.last_error or "")
    assert grey.status == OutboxStatus.QUEUED and "451" in (grey.last_error or "")
    assert fine.status == OutboxStatus.SENT
    assert [m.recipients for m in own_server.sink.messages] == [["member2@example.org"]]


# --------------------------------------------------------------------------- what staff see


def _report_counts(page: str) -> dict[str, str]:
    import re

    return dict(re.findall(r'data-count="(\w+)">(\d+)', page))


def test_staff_see_queued_retrying_failed_counts_and_resend_once(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., object],
    mail_sink: MailSink,
) -> None:
    with app.app_context():
        create_members(4)
        message = make_message()
        services.send_message(message)
        db.session.commit()
        message_id = message.id
    mail_sink.refused_recipients = {
        "member0@example.org": "550 5.1.1 No such user",
        "member1@example.org": "451 4.7.1 Try later",
    }
    _run(app)
    staff = logged_in("rca_staff")
    page = client.get(f"/outreach/messages/{message_id}")
    assert page.status_code == 200
    counts = _report_counts(page.get_data(as_text=True))
    assert counts == {"queued": "0", "retrying": "1", "sent": "2", "failed": "1"}
    assert "No such user" in page.get_data(as_text=True)

    # The address is fixed on the receiving side; staff resend the failure, twice (a double
    # click): the second finds nothing left to queue.
    mail_sink.refused_recipients = {}
    first = client.post(f"/outreach/messages/{message_id}/resend-failed")
    again = client.post(f"/outreach/messages/{message_id}/resend-failed")
    assert first.status_code == again.status_code == 302
    with app.app_context():
        entries = list(
            db.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == audit_actions.OUTBOX_RESEND_FAILED)
                .order_by(AuditEntry.id)
            )
        )
        assert [e.details["requeued"] for e in entries] == [1, 0]
        assert {e.actor_id for e in entries} == {staff.id}  # type: ignore[attr-defined]
        assert entries[0].target_id == message_id
    _run(app)
    assert [m.recipients for m in mail_sink.to("member0@example.org")] == [["member0@example.org"]]
    counts = _report_counts(client.get(f"/outreach/messages/{message_id}").get_data(as_text=True))
    assert counts == {"queued": "0", "retrying": "1", "sent": "3", "failed": "0"}


@pytest.mark.parametrize("role", ["professional", "institution_member", None])
def test_only_staff_may_resend_failures(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., object],
    mail_sink: MailSink,
    role: str | None,
) -> None:
    with app.app_context():
        create_members(1)
        message = make_message()
        services.send_message(message)
        db.session.commit()
        message_id = message.id
    mail_sink.refused_recipients = {"member0@example.org": "550 5.1.1 No such user"}
    _run(app)
    if role is not None:
        logged_in(role)
    response = client.post(f"/outreach/messages/{message_id}/resend-failed")
    if role is None:
        assert response.status_code in (302, 401)
        assert "/auth/login" in response.headers.get("Location", "/auth/login")
    else:
        assert response.status_code in (403, 404)
    assert client.get(f"/outreach/messages/{message_id}").status_code in (302, 401, 403, 404)
    assert {r.status for r in _rows(app)} == {OutboxStatus.FAILED}
    with app.app_context():
        resends = select(func.count()).where(
            AuditEntry.action == audit_actions.OUTBOX_RESEND_FAILED
        )
        assert db.session.scalar(resends) == 0
