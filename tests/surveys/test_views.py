"""Survey pages through the client: builder, answering, anonymity, results, exports."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.surveys.models import (
    ResponseStatus,
    Survey,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from app.surveys.privacy import SurveyData
from tests.conftest import login
from tests.surveys.helpers import answers, open_full_survey, token_link


def test_staff_builds_survey_through_forms(
    client: FlaskClient, logged_in: Callable[..., Any], app: Flask
) -> None:
    logged_in("rca_staff")
    response = client.post("/surveys/staff/new", data={"title": "", "audience_kind": "all"})
    assert response.status_code == 400 and "This field is required" in response.get_data(True)
    response = client.post(
        "/surveys/staff/new",
        data={"title": "Skills census", "audience_kind": "all", "one_question_per_page": "y"},
    )
    assert response.status_code == 302
    survey_url = response.headers["Location"]
    survey_id = int(survey_url.rstrip("/").split("/")[-1])
    response = client.post(
        f"/surveys/staff/{survey_id}/questions/new",
        data={"kind": "single", "text": "Sector?", "choices_en": "Only one"},
    )
    assert response.status_code == 400 and "at least two choices" in response.get_data(True)
    client.post(
        f"/surveys/staff/{survey_id}/questions/new",
        data={"kind": "yes_no", "text": "Mentor?", "is_required": "y"},
    )
    response = client.post(
        f"/surveys/staff/{survey_id}/questions/new",
        data={"kind": "number", "text": "Years?", "min_value": "0", "max_value": "50"},
    )
    assert response.status_code == 302
    with app.app_context():
        ids = db.session.scalars(
            select(SurveyQuestion.id)
            .where(SurveyQuestion.survey_id == survey_id)
            .order_by(SurveyQuestion.position)
        ).all()
    response = client.post(
        f"/surveys/staff/{survey_id}/questions/{ids[1]}/move", data={"direction": "up"}
    )
    assert response.status_code == 303
    with app.app_context():
        first = db.session.scalar(
            select(SurveyQuestion.text)
            .where(SurveyQuestion.survey_id == survey_id)
            .order_by(SurveyQuestion.position)
        )
        assert first == "Years?"
    page = client.get(survey_url).get_data(True)
    assert "Skills census" in page and "Preview and test" in page
    assert client.get("/surveys/staff").status_code == 200
    # The preview is answerable before opening; its answers are not counted.
    assert client.get(f"/surveys/staff/{survey_id}/preview").status_code == 200


def test_member_answers_in_two_sittings_and_second_submission_refused(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app)
    q, survey_id = setup["q"], setup["survey_id"]
    login(client, "ca0@example.org")
    url = f"/surveys/{survey_id}/answer"
    assert "Which sector do you work in?" in client.get(url).get_data(True)
    # First sitting: a partial draft.
    response = client.post(
        url, data={f"q{q['single']}": "3", f"q{q['short']}": "Doctor", "action": "save"}
    )
    assert response.status_code == 303
    with app.app_context():
        draft = db.session.scalar(select(SurveyResponse))
        assert draft.status == ResponseStatus.DRAFT and draft.user_id == setup["members"][0]
    # Second sitting: the saved answers are shown again; an invalid answer → 400, all kept.
    page = client.get(url).get_data(True)
    assert 'value="Doctor"' in page
    response = client.post(url, data=answers(q, single="3", short="Doctor", number="99"))
    body = response.get_data(True)
    assert response.status_code == 400
    assert f'id="q{q["number"]}-error"' in body and "at most 60" in body
    assert 'value="Doctor"' in body and "Two months at CHUK." in body
    response = client.post(url, data=answers(q, single="3"))
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/surveys/{survey_id}/thanks")
    assert "Murakoze!" in client.get(response.headers["Location"]).get_data(True)
    with app.app_context():
        final = db.session.scalar(select(SurveyResponse))
        assert final.status == ResponseStatus.SUBMITTED
        assert final.answer_map()[q["single"]] == "3"
    again = client.post(url, data=answers(q))
    assert again.status_code == 409
    assert "already answered" in again.get_data(True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SurveyResponse)) == 1


def test_question_by_question_mode(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, one_question_per_page=True)
    q, survey_id = setup["q"], setup["survey_id"]
    login(client, "ca0@example.org")
    url = f"/surveys/{survey_id}/answer"
    # The conditional question is not counted until its condition holds.
    first = client.get(url).get_data(True)
    assert "Question 1 of 8" in first
    # The progress bar's state comes from the server (a <progress>), not from a script.
    assert '<progress class="meter" value="1" max="8"' in first
    response = client.post(f"{url}?page=1", data={"action": "next"})
    assert response.status_code == 400 and "needs an answer" in response.get_data(True)
    response = client.post(f"{url}?page=1", data={f"q{q['single']}": "1", "action": "next"})
    assert response.headers["Location"].endswith("?page=2")
    client.post(f"{url}?page=2", data={"action": "next"})
    client.post(f"{url}?page=3", data={f"q{q['yes_no']}": "yes", "action": "next"})
    page = client.get(f"{url}?page=4").get_data(True)
    assert "Question 4 of 9" in page and "Describe your volunteering" in page
    assert '<progress class="meter" value="4" max="9"' in page
    client.post(f"{url}?page=3", data={f"q{q['yes_no']}": "no", "action": "next"})
    # "No": the conditional question is skipped.
    page = client.get(f"{url}?page=4").get_data(True)
    assert "Question 4 of 8" in page and "Your job title" in page


def test_conditional_question_not_required_when_hidden(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app)
    q = setup["q"]
    login(client, "ca0@example.org")
    url = f"/surveys/{setup['survey_id']}/answer"
    response = client.post(url, data=answers(q, conditional=None))
    assert response.status_code == 400
    assert f'id="q{q["conditional"]}-error"' in response.get_data(True)
    response = client.post(url, data=answers(q, yes_no="no", conditional="ignored"))
    assert response.status_code == 303
    with app.app_context():
        assert q["conditional"] not in db.session.scalar(select(SurveyResponse)).answer_map()


def test_anonymous_survey_through_token_link(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    link = token_link(app, setup["members"][0])
    assert f"/surveys/{setup['survey_id']}/a/" in link
    # The token works without logging in; a draft is kept under a hash of the token.
    assert (
        client.post(link, data={f"q{setup['q']['short']}": "Nurse", "action": "save"}).status_code
        == 303
    )
    assert 'value="Nurse"' in client.get(link).get_data(True)
    assert client.post(link, data=answers(setup["q"])).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(SurveyResponse))
        assert response.user_id is None and response.draft_key is None
        # Nothing joins the response to the member: no user id, no token id.
        joined = db.session.execute(
            select(func.count())
            .select_from(SurveyResponse)
            .where(SurveyResponse.user_id == setup["members"][0])
        ).scalar()
        assert joined == 0
    reused = client.get(link)
    assert reused.status_code == 409 and "already been used" in reused.get_data(True)
    assert client.post(link, data=answers(setup["q"])).status_code == 409
    assert client.get(f"/surveys/{setup['survey_id']}/a/forged-token").status_code == 404


def test_removing_question_after_responses_is_refused(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, "ca0@example.org")
    client.post(f"/surveys/{setup['survey_id']}/answer", data=answers(setup["q"]))
    client.post("/auth/logout")
    login(client, setup["staff_email"])
    response = client.post(
        f"/surveys/staff/{setup['survey_id']}/questions/{setup['q']['short']}/delete"
    )
    assert response.status_code == 409
    assert "can no longer be removed" in response.get_data(True)
    response = client.post(
        f"/surveys/staff/{setup['survey_id']}/questions/{setup['q']['short']}/edit",
        data={"kind": "number", "text": "Your job title"},
    )
    assert response.status_code == 400 and "cannot change" in response.get_data(True)
    with app.app_context():
        assert db.session.get(SurveyQuestion, setup["q"]["short"]).kind == "short_text"


def test_closed_survey_explains_itself(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        survey = db.session.get(Survey, setup["survey_id"])
        survey.closes_at = utcnow() - timedelta(days=1)
        db.session.commit()
    login(client, "ca0@example.org")
    url = f"/surveys/{setup['survey_id']}/answer"
    page = client.get(url)
    assert page.status_code == 200 and "This survey closed on" in page.get_data(True)
    assert client.post(url, data=answers(setup["q"])).status_code == 409
    with app.app_context():
        survey = db.session.get(Survey, setup["survey_id"])
        survey.closes_at = None
        survey.opens_at = utcnow() + timedelta(days=3)
        db.session.commit()
    assert "It opens on" in client.get(url).get_data(True)


def test_access_rules(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, "be0@example.org")  # outside the segment: not invited
    assert client.get(f"/surveys/{setup['survey_id']}/answer").status_code == 404
    assert client.get("/surveys/staff").status_code == 403
    assert client.get(f"/surveys/staff/{setup['survey_id']}/results").status_code == 403
    client.post("/auth/logout")
    login(client, "ca0@example.org")
    page = client.get("/surveys/").get_data(True)
    assert f"/surveys/{setup['survey_id']}/answer" in page


def test_results_page_and_exports(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=2)
    for i in range(2):
        login(client, f"ca{i}@example.org")
        client.post(f"/surveys/{setup['survey_id']}/answer", data=answers(setup["q"]))
        client.post("/auth/logout")
    login(client, setup["staff_email"])
    base = f"/surveys/staff/{setup['survey_id']}"
    page = client.get(f"{base}/results")
    body = page.get_data(True)
    assert page.status_code == 200
    assert "2 of 2 invited members (100.0%)" in body
    assert "<svg" in body and "<title" in body and "<desc" in body
    crosstab = client.get(f"{base}/results?question={setup['q']['single']}&by=country")
    assert "&lt;5" in crosstab.get_data(True)
    search = client.get(f"{base}/results?search_{setup['q']['short']}=nurse")
    assert search.status_code == 200 and "Nurse" in search.get_data(True)
    csv_response = client.get(f"{base}/export.csv")
    assert csv_response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_response.get_data(True))))
    assert len(rows) == 3 and rows[0][3].startswith("Q1.")
    xlsx = client.get(f"{base}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 3
    with app.app_context():
        audits = db.session.scalars(select(AuditEntry.details)).all()
        assert [a["format"] for a in audits] == ["csv", "xlsx"]
        assert sorted(audits[0]["subject_ids"]) == sorted(setup["members"])


def test_open_remind_close_buttons(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    login(client, setup["staff_email"])
    base = f"/surveys/staff/{setup['survey_id']}"
    assert client.post(f"{base}/open").status_code == 303  # already open: refused with a flash
    assert client.post(f"{base}/remind").status_code == 303
    assert client.post(f"{base}/close").status_code == 303
    response = client.post(f"{base}/duplicate")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Survey, setup["survey_id"]).status == SurveyStatus.CLOSED
        assert db.session.scalar(select(func.count()).select_from(Survey)) == 2


def test_member_export_shows_survey_answers_with_question_wording_and_other_text(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app)
    q, survey_id = setup["q"], setup["survey_id"]
    login(client, "ca0@example.org")
    assert client.post(f"/surveys/{survey_id}/answer", data=answers(q)).status_code == 303

    with app.app_context():
        member = db.session.get(User, setup["members"][0])
        assert member is not None
        exported = SurveyData.export(member)
    (response,) = exported["responses"]
    by_question = {a["question_id"]: a for a in response["answered_questions"]}
    multiple = by_question[q["multiple"]]
    assert multiple["other"] == "Swahili"
    assert multiple["question"]  # the wording the member answered, not only an id
    assert by_question[q["short"]]["answer"] == "Nurse"


def test_results_page_numbers_questions_from_one_and_pluralises_in_french(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app, members=2)
    with app.app_context():
        # Stored positions counting from 0 (as the demo data does) still read 1, 2, 3...
        survey = db.session.get(Survey, setup["survey_id"])
        assert survey is not None
        lowest = min(q.position for q in survey.questions)
        for q in sorted(survey.questions, key=lambda q: q.position):
            q.position -= lowest
        db.session.commit()
    login(client, "ca0@example.org")
    client.post(f"/surveys/{setup['survey_id']}/answer", data=answers(setup["q"]))
    client.post("/auth/logout")
    login(client, setup["staff_email"])
    client.post("/language", data={"locale": "fr", "next": "/"})
    body = client.get(f"/surveys/staff/{setup['survey_id']}/results").get_data(True)
    headings = re.findall(r'<h2 class="h3">(\d+)\. ', body)
    assert headings == [str(i) for i in range(1, len(headings) + 1)] and len(headings) > 3
    assert "1 sur 2 membres invités" in body  # plural: two invited
    assert "1 réponse<" in body  # singular: one answer (French: 0 and 1 take the singular)
    assert "1 réponses" not in body
