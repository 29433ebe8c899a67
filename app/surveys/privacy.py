"""Personal data held by surveys: invitations and identified responses.

Erasure keeps the statistics true: identified responses are unlinked from the member (user id
cleared), not deleted; invitations (who was asked) are deleted. Anonymous responses hold nothing
linking them to anyone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update

from app.auth.models import User
from app.extensions import db
from app.privacy.registry import register_personal_data
from app.surveys.models import Survey, SurveyInvitation, SurveyResponse


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
        return {
            "invitations": [
                {"survey": title, "invited_at": at.isoformat()} for title, at in invitations
            ],
            "responses": [
                {
                    "survey_id": r.survey_id,
                    "status": str(r.status),
                    "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
                    "answers": {str(a.question_id): a.value for a in r.answers},
                }
                for r in responses
            ],
        }

    @staticmethod
    def erase(user: User) -> None:
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
