"""Personal data held by placements: the member's placements, their timeline and evaluations.

Export: the member's placements (need, status, dates, their own messages), the timeline of
each (actions and dates; notes only when the member wrote them) and the evaluation answers
they gave. Internal staff notes are never exported.

Erasure keeps the statistics true: placements stay with their status, dates, need and numbers
(hours, people trained, ratings) but every free text is blanked, the member's links (actor,
supervisor, respondent) are cleared and the internal staff notes about the member are deleted.
Runs (order 20) before the profile section (order 50), so it still finds the placements.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import delete, select, update

from app.auth.models import User
from app.extensions import db
from app.placements.models import EvaluationResponse, Placement, PlacementEvent, PlacementNote
from app.placements.states import OPEN, ClosedReason, PlacementStatus
from app.privacy.handlers import plain
from app.privacy.registry import register_personal_data
from app.profiles.models import Profile

# Free texts of a placement; blanked on the erased professional's placements.
PLACEMENT_TEXTS = (
    "closed_note",
    "interest_message",
    "invitation_message",
    "response_message",
    "interview_outcome",
    "plan_deliverables",
    "plan_logistics",
    "deliverables_achieved",
    "outcome_story",
)
ERASED = "[erased]"


def _profile_ids(user: User) -> list[int]:
    return list(db.session.scalars(select(Profile.id).where(Profile.user_id == user.id)))


def _numbers_only(answers: dict[str, Any] | None) -> dict[str, Any]:
    """Keep the numeric (and yes/no) answers of an evaluation; drop the free texts."""
    return {
        key: value
        for key, value in (answers or {}).items()
        if isinstance(value, bool | int | float)
    }


def _needles(user: User) -> list[str]:
    """The member's identifying strings (account and profile) for scrubbing others' texts."""
    values = {user.email, user.full_name}
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    if profile is not None:
        values |= {profile.full_name, profile.preferred_name, profile.phone}
    return sorted((v for v in values if v and len(v.strip()) >= 3), key=len, reverse=True)


def scrub(text: str | None, needles: list[str]) -> str:
    """Replace every occurrence of the member's name, email or phone in a text."""
    result = text or ""
    for needle in needles:
        result = re.sub(re.escape(needle), ERASED, result, flags=re.IGNORECASE)
    return result


def _export_placement(placement: Placement, user: User) -> dict[str, Any]:
    return {
        "id": placement.id,
        "need_id": placement.need_id,
        "need": placement.need.title,
        "status": str(placement.status),
        "status_changed_at": plain(placement.status_changed_at),
        "created_at": plain(placement.created_at),
        "closed_reason": placement.closed_reason,
        "your_interest_message": placement.interest_message,
        "invitation_message": placement.invitation_message,
        "your_response_message": placement.response_message,
        "interview_at": plain(placement.interview_at),
        "work_plan": {
            "start_date": plain(placement.plan_start_date),
            "end_date": plain(placement.plan_end_date),
            "mode": placement.plan_mode,
            "deliverables": placement.plan_deliverables,
            "logistics": placement.plan_logistics,
        },
        "outcome": {
            "hours_delivered": placement.hours_delivered,
            "people_trained": placement.people_trained,
            "deliverables_achieved": placement.deliverables_achieved,
            "outcome_story": placement.outcome_story,
        },
        "completed_at": plain(placement.completed_at),
        "events": [
            {
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "by": event.actor_side,
                "at": plain(event.created_at),
                # Only what the member wrote; the other side's notes are theirs.
                "your_note": event.note if event.actor_id == user.id else "",
            }
            for event in placement.events
        ],
    }


@register_personal_data(
    "placements",
    order=20,
    tables=("placements", "placement_events", "placement_notes", "evaluation_responses"),
)
class PlacementData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        profile_ids = _profile_ids(user)
        placements = (
            db.session.scalars(
                select(Placement)
                .where(Placement.profile_id.in_(profile_ids))
                .order_by(Placement.id)
            ).all()
            if profile_ids
            else []
        )
        evaluations = db.session.scalars(
            select(EvaluationResponse)
            .where(EvaluationResponse.user_id == user.id)
            .order_by(EvaluationResponse.id)
        ).all()
        supervised = db.session.scalars(
            select(Placement.id).where(Placement.supervisor_id == user.id).order_by(Placement.id)
        ).all()
        return {
            "placements": [_export_placement(p, user) for p in placements],
            "evaluations": [
                {
                    "placement_id": e.placement_id,
                    "wave": str(e.wave),
                    "respondent": str(e.respondent),
                    "requested_at": plain(e.requested_at),
                    "answered_at": plain(e.answered_at),
                    "rating": e.rating,
                    "comment": e.comment,
                    "answers": dict(e.answers or {}),
                }
                for e in evaluations
            ],
            "supervised_placement_ids": list(supervised),
        }

    @staticmethod
    def erase(user: User) -> None:
        needles = _needles(user)
        profile_ids = _profile_ids(user)
        own_ids = (
            list(
                db.session.scalars(
                    select(Placement.id).where(Placement.profile_id.in_(profile_ids))
                )
            )
            if profile_ids
            else []
        )
        if own_ids:
            # The professional's placements: keep status, dates, need and numbers; blank texts.
            db.session.execute(
                update(Placement)
                .where(Placement.id.in_(own_ids))
                .values({name: "" for name in PLACEMENT_TEXTS})
                .execution_options(synchronize_session=False)
            )
            db.session.execute(
                update(PlacementEvent)
                .where(PlacementEvent.placement_id.in_(own_ids))
                .values(note="")
                .execution_options(synchronize_session=False)
            )
            # Internal staff notes are about the member: they go.
            db.session.execute(delete(PlacementNote).where(PlacementNote.placement_id.in_(own_ids)))
        # Evaluations on their placements (theirs and the host's): ratings and numbers stay.
        evaluations = db.session.scalars(
            select(EvaluationResponse).where(
                (EvaluationResponse.user_id == user.id)
                | (EvaluationResponse.placement_id.in_(own_ids))
            )
        ).all()
        for evaluation in evaluations:
            evaluation.comment = ""
            evaluation.answers = _numbers_only(evaluation.answers)
            if evaluation.user_id == user.id:
                evaluation.user_id = None
        # As an actor on other people's placements (an institution member): unlink the person,
        # blank what they wrote on the timeline and scrub their name from the placement texts.
        acted_on = set(
            db.session.scalars(
                select(PlacementEvent.placement_id).where(PlacementEvent.actor_id == user.id)
            )
        ) | set(
            db.session.scalars(
                select(Placement.id).where(
                    (Placement.supervisor_id == user.id) | (Placement.created_by_id == user.id)
                )
            )
        )
        db.session.execute(
            update(PlacementEvent)
            .where(PlacementEvent.actor_id == user.id)
            .values(actor_id=None, note="")
            .execution_options(synchronize_session=False)
        )
        for placement in db.session.scalars(
            select(Placement).where(Placement.id.in_(acted_on - set(own_ids)))
        ):
            for name in PLACEMENT_TEXTS:
                setattr(placement, name, scrub(getattr(placement, name), needles))
        db.session.execute(
            update(PlacementNote)
            .where(PlacementNote.author_id == user.id)
            .values(author_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.flush()
        db.session.execute(
            update(Placement)
            .where(Placement.supervisor_id == user.id)
            .values(supervisor_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Placement)
            .where(Placement.created_by_id == user.id)
            .values(created_by_id=None)
            .execution_options(synchronize_session=False)
        )
        if own_ids:
            # Unlinked from the profile the next section deletes, so the counts stay true; a
            # placement still under way ends as "candidate withdrew" (nobody is left to act).
            db.session.execute(
                update(Placement)
                .where(Placement.id.in_(own_ids), Placement.status.in_(list(OPEN)))
                .values(
                    status=PlacementStatus.CLOSED, closed_reason=ClosedReason.CANDIDATE_WITHDREW
                )
                .execution_options(synchronize_session=False)
            )
            db.session.execute(
                update(Placement)
                .where(Placement.id.in_(own_ids))
                .values(profile_id=None)
                .execution_options(synchronize_session=False)
            )
        db.session.flush()
