"""Composing, sanitising, placeholders, scheduling, preferences, segments, alerts, threads."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Role
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.jobs.models import Job, JobStatus
from app.jobs.worker import Worker
from app.outreach import alerts, direct, preferences, segments, services
from app.outreach.models import (
    AlertFrequency,
    Channel,
    InboxEntry,
    MessageStatus,
    OpportunityAlert,
    OutboxEmail,
    ScheduleMode,
    Topic,
)
from app.outreach.rendering import InvalidMessage, parse_links, render_markdown
from app.profiles.models import Profile, ProfileLanguage, ProfileSkill
from tests.factories.auth import StaffUserFactory, UserFactory
from tests.factories.outreach import create_members, make_message, make_segment
from tests.support.smtp import MailSink


def test_markdown_with_script_is_sanitised(app_context: Flask) -> None:
    html = render_markdown(
        "Hello <script>alert(1)</script> **bold** [x](javascript:alert(1)) "
        '<img src=x onerror="alert(1)"> [ok](https://gov.rw)'
    )
    # Raw HTML is shown as text, never as markup; the javascript: link loses its href.
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://gov.rw"' in html and 'rel="noopener noreferrer"' in html


def test_member_values_are_escaped_in_html(app_context: Flask) -> None:
    staff = StaffUserFactory(full_name="<b>Eve</b> Hacker")
    message = make_message(body="Hi {full_name}")
    rendered = services.render_message_for(message, staff)
    assert "&lt;b&gt;Eve&lt;/b&gt;" in rendered.html
    assert "<b>" not in rendered.html


def test_unknown_placeholder_is_refused_as_a_field_error(app_context: Flask) -> None:
    staff = StaffUserFactory()
    with pytest.raises(InvalidMessage) as caught:
        services.save_message(
            None,
            author=staff,
            topic=Topic.NEWS,
            segment_id=None,
            subject="Hi {first_name}",
            body="Dear {frist_name}",
        )
    assert caught.value.field == "body"
    assert "{frist_name}" in caught.value.message
    with pytest.raises(InvalidMessage) as caught:
        services.save_message(
            None,
            author=staff,
            topic=Topic.NEWS,
            segment_id=None,
            subject="Hi",
            body="ok",
            subject_fr="Bonjour {prenom}",
            body_fr="x",
        )
    assert caught.value.field == "subject_fr"


def test_links_accept_only_http_and_https() -> None:
    assert parse_links("Site | https://gov.rw\n\nDocs | http://x.org/a") == [
        {"label": "Site", "url": "https://gov.rw"},
        {"label": "Docs", "url": "http://x.org/a"},
    ]
    for bad in ("Bad | javascript:alert(1)", "https://gov.rw", "Mail | mailto:a@b.c"):
        with pytest.raises(DomainError) as caught:
            parse_links(bad)
        assert caught.value.field == "links"


def test_variants_follow_the_member_language(app_context: Flask) -> None:
    message = make_message(
        subject="Hello", body="English", subject_fr="Bonjour", body_fr="Français"
    )
    fr = UserFactory(locale="fr")
    rw = UserFactory(locale="rw")
    assert services.render_message_for(message, fr).subject == "Bonjour"
    assert services.render_message_for(message, rw).subject == "Hello"  # no rw variant


def test_local_time_instants_are_computed_per_zone() -> None:
    day, at = date(2026, 12, 1), time(10, 0)
    assert services.local_send_instant(day, at, "Africa/Kigali") == datetime(
        2026, 12, 1, 8, 0, tzinfo=UTC
    )
    assert services.local_send_instant(day, at, "America/New_York") == datetime(
        2026, 12, 1, 15, 0, tzinfo=UTC
    )
    assert services.local_send_instant(day, at, "Asia/Tokyo") == datetime(
        2026, 12, 1, 1, 0, tzinfo=UTC
    )
    # Summer time is honoured; an unknown zone falls back to Kigali.
    assert services.local_send_instant(date(2026, 7, 1), at, "Europe/Brussels") == datetime(
        2026, 7, 1, 8, 0, tzinfo=UTC
    )
    assert services.local_send_instant(day, at, "Mars/Olympus") == datetime(
        2026, 12, 1, 8, 0, tzinfo=UTC
    )


def test_scheduled_local_time_send_sets_each_members_instant(app: Flask) -> None:
    with app.app_context():
        ny, tokyo = create_members(2)
        db.session.execute(
            Profile.__table__.update()
            .where(Profile.user_id == ny)
            .values(timezone="America/New_York")
        )
        db.session.execute(
            Profile.__table__.update().where(Profile.user_id == tokyo).values(timezone="Asia/Tokyo")
        )
        message = make_message()
        now = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
        services.schedule_message(
            message,
            mode=ScheduleMode.LOCAL_TIME,
            local_day=date(2026, 12, 1),
            local_at=time(10, 0),
            now=now,
        )
        db.session.commit()
        job = db.session.scalar(select(Job))
        assert job.run_at == datetime(2026, 11, 30, 20, 0, tzinfo=UTC)  # 10:00 at UTC+14
        services.send_message(message, now=job.run_at)
        entries = dict(db.session.execute(select(InboxEntry.user_id, InboxEntry.visible_at)).all())
        outbox = dict(
            db.session.execute(select(OutboxEmail.user_id, OutboxEmail.next_attempt_at)).all()
        )
        assert entries[ny] == outbox[ny] == datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
        assert entries[tokyo] == outbox[tokyo] == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)


def test_schedule_at_kigali_time_runs_through_the_worker(app: Flask, mail_sink: MailSink) -> None:
    with app.app_context():
        create_members(3)
        message = make_message()
        services.schedule_message(
            message,
            mode=ScheduleMode.AT,
            at_kigali=datetime(2030, 1, 1, 9, 30),  # noqa: DTZ001 (typed Kigali time)
        )
        db.session.commit()
        assert message.scheduled_at == datetime(2030, 1, 1, 7, 30, tzinfo=UTC)
        assert message.status == MessageStatus.SCHEDULED
        # A member joins after scheduling: the segment is evaluated at send time.
        create_members(1, prefix="late")
        db.session.execute(Job.__table__.update().values(run_at=utcnow()))
        db.session.commit()
        Worker("w").run(once=True)
        job = db.session.scalar(select(Job).where(Job.kind == services.DISPATCH_JOB))
        assert job.status == JobStatus.DONE
    assert len(mail_sink.messages) == 4
    assert mail_sink.to("late0@example.org")


def test_past_schedule_is_a_field_error(app_context: Flask) -> None:
    message = make_message()
    with pytest.raises(DomainError) as caught:
        services.schedule_message(
            message,
            mode=ScheduleMode.AT,
            at_kigali=datetime(2020, 1, 1, 9, 0),  # noqa: DTZ001 (typed Kigali time)
        )
    assert caught.value.field == "send_at"


def test_failing_job_is_retried_with_backoff_then_failed(app_factory: object) -> None:
    from app.jobs.registry import HANDLERS, job_handler
    from app.jobs.services import enqueue_job

    calls: list[dict[str, object]] = []

    @job_handler("test.boom")
    def boom(payload: dict[str, object]) -> None:
        calls.append(payload)
        raise RuntimeError("boom")

    app = app_factory(WORKER_RETRY_BASE_SECONDS=0)  # type: ignore[operator]
    try:
        with app.app_context():
            enqueue_job("test.boom", {"n": 1}, max_attempts=3)
            db.session.commit()
            Worker("w").run(once=True)
            job = db.session.scalar(select(Job).where(Job.kind == "test.boom"))
            assert job.status == JobStatus.FAILED and job.attempts == 3
            assert job.last_error == "RuntimeError: boom"
    finally:
        HANDLERS.pop("test.boom", None)
    assert len(calls) == 3


def test_periodic_schedules_are_enqueued_once_per_slot(app_context: Flask) -> None:
    Worker("a").enqueue_periodic(utcnow())
    Worker("b").enqueue_periodic(utcnow())
    kinds = db.session.scalars(select(Job.kind)).all()
    assert sorted(kinds) == sorted(set(kinds))
    assert "periodic.expire-needs" in kinds and "periodic.opportunity-digest" in kinds


def test_unsubscribe_topic_and_all(app_context: Flask) -> None:
    (uid,) = create_members(1)
    token = preferences.unsubscribe_token(uid, Topic.NEWS)
    user_id, topic = preferences.read_unsubscribe_token(token)
    preferences.unsubscribe(user_id, topic)
    assert preferences.reach_for(Topic.NEWS, [uid])[uid] == preferences.Reach(True, False)
    assert preferences.reach_for(Topic.EVENTS, [uid])[uid] == preferences.Reach(True, True)
    preferences.unsubscribe(uid, preferences.ALL_TOPICS)
    for topic_ in Topic:
        assert preferences.reach_for(topic_, [uid])[uid] == preferences.Reach(False, False)


def _with_profile_details(uid: int, **fields: object) -> Profile:
    profile = db.session.scalar(select(Profile).where(Profile.user_id == uid))
    assert profile is not None
    for name, value in fields.items():
        setattr(profile, name, value)
    db.session.flush()
    return profile


def test_segment_filters(app_context: Flask) -> None:
    a, b, c = create_members(3)
    pa = _with_profile_details(
        a, country="CA", city="Toronto", sectors=["health"], mode="remote", gender="female"
    )
    pb = _with_profile_details(
        b, country="BE", city="Brussels", sectors=["ict"], mode="both", gender="male"
    )
    pc = _with_profile_details(
        c, country="US", city="Boston", sectors=["ict"], mode="onsite", gender="female"
    )
    db.session.add_all(
        [
            ProfileSkill(profile_id=pa.id, name="public health"),
            ProfileSkill(profile_id=pb.id, name="machine learning"),
            ProfileSkill(profile_id=pc.id, name="accounting"),
            ProfileLanguage(profile_id=pa.id, code="fr", level="C1"),
            ProfileLanguage(profile_id=pb.id, code="en", level="C2"),
        ]
    )
    db.session.flush()
    assert segments.evaluate_filters({}) == [a, b, c]
    assert segments.evaluate_filters({"countries": ["ca", "US"]}) == [a, c]
    assert segments.evaluate_filters({"cities": ["brussels"]}) == [b]
    assert segments.evaluate_filters({"sectors": ["ict"]}) == [b, c]
    assert segments.evaluate_filters({"modes": ["remote"]}) == [a, b]
    assert segments.evaluate_filters({"genders": ["female"]}) == [a, c]
    assert segments.evaluate_filters({"languages": ["fr"]}) == [a]
    # Skills: exact, canonical/alias, and similar phrasing all match.
    assert segments.evaluate_filters({"skills": ["machine learning"]}) == [b]
    assert segments.evaluate_filters({"skills": ["Machine-Learning"]}) == [b]
    assert segments.evaluate_filters({"skills": ["machine learning engineering"]}) == [b]
    assert segments.evaluate_filters({"placement": "never"}) == [a, b, c]
    assert segments.evaluate_filters({"placement": "placed"}) == []
    today = utcnow().date().isoformat()
    assert segments.evaluate_filters({"registered_from": today}) == []
    assert segments.evaluate_filters({"registered_to": today}) == [a, b, c]
    preview = segments.preview_filters({"sectors": ["ict"]})
    assert preview.count == 2 and preview.sample[0][1] == "Belgium"


def test_send_uses_the_segment_evaluated_at_send_time(app_context: Flask) -> None:
    a, b = create_members(2)
    _with_profile_details(a, country="CA")
    segment = make_segment({"countries": ["CA"]})
    message = make_message(segment_id=segment.id)
    _with_profile_details(b, country="CA")
    audience = services.send_message(message)
    assert sorted(audience.recipient_ids) == [a, b]


def test_opportunity_alerts_once_per_need_and_digest(app_context: Flask) -> None:
    ids = create_members(3)
    profiles = dict(db.session.execute(select(Profile.user_id, Profile.id)).all())
    preferences.set_preference(
        ids[1], Topic.OPPORTUNITIES, Channel.EMAIL, True, frequency=AlertFrequency.WEEKLY
    )
    preferences.set_preference(ids[2], Topic.OPPORTUNITIES, Channel.EMAIL, False)
    preferences.set_preference(ids[2], Topic.OPPORTUNITIES, Channel.IN_APP, False)

    class Need:
        id = 41
        title = "Cardiologist for CHUK"

    ranked = [profiles[uid] for uid in ids]
    assert alerts.send_opportunity_alerts(Need(), ranked) == 2
    assert alerts.send_opportunity_alerts(Need(), ranked) == 0  # never twice
    assert db.session.scalar(select(func.count()).select_from(OpportunityAlert)) == 2
    outbox = db.session.scalars(select(OutboxEmail)).all()
    assert [o.user_id for o in outbox] == [ids[0]]  # the weekly one waits for the digest
    assert outbox[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Scores below the strong-match threshold are not alerted.
    Need.id = 42
    assert alerts.send_opportunity_alerts(Need(), ranked, scores={p: 0.2 for p in ranked}) == 0
    assert alerts.send_weekly_digests(utcnow()) == 1
    digest = db.session.scalar(select(OutboxEmail).where(OutboxEmail.user_id == ids[1]))
    assert digest is not None and "Cardiologist for CHUK" in (digest.text_body or "")
    assert alerts.send_weekly_digests(utcnow()) == 0


def test_direct_message_reply_threads(app_context: Flask) -> None:
    staff = StaffUserFactory()
    pro = UserFactory(role=Role.PROFESSIONAL)
    other = UserFactory(role=Role.PROFESSIONAL)
    thread = direct.start_conversation(staff, pro, subject="Your application", body="Are you free?")
    direct.reply(thread, pro, "Yes, from March.")
    direct.reply(thread, staff, "Great.")
    assert [m.body for m in thread.messages] == ["Are you free?", "Yes, from March.", "Great."]
    inbox = db.session.execute(select(InboxEntry.user_id, InboxEntry.conversation_id)).all()
    assert sorted(inbox) == sorted(
        [(pro.id, thread.id), (staff.id, thread.id), (pro.id, thread.id)]
    )
    # Transactional: an unsubscribe from every broadcast does not stop direct-message emails.
    preferences.unsubscribe(pro.id, preferences.ALL_TOPICS)
    direct.reply(thread, staff, "One more thing.")
    assert db.session.scalar(select(func.count()).where(OutboxEmail.user_id == pro.id)) == 3
    # No messaging between professionals.
    with pytest.raises(DomainError):
        direct.start_conversation(pro, other, subject="Hi", body="Hello")
    with pytest.raises(DomainError):
        direct.reply(thread, other, "Let me in")
