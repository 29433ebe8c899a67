"""Each reader sees dates and times in their own zone; staff type times in Kigali and see both."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask_babel import format_datetime
from flask_login import login_user

from app.auth.models import User
from app.extensions import db
from app.i18n import (
    DEFAULT_TIMEZONE,
    format_kigali_and_utc,
    in_zone,
    local_to_utc,
    select_timezone,
)
from app.outreach.services import kigali_to_utc
from tests.factories.auth import UserFactory
from tests.factories.profiles import ProfileFactory


def test_a_time_typed_in_kigali_is_stored_utc_and_read_back_in_another_zone() -> None:
    typed = datetime(2027, 3, 10, 14, 0)  # noqa: DTZ001 (a naive form value, Kigali time)
    stored = local_to_utc(typed, "Africa/Kigali")
    assert stored == datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
    assert stored == kigali_to_utc(typed)  # the outreach form's conversion agrees
    assert in_zone(stored, "Europe/Brussels").strftime("%H:%M %Z") == "13:00 CET"
    assert in_zone(stored, "America/Toronto").strftime("%H:%M %Z") == "07:00 EST"
    # Stored values may come back naive from SQLite: they are UTC.
    assert in_zone(stored.replace(tzinfo=None), "Africa/Kigali").hour == 14


@pytest.mark.parametrize(
    ("zone", "typed", "utc_hour", "shown"),
    [
        # Brussels springs forward on 28 March 2027 at 02:00 → 03:00; 02:30 does not exist and
        # is read with the winter offset (fold=0), so it is shown back as 03:30 summer time.
        ("Europe/Brussels", datetime(2027, 3, 28, 2, 30), 1, "03:30 CEST"),  # noqa: DTZ001
        # Brussels falls back on 31 October 2027: 02:30 happens twice, the first one is taken.
        ("Europe/Brussels", datetime(2027, 10, 31, 2, 30), 0, "02:30 CEST"),  # noqa: DTZ001
        # Toronto springs forward on 14 March 2027 at 02:00.
        ("America/Toronto", datetime(2027, 3, 14, 2, 30), 7, "03:30 EDT"),  # noqa: DTZ001
        # Toronto falls back on 7 November 2027: 01:30 EDT (the first) is 05:30 UTC.
        ("America/Toronto", datetime(2027, 11, 7, 1, 30), 5, "01:30 EDT"),  # noqa: DTZ001
        # The day after each change the offset is the new one.
        ("America/Toronto", datetime(2027, 11, 8, 9, 0), 14, "09:00 EST"),  # noqa: DTZ001
        ("Europe/Brussels", datetime(2027, 3, 29, 9, 0), 7, "09:00 CEST"),  # noqa: DTZ001
    ],
)
def test_daylight_saving_edges(zone: str, typed: datetime, utc_hour: int, shown: str) -> None:
    stored = local_to_utc(typed, zone)
    assert stored.tzinfo is UTC and stored.hour == utc_hour
    assert in_zone(stored, zone).strftime("%H:%M %Z") == shown


def _viewer(app: Flask, zone: str | None) -> int:
    with app.app_context():
        user = UserFactory(role="rca_staff") if zone is None else ProfileFactory(timezone=zone).user
        db.session.commit()
        return int(user.id)


def _shown_to(app: Flask, user_id: int | None, moment: datetime) -> tuple[str, str]:
    with app.test_request_context("/"):
        if user_id is not None:
            user = db.session.get(User, user_id)
            assert user is not None
            login_user(user)
        return select_timezone(), format_datetime(moment, "HH:mm")


def test_every_page_shows_times_in_the_viewer_zone(app: Flask) -> None:
    moment = datetime(2027, 1, 15, 12, 0, tzinfo=UTC)
    toronto = _viewer(app, "America/Toronto")
    brussels = _viewer(app, "Europe/Brussels")
    staff = _viewer(app, None)  # staff have no profile: Kigali, where they work
    assert _shown_to(app, toronto, moment) == ("America/Toronto", "07:00")
    assert _shown_to(app, brussels, moment) == ("Europe/Brussels", "13:00")
    assert _shown_to(app, staff, moment) == (DEFAULT_TIMEZONE, "14:00")
    assert _shown_to(app, None, moment) == (DEFAULT_TIMEZONE, "14:00")


def test_a_profile_with_an_unknown_zone_falls_back_to_kigali(app: Flask) -> None:
    broken = _viewer(app, "Mars/Olympus")
    assert _shown_to(app, broken, datetime(2027, 1, 15, 12, 0, tzinfo=UTC))[0] == DEFAULT_TIMEZONE


def test_staff_see_a_scheduled_moment_in_kigali_time_and_utc(app: Flask) -> None:
    with app.test_request_context("/"):
        text = format_kigali_and_utc(datetime(2027, 6, 1, 7, 30, tzinfo=UTC))
    assert "9:30" in text and "Kigali" in text and "7:30" in text and "UTC" in text


def test_a_survey_invitation_gives_the_closing_time_in_the_member_zone(app_context: Flask) -> None:
    from sqlalchemy import select

    from app.outreach.models import OutboxEmail
    from app.surveys import services
    from tests.factories.outreach import create_members, make_segment
    from tests.factories.surveys import SurveyFactory, add_all_question_types

    (member,) = create_members(
        1, prefix="to", profile={"country": "CA", "timezone": "America/Toronto"}
    )
    segment = make_segment({"countries": ["CA"]}, name="Canada")
    survey = SurveyFactory(
        audience_kind="segment",
        segment_id=segment.id,
        closes_at=datetime(2031, 7, 1, 16, 0, tzinfo=UTC),
    )
    add_all_question_types(survey)
    services.open_survey(survey)
    body = db.session.scalar(select(OutboxEmail.text_body).where(OutboxEmail.user_id == member))
    assert body is not None
    assert "It closes on 2031-07-01 12:00 (America/Toronto time)." in body  # EDT, UTC-4
