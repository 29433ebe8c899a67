"""Demo placements for `make run`: every state, timelines, outcomes, evaluations, closures.

Rows are written directly (no notifications, so the dev worker mails nobody). The demo
professional (Amina) has an invitation waiting and one accepted placement with the demo
institution.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.institutions.models import InstitutionMembership
from app.needs.models import Need, NeedStatus
from app.placements.models import (
    EvaluationResponse,
    Placement,
    PlacementEvent,
    PlacementNote,
    Respondent,
    Wave,
)
from app.placements.states import ClosedReason
from app.placements.states import PlacementStatus as S
from app.profiles.models import Profile

DEMO_PLACEMENTS = 25
STAFF_SIDE, HOST_SIDE, PRO_SIDE = "staff", "institution", "professional"

# The path (action, side, target) that leads to each status.
PATH: list[tuple[str, str, S]] = [
    ("shortlist", HOST_SIDE, S.SHORTLISTED),
    ("invite", HOST_SIDE, S.INVITED),
    ("accept", PRO_SIDE, S.ACCEPTED),
    ("schedule_interview", HOST_SIDE, S.INTERVIEW),
    ("agree_work_plan", HOST_SIDE, S.WORK_PLAN_AGREED),
    ("start", HOST_SIDE, S.IN_PROGRESS),
    ("complete", HOST_SIDE, S.COMPLETED),
    ("evaluate", PRO_SIDE, S.EVALUATED),
]
# Status mix of the other placements (besides Amina's two).
MIX: list[S] = [
    S.INTERESTED,
    S.INTERESTED,
    S.INTERESTED,
    S.SHORTLISTED,
    S.SHORTLISTED,
    S.INVITED,
    S.INVITED,
    S.ACCEPTED,
    S.INTERVIEW,
    S.INTERVIEW,
    S.WORK_PLAN_AGREED,
    S.IN_PROGRESS,
    S.IN_PROGRESS,
    S.COMPLETED,
    S.COMPLETED,
    S.EVALUATED,
    S.EVALUATED,
    S.EVALUATED,
    S.CLOSED,
    S.CLOSED,
    S.CLOSED,
    S.CLOSED,
    S.CLOSED,
]
CLOSINGS: list[tuple[str, str, ClosedReason, str]] = [
    ("decline", PRO_SIDE, ClosedReason.DATES_DONT_FIT, "My contract in Lyon runs until June."),
    ("close", HOST_SIDE, ClosedReason.NOT_A_FIT, "We need someone with theatre experience."),
    ("withdraw", PRO_SIDE, ClosedReason.CANDIDATE_WITHDREW, "Family reasons, sorry."),
    ("close", STAFF_SIDE, ClosedReason.CANDIDATE_UNREACHABLE, "No answer to three emails."),
    ("close", HOST_SIDE, ClosedReason.NEED_FILLED, ""),
]
STORIES = [
    "Ran a two-week simulation course for 24 nurses; the ward now uses the new triage checklist.",
    "Set up the data pipeline with the district team and trained two analysts to maintain it.",
    "Mentored the faculty on curriculum review; three modules were rewritten and approved.",
]


def _path_to(status: S, start_interested: bool) -> list[tuple[str, str, S]]:
    first = ("express_interest", PRO_SIDE, S.INTERESTED)
    if status == S.INTERESTED:
        return [first]
    steps = list(PATH)
    if start_interested and status != S.SHORTLISTED:
        steps = [first, *steps[1:]]  # interested, then invited directly
    out = []
    for step in steps:
        out.append(step)
        if step[2] == status:
            break
    return out


def _build(
    need: Need,
    profile: Profile,
    status: S,
    *,
    rng: random.Random,
    host: User | None,
    staff: User | None,
    now: datetime,
    closing: tuple[str, str, ClosedReason, str] | None = None,
) -> Placement:
    start_interested = rng.random() < 0.5
    if status == S.CLOSED:
        assert closing is not None
        action, side, _reason, note = closing
        before = S.INVITED if action == "decline" else rng.choice([S.INTERESTED, S.ACCEPTED])
        steps = [*_path_to(before, start_interested), (action, side, S.CLOSED)]
    else:
        steps = _path_to(status, start_interested)
    moment = now - timedelta(days=rng.randint(20, 90) + 8 * len(steps))
    placement = Placement(need=need, profile=profile, status=status, created_by_id=None)
    actors = {PRO_SIDE: profile.user_id, HOST_SIDE: host.id if host else None}
    actors[STAFF_SIDE] = staff.id if staff else None
    previous: S | None = None
    for action, side, target in steps:
        moment += timedelta(days=rng.randint(2, 8), hours=rng.randint(0, 8))
        note = ""
        if action == "express_interest":
            note = "I would love to help; I can start remotely next month."
            placement.interest_message = note
        elif action == "invite":
            note = "Thank you for your interest. We would be glad to work with you."
            placement.invitation_message = note
        elif action == "accept":
            note = "Happy to accept. Looking forward to it!"
            placement.response_message = note
        elif action == "schedule_interview":
            placement.interview_at = moment + timedelta(days=3)
        elif action == "agree_work_plan":
            placement.plan_start_date = (moment + timedelta(days=7)).date()
            placement.plan_end_date = placement.plan_start_date + timedelta(days=28)
            placement.plan_mode = rng.choice(["remote", "onsite", "both"])
            placement.plan_deliverables = "Needs assessment; four training sessions; a handover."
            placement.plan_logistics = "Accommodation near the campus; weekly calls on Mondays."
            placement.supervisor_id = host.id if host else None
        elif action == "complete":
            placement.completed_at = moment
        elif status == S.CLOSED and target == S.CLOSED and closing is not None:
            placement.closed_reason = closing[2]
            placement.closed_note = closing[3]
            note = closing[3]
            if action == "decline":
                placement.response_message = note
        if placement.created_by_id is None:
            placement.created_by_id = actors[side]
            placement.created_at = moment
        placement.events.append(
            PlacementEvent(
                actor_id=actors[side],
                actor_side=side,
                action=action,
                from_status=str(previous) if previous else None,
                to_status=str(target),
                note=note,
                created_at=moment,
            )
        )
        previous = target
    placement.status_changed_at = moment
    if status in (S.IN_PROGRESS, S.COMPLETED, S.EVALUATED):
        placement.hours_delivered = rng.randint(20, 160)
        placement.people_trained = rng.randint(5, 60)
        placement.deliverables_achieved = "Training delivered; materials handed over."
        placement.outcome_story = rng.choice(STORIES)
    if status in (S.COMPLETED, S.EVALUATED) and placement.completed_at is not None:
        answered = placement.completed_at + timedelta(days=3)
        pro_answered = status == S.EVALUATED
        placement.evaluations.append(
            EvaluationResponse(
                wave=Wave.END,
                respondent=Respondent.PROFESSIONAL,
                user_id=profile.user_id,
                requested_at=placement.completed_at,
                answered_at=answered if pro_answered else None,
                rating=rng.randint(4, 5) if pro_answered else None,
                comment="Well organised, and the team was very welcoming." if pro_answered else "",
                answers={"would_return": 5, "objectives_met": rng.randint(3, 5)}
                if pro_answered
                else {},
            )
        )
        if host is not None:
            placement.evaluations.append(
                EvaluationResponse(
                    wave=Wave.END,
                    respondent=Respondent.HOST,
                    user_id=host.id,
                    requested_at=placement.completed_at,
                    answered_at=answered,
                    rating=rng.randint(3, 5),
                    comment="Clear deliverables, met on time.",
                    answers={"objectives_met": rng.randint(3, 5)},
                )
            )
    if staff is not None and rng.random() < 0.3:
        placement.notes.append(
            PlacementNote(
                author_id=staff.id,
                body="Called the professional; availability confirmed.",
                created_at=moment,
            )
        )
    db.session.add(placement)
    return placement


def _host_of(need: Need, members: dict[int, int]) -> User | None:
    member_id = need.created_by_id or members.get(need.institution_id)
    return db.session.get(User, member_id) if member_id else None


def seed_placements(
    seed: int,
    *,
    demo_professional_email: str,
    demo_member_email: str,
    staff_email: str | None = None,
    count: int = DEMO_PLACEMENTS,
) -> int:
    """Create about `count` placements (flushes, never commits); return how many."""
    rng = random.Random(seed + 7)  # noqa: S311 (demo data, not secrets)
    now = utcnow()
    amina = db.session.scalar(
        select(Profile).join(User).where(User.email == demo_professional_email)
    )
    jean = db.session.scalar(select(User).where(User.email == demo_member_email))
    staff = (
        db.session.scalar(select(User).where(User.email == staff_email)) if staff_email else None
    )
    members = dict(
        db.session.execute(
            select(InstitutionMembership.institution_id, InstitutionMembership.user_id).order_by(
                InstitutionMembership.id.desc()
            )
        ).all()
    )
    needs = list(
        db.session.scalars(
            select(Need)
            .where(Need.status.in_([NeedStatus.OPEN, NeedStatus.FILLED]))
            .order_by(Need.id)
        )
    )
    if not needs:
        return 0
    home = jean_institution = None
    if jean is not None:
        jean_institution = db.session.scalar(
            select(InstitutionMembership.institution_id).where(
                InstitutionMembership.user_id == jean.id
            )
        )
    home_needs = [n for n in needs if n.institution_id == jean_institution]
    others = [n for n in needs if n.institution_id != jean_institution] or needs
    profiles = list(
        db.session.scalars(
            select(Profile)
            .where(Profile.merged_into_id.is_(None), Profile.id != (amina.id if amina else -1))
            .order_by(Profile.id)
        )
    )
    rng.shuffle(profiles)
    created = 0
    open_needs = [n for n in home_needs if n.status == NeedStatus.OPEN] or home_needs or needs
    if amina is not None:
        home = open_needs[0]
        _build(home, amina, S.INVITED, rng=rng, host=jean, staff=staff, now=now)
        accepted_need = open_needs[1] if len(open_needs) > 1 else others[0]
        host = jean if accepted_need.institution_id == jean_institution else None
        _build(accepted_need, amina, S.ACCEPTED, rng=rng, host=host, staff=staff, now=now)
        created += 2
    closings = iter(CLOSINGS * 3)
    mix = (MIX * (count // len(MIX) + 1))[: max(0, count - created)]
    for index, status in enumerate(mix):
        if not profiles:
            break
        # Every third placement with the demo institution, the rest spread over other needs.
        pool = home_needs if (home_needs and index % 3 == 0) else others
        need = pool[index % len(pool)]
        host = jean if need.institution_id == jean_institution else _host_of(need, members)
        closing = next(closings) if status == S.CLOSED else None
        _build(
            need,
            profiles.pop(),
            status,
            rng=rng,
            host=host,
            staff=staff,
            now=now,
            closing=closing,
        )
        created += 1
    db.session.flush()
    return created


def placement_counts() -> dict[str, Any]:
    """Counts by status (for the loader's summary and tests)."""
    from sqlalchemy import func

    return dict(
        db.session.execute(select(Placement.status, func.count()).group_by(Placement.status)).all()
    )
