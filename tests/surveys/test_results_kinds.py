"""Issue 8 lines the older tests left implicit: the chart per question kind, the response rate
by day, cross-tabs by sector and gender, help text on the form and the all-members audience."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.profiles.models import Profile
from app.surveys import results, services
from app.surveys.models import SurveyQuestion
from tests.conftest import login
from tests.factories.auth import UserFactory
from tests.factories.outreach import create_members
from tests.factories.surveys import SurveyFactory, add_all_question_types
from tests.surveys.helpers import answers, form_data, get_survey, open_full_survey


def _answer_all(app: Flask, setup: dict, **per_member: list[str]) -> None:
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        for index, uid in enumerate(setup["members"]):
            member = db.session.get(UserFactory._meta.model, uid)
            response = services.start_response(survey, user=member)
            overrides = {name: values[index] for name, values in per_member.items()}
            services.save_answers(survey, response, form_data(answers(setup["q"], **overrides)))
            services.submit_response(survey, response)
        db.session.commit()


def test_ratings_are_bars_numbers_a_histogram_texts_a_table_and_the_rate_is_by_day(
    app: Flask,
) -> None:
    setup = open_full_survey(app, members=3)
    _answer_all(app, setup, rating=["4", "5", "5"], number=["1", "30", "60"])
    q = setup["q"]
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        responses = results.submitted_responses(survey)
        by_id = {r.question.id: r for r in results.question_results(survey, responses)}
        rating = by_id[q["rating"]]
        assert rating.display == "bars" and "<svg" in rating.chart
        assert rating.items == [("1", 0), ("2", 0), ("3", 0), ("4", 1), ("5", 2)]
        number = by_id[q["number"]]
        assert number.display == "histogram" and "<svg" in number.chart
        assert len(number.items) > 1 and sum(n for _label, n in number.items) == 3
        assert by_id[q["conditional"]].display == "table"
        rate = results.response_rate(survey, responses)
        # One point per day since opening, the last one cumulative over the whole audience.
        assert rate.points and rate.points[-1][1:] == (100.0, 3)


def test_crosstab_by_sector_and_gender_with_small_cells_hidden(app: Flask) -> None:
    setup = open_full_survey(app, members=7)
    _answer_all(app, setup)  # everyone answers "Health"
    with app.app_context():
        for index, uid in enumerate(setup["members"]):
            profile = db.session.scalar(select(Profile).where(Profile.user_id == uid))
            profile.sectors = ["health", "ict"]
            profile.gender = "male" if index == 0 else "female"
        db.session.commit()
        survey = get_survey(setup["survey_id"])
        question = db.session.get(SurveyQuestion, setup["q"]["single"])
        responses = results.submitted_responses(survey)

        by_sector = results.crosstab(survey, question, "sector", responses)
        assert [value for value, _label in by_sector.columns] == ["health", "ict"]
        assert dict(by_sector.rows)["Health"] == ["7", "7"]

        by_gender = results.crosstab(survey, question, "gender", responses)
        columns = [value for value, _label in by_gender.columns]
        assert columns == ["female", "male"]
        assert [label for _v, label in by_gender.columns] == ["Female", "Male"]
        health = dict(by_gender.rows)["Health"]
        assert health[columns.index("male")] == "<5"
        # The lone male answer cannot be recovered from the female count and the row total.
        assert health[columns.index("female")] == "*"


def test_help_text_is_shown_and_linked_to_its_field(app: Flask, client: FlaskClient) -> None:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        question = db.session.get(SurveyQuestion, setup["q"]["number"])
        question.help = "Count full years only."
        db.session.commit()
    login(client, "ca0@example.org")
    page = client.get(f"/surveys/{setup['survey_id']}/answer").get_data(True)
    assert "Count full years only." in page
    assert f'aria-describedby="q{setup["q"]["number"]}-hint' in page


def test_all_members_audience_is_every_member(app_context: Flask) -> None:
    members = create_members(3, prefix="all")
    UserFactory(role="rca_staff")  # staff are not members
    survey = SurveyFactory()  # audience: all members
    add_all_question_types(survey)
    assert sorted(services.audience_user_ids(survey)) == sorted(members)
    distribution = services.open_survey(survey)
    assert distribution.invited == 3 and services.count_invited(survey) == 3
