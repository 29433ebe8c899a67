"""Profile services: content hash, freshness (time moved, mail over SMTP), duplicates."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.profiles import services
from app.profiles.models import DuplicateCandidate, DuplicateStatus, Profile
from tests.conftest import login
from tests.factories.profiles import ProfileFactory
from tests.support.smtp import MailSink


def test_content_hash_follows_matcher_text_only(app_context: Flask) -> None:
    profile = ProfileFactory()
    services.refresh_content_hash(profile)
    first = profile.content_hash
    services.save_identity(profile, full_name=profile.full_name, phone="+250788123456")
    assert profile.content_hash == first  # the phone is not in the matcher's text
    services.add_skill(profile, "neonatal resuscitation", "advanced", 4)
    assert profile.content_hash != first
    second = profile.content_hash
    services.remove_skill(profile, profile.skills[0].id)
    assert profile.content_hash == first != second


def test_reconfirmation_email_link_and_unconfirmed_after_grace(
    app: Flask, client: FlaskClient, mail_sink: MailSink
) -> None:
    start = utcnow()
    with app.app_context():
        profile = ProfileFactory()
        profile.last_confirmed_at = start
        email = profile.user.email
        db.session.commit()
        # Not due yet.
        assert services.send_reconfirmation_requests(start + timedelta(days=30))["requests"] == 0
        due = start + timedelta(days=190)
        assert services.send_reconfirmation_requests(due) == {"requests": 1, "reminders": 0}
        db.session.commit()
    mails = mail_sink.to(email)
    assert len(mails) == 1 and "availability" in mails[0].subject
    link = urlsplit(re.search(r"https?://\S+", mails[0].text()).group(0)).path

    with app.app_context():
        # No answer: a reminder after the grace period, then "unconfirmed" after another.
        sent = services.send_reconfirmation_requests(due + timedelta(days=14))
        assert sent == {"requests": 0, "reminders": 1}
        assert services.mark_unconfirmed(due + timedelta(days=20)) == 0
        assert services.mark_unconfirmed(due + timedelta(days=28)) == 1
        db.session.commit()
        assert db.session.scalars(select(Profile)).one().is_confirmed is False
    assert len(mail_sink.to(email)) == 2

    # The signed link confirms without logging in.
    response = client.get(link)
    assert response.status_code == 200
    with app.app_context():
        profile = db.session.scalars(select(Profile)).one()
        assert profile.is_confirmed and profile.reconfirm_requested_at is None
    assert client.get("/profile/confirm/forged-token").status_code == 400


def test_duplicate_detection_and_staff_dismiss(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    with app.app_context():
        first = ProfileFactory(full_name="Aline Uwimana")
        second = ProfileFactory(full_name="Uwimana Aline")
        services.save_identity(
            first, full_name="Aline Uwimana", birth_year=1985, phone="+15145550100"
        )
        services.save_identity(
            second, full_name="Uwimana  Aline", birth_year=1985, phone="+15145550101"
        )
        third = ProfileFactory()
        services.save_identity(third, full_name="Someone Else", phone="+15145550100")
        db.session.commit()
        reasons = sorted(c.reason for c in db.session.scalars(select(DuplicateCandidate)))
        assert reasons == ["name_and_birth_year", "phone"]
        pair = db.session.scalars(
            select(DuplicateCandidate).where(DuplicateCandidate.reason == "phone")
        ).one()
        pair_id = pair.id
    staff = make_user("rca_staff")
    login(client, staff.email)
    page = client.get("/profile/staff/duplicates")
    assert page.status_code == 200 and "Someone Else" in page.get_data(as_text=True)
    r = client.post(f"/profile/staff/duplicates/{pair_id}/dismiss")
    assert r.headers["Location"].endswith("/profile/staff/duplicates")
    with app.app_context():
        assert db.session.get(DuplicateCandidate, pair_id).status == DuplicateStatus.DISMISSED


def test_staff_merge_moves_entries_and_disables_other_account(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    with app.app_context():
        keep = ProfileFactory(full_name="Eric Mugisha")
        drop = ProfileFactory(full_name="Eric Mugisha")
        services.add_skill(keep, "cardiology", "expert", 10)
        services.add_skill(drop, "cardiology", "beginner", 1)
        services.add_skill(drop, "medical education", "advanced", 5)
        services.save_education(drop, degree="MD", field_of_study="Medicine")
        services.save_identity(keep, full_name="Eric Mugisha", birth_year=1980)
        services.save_identity(drop, full_name="Eric Mugisha", birth_year=1980)
        db.session.commit()
        candidate_id = db.session.scalars(select(DuplicateCandidate)).one().id
        keep_id, drop_user_id = keep.id, drop.user_id
    staff = make_user("rca_staff")
    login(client, staff.email)
    client.post(f"/profile/staff/duplicates/{candidate_id}/merge", data={"keep": keep_id})
    with app.app_context():
        kept = db.session.get(Profile, keep_id)
        assert sorted((s.name, s.level) for s in kept.skills) == [
            ("cardiology", "expert"),
            ("medical education", "advanced"),
        ]
        assert [e.degree for e in kept.education] == ["MD"]
        assert db.session.get(User, drop_user_id).is_enabled is False
        assert db.session.get(DuplicateCandidate, candidate_id).status == DuplicateStatus.MERGED


def test_cli_reconfirm_runs(app: Flask, mail_sink: MailSink) -> None:
    with app.app_context():
        profile = ProfileFactory()
        profile.last_confirmed_at = utcnow() - timedelta(days=200)
        email = profile.user.email
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["profiles", "reconfirm"])
    assert "Requests sent: 1" in result.output, result.output
    assert len(mail_sink.to(email)) == 1


def test_an_availability_window_wholly_in_the_past_is_refused(app_context: Flask) -> None:
    profile = ProfileFactory()
    today = utcnow().date()
    try:
        services.add_window(profile, today - timedelta(days=60), today - timedelta(days=1))
    except services.InvalidProfileData as error:
        assert error.field == "end" and "past" in error.message
    else:
        raise AssertionError("a past window was stored")
    assert profile.windows == []
    # A window that started earlier but is still running, or ends today, is kept.
    services.add_window(profile, today - timedelta(days=30), today)
    assert len(profile.windows) == 1
