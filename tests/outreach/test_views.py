"""Outreach pages through the HTTP client: inbox, preferences, unsubscribe, compose and send."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import preferences, services
from app.outreach.models import (
    Conversation,
    InboxEntry,
    MessageRecipient,
    MessageStatus,
    OutboxEmail,
    OutreachMessage,
    Segment,
    Topic,
)
from tests.factories.auth import StaffUserFactory
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink


def _deliver(app: Flask) -> None:
    with app.app_context():
        Worker("test").run(once=True)


def _send_news(app: Flask, count: int = 1) -> list[int]:
    with app.app_context():
        ids = create_members(count)
        services.send_message(make_message())
        db.session.commit()
        return ids


def test_unsubscribe_link_works_without_login_and_stops_further_mail(
    app: Flask, client: FlaskClient, mail_sink: MailSink
) -> None:
    _send_news(app)
    _deliver(app)
    (mail,) = mail_sink.messages
    link = re.search(r"Unsubscribe from these emails: (\S+)", mail.text())
    assert link
    path = urlsplit(link.group(1)).path
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.get_data(as_text=True)
    mail_sink.clear()
    with app.app_context():
        audience = services.send_message(make_message())
        db.session.commit()
        assert audience.email_ids == []
    _deliver(app)
    assert mail_sink.messages == []


def test_list_unsubscribe_one_click_post(
    app: Flask, client: FlaskClient, mail_sink: MailSink
) -> None:
    (uid,) = _send_news(app)
    _deliver(app)
    header = mail_sink.messages[0].message["List-Unsubscribe"]
    url = header.strip("<>")
    response = client.post(
        urlsplit(url).path,
        data={"List-Unsubscribe": "One-Click"},
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204
    with app.app_context():
        assert preferences.reach_for(Topic.NEWS, [uid])[uid].email is False


def test_one_click_post_needs_no_csrf_token(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        (uid,) = create_members(1)
        db.session.commit()
        token = preferences.unsubscribe_token(uid, "all")
    response = app.test_client().post(
        f"/outreach/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 204
    bad = app.test_client().post(f"/outreach/unsubscribe/{token}x", data={})
    assert bad.status_code == 404


def test_inbox_read_receipt_and_unread_count(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("professional")
    with app.app_context():
        message = make_message(subject="Hello {first_name}")
        db.session.add(InboxEntry(user_id=member.id, kind="broadcast", message_id=message.id))
        db.session.commit()
        entry_id = db.session.scalar(select(InboxEntry.id))
    page = client.get("/outreach/inbox")
    assert page.status_code == 200
    assert 'class="badge-count"' in page.get_data(as_text=True)
    opened = client.get(f"/outreach/inbox/{entry_id}")
    assert opened.status_code == 200
    with app.app_context():
        assert db.session.get(InboxEntry, entry_id).read_at is not None
    assert 'class="badge-count"' not in client.get("/outreach/inbox").get_data(as_text=True)


def test_someone_elses_inbox_entry_is_404(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    other = make_user("professional")
    with app.app_context():
        db.session.add(InboxEntry(user_id=other.id, kind="alert", subject="x"))
        db.session.commit()
        entry_id = db.session.scalar(select(InboxEntry.id))
    logged_in("professional")
    assert client.get(f"/outreach/inbox/{entry_id}").status_code == 404


def test_preference_centre_saves_choices(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("professional")
    assert client.get("/outreach/preferences").status_code == 200
    response = client.post(
        "/outreach/preferences",
        data={
            "news__email": "y",
            "news__in_app": "y",
            "events__in_app": "y",
            "frequency": "weekly",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        assert preferences.reach_for(Topic.NEWS, [member.id])[member.id] == preferences.Reach(
            True, True
        )
        assert preferences.reach_for(Topic.SURVEYS, [member.id])[member.id] == preferences.Reach(
            False, False
        )
        assert preferences.alert_frequency(member.id) == "weekly"


def test_staff_compose_refuses_unknown_placeholder_and_keeps_input(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    response = client.post(
        "/outreach/messages/new",
        data={"topic": "news", "segment_id": "", "subject": "Hi", "body": "Dear {nmae}"},
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Unknown placeholder {nmae}" in text
    assert "Dear {nmae}" in text


def test_staff_compose_preview_test_send_and_send_now(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], mail_sink: MailSink
) -> None:
    staff = logged_in("rca_staff")
    with app.app_context():
        ids = create_members(3)
        create_members(1, prefix="noemail", email_consent=False)
        db.session.commit()
    response = client.post(
        "/outreach/messages/new",
        data={
            "topic": "news",
            "segment_id": "",
            "subject": "News for {first_name}",
            "body": "Hello <script>x</script> **{first_name}**",
            "links": "Portal | https://gov.rw",
        },
    )
    assert response.status_code == 302
    detail_path = urlsplit(response.headers["Location"]).path
    message_id = int(detail_path.rsplit("/", 1)[1])
    page = client.get(f"{detail_path}?user_id={ids[0]}")
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>Member</strong>" in body and "<script>x" not in body
    assert "4 members in the segment; 4 would receive it now (3 by email)" in body

    assert client.post(f"/outreach/messages/{message_id}/test").status_code == 302
    (test_mail,) = mail_sink.to(staff.email)
    assert test_mail.subject.startswith("[Test]")
    mail_sink.clear()

    sent = client.post(f"/outreach/messages/{message_id}/send", data={"mode": "now"})
    assert sent.status_code == 302
    with app.app_context():
        message = db.session.get(OutreachMessage, message_id)
        assert message.status == MessageStatus.SENT
        assert message.summary["left_out"] == {"no_email_consent": 1}
        assert db.session.scalar(select(func.count()).select_from(InboxEntry)) == 4
    _deliver(app)
    assert len(mail_sink.messages) == 3
    report = client.get(detail_path).get_data(as_text=True)
    assert "Delivery report" in report


def test_send_page_says_who_is_held_back_by_the_weekly_limit(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory(OUTREACH_MAX_BROADCASTS_PER_WEEK=1)
    client = app.test_client()
    with app.app_context():
        busy, free = create_members(2)
        services.send_message(make_message(subject="Last week"))
        db.session.execute(
            MessageRecipient.__table__.update()
            .where(MessageRecipient.user_id == free)
            .values(deliver_at=utcnow() - timedelta(days=8))
        )
        message_id = make_message(subject="This week").id
        staff = StaffUserFactory()
        db.session.commit()
        staff_email = staff.email
    from tests.conftest import login

    login(client, staff_email)
    detail = f"/outreach/messages/{message_id}"
    before = client.get(detail).get_data(as_text=True)
    assert "2 members in the segment; 2 would receive it now" in before
    assert "1 of them reached the weekly limit of 1 broadcasts: the message is held back" in before
    sent = client.post(f"{detail}/send", data={"mode": "now"}, follow_redirects=True)
    page = sent.get_data(as_text=True)
    assert "reached the weekly limit of broadcasts: the message is held back" in page
    assert "Held back by the weekly limit of 1 broadcasts per member: 1 members." in page
    with app.app_context():
        waiting = db.session.scalar(
            select(InboxEntry.visible_at).where(
                InboxEntry.user_id == busy, InboxEntry.message_id == message_id
            )
        )
        assert waiting > utcnow()


def test_schedule_in_the_past_is_a_field_error(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    with app.app_context():
        message_id = make_message().id
        db.session.commit()
    response = client.post(
        f"/outreach/messages/{message_id}/send", data={"mode": "at", "send_at": "2020-01-01T10:00"}
    )
    assert response.status_code == 400
    assert "Choose a date and time in the future." in response.get_data(as_text=True)


def test_segment_preview_then_save(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    with app.app_context():
        create_members(12)
        db.session.commit()
    preview = client.post("/outreach/segments/new", data={"countries": ["BE"], "preview": "1"})
    assert preview.status_code == 200
    text = preview.get_data(as_text=True)
    assert "12 members" in text and text.count("Belgium") >= 10
    saved = client.post(
        "/outreach/segments/new", data={"name": "Belgium", "countries": ["BE"], "save": "1"}
    )
    assert saved.status_code == 302
    with app.app_context():
        segment = db.session.scalar(select(Segment))
        assert segment.name == "Belgium" and segment.filters == {"countries": ["BE"]}


def test_professionals_cannot_reach_staff_pages_or_write_to_each_other(
    client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    other = make_user("professional")
    logged_in("professional")
    assert client.get("/outreach/messages").status_code == 403
    assert client.get("/outreach/segments/new").status_code == 403
    assert client.get(f"/outreach/conversations/new/{other.id}").status_code == 403


def test_direct_message_and_reply_thread_through_pages(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    from tests.conftest import login

    pro = make_user("professional")
    staff = make_user("rca_staff")
    login(client, staff.email)
    response = client.post(
        f"/outreach/conversations/new/{pro.id}", data={"subject": "Placement", "body": "Hello"}
    )
    assert response.status_code == 302
    thread_path = urlsplit(response.headers["Location"]).path
    client.post("/auth/logout")
    login(client, pro.email)
    page = client.get(thread_path)
    assert page.status_code == 200 and "Hello" in page.get_data(as_text=True)
    assert client.post(thread_path, data={"body": "Thanks!"}).status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Conversation))
        assert [m.body for m in thread.messages] == ["Hello", "Thanks!"]
        assert db.session.scalar(select(func.count()).where(InboxEntry.user_id == staff.id)) == 1
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 2


def test_a_scheduled_message_shows_kigali_time_and_utc(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    with app.app_context():
        message_id = make_message().id
        db.session.commit()
    form_page = client.get(f"/outreach/messages/{message_id}").get_data(as_text=True)
    assert "Kigali time (UTC+2, no daylight saving time)" in form_page  # the hint under the field
    client.post(
        f"/outreach/messages/{message_id}/send", data={"mode": "at", "send_at": "2030-01-01T10:00"}
    )
    with app.app_context():
        message = db.session.get(OutreachMessage, message_id)
        assert message is not None and message.scheduled_at is not None
        assert message.scheduled_at.replace(tzinfo=None).hour == 8  # typed Kigali, stored UTC
    page = client.get(f"/outreach/messages/{message_id}").get_data(as_text=True)
    # CLDR puts a narrow no-break space before AM.
    assert "10:00:00\u202fAM Kigali time (Jan 1, 2030, 8:00:00\u202fAM UTC)" in page
