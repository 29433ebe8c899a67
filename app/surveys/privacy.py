"""Personal data held by surveys: invitations and identified responses.

Erasure keeps the statistics true: identified responses are unlinked from the member (user id
cleared), not deleted; invitations (who was asked) are deleted. Anonymous responses hold nothing
linking them to anyone.

The member's own words go: in every identified response of theirs, the free-text answers (short
and long text) are deleted and the "other" texts of choice questions blanked. Deleted rather
than redacted: the results then show one answer fewer (true: the text is gone) instead of a
placeholder counted and listed as if someone had written it. Choices, yes/no, ratings, numbers,
dates and countries stay, unlinked, for the counts (docs/security.md, "Erasure").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.auth.models import User
from app.extensions import db
from app.privacy.registry import register_personal_data
from app.surveys.models import (
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)

TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


def _scrub_free_texts(user: User) -> None:
    """Free texts go, numbers and choices stay (placement evaluations follow the same rule as
    app/placements/privacy.py).

    Concerned: every identified response the member gave (any survey, evaluations included), and
    every evaluation survey of the member's own placements (the host's texts about them), found
    through their invitations.
    """
    own_placements = (
        select(Survey.placement_id)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .where(
            SurveyInvitation.user_id == user.id,
            Survey.evaluation_respondent == "professional",
            Survey.placement_id.is_not(None),
        )
    )
    surveys = select(Survey.id).where(Survey.placement_id.in_(own_placements))
    responses = select(SurveyResponse.id).where(
        SurveyResponse.survey_id.in_(surveys) | (SurveyResponse.user_id == user.id)
    )
    text_questions = select(SurveyQuestion.id).where(SurveyQuestion.kind.in_(TEXT_KINDS))
    db.session.execute(
        delete(SurveyAnswer)
        .where(
            SurveyAnswer.response_id.in_(responses),
            SurveyAnswer.question_id.in_(text_questions),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(SurveyAnswer)
        .where(SurveyAnswer.response_id.in_(responses))
        .values(other_text="")
        .execution_options(synchronize_session=False)
    )


@register_personal_data("surveys", tables=("survey_invitations", "survey_responses", "surveys"))
class SurveyData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        invitations = db.session.execute(
            select(Survey.title, SurveyInvitation.invited_at)
            .join(Survey, Survey.id == SurveyInvitation.survey_id)
            .where(SurveyInvitation.user_id == user.id)
        ).all()
        responses = db.session.scalars(
            select(SurveyResponse).where(SurveyResponse.user_id == user.id)
        ).all()
        response_ids = [r.id for r in responses]
        # The member reads their answers against the questions as they were worded, not by id.
        questions = dict(
            db.session.execute(
                select(SurveyQuestion.id, SurveyQuestion.text).where(
                    SurveyQuestion.id.in_(
                        select(SurveyAnswer.question_id).where(
                            SurveyAnswer.response_id.in_(response_ids)
                        )
                    )
                )
            ).all()
        )
        titles = dict(
            db.session.execute(
                select(Survey.id, Survey.title).where(
                    Survey.id.in_({r.survey_id for r in responses})
                )
            ).all()
        )
        return {
            "invitations": [
                {"survey": title, "invited_at": at.isoformat()} for title, at in invitations
            ],
            "responses": [
                {
                    "survey_id": r.survey_id,
                    "survey": titles.get(r.survey_id, ""),
                    "status": str(r.status),
                    "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                    "answers": {str(a.question_id): a.value for a in r.answers},
                    "answered_questions": [
                        {
                            "question_id": a.question_id,
                            "question": questions.get(a.question_id, ""),
                            "answer": a.value,
                            "other": a.other_text,
                        }
                        for a in r.answers
                    ],
                }
                for r in responses
            ],
        }

    @staticmethod
    def erase(user: User) -> None:
        _scrub_free_texts(user)
        db.session.execute(delete(SurveyInvitation).where(SurveyInvitation.user_id == user.id))
        db.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.user_id == user.id)
            .values(user_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Survey)
            .where(Survey.created_by_id == user.id)
            .values(created_by_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.flush()
