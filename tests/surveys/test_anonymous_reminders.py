"""Anonymous surveys: a reminder keeps the member's draft; exports carry no response id."""

from __future__ import annotations

import csv
import io
import secrets

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.surveys import results, services
from app.surveys.models import SurveyInvitation, SurveyResponse, SurveyToken
from tests.conftest import login
from tests.surveys.helpers import answers, get_survey, open_full_survey, token_link


def test_reminder_resends_the_same_link_and_keeps_the_draft(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    member, q = setup["members"][0], setup["q"]
    link = token_link(app, member)
    assert (
        client.post(link, data={f"q{q['short']}": "Midwife", "action": "save"}).status_code == 303
    )
    with app.app_context():
        services.send_reminder(get_survey(setup["survey_id"]))
        db.session.commit()
        tokens = db.session.scalars(select(SurveyToken)).all()
        # Still one token, live, and stored only as its hash.
        assert len(tokens) == 1 and tokens[0].revoked_at is None
        assert link.rsplit("/", 1)[1] not in tokens[0].token_hash
    reminded = token_link(app, member)
    assert reminded == link
    # The half-finished answer is still there and the member can finish it.
    assert 'value="Midwife"' in client.get(reminded).get_data(True)
    assert client.post(reminded, data=answers(q, short="Midwife")).status_code == 303
    with app.app_context():
        response = db.session.scalar(select(SurveyResponse))
        assert response.status == "submitted" and response.user_id is None
        assert response.answer_map()[q["short"]] == "Midwife"
        assert services.non_respondent_ids(get_survey(setup["survey_id"])) == []
    # Staff are told what the reminder does with the links.
    login(client, setup["staff_email"])
    page = client.get(f"/surveys/staff/{setup['survey_id']}").get_data(True)
    assert "their own link again" in page


def test_reminder_replaces_a_token_that_cannot_be_derived_again(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    member = setup["members"][0]
    with app.app_context():
        # A token issued at random (before tokens were derived, or under an older secret).
        survey = get_survey(setup["survey_id"])
        invitation = db.session.scalar(select(SurveyInvitation))
        db.session.query(SurveyToken).delete()
        old = secrets.token_urlsafe(24)
        db.session.add(
            SurveyToken(
                survey_id=survey.id,
                invitation_id=invitation.id,
                token_hash=services.token_hash(old),
            )
        )
        services.send_reminder(survey)
        db.session.commit()
    old_link = f"/surveys/{setup['survey_id']}/a/{old}"
    refused = client.get(old_link)
    assert refused.status_code == 409 and "replaced by a newer one" in refused.get_data(True)
    new_link = token_link(app, member)
    assert new_link != old_link and client.get(new_link).status_code == 200


def test_anonymous_export_has_row_numbers_and_days_only(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, anonymous=True, members=3)
    q = setup["q"]
    links = [token_link(app, member) for member in setup["members"]]
    # The first member only starts (a draft takes the lowest response id); the others answer.
    client.post(links[0], data={f"q{q['short']}": "Draft", "action": "save"})
    for index, link in enumerate(links[1:]):
        assert client.post(link, data=answers(q, short=f"Job {index}")).status_code == 303
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        ids = sorted(r.id for r in results.submitted_responses(survey))
        header, rows = results.export_table(survey, results.submitted_responses(survey))
        assert sorted(row[0] for row in rows) == [1, 2] and ids != [1, 2]
        assert [row[0] for row in rows] == [1, 2]  # numbered in the (shuffled) output order
        assert all(len(row[1]) == len("2026-01-01") for row in rows)  # the day, no time
        assert "Member id" not in header
        short = header.index(next(h for h in header if h.endswith("Your job title")))
        assert sorted(row[short] for row in rows) == ["Job 0", "Job 1"]
    login(client, setup["staff_email"])
    body = client.get(f"/surveys/staff/{setup['survey_id']}/export.csv").get_data(True)
    parsed = list(csv.reader(io.StringIO(body)))
    assert [row[0] for row in parsed[1:]] == ["1", "2"]
    with app.app_context():
        audit = db.session.scalar(select(AuditEntry.details))
        assert audit["rows"] == 2 and audit["subject_ids"] == []


def test_reminder_after_a_revoked_derived_link_issues_a_random_one(
    app: Flask, client: FlaskClient
) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    member = setup["members"][0]
    first = token_link(app, member)
    with app.app_context():
        # A revoked derived token (its hash is taken): the next one cannot reuse the derivation.
        survey = get_survey(setup["survey_id"])
        row = db.session.scalar(select(SurveyToken))
        row.revoked_at = row.created_at
        db.session.add(
            SurveyToken(
                survey_id=survey.id,
                invitation_id=row.invitation_id,
                token_hash=services.token_hash("an-older-random-token"),
            )
        )
        services.send_reminder(survey)
        db.session.commit()
        live = db.session.scalars(select(SurveyToken).where(SurveyToken.revoked_at.is_(None)))
        assert len(live.all()) == 1
    second = token_link(app, member)
    assert second != first
    assert client.get(first).status_code == 409
    assert client.get(second).status_code == 200
