"""The worker runs the features' periodic work: need expiry, reconfirmation, placement jobs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.jobs import periodic
from app.jobs.models import Job
from app.jobs.registry import SCHEDULES, WORKER_MODULES, load_worker_modules
from app.needs.models import Need, NeedStatus
from app.profiles.models import Profile
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory
from tests.support.smtp import MailSink


def test_every_feature_schedule_is_registered() -> None:
    assert "app.placements.jobs" in WORKER_MODULES
    load_worker_modules()
    assert {
        "expire-needs",
        "profile-reconfirmation",
        "re-embedding",
        "placements-response-reminders",
        "placements-followup-waves",
    } <= set(SCHEDULES)


def test_one_worker_run_with_time_moved_expires_needs_and_asks_for_reconfirmation(
    app: Flask, mail_sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = utcnow().date()
    with app.app_context():
        need = NeedFactory(
            status=NeedStatus.OPEN,
            start_date=today + timedelta(days=5),
            end_date=today + timedelta(days=60),
        )
        profile = ProfileFactory()
        profile.last_confirmed_at = utcnow()
        db.session.commit()
        need_id, profile_id, email = need.id, profile.id, profile.user.email

    later = utcnow() + timedelta(days=200)  # past the need's end, past the reconfirmation period
    monkeypatch.setattr(periodic, "utcnow", lambda: later)
    result = app.test_cli_runner().invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output

    with app.app_context():
        assert db.session.get(Need, need_id).status == NeedStatus.EXPIRED
        assert db.session.get(Profile, profile_id).reconfirm_requested_at == later
        kinds = {
            job.kind: job.status
            for job in db.session.scalars(select(Job).where(Job.kind.like("periodic.%")))
        }
        assert kinds["periodic.expire-needs"] == "done"
        assert kinds["periodic.profile-reconfirmation"] == "done"
        assert kinds["periodic.placements-response-reminders"] == "done"
    mails = mail_sink.to(email)
    assert len(mails) == 1 and "availability" in mails[0].subject
