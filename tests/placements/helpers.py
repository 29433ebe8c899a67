"""Shared set-up for placement tests: an institution with two members, a need, professionals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.needs.models import Need
from app.outreach.models import InboxEntry, OutboxEmail
from app.profiles.models import Profile
from tests.factories.auth import StaffUserFactory
from tests.factories.institutions import InstitutionFactory, MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory


@dataclass
class World:
    need: Need
    member: User
    colleague: User
    staff: User
    outsider: User  # member of another organisation
    profile: Profile
    other_profile: Profile


def build_world(**need_fields: Any) -> World:
    institution = InstitutionFactory()
    member = MembershipFactory(institution=institution).user
    colleague = MembershipFactory(institution=institution, is_admin=False).user
    outsider = MembershipFactory().user
    need = NeedFactory(institution=institution, created_by=member, **need_fields)
    world = World(
        need=need,
        member=member,
        colleague=colleague,
        staff=StaffUserFactory(),
        outsider=outsider,
        profile=ProfileFactory(phone="+14165550100"),
        other_profile=ProfileFactory(),
    )
    db.session.commit()
    return world


def inbox_count(user_id: int) -> int:
    return int(
        db.session.scalar(select(func.count(InboxEntry.id)).where(InboxEntry.user_id == user_id))
        or 0
    )


def outbox_for(user_id: int) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.user_id == user_id)))


def answer_evaluation_survey(
    placement_id: int, wave: str, respondent: str, user: User, **answers: Any
) -> None:
    """Answer (final response) the placement's evaluation survey of one wave as `user`.

    `answers` are keyed by the evaluation template's keys (rating, went_well, improve,
    deliverables_achieved, people_trained); they go through the survey module's services.
    """
    from werkzeug.datastructures import MultiDict

    from app.surveys import services as survey_services
    from app.surveys.evaluations import surveys_of_placement, template_for

    survey = surveys_of_placement(placement_id)[(wave, respondent)]
    questions = sorted(survey.questions, key=lambda q: q.position)
    data = MultiDict(
        {
            f"q{question.id}": str(answers[item.key])
            for item, question in zip(template_for(respondent), questions, strict=True)
            if item.key in answers
        }
    )
    response = survey_services.start_response(survey, user=user)
    survey_services.save_answers(survey, response, data)
    survey_services.submit_response(survey, response)
