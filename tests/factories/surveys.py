"""Surveys: a survey with one question of each type and a condition."""

from __future__ import annotations

from typing import Any

import factory

from app.extensions import db
from app.surveys import services
from app.surveys.models import AudienceKind, Survey, SurveyQuestion
from tests.factories.base import BaseFactory


class SurveyFactory(BaseFactory):
    class Meta:
        model = Survey

    title = factory.Sequence(lambda n: f"Survey {n}")
    intro = "Tell us about your experience."
    thank_you = "Murakoze!"
    audience_kind = AudienceKind.ALL


def add_all_question_types(survey: Survey) -> dict[str, SurveyQuestion]:
    """Add one question of each type (and a conditional one) through the service."""
    questions: dict[str, SurveyQuestion] = {}

    def add(name: str, **fields: Any) -> None:
        questions[name] = services.save_question(survey, None, **fields)
        db.session.refresh(survey)

    add(
        "single",
        kind="single",
        text="Which sector do you work in?",
        text_fr="Dans quel secteur travaillez-vous ?",
        choices_en="Health\nEducation\nICT",
        choices_fr="Santé\nÉducation\nTIC",
        is_required=True,
    )
    add(
        "multiple",
        kind="multiple",
        text="Which languages do you use?",
        choices_en="English\nFrench\nKinyarwanda",
        allow_other=True,
    )
    add("yes_no", kind="yes_no", text="Have you volunteered before?", is_required=True)
    add(
        "conditional",
        kind="long_text",
        text="Describe your volunteering",
        is_required=True,
        condition_question_id=questions["yes_no"].id,
        condition_value="yes",
    )
    add("short", kind="short_text", text="Your job title")
    add("rating", kind="rating", text="How useful is Umuhuza?", is_required=True)
    add("number", kind="number", text="Years of experience", min_value=0, max_value=60)
    add("date", kind="date", text="When could you travel?")
    add("country", kind="country", text="Where do you live?")
    return questions
