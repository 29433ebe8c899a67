"""The audiences of a survey: the participants of given placements."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.outreach.models import InboxEntry
from app.surveys import services
from app.surveys.models import SurveyInvitation
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.placements import PlacementFactory
from tests.factories.surveys import SurveyFactory


def test_placements_audience_is_professionals_and_host_supervisors(app_context: Flask) -> None:
    staff = StaffUserFactory()
    supervisor = InstitutionUserFactory()
    supervised = PlacementFactory(supervisor_id=supervisor.id)
    unsupervised = PlacementFactory()
    other = PlacementFactory(supervisor_id=InstitutionUserFactory().id)
    db.session.flush()

    assert services.placement_participant_ids([supervised.id, unsupervised.id]) == sorted(
        [supervised.profile.user_id, supervisor.id, unsupervised.profile.user_id]
    )
    assert services.placement_participant_ids([]) == []

    survey = services.save_survey(
        None,
        author=staff,
        title="How is your placement going?",
        opens_at=None,
        closes_at=None,
        audience_kind="placements",
        placement_ids=[supervised.id, unsupervised.id],
    )
    services.save_question(survey, None, kind="rating", text="How useful was it?")
    distribution = services.open_survey(survey)
    invited = set(
        db.session.scalars(
            select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey.id)
        )
    )
    expected = {supervised.profile.user_id, supervisor.id, unsupervised.profile.user_id}
    assert invited == expected and distribution.invited == 3
    assert other.profile.user_id not in invited and other.supervisor_id not in invited
    inbox = set(db.session.scalars(select(InboxEntry.user_id)))
    assert inbox == expected


def test_placements_audience_survives_an_erased_professional(app_context: Flask) -> None:
    supervisor = InstitutionUserFactory()
    placement = PlacementFactory(supervisor_id=supervisor.id)
    placement.profile_id = None
    db.session.flush()
    assert services.placement_participant_ids([placement.id]) == [supervisor.id]
    survey = SurveyFactory(audience_kind="placements", placement_ids=[placement.id])
    assert services.audience_user_ids(survey) == [supervisor.id]
