"""Every broadcast-like email (alerts, digests) carries both unsubscribe links and RFC 8058
headers; account mail still arrives after "unsubscribe from all broadcasts"."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select, update

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import alerts, preferences, services
from app.outreach.models import AlertFrequency, Channel, Topic
from app.profiles.models import Profile
from tests.factories.outreach import create_members, make_message
from tests.support.smtp import MailSink, ReceivedMail


class _Need:
    def __init__(self, need_id: int, title: str) -> None:
        self.id = need_id
        self.title = title


def _run_worker(app: Flask) -> None:
    with app.app_context():
        Worker("test-worker").run(once=True)


def _footer_links(
    mail: ReceivedMail, topic_label: str = "Stop opportunity emails:"
) -> dict[str, str]:
    text = mail.text()
    found = {}
    for label, key in (
        (topic_label, "topic"),
        ("Unsubscribe from all broadcasts:", "all"),
        ("Your preferences:", "preferences"),
    ):
        match = re.search(re.escape(label) + r" (\S+)", text)
        assert match, (label, text)
        found[key] = urlsplit(match.group(1)).path
    return found


def test_alert_and_digest_carry_unsubscribe_from_all_and_one_click_headers(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        alerted, digested = create_members(2)
        preferences.set_preference(
            digested, Topic.OPPORTUNITIES, Channel.EMAIL, True, frequency=AlertFrequency.WEEKLY
        )
        profiles = list(db.session.scalars(select(Profile.id).order_by(Profile.user_id)))
        alerts.send_opportunity_alerts(_Need(7, "Nurse educator"), profiles)
        alerts.send_weekly_digests(utcnow())
        db.session.commit()
    _run_worker(app)
    assert len(mail_sink.messages) == 2
    for mail in mail_sink.messages:
        links = _footer_links(mail)
        assert links["preferences"] == "/outreach/preferences"
        assert urlsplit(mail.message["List-Unsubscribe"].strip("<>")).path == links["topic"]
        assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "Nurse educator" in mail.text()
    # The "all" link names "all" in its signed token; following it stops every broadcast.
    with app.app_context():
        all_path = _footer_links(mail_sink.to("member0@example.org")[0])["all"]
        user_id, topic = preferences.read_unsubscribe_token(all_path.rsplit("/", 1)[1])
        assert (user_id, topic) == (alerted, preferences.ALL_TOPICS)
    response = app.test_client().post(all_path)
    assert response.status_code == 200
    with app.app_context():
        for each in Topic:
            reach = preferences.reach_for(each, [alerted])[alerted]
            assert (reach.email, reach.in_app) == (False, False)
        assert alerts.send_opportunity_alerts(_Need(8, "Another"), profiles[:1]) == 0


def test_staff_broadcast_carries_unsubscribe_from_all_which_stops_every_broadcast(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        (uid,) = create_members(1)
        services.send_message(make_message())
        db.session.commit()
    _run_worker(app)
    (mail,) = mail_sink.messages
    links = _footer_links(mail, "Unsubscribe from these emails:")
    assert links["preferences"] == "/outreach/preferences"
    assert urlsplit(mail.message["List-Unsubscribe"].strip("<>")).path == links["topic"]
    assert links["all"] in mail.html()
    assert app.test_client().post(links["all"]).status_code == 200
    with app.app_context():
        audience = services.send_message(make_message(topic=Topic.EVENTS))
        db.session.commit()
        assert audience.recipient_ids == [] and audience.left_out["no_consent"] == 1
        assert not any(preferences.reach_for(each, [uid])[uid].email for each in Topic)


def test_account_mail_still_arrives_after_unsubscribe_from_all(
    app: Flask, mail_sink: MailSink
) -> None:
    with app.app_context():
        verified, unverified = create_members(2)
        db.session.execute(update(User).where(User.id == unverified).values(email_verified_at=None))
        for uid in (verified, unverified):
            preferences.unsubscribe(uid, preferences.ALL_TOPICS)
        db.session.commit()
    client = app.test_client()
    assert client.post("/auth/reset", data={"email": "member0@example.org"}).status_code == 302
    assert (
        client.post("/auth/verify/resend", data={"email": "member1@example.org"}).status_code == 302
    )
    reset = mail_sink.to("member0@example.org")
    verification = mail_sink.to("member1@example.org")
    assert len(reset) == 1 and "/auth/reset/" in reset[0].text()
    assert len(verification) == 1 and "/auth/verify/" in verification[0].text()
