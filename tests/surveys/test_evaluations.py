"""Placement evaluation waves as surveys: creation, distribution, follow-up, who may answer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.jobs.worker import Worker
from app.outreach import preferences
from app.outreach.models import Channel, InboxEntry, OutboxEmail, OutboxStatus, Topic
from app.placements import services as placement_services
from app.placements.models import EvaluationResponse, Placement
from app.surveys import services
from app.surveys.evaluations import surveys_of_placement
from app.surveys.models import QuestionKind, SurveyInvitation, SurveyStatus
from tests.conftest import login
from tests.factories.auth import UserFactory
from tests.placements.helpers import World, answer_evaluation_survey, build_world
from tests.support.smtp import MailSink


def _plan() -> placement_services.WorkPlan:
    return placement_services.WorkPlan(
        start_date=date(2027, 1, 10),
        end_date=date(2027, 2, 10),
        mode="remote",
        deliverables="A training plan",
    )


def _agreed(world: World) -> Placement:
    """A placement whose work plan is agreed: the baseline wave has been sent."""
    pro = world.profile.user
    p = placement_services.invite_professional(world.need, world.profile, by=world.member)
    placement_services.accept_invitation(p, by=pro)
    placement_services.agree_work_plan(p, by=world.member, plan=_plan())
    db.session.commit()
    return p


def _completed(world: World) -> Placement:
    p = _agreed(world)
    placement_services.start_placement(p, by=world.member)
    placement_services.complete_placement(p, by=world.member)
    db.session.commit()
    return p


def _setup(app: Flask, *, opt_out: bool = False) -> dict[str, Any]:
    with app.app_context():
        world = build_world()
        pro = world.profile.user
        if opt_out:  # broadcast survey consent refused on every channel
            for channel in Channel:
                preferences.set_preference(pro.id, Topic.SURVEYS, channel, False)
            db.session.commit()
        p = _agreed(world)
        surveys = surveys_of_placement(p.id)
        return {
            "placement_id": p.id,
            "pro_id": pro.id,
            "pro_email": pro.email,
            "member_id": world.member.id,
            "member_email": world.member.email,
            "outsider_email": world.outsider.email,
            "surveys": {key: s.id for key, s in surveys.items()},
        }


def test_baseline_wave_creates_one_survey_per_respondent_and_sends_it(
    app: Flask, mail_sink: MailSink
) -> None:
    setup = _setup(app, opt_out=True)
    assert set(setup["surveys"]) == {("baseline", "professional"), ("baseline", "host")}
    with app.app_context():
        invited = {}
        for (wave, role), survey_id in setup["surveys"].items():
            survey = services.get_survey(survey_id)
            assert survey.status == SurveyStatus.OPEN and not survey.is_anonymous
            assert survey.placement_id == setup["placement_id"] and survey.evaluation_wave == wave
            assert survey.title.startswith("Baseline evaluation:")
            kinds = [q.kind for q in services.ordered_questions(survey)]
            assert kinds[:4] == [
                QuestionKind.RATING,
                QuestionKind.LONG_TEXT,
                QuestionKind.LONG_TEXT,
                QuestionKind.YES_NO,
            ]
            assert services.ordered_questions(survey)[0].is_required
            if role == "host":
                number = services.ordered_questions(survey)[4]
                assert number.kind == QuestionKind.NUMBER and number.min_value == 0
            else:
                assert len(kinds) == 4
            invited[role] = db.session.scalars(
                select(SurveyInvitation.user_id).where(SurveyInvitation.survey_id == survey_id)
            ).all()
        # Exactly the given respondents, one each.
        assert invited == {"professional": [setup["pro_id"]], "host": [setup["member_id"]]}
        for role, user_id in (("professional", setup["pro_id"]), ("host", setup["member_id"])):
            survey_id = setup["surveys"][("baseline", role)]
            links = db.session.scalars(
                select(InboxEntry.link_url).where(InboxEntry.user_id == user_id)
            ).all()
            assert any(link.endswith(f"/surveys/{survey_id}/answer") for link in links)
        mails = db.session.scalars(select(OutboxEmail).where(OutboxEmail.topic.is_(None))).all()
        survey_mails = [m for m in mails if m.idempotency_key.startswith("survey")]
        # Transactional: sent although the professional refused broadcast survey messages.
        assert sorted(m.user_id for m in survey_mails) == sorted(
            [setup["pro_id"], setup["member_id"]]
        )
        assert all("List-Unsubscribe" not in (m.headers or {}) for m in survey_mails)
        ids = [m.id for m in survey_mails]
        Worker("evaluation-test").run(once=True)
        statuses = set(
            db.session.scalars(select(OutboxEmail.status).where(OutboxEmail.id.in_(ids)))
        )
        assert statuses == {OutboxStatus.SENT}
    mail = next(
        m for m in mail_sink.to(setup["pro_email"]) if m.subject.startswith("Survey: Baseline")
    )
    assert f"/surveys/{setup['surveys'][('baseline', 'professional')]}/answer" in mail.text()
    assert "Stop survey emails" not in mail.text()
    assert mail_sink.to(setup["member_email"])


def test_non_respondent_cannot_answer(app: Flask, client: FlaskClient) -> None:
    setup = _setup(app)
    pro_survey = setup["surveys"][("baseline", "professional")]
    host_survey = setup["surveys"][("baseline", "host")]
    login(client, setup["outsider_email"])
    assert client.get(f"/surveys/{pro_survey}/answer").status_code == 404
    assert client.post(f"/surveys/{pro_survey}/answer", data={}).status_code == 404
    client.post("/auth/logout")
    login(client, setup["member_email"])  # the host: their own survey only
    assert client.get(f"/surveys/{pro_survey}/answer").status_code == 404
    assert client.get(f"/surveys/{host_survey}/answer").status_code == 200


def test_host_answer_fills_the_summary_row_and_validates_the_number(app_context: Flask) -> None:
    world = build_world()
    p = _completed(world)
    survey = surveys_of_placement(p.id)[("end", "host")]
    questions = services.ordered_questions(survey)
    response = services.start_response(survey, user=world.member)
    bad = MultiDict({f"q{questions[0].id}": "4", f"q{questions[4].id}": "-3"})
    with pytest.raises(services.AnswerErrors) as failure:
        services.save_answers(survey, response, bad)
    assert questions[4].id in failure.value.errors
    answer_evaluation_survey(
        p.id, "end", "host", world.member, rating=4, improve="More time", people_trained=9
    )
    row = db.session.scalars(
        select(EvaluationResponse).where(
            EvaluationResponse.placement_id == p.id, EvaluationResponse.respondent == "host"
        )
    ).all()
    end = next(r for r in row if r.wave == "end")
    assert end.rating == 4 and end.comment == "More time" and end.answers["people_trained"] == 9
    assert p.status == "completed"  # only the professional's end answer evaluates


def test_followup_wave_after_the_configured_months(app_factory: Any) -> None:
    app = app_factory(PLACEMENTS_FOLLOWUP_MONTHS=6)
    with app.app_context():
        world = build_world()
        p = _completed(world)
        assert p.completed_at is not None
        assert placement_services.send_due_followups(p.completed_at + timedelta(days=150)) == 0
        assert ("followup", "professional") not in surveys_of_placement(p.id)
        assert placement_services.send_due_followups(p.completed_at + timedelta(days=190)) == 1
        db.session.commit()
        surveys = surveys_of_placement(p.id)
        assert {("followup", "professional"), ("followup", "host")} <= set(surveys)
        assert services.is_invited(surveys[("followup", "professional")], world.profile.user)
        # Sent once only.
        assert placement_services.send_due_followups(p.completed_at + timedelta(days=400)) == 0


def test_staff_sees_wave_status_on_the_placement(app: Flask, client: FlaskClient) -> None:
    setup = _setup(app)
    with app.app_context():
        staff = UserFactory(role="rca_staff")
        db.session.commit()
        email = staff.email
    login(client, email)
    page = client.get(f"/placements/{setup['placement_id']}").get_data(as_text=True)
    assert 'id="evaluations"' in page and "waiting" in page
    assert f"/surveys/staff/{setup['surveys'][('baseline', 'host')]}" in page
