"""Broadcast sending and the outbox worker, against the real local SMTP server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select, update

from app.database import utcnow
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import delivery, preferences, services
from app.outreach.models import (
    Channel,
    InboxEntry,
    MessageRecipient,
    OutboxEmail,
    OutboxStatus,
    Topic,
)
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink, free_port
from tests.support.sql import count_statements


def _run_worker(app: Flask) -> int:
    with app.app_context():
        return Worker("test-worker").run(once=True)


def test_segment_of_500_gets_the_message_exactly_once(app: Flask, mail_sink: MailSink) -> None:
    with app.app_context():
        ids = create_members(500)
        message = make_message()
        audience = services.send_message(message)
        db.session.commit()
        assert len(audience.recipient_ids) == 500 and len(audience.email_ids) == 500
        assert db.session.scalar(select(func.count()).select_from(InboxEntry)) == 500
        message_id = message.id
    _run_worker(app)
    ids_seen = Counter(str(m.message["Message-ID"]) for m in mail_sink.messages)
    assert len(ids_seen) == 500 and set(ids_seen.values()) == {1}
    assert {r for m in mail_sink.messages for r in m.recipients} == {
        f"member{i}@example.org" for i in range(500)
    }
    first = mail_sink.to("member0@example.org")[0]
    assert first.subject == "News for Member"
    assert "<strong>Member</strong>" in first.html() and "Brussels" in first.text()
    assert first.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first.message["List-Unsubscribe"].startswith("<http")
    assert first.message["Message-ID"] == f"<msg{message_id}-u{ids[0]}@umuhuza.gov.rw>"
    with app.app_context():
        statuses = db.session.execute(
            select(OutboxEmail.status, func.count()).group_by(OutboxEmail.status)
        ).all()
        assert statuses == [(OutboxStatus.SENT, 500)]
    # A second run finds nothing to do: nothing is sent twice.
    mail_sink.clear()
    assert _run_worker(app) == 0
    assert mail_sink.messages == []


def test_member_without_email_consent_gets_inbox_entry_but_no_email(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        (with_consent,) = create_members(1, prefix="yes")
        (without,) = create_members(1, prefix="no", email_consent=False)
        message = make_message()
        audience = services.send_message(message)
        db.session.commit()
        assert sorted(audience.recipient_ids) == sorted([with_consent, without])
        assert audience.email_ids == [with_consent]
        assert audience.left_out["no_email_consent"] == 1
        inboxes = set(db.session.scalars(select(InboxEntry.user_id)))
        assert inboxes == {with_consent, without}
    _run_worker(app)
    assert [m.recipients for m in mail_sink.messages] == [["yes0@example.org"]]


def test_member_who_refused_both_channels_is_left_out(app: Flask) -> None:
    with app.app_context():
        (uid,) = create_members(1)
        preferences.set_preference(uid, Topic.NEWS, Channel.EMAIL, False)
        preferences.set_preference(uid, Topic.NEWS, Channel.IN_APP, False)
        audience = services.send_message(make_message())
        assert audience.recipient_ids == []
        assert audience.left_out["no_consent"] == 1
        # Another topic is unaffected.
        audience = services.send_message(make_message(topic=Topic.EVENTS))
        assert audience.recipient_ids == [uid]


def test_frequency_cap_holds_back_the_excess_and_delivers_it_later(
    app_factory: object, mail_sink: MailSink
) -> None:
    app = app_factory(OUTREACH_MAX_BROADCASTS_PER_WEEK=2)  # type: ignore[operator]
    with app.app_context():
        ids = create_members(3)
        now = utcnow()
        # One member had two broadcasts this week, three and one day ago.
        for days in (3, 1):
            old = make_message()
            db.session.add(
                MessageRecipient(
                    message_id=old.id, user_id=ids[0], deliver_at=now - timedelta(days=days)
                )
            )
        db.session.flush()
        message = make_message()
        audience = services.send_message(message, now=now)
        db.session.commit()
        # Still a recipient, but held back until the older one is a week old.
        release = now + timedelta(days=4)
        assert sorted(audience.recipient_ids) == ids
        assert audience.held_back == {ids[0]: release}
        assert "frequency_cap" not in audience.left_out
        assert message.summary["held_back"] == 1
        assert message.summary["held_back_until"] == release.isoformat()
        waiting = select(InboxEntry.visible_at).where(InboxEntry.user_id == ids[0])
        assert db.session.scalar(waiting) == release
        assert (
            db.session.scalar(
                select(OutboxEmail.next_attempt_at).where(OutboxEmail.user_id == ids[0])
            )
            == release
        )
    _run_worker(app)
    assert sorted(r for m in mail_sink.messages for r in m.recipients) == [
        "member1@example.org",
        "member2@example.org",
    ]
    mail_sink.clear()
    with app.app_context():
        # Four days pass: the held-back email is due and goes out.
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.user_id == ids[0])
            .values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    _run_worker(app)
    assert [m.recipients for m in mail_sink.messages] == [["member0@example.org"]]
    with app.app_context():
        # A third broadcast now waits behind the held-back one: no 7-day window holds three.
        audience = services.send_message(make_message(), now=now)
        assert audience.held_back == {ids[0]: now + timedelta(days=6)}


def test_weekly_limit_release_keeps_every_seven_day_window_within_the_cap() -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    day = timedelta(days=1)
    deliveries = {
        1: [now - 3 * day, now - 1 * day],  # at the limit: after the older turns a week old
        2: [now - 2 * day],  # below the limit: not held back
        3: [now - 6 * day, now - 5 * day, now + 2 * day],  # one already waiting
    }
    release = services.weekly_limit_release(deliveries, now, cap=2)
    assert release == {1: now + 4 * day, 3: now + 2 * day}
    for user_id, instant in release.items():
        everything = sorted([*deliveries[user_id], instant])
        for end in everything:
            assert sum(end - 7 * day < t <= end for t in everything) <= 2


def test_sending_to_10000_members_is_a_few_bulk_statements(app: Flask) -> None:
    # Speed itself is measured by scripts/bench_outreach.py (docs/performance.md); the test
    # checks the reason it is fast: a handful of statements, never one round trip per member.
    with app.app_context():
        create_members(10_000)
        db.session.commit()
        message = make_message()
        db.session.commit()
        with count_statements(db.engine) as sql:
            audience = services.send_message(message)
            db.session.commit()
        assert len(audience.email_ids) == 10_000
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 10_000
        assert sql.count < 40, sql.statements


def test_smtp_down_retries_with_backoff_then_marks_failed(app_factory: object) -> None:
    # The full 72-hour outage, with a moved clock, is in tests/outreach/test_outbox_retries.py.
    app = app_factory(MAIL_PORT=free_port(), OUTBOX_RETRY_FIRST_SECONDS=60)  # type: ignore[operator]
    with app.app_context():
        create_members(2)
        services.send_message(make_message())
        db.session.commit()
    delays = []
    for attempt in (1, 2, 3):
        before = utcnow()
        _run_worker(app)
        with app.app_context():
            rows = db.session.scalars(select(OutboxEmail)).all()
            assert {r.attempts for r in rows} == {attempt}
            assert all("Connection refused" in (r.last_error or "") for r in rows)
            if attempt < 3:
                assert {r.status for r in rows} == {OutboxStatus.QUEUED}
                delays.append((rows[0].next_attempt_at - before).total_seconds())
                # Time passes: make the retry due; before the third, the window is over.
                values = {"next_attempt_at": utcnow() - timedelta(seconds=1)}
                if attempt == 2:
                    values["first_attempt_at"] = utcnow() - timedelta(hours=72, seconds=1)
                db.session.execute(update(OutboxEmail).values(**values))
                db.session.commit()
            else:
                assert {r.status for r in rows} == {OutboxStatus.FAILED}
    # Exponential backoff with jitter: 30-60 s, then 60-120 s.
    assert 29 <= delays[0] <= 61 and 59 <= delays[1] <= 121


def test_resend_failed_queues_only_failed_rows(app_factory: object, mail_sink: MailSink) -> None:
    # A zero retry window: the first failure is final.
    down = app_factory(MAIL_PORT=free_port(), OUTBOX_RETRY_WINDOW_HOURS=0)  # type: ignore[operator]
    with down.app_context():
        ids = create_members(2)
        message = services.send_message(make_message()) and None
        message = db.session.scalar(select(OutboxEmail.message_id))
        db.session.execute(
            update(OutboxEmail).where(OutboxEmail.user_id == ids[0]).values(status="sent")
        )
        db.session.commit()
    _run_worker(down)
    with down.app_context():
        msg = services.get_message(message)
        report = services.delivery_report(msg)
        assert (report.sent, report.failed) == (1, 1)
        assert "Connection refused" in report.failures[0][1]
        assert services.resend_failed(msg) == 1
        db.session.commit()
    up = app_factory()  # type: ignore[operator]
    _run_worker(up)
    assert [m.recipients for m in mail_sink.messages] == [["member1@example.org"]]


def test_delivery_report_counts_recipients_and_in_app_reads(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        ids = create_members(3)
        message = make_message()
        services.send_message(message)
        db.session.commit()
        message_id = message.id
    _run_worker(app)
    with app.app_context():
        entry = db.session.scalar(
            select(InboxEntry).where(
                InboxEntry.message_id == message_id, InboxEntry.user_id == ids[1]
            )
        )
        assert entry is not None
        services.open_entry(entry)
        services.open_entry(entry)  # a second opening is not a second read
        db.session.commit()
        report = services.delivery_report(services.get_message(message_id))
        assert (report.recipients, report.sent, report.failed, report.read) == (3, 3, 0, 1)


def test_worker_hands_rows_back_instead_of_sending_past_its_lease_deadline(
    app_factory: Callable[..., Flask], mail_sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Sending after the lease could expire would race a worker reclaiming the row (a duplicate).
    app = app_factory(WORKER_LEASE_SECONDS=300, MAIL_TIMEOUT_SECONDS=20)
    with app.app_context():
        claimed_at = utcnow()
        assert delivery.sending_deadline(claimed_at) == claimed_at + timedelta(seconds=280)
        create_members(3)
        services.send_message(make_message())
        db.session.commit()
        monkeypatch.setattr(delivery, "sending_deadline", lambda claimed_at: claimed_at)
        assert delivery.deliver_outbox_batch("slow-worker") == 0
        rows = db.session.scalars(select(OutboxEmail)).all()
        assert {(r.status, r.attempts, r.claimed_by) for r in rows} == {
            (OutboxStatus.QUEUED, 0, None)
        }
    assert mail_sink.messages == []
    monkeypatch.undo()
    _run_worker(app)
    assert len(mail_sink.messages) == 3
