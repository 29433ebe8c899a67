"""Consent on invitation, drag reorder, the staff preview, and the member's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.outreach.models import Channel, InboxEntry, OutboxEmail, Topic
from app.outreach.preferences import set_preference
from app.surveys import results, services
from app.surveys.models import ResponseStatus, SurveyResponse
from tests.conftest import login
from tests.factories.auth import StaffUserFactory
from tests.factories.outreach import create_members, make_segment
from tests.factories.surveys import SurveyFactory, add_all_question_types
from tests.surveys.helpers import answers, get_survey, open_full_survey


def test_member_who_declined_surveys_gets_no_invitation(app_context: Flask) -> None:
    willing, declined = create_members(2, prefix="ca", profile={"country": "CA"})
    set_preference(declined, Topic.SURVEYS, Channel.EMAIL, False)
    set_preference(declined, Topic.SURVEYS, Channel.IN_APP, False)
    segment = make_segment({"countries": ["CA"]}, name="Canada")
    survey = SurveyFactory(audience_kind="segment", segment_id=segment.id)
    add_all_question_types(survey)
    distribution = services.open_survey(survey)

    assert distribution.audience == 2
    assert distribution.in_app == 1 and distribution.emails == 1
    assert distribution.left_out == {"no_consent": 1}
    assert list(db.session.scalars(select(InboxEntry.user_id))) == [willing]
    assert list(db.session.scalars(select(OutboxEmail.user_id))) == [willing]
    # The reminder respects the choice too.
    services.send_reminder(survey)
    assert declined not in set(db.session.scalars(select(InboxEntry.user_id)))
    assert declined not in set(db.session.scalars(select(OutboxEmail.user_id)))


def _draft_survey(app: Flask) -> tuple[int, dict[str, int]]:
    with app.app_context():
        survey = SurveyFactory(created_by_id=StaffUserFactory().id)
        questions = add_all_question_types(survey)
        db.session.commit()
        return survey.id, {name: q.id for name, q in questions.items()}


def _order(app: Flask, survey_id: int) -> list[int]:
    with app.app_context():
        return [q.id for q in services.ordered_questions(get_survey(survey_id))]


def test_drag_reorder_route_changes_the_order(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    survey_id, q = _draft_survey(app)
    logged_in("rca_staff")
    before = _order(app, survey_id)
    # Move the country question first and the single-choice question last.
    wanted = [q["country"]] + [i for i in before if i not in (q["country"], q["single"])]
    wanted.append(q["single"])
    url = f"/surveys/staff/{survey_id}/reorder"
    response = client.post(url, data={"order": ",".join(map(str, wanted))})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/surveys/staff/{survey_id}")
    assert _order(app, survey_id) == wanted
    with app.app_context():
        positions = [q.position for q in services.ordered_questions(get_survey(survey_id))]
        assert positions == list(range(1, len(wanted) + 1))
    # A conditional question above the question it depends on: refused, order unchanged.
    broken = [q["conditional"]] + [i for i in wanted if i != q["conditional"]]
    client.post(url, data={"order": ",".join(map(str, broken))})
    assert _order(app, survey_id) == wanted
    # An order that leaves a question out: refused, order unchanged.
    client.post(url, data={"order": ",".join(map(str, wanted[:-1]))})
    assert _order(app, survey_id) == wanted
    assert client.post(url, data={"order": "1,x"}).status_code == 400


def test_staff_preview_submission_is_not_counted(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, setup["staff_email"])
    url = f"/surveys/staff/{setup['survey_id']}/preview"
    assert client.get(url).status_code == 200
    response = client.post(url, data=answers(setup["q"]))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/surveys/staff/{setup['survey_id']}")
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        test = db.session.scalar(select(SurveyResponse).where(SurveyResponse.is_test.is_(True)))
        assert test is not None and test.status == ResponseStatus.SUBMITTED
        assert test.user_id is None and len(test.answers) == 9
        assert services.count_responses(survey) == 0
        assert services.has_responses(survey) is False  # the builder stays unlocked
        assert results.submitted_responses(survey) == []
        assert results.response_rate(survey, []).submitted == 0
    page = client.get(f"/surveys/staff/{setup['survey_id']}/results").get_data(True)
    assert "0 of 1 invited members" in page
    # A second preview starts a fresh test answer rather than reopening the submitted one.
    client.get(url)
    with app.app_context():
        count = select(func.count()).where(SurveyResponse.is_test.is_(True))
        assert db.session.scalar(count) == 2


def test_french_and_kinyarwanda_members_see_the_translated_texts(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        (french,) = create_members(1, prefix="fr", profile={"country": "CA"}, locale="fr")
        (kinyarwanda,) = create_members(1, prefix="rw", profile={"country": "CA"}, locale="rw")
        segment = make_segment({"countries": ["CA"]}, name="Canada")
        survey = SurveyFactory(
            title="Skills census",
            title_fr="Recensement des compétences",
            title_rw="Ibarura ry'ubumenyi",
            intro_fr="Parlez-nous de vous.",
            intro_rw="Tubwire ibyawe.",
            audience_kind="segment",
            segment_id=segment.id,
        )
        q = add_all_question_types(survey)
        single = q["single"]
        services.save_question(
            survey,
            single,
            kind="single",
            text=single.text,
            text_fr=single.text_fr,
            text_rw="Mukora mu rwego uruhe?",
            choices_en="Health\nEducation\nICT",
            choices_fr="Santé\nÉducation\nTIC",
            choices_rw="Ubuzima\nUburezi\nIkoranabuhanga",
            is_required=True,
        )
        services.open_survey(survey)
        db.session.commit()
        survey_id = survey.id
        subjects = dict(db.session.execute(select(InboxEntry.user_id, InboxEntry.subject)).all())
    assert "Recensement des compétences" in subjects[french]
    assert "Ibarura ry'ubumenyi" in subjects[kinyarwanda]

    login(client, "fr0@example.org")
    page = client.get(f"/surveys/{survey_id}/answer").get_data(True)
    assert "Recensement des compétences" in page and "Parlez-nous de vous." in page
    assert "Dans quel secteur travaillez-vous ?" in page and "Santé" in page
    assert "Skills census" not in page
    client.post("/auth/logout")

    login(client, "rw0@example.org")
    page = client.get(f"/surveys/{survey_id}/answer").get_data(True)
    assert "Ibarura ry&#39;ubumenyi" in page and "Tubwire ibyawe." in page
    assert "Mukora mu rwego uruhe?" in page and "Ikoranabuhanga" in page
    # Questions without a Kinyarwanda version fall back to English.
    assert "Which languages do you use?" in page
