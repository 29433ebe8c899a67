"""The full demo data (`flask demo load`) loads into the test database, fast and consistent."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.demo.seed import (
    DEMO_ADMIN,
    DEMO_INSTITUTION,
    DEMO_PROFESSIONAL,
    DEMO_STAFF,
    load_demo_data,
)
from app.extensions import db
from app.needs.models import Need
from app.outreach.models import (
    Conversation,
    DirectMessage,
    InboxEntry,
    MessageStatus,
    OutboxEmail,
    OutreachMessage,
    Segment,
)
from app.placements.models import EvaluationResponse, Placement, PlacementEvent
from app.placements.states import PlacementStatus
from app.profiles.models import Profile
from app.ranking.services import embed_pending, recommended_needs_for
from app.surveys.models import ResponseStatus, Survey, SurveyResponse, SurveyStatus


def _count(model: type, *where: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_load_demo_data_seeds_every_feature(app_context: Flask) -> None:
    load_demo_data(professionals=60, seed=2026, echo=lambda _line: None)

    roles = dict(
        db.session.execute(
            select(User.email, User.role).where(
                User.email.in_([DEMO_PROFESSIONAL, DEMO_INSTITUTION, DEMO_STAFF, DEMO_ADMIN])
            )
        ).all()
    )
    assert roles == {
        DEMO_PROFESSIONAL: Role.PROFESSIONAL,
        DEMO_INSTITUTION: Role.INSTITUTION_MEMBER,
        DEMO_STAFF: Role.RCA_STAFF,
        DEMO_ADMIN: Role.ADMIN,
    }
    assert _count(Profile) >= 60 and _count(Need) > 0

    # Placements: ~25, every state, timelines, evaluations, closures with reasons.
    assert 20 <= _count(Placement) <= 30
    statuses = set(db.session.scalars(select(Placement.status).distinct()))
    assert statuses == {str(s) for s in PlacementStatus}
    assert _count(PlacementEvent) >= 2 * _count(Placement)
    assert _count(EvaluationResponse, EvaluationResponse.rating.is_not(None)) >= 3
    closed = db.session.scalars(
        select(Placement).where(Placement.status == PlacementStatus.CLOSED)
    ).all()
    assert closed and all(p.closed_reason for p in closed)
    for placement in db.session.scalars(select(Placement)):
        assert placement.events[-1].to_status == placement.status
    amina = db.session.scalars(
        select(Profile).join(User).where(User.email == DEMO_PROFESSIONAL)
    ).one()
    mine = sorted(
        db.session.scalars(select(Placement.status).where(Placement.profile_id == amina.id))
    )
    assert mine == ["accepted", "invited"]

    # Outreach: two segments, one sent and one scheduled message, a thread, no emails.
    assert {s.name for s in db.session.scalars(select(Segment))} == {
        "Health professionals in Canada",
        "French speakers in Europe",
    }
    messages = {m.status for m in db.session.scalars(select(OutreachMessage))}
    assert messages == {MessageStatus.SENT, MessageStatus.SCHEDULED}
    assert _count(InboxEntry, InboxEntry.message_id.is_not(None)) > 0
    conversation = db.session.scalars(select(Conversation)).one()
    assert conversation.professional_id == amina.user_id
    assert _count(DirectMessage) == 3
    assert _count(OutboxEmail) == 0  # the dev worker must not mail demo members

    # Surveys: the open census with ~60 final answers, a closed anonymous one, a draft.
    surveys = {s.title: s for s in db.session.scalars(select(Survey))}
    census = surveys["Diaspora skills census 2026"]
    assert census.status == SurveyStatus.OPEN and not census.is_anonymous
    assert len({q.kind for q in census.questions}) >= 5
    final = _count(
        SurveyResponse,
        SurveyResponse.survey_id == census.id,
        SurveyResponse.status == ResponseStatus.SUBMITTED,
    )
    assert 50 <= final <= 61
    anonymous = next(s for s in surveys.values() if s.is_anonymous)
    assert anonymous.status == SurveyStatus.CLOSED
    assert _count(SurveyResponse, SurveyResponse.survey_id == anonymous.id) > 20
    assert (
        _count(
            SurveyResponse,
            SurveyResponse.survey_id == anonymous.id,
            SurveyResponse.user_id.is_not(None),
        )
        == 0
    )
    assert any(s.status == SurveyStatus.DRAFT for s in surveys.values())


def test_demo_professional_is_recommended_open_needs(app_context: Flask) -> None:
    load_demo_data(professionals=40, seed=2026, echo=lambda _line: None)
    db.session.commit()
    embed_pending()
    db.session.commit()
    amina = db.session.scalars(
        select(Profile).join(User).where(User.email == DEMO_PROFESSIONAL)
    ).one()
    recommended = recommended_needs_for(amina)
    assert recommended, "the demo login's dashboard would show no recommended need"
    assert all(r.need.status == "open" for r in recommended)
