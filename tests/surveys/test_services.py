"""Survey services: builder rules, distribution, drafts, one final response, anonymity, results."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, inspect, select

from app.database import utcnow
from app.errors import Conflict, DomainError
from app.extensions import db
from app.jobs.worker import Worker
from app.outreach.models import InboxEntry, OutboxEmail, OutboxStatus
from app.surveys import results, services
from app.surveys.models import (
    QuestionKind,
    ResponseStatus,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
    SurveyToken,
)
from tests.factories.auth import UserFactory
from tests.factories.surveys import SurveyFactory, add_all_question_types
from tests.support.smtp import MailSink
from tests.surveys.helpers import answers, form_data, get_survey, open_full_survey


def test_build_survey_with_each_type_and_condition(app_context: Flask) -> None:
    survey = SurveyFactory()
    q = add_all_question_types(survey)
    kinds = {question.kind for question in survey.questions}
    assert kinds == set(QuestionKind)
    assert [x.position for x in services.ordered_questions(survey)] == list(range(1, 10))
    assert q["single"].choices[1] == {"key": "2", "en": "Education", "fr": "Éducation"}
    assert q["conditional"].condition_question_id == q["yes_no"].id
    assert q["conditional"].condition_value == "yes"
    # A condition must use an earlier single-choice or yes/no question.
    with pytest.raises(DomainError) as error:
        services.save_question(
            survey,
            None,
            kind="short_text",
            text="x",
            condition_question_id=q["short"].id,
            condition_value="a",
        )
    assert error.value.field == "condition_question_id"
    # Conditions typed by wording are stored as the choice's key.
    follow = services.save_question(
        survey,
        None,
        kind="short_text",
        text="Which ward?",
        condition_question_id=q["single"].id,
        condition_value="Health",
    )
    assert follow.condition_value == "1"
    # Moving a conditional question above its parent is refused.
    with pytest.raises(DomainError):
        for _ in range(3):
            services.move_question(q["conditional"], "up")


def test_move_and_duplicate(app_context: Flask) -> None:
    staff = UserFactory(role="rca_staff")
    survey = SurveyFactory(created_by_id=staff.id)
    q = add_all_question_types(survey)
    services.move_question(q["rating"], "up")
    assert q["rating"].position == 5 and q["short"].position == 6
    copy = services.duplicate_survey(survey, author=staff)
    copied = {x.text: x for x in copy.questions}
    assert len(copied) == 9 and copy.status == "draft"
    assert copied["Describe your volunteering"].condition_question_id == (
        copied["Have you volunteered before?"].id
    )


def test_open_distributes_to_segment_with_inbox_and_email(app: Flask, mail_sink: MailSink) -> None:
    setup = open_full_survey(app, members=3)
    assert setup["distribution"].invited == 3 and setup["distribution"].emails == 3
    with app.app_context():
        inbox = db.session.scalars(select(InboxEntry)).all()
        assert sorted(e.user_id for e in inbox) == sorted(setup["members"])
        assert all(f"/surveys/{setup['survey_id']}/answer" in e.link_url for e in inbox)
        assert db.session.scalar(select(func.count()).select_from(OutboxEmail)) == 3
        Worker("survey-test").run(once=True)
        statuses = set(db.session.scalars(select(OutboxEmail.status)))
        assert statuses == {OutboxStatus.SENT}
    received = sorted(r for m in mail_sink.messages for r in m.recipients)
    assert received == [f"ca{i}@example.org" for i in range(3)]
    mail = mail_sink.to("ca0@example.org")[0]
    assert "Survey 0" in mail.subject or mail.subject.startswith("Survey:")
    assert f"/surveys/{setup['survey_id']}/answer" in mail.text()
    assert mail.message["List-Unsubscribe"].startswith("<http")


def test_draft_in_two_sittings_then_one_final_response(app: Flask) -> None:
    setup = open_full_survey(app)
    q = setup["q"]
    member_id = setup["members"][0]
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, member_id)
        response = services.start_response(survey, user=member)
        services.save_answers(survey, response, form_data({f"q{q['single']}": "2"}), require=False)
        db.session.commit()
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, member_id)
        response = services.start_response(survey, user=member)
        assert response.answer_map()[q["single"]] == "2"
        # Second sitting: only the current page's question is sent (question-by-question).
        services.save_answers(
            survey,
            response,
            form_data(answers(q)),
            page_questions=[x for x in survey.questions if x.id != q["single"]],
        )
        services.submit_response(survey, response)
        db.session.commit()
        assert response.status == ResponseStatus.SUBMITTED
        assert response.answer_map()[q["single"]] == "2"
        with pytest.raises(Conflict):
            services.start_response(survey, user=member)
        with pytest.raises(Conflict):
            services.submit_response(survey, response)


def test_unique_constraint_refuses_second_response_row(app: Flask) -> None:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        db.session.add(SurveyResponse(survey_id=setup["survey_id"], user_id=setup["members"][0]))
        db.session.add(SurveyResponse(survey_id=setup["survey_id"], user_id=setup["members"][0]))
        with pytest.raises(Exception, match=r"(?i)unique"):
            db.session.flush()
        db.session.rollback()


def test_condition_hides_and_validates(app: Flask) -> None:
    setup = open_full_survey(app)
    q = setup["q"]
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, setup["members"][0])
        response = services.start_response(survey, user=member)
        with pytest.raises(services.AnswerErrors) as failure:
            services.save_answers(survey, response, form_data(answers(q, conditional="")))
        assert set(failure.value.errors) == {q["conditional"]}
        assert failure.value.values[q["rating"]] == 4  # other answers kept
        # "No": the conditional question is hidden, not required, and its answer is dropped.
        services.save_answers(survey, response, form_data(answers(q, yes_no="no")))
        assert q["conditional"] not in response.answer_map()
        services.submit_response(survey, response)


def test_validation_messages(app_context: Flask) -> None:
    survey = SurveyFactory()
    q = add_all_question_types(survey)
    cases = {
        "number": ("61", "at most 60"),
        "rating": ("9", "1 to 5"),
        "date": ("31/12/2026", "YYYY-MM-DD"),
        "country": ("XX", "country"),
        "single": ("7", "one of the options"),
    }
    for name, (raw, message) in cases.items():
        _value, _other, error = services.parse_answer(q[name], form_data({f"q{q[name].id}": raw}))
        assert error and message in error, (name, error)
    _v, _o, error = services.parse_answer(
        q["multiple"], form_data({f"q{q['multiple'].id}": "__other__"})
    )
    assert error == "Describe your other answer."


def test_anonymous_survey_stores_no_member_and_refuses_reused_token(app: Flask) -> None:
    setup = open_full_survey(app, anonymous=True, members=1)
    q = setup["q"]
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        # Issue a known token for the invitee (the real one is only in their link).
        token = services._issue_token(survey, invitation_id=None)  # type: ignore[arg-type]
        response = services.start_response(survey, token=token)
        services.save_answers(survey, response, form_data(answers(q)))
        services.submit_response(survey, response, token=token)
        db.session.commit()
        row = db.session.get(SurveyResponse, response.id)
        assert row.user_id is None and row.draft_key is None
        assert row.submitted_at.hour == 0 and row.submitted_at.minute == 0
        columns = {c.name for c in inspect(SurveyResponse).columns}
        assert not any("token" in c for c in columns)
        assert not {c.name for c in inspect(SurveyAnswer).columns} & {"user_id", "token_id"}
        used = db.session.scalar(
            select(SurveyToken).where(SurveyToken.token_hash == services.token_hash(token))
        )
        assert used.used_at is not None and token not in used.token_hash
        with pytest.raises(Conflict):
            services.start_response(survey, token=token)


def test_reminder_goes_to_non_respondents(app: Flask) -> None:
    setup = open_full_survey(app, members=2)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, setup["members"][0])
        response = services.start_response(survey, user=member)
        services.save_answers(survey, response, form_data(answers(setup["q"])))
        services.submit_response(survey, response)
        result = services.send_reminder(survey)
        db.session.commit()
        assert result.invited == 1
        reminders = db.session.scalars(
            select(OutboxEmail.user_id).where(OutboxEmail.idempotency_key.like("%-rem1-%"))
        ).all()
        assert reminders == [setup["members"][1]]


def test_locked_questions_after_responses(app: Flask) -> None:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, setup["members"][0])
        response = services.start_response(survey, user=member)
        services.save_answers(survey, response, form_data(answers(setup["q"])), require=False)
        short = db.session.get(SurveyQuestion, setup["q"]["short"])
        with pytest.raises(Conflict, match="can no longer be removed"):
            services.delete_question(short)
        with pytest.raises(Conflict, match="type of a question"):
            services.save_question(survey, short, kind="long_text", text="Your job title")
        services.save_question(survey, short, kind="short_text", text="Your job title (fixed)")
        assert short.text == "Your job title (fixed)"


def test_results_crosstab_and_exports(app: Flask) -> None:
    setup = open_full_survey(app, members=7)
    q = setup["q"]
    with app.app_context():
        from app.profiles.models import Profile

        # Two of the seven live in Belgium now (profile attribute for the cross-tab).
        for uid in setup["members"][5:]:
            db.session.scalar(select(Profile).where(Profile.user_id == uid)).country = "BE"
        survey = get_survey(setup["survey_id"])
        for index, uid in enumerate(setup["members"]):
            member = db.session.get(UserFactory._meta.model, uid)
            response = services.start_response(survey, user=member)
            choice = "1" if index < 6 else "3"
            services.save_answers(
                survey, response, form_data(answers(q, single=choice, number=str(index)))
            )
            services.submit_response(survey, response)
        # A test response from the preview is not counted.
        test = services.start_response(survey, is_test=True)
        services.save_answers(survey, test, form_data(answers(q, single="2")))
        services.submit_response(survey, test)
        db.session.commit()

        responses = results.submitted_responses(survey)
        assert len(responses) == 7
        rate = results.response_rate(survey, responses)
        assert (rate.invited, rate.submitted, rate.percent) == (7, 7, 100.0)
        assert "<title" in rate.chart and "<desc" in rate.chart
        by_id = {r.question.id: r for r in results.question_results(survey, responses)}
        assert by_id[q["single"]].items == [("Health", 6), ("Education", 0), ("ICT", 1)]
        assert dict(by_id[q["multiple"]].items)["Other"] == 7
        assert sum(n for _l, n in by_id[q["number"]].items) == 7
        assert by_id[q["short"]].display == "table" and len(by_id[q["short"]].texts) == 7

        table = results.crosstab(
            survey, db.session.get(SurveyQuestion, q["single"]), "country", responses
        )
        columns = [c for c, _l in table.columns]
        assert columns == ["BE", "CA"]
        cells = dict(table.rows)
        # BE: 1 Health and 1 ICT (suppressed). Health's total (6) is public, so CA's 5 would
        # give BE's 1 away: it is hidden too ("*"), and so is ICT's CA zero.
        assert cells["Health"] == ["<5", "*"]
        assert cells["Education"] == ["0", "0"]
        assert cells["ICT"] == ["<5", "*"]

        header, rows = results.export_table(survey, responses)
        assert len(rows) == 7 and len(header) == 3 + 9
        parsed = list(csv.reader(io.StringIO(results.to_csv(header, rows))))
        assert parsed[0][3].startswith("Q1.") and len(parsed) == 8
        multiple_column = header.index(next(h for h in header if h.startswith("Q2.")))
        assert parsed[1][multiple_column] == "English; Other: Swahili"
        workbook = load_workbook(io.BytesIO(results.to_xlsx(header, rows, survey.title)))
        sheet_rows = list(workbook.active.iter_rows(values_only=True))
        assert len(sheet_rows) == 8 and sheet_rows[1][2] in setup["members"]


def test_closed_and_not_yet_open(app_context: Flask) -> None:
    now = utcnow()
    survey = SurveyFactory(status="open", opens_at=now + timedelta(days=2))
    assert services.availability(survey, now).state == "not_yet"
    survey.opens_at = now - timedelta(days=5)
    survey.closes_at = now - timedelta(days=1)
    assert services.availability(survey, now).state == "closed"
    with pytest.raises(DomainError):
        services.require_open(survey, now)


def test_erasure_unlinks_responses_and_keeps_counts(app: Flask) -> None:
    from app.privacy.services import erase_member
    from app.surveys.models import SurveyInvitation

    setup = open_full_survey(app, members=1)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, setup["members"][0])
        response = services.start_response(survey, user=member)
        services.save_answers(survey, response, form_data(answers(setup["q"])))
        services.submit_response(survey, response)
        erase_member(member)
        db.session.commit()
        assert db.session.get(SurveyResponse, response.id).user_id is None
        assert len(results.submitted_responses(survey)) == 1
        assert db.session.scalar(select(func.count()).select_from(SurveyInvitation)) == 0
