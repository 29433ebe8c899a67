"""Unsubscribing takes effect at once, also for email already queued; transactional mail never
depends on broadcast consent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select, update

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import direct, preferences, services
from app.outreach.models import (
    InboxEntry,
    OutboxEmail,
    OutboxStatus,
    ScheduleMode,
    Topic,
)
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import Profile
from tests.factories.auth import StaffUserFactory
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink


def _run_worker(app: Flask) -> None:
    with app.app_context():
        Worker("test-worker").run(once=True)


def _statuses(user_id: int) -> list[tuple[str, str | None]]:
    return [
        (str(status), error)
        for status, error in db.session.execute(
            select(OutboxEmail.status, OutboxEmail.last_error).where(OutboxEmail.user_id == user_id)
        )
    ]


def test_unsubscribe_skips_a_queued_time_zone_broadcast(app: Flask, mail_sink: MailSink) -> None:
    with app.app_context():
        leaving, staying = create_members(2)
        db.session.execute(
            update(Profile).where(Profile.user_id == leaving).values(timezone="Pacific/Honolulu")
        )
        message = make_message()
        message.schedule_mode = ScheduleMode.LOCAL_TIME
        message.local_date = (utcnow() + timedelta(days=2)).date().isoformat()
        message.local_time = "10:00"
        services.send_message(message)
        db.session.commit()
        message_id = message.id
        # Both emails wait for 10:00 in each member's zone; one member unsubscribes meanwhile.
        preferences.unsubscribe(leaving, Topic.NEWS.value)
        db.session.commit()
        assert _statuses(leaving) == [("skipped", preferences.skipped_reason("news"))]
        # The day comes.
        db.session.execute(update(OutboxEmail).values(next_attempt_at=utcnow()))
        db.session.commit()
    _run_worker(app)
    assert [m.recipients for m in mail_sink.messages] == [["member1@example.org"]]
    with app.app_context():
        assert _statuses(staying) == [("sent", None)]
        report = services.delivery_report(services.get_message(message_id))
        assert (report.sent, report.skipped, report.queued) == (1, 1, 0)


def test_unsubscribe_from_all_withdraws_waiting_inbox_entries(app_context: Flask) -> None:
    (uid,) = create_members(1)
    db.session.execute(
        update(Profile).where(Profile.user_id == uid).values(timezone="Pacific/Honolulu")
    )
    message = make_message()
    message.schedule_mode = ScheduleMode.LOCAL_TIME
    message.local_date = date(2099, 1, 1).isoformat()
    message.local_time = "10:00"
    services.send_message(message, now=datetime(2098, 12, 31, tzinfo=UTC))
    assert db.session.scalar(select(func.count()).select_from(InboxEntry)) == 1
    preferences.unsubscribe(uid, preferences.ALL_TOPICS)
    assert db.session.scalar(select(func.count()).select_from(InboxEntry)) == 0
    assert _statuses(uid) == [("skipped", preferences.skipped_reason("news"))]


def test_worker_rechecks_consent_of_a_retrying_row_it_reclaims(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        leaving, _staying = create_members(2)
        services.send_message(make_message())
        # A worker claimed both rows and died; the lease has expired (a retry is due).
        db.session.execute(
            update(OutboxEmail).values(
                status=OutboxStatus.SENDING,
                claimed_by="dead-worker",
                attempts=1,
                lease_until=utcnow() - timedelta(seconds=1),
            )
        )
        db.session.commit()
        # Claimed rows are not touched by unsubscribe(): the worker must see the new choice.
        preferences.unsubscribe(leaving, Topic.NEWS.value)
        db.session.commit()
        assert _statuses(leaving)[0][0] == "sending"
    _run_worker(app)
    assert [m.recipients for m in mail_sink.messages] == [["member1@example.org"]]
    with app.app_context():
        assert _statuses(leaving) == [("skipped", preferences.skipped_reason("news"))]


def test_worker_skips_a_broadcast_after_privacy_consent_is_withdrawn(
    app: Flask, mail_sink: MailSink
) -> None:
    # Withdrawing the newsletter consent (privacy page) leaves no preference row and does not go
    # through unsubscribe(): only the check at delivery stops the queued email.
    with app.app_context():
        (uid,) = create_members(1)
        services.send_message(make_message())
        db.session.add(
            ConsentRecord(
                user_id=uid,
                kind=ConsentKind.NEWSLETTERS,
                granted=False,
                notice_version="test",
                recorded_at=utcnow(),
                source="web",
            )
        )
        db.session.commit()
        assert _statuses(uid)[0][0] == "queued"
    _run_worker(app)
    assert mail_sink.messages == []
    with app.app_context():
        assert _statuses(uid) == [("skipped", preferences.skipped_reason("news"))]


def test_transactional_mail_is_never_blocked_by_unsubscribe_from_all(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        (uid,) = create_members(1)
        preferences.unsubscribe(uid, preferences.ALL_TOPICS)
        staff = StaffUserFactory()
        professional = db.session.get(User, uid)
        direct.start_conversation(staff, professional, subject="Your placement", body="Hello")
        db.session.commit()
        assert _statuses(uid)[0][0] == "queued"
    _run_worker(app)
    assert [m.recipients for m in mail_sink.messages] == [["member0@example.org"]]
    assert "Your placement" in mail_sink.messages[0].subject
