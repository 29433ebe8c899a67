"""Once a survey has responses only wording changes: every other edit is refused by field."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from app.errors import Conflict
from app.extensions import db
from app.surveys import services
from app.surveys.models import SurveyQuestion
from tests.conftest import login
from tests.factories.auth import UserFactory
from tests.surveys.helpers import answers, get_survey, open_full_survey


def _as_is(question: SurveyQuestion, **changes: Any) -> dict[str, Any]:
    """The question's current settings as save_question arguments, with some changes."""
    settings: dict[str, Any] = {
        "kind": question.kind,
        "text": question.text,
        "is_required": question.is_required,
        "choices_en": services.choices_as_text(question, "en"),
        "choices_fr": services.choices_as_text(question, "fr")
        if any("fr" in c for c in question.choices)
        else "",
        "allow_other": question.allow_other,
        "min_value": question.min_value,
        "max_value": question.max_value,
        "condition_question_id": question.condition_question_id,
        "condition_value": question.condition_value,
    }
    settings.update(changes)
    return settings


def _answered_survey(app: Flask) -> dict[str, Any]:
    setup = open_full_survey(app, members=1)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        member = db.session.get(UserFactory._meta.model, setup["members"][0])
        response = services.start_response(survey, user=member)
        data = MultiDict(
            [
                (k, x)
                for k, v in answers(setup["q"]).items()
                for x in (v if isinstance(v, list) else [v])
            ]
        )
        services.save_answers(survey, response, data, require=False)
        db.session.commit()
    return setup


@pytest.mark.parametrize(
    ("name", "changes", "field"),
    [
        ("single", {"is_required": False}, "is_required"),
        ("multiple", {"allow_other": False}, "allow_other"),
        ("number", {"min_value": 1.0}, "min_value"),
        ("number", {"max_value": 99.0}, "max_value"),
        (
            "conditional",
            {"condition_question_id": None, "condition_value": None},
            "condition_question_id",
        ),
        ("conditional", {"condition_value": "no"}, "condition_question_id"),
        (
            "single",
            {"choices_en": "Health\nEducation\nICT\nFarming", "choices_fr": ""},
            "choices_en",
        ),
        ("single", {"choices_en": "Education\nHealth\nICT", "choices_fr": ""}, "choices_en"),
    ],
)
def test_locked_question_refuses_non_wording_changes(
    app: Flask, name: str, changes: dict[str, Any], field: str
) -> None:
    setup = _answered_survey(app)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        question = db.session.get(SurveyQuestion, setup["q"][name])
        before = (question.is_required, question.allow_other, list(question.choices))
        with pytest.raises(Conflict) as error:
            services.save_question(survey, question, **_as_is(question, **changes))
        assert error.value.field == field
        db.session.rollback()
        question = db.session.get(SurveyQuestion, setup["q"][name])
        assert (question.is_required, question.allow_other, list(question.choices)) == before


def test_locked_question_accepts_wording_fixes_by_key(app: Flask) -> None:
    setup = _answered_survey(app)
    with app.app_context():
        survey = get_survey(setup["survey_id"])
        single = db.session.get(SurveyQuestion, setup["q"]["single"])
        # Reworded by key, listed in another order: each choice keeps its key and its answers.
        labels = {
            "3": {"en": "ICT and software"},
            "1": {"en": "Health care", "fr": "Santé publique"},
            "2": {"en": "Education"},
        }
        services.save_question(
            survey,
            single,
            **_as_is(single, text="Which sector do you work in now?"),
            choice_labels=labels,
        )
        assert [c["key"] for c in single.choices] == ["1", "2", "3"]
        assert single.choice_label("1") == "Health care"
        assert single.choice_label("1", "fr") == "Santé publique"
        assert single.text == "Which sector do you work in now?"
        # A key that does not exist (a new choice) is refused.
        with pytest.raises(Conflict) as error:
            services.save_question(
                survey, single, **_as_is(single), choice_labels={**labels, "4": {"en": "Farming"}}
            )
        assert error.value.field == "choices_en"
        # One line per choice still works for a pure rewording (matched by position).
        services.save_question(
            survey, single, **_as_is(single, choices_en="Health\nTeaching\nICT", choices_fr="")
        )
        assert single.choice_label("2") == "Teaching"


def test_locked_question_form_rewords_choices_and_refuses_required_change(
    app: Flask, client: FlaskClient
) -> None:
    setup = _answered_survey(app)
    login(client, setup["staff_email"])
    url = f"/surveys/staff/{setup['survey_id']}/questions/{setup['q']['single']}/edit"
    page = client.get(url).get_data(True)
    assert 'name="choice-1-en"' in page and 'name="choices_en"' not in page
    assert 'id="choice-1-fr" name="choice-1-fr" value="Santé"' in page
    assert 'for="choice-3-rw">Choice 3 (Kinyarwanda)</label>' in page
    form = {
        "kind": "single",
        "text": "Which sector do you work in?",
        "is_required": "y",
        "choice-1-en": "Health care",
        "choice-2-en": "Education",
        "choice-3-en": "ICT",
        "choice-1-fr": "Santé",
    }
    assert client.post(url, data=form).status_code == 302
    with app.app_context():
        question = db.session.get(SurveyQuestion, setup["q"]["single"])
        assert question.choice_label("1") == "Health care"
        assert question.choice_label("1", "fr") == "Santé"
    response = client.post(url, data={**form, "is_required": ""})
    assert response.status_code == 400
    assert "whether an answer is required cannot change" in response.get_data(True)
    assert 'name="choice-1-en" value="Health care"' in response.get_data(True)  # kept as posted
    with app.app_context():
        assert db.session.get(SurveyQuestion, setup["q"]["single"]).is_required is True
