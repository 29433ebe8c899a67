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


def can_see_thanks(user: Any, survey: Survey, token: str | None = None) -> bool:
    """The thank-you page only for a survey the visitor could answer (404 otherwise): an
    identified survey they were invited to, or an anonymous one whose link token they hold
    (used or not: it is used up by the very submission that leads here)."""
    from app.surveys.services import is_token_of

    if survey.status == SurveyStatus.DRAFT:
        return False
    if survey.is_anonymous:
        return bool(token) and is_token_of(survey, token or "")
    return can_answer_identified(user, survey)
