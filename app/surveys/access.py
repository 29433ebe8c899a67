"""Object-level access to surveys: one predicate per rule (a denied object answers 404)."""

from __future__ import annotations

from typing import Any

from app.surveys.models import Survey, SurveyStatus


def can_answer_identified(user: Any, survey: Survey) -> bool:
    """A member may answer an identified survey they were invited to (staff use the preview)."""
    from app.surveys.services import is_invited

    if survey.is_anonymous or survey.status == SurveyStatus.DRAFT:
        return False
    return bool(user.is_authenticated and is_invited(survey, user))
