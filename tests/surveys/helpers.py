"""Shared set-up for survey tests."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.outreach.models import InboxEntry
from app.surveys import services
from app.surveys.models import Survey
from tests.factories.auth import UserFactory
from tests.factories.outreach import create_members, make_segment
from tests.factories.surveys import SurveyFactory, add_all_question_types


def open_full_survey(
    app: Flask, *, members: int = 2, anonymous: bool = False, **survey_fields: Any
) -> dict[str, Any]:
    """A staff author, `members` professionals in Canada (the segment), one in Belgium (outside),
    and an opened survey with every question type. Returns ids and question ids by name."""
    with app.app_context():
        staff = UserFactory(role="rca_staff")
        inside = create_members(members, prefix="ca", profile={"country": "CA"})
        outside = create_members(1, prefix="be", profile={"country": "BE"})
        segment = make_segment({"countries": ["CA"]}, name="Canada")
        survey = SurveyFactory(
            created_by_id=staff.id,
            audience_kind="segment",
            segment_id=segment.id,
            is_anonymous=anonymous,
            **survey_fields,
        )
        questions = add_all_question_types(survey)
        distribution = services.open_survey(survey)
        db.session.commit()
        return {
            "staff_email": staff.email,
            "staff_id": staff.id,
            "survey_id": survey.id,
            "members": inside,
            "outside": outside,
            "q": {name: q.id for name, q in questions.items()},
            "distribution": distribution,
        }


def answers(q: dict[str, int], **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"q{q['single']}": "1",
        f"q{q['multiple']}": ["1", "__other__"],
        f"q{q['multiple']}_other": "Swahili",
        f"q{q['yes_no']}": "yes",
        f"q{q['conditional']}": "Two months at CHUK.",
        f"q{q['short']}": "Nurse",
        f"q{q['rating']}": "4",
        f"q{q['number']}": "12",
        f"q{q['date']}": "2026-07-01",
        f"q{q['country']}": "CA",
        "action": "submit",
    }
    for key, value in overrides.items():
        data[f"q{q[key]}" if key in q else key] = value
    return {k: v for k, v in data.items() if v is not None}


def token_link(app: Flask, user_id: int) -> str:
    """The survey link (with its token for anonymous surveys) from the member's inbox."""
    with app.app_context():
        link = db.session.scalar(
            select(InboxEntry.link_url)
            .where(InboxEntry.user_id == user_id)
            .order_by(InboxEntry.id.desc())
        )
        assert link
        return "/" + link.split("/", 3)[3]


def get_survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    assert survey is not None
    return survey


def form_data(data: dict[str, Any]) -> MultiDict[str, Any]:
    """A posted form: list values become repeated keys."""
    return MultiDict(
        [
            (key, v)
            for key, value in data.items()
            for v in (value if isinstance(value, list) else [value])
        ]
    )
