"""The thank-you page is shown only for a survey the visitor could answer; 404 otherwise."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.surveys.models import Survey, SurveyStatus
from tests.conftest import login
from tests.factories.surveys import SurveyFactory
from tests.surveys.helpers import answers, open_full_survey, token_link


def test_invited_member_sees_thanks_after_answering(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, "ca0@example.org")
    sent = client.post(f"/surveys/{setup['survey_id']}/answer", data=answers(setup["q"]))
    assert sent.status_code == 303
    assert client.get(sent.headers["Location"]).status_code == 200


def test_member_outside_the_audience_gets_404(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, "be0@example.org")  # a professional in Belgium: not in the Canada segment
    assert client.get(f"/surveys/{setup['survey_id']}/thanks").status_code == 404


def test_staff_who_were_not_invited_get_404(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, setup["staff_email"])
    assert client.get(f"/surveys/{setup['survey_id']}/thanks").status_code == 404


def test_anonymous_visitor_gets_404_on_an_identified_survey(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app, members=1)
    assert client.get(f"/surveys/{setup['survey_id']}/thanks").status_code == 404
    assert client.get("/surveys/999999/thanks").status_code == 404


def test_anonymous_survey_thanks_needs_the_answering_token(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    with app.app_context():
        other = SurveyFactory(is_anonymous=True, status=SurveyStatus.OPEN)
        db.session.commit()
        other_id = other.id
    link = token_link(app, setup["members"][0])
    token = link.rsplit("/", 1)[1]
    url = f"/surveys/{setup['survey_id']}/thanks"
    assert client.get(url).status_code == 404  # no token
    assert client.get(url, query_string={"t": "forged-token"}).status_code == 404
    assert client.get(f"/surveys/{other_id}/thanks?t={token}").status_code == 404
    sent = client.post(link, data=answers(setup["q"]))
    assert sent.status_code == 303
    # The token is used up by the submission and still opens its own thank-you page.
    assert client.get(sent.headers["Location"]).status_code == 200


def test_draft_survey_has_no_thanks_page(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        survey = db.session.get(Survey, setup["survey_id"])
        assert survey is not None
        survey.status = SurveyStatus.DRAFT
        db.session.commit()
    login(client, "ca0@example.org")
    assert client.get(f"/surveys/{setup['survey_id']}/thanks").status_code == 404
