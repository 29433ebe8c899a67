"""Placement logic: every status change goes through `_transition` (states.py's table).

Concurrency: a transition locks the placement row (`SELECT ... FOR UPDATE` on PostgreSQL) and
re-reads it, so a second staff member acting at the same moment waits and then meets the new
state (InvalidTransition); on top, the `version` column (SQLAlchemy version_id_col) refuses an
UPDATE of a row changed since it was read, turned into a Conflict, and a form posted from a stale
page (its hidden `version`) is refused before anything changes.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.auth.models import User
from app.database import utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.institutions.models import InstitutionMembership
from app.needs import services as need_services
from app.needs.models import Need, NeedStatus
from app.placements import access, queries
from app.placements.models import (
    EvaluationResponse,
    Placement,
    PlacementEvent,
    PlacementNote,
    Respondent,
    Wave,
)
from app.placements.notifications import batched, notify
from app.placements.states import (
    FILLING,
    OPEN,
    Actor,
    ClosedReason,
    PlacementStatus,
    Transition,
    find_transition,
)
from app.placements.texts import notice_body, notice_subject
from app.profiles.models import Profile

S = PlacementStatus
SYSTEM = "system"


class AlreadyInPipeline(Conflict):
    pass


def _link(placement: Placement) -> str:
    from app.outreach.urls import external_url

    return external_url("placements.detail", placement_id=placement.id)


def _side(user: User, placement: Placement) -> Actor:
    side = access.side_of(user, placement)
    if side is None:
        raise NotFound(_("We could not find that placement."))
    return side


def lock_placement(placement_id: int) -> Placement:
    """Load the placement with a row lock (PostgreSQL; a no-op on SQLite), re-reading its state."""
    placement = db.session.scalar(
        select(Placement)
        .where(Placement.id == placement_id)
        .with_for_update(of=Placement)
        .execution_options(populate_existing=True)
    )
    if placement is None:
        raise NotFound(_("We could not find that placement."))
    return placement


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict(
            _("Someone else changed this placement at the same moment. Reload it and try again.")
        ) from exc


def _record(
    placement: Placement,
    action: str,
    *,
    by: User | None,
    side: str | None,
    from_status: str | None,
    note: str = "",
) -> PlacementEvent:
    event = PlacementEvent(
        placement=placement,
        actor_id=by.id if by is not None else None,
        actor_side=side,
        action=action,
        from_status=from_status,
        to_status=str(placement.status),
        note=note.strip(),
    )
    db.session.add(event)
    return event


def _members(need: Need) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(InstitutionMembership, InstitutionMembership.user_id == User.id)
            .where(InstitutionMembership.institution_id == need.institution_id)
            .order_by(User.id)
        )
    )


def _announce(placement: Placement, action: str, by: User | None) -> None:
    """Tell every party of the placement except the actor (the other side, and colleagues)."""
    subject = notice_subject(placement)
    link = _link(placement)
    # None once the professional erased their account: nobody is left to tell on that side.
    professional = placement.profile.user if placement.profile is not None else None
    if professional is not None and (by is None or professional.id != by.id):
        notify(professional, subject, notice_body(placement, action, to_professional=True), link)
    if by is None:  # system closures (need filled) concern the professional only
        return
    for member in _members(placement.need):
        if member.id != by.id:
            notify(member, subject, notice_body(placement, action, to_professional=False), link)


def _transition(
    placement: Placement,
    action: str,
    *,
    by: User | None,
    note: str = "",
    expected_version: int | None = None,
    apply: Any = None,
) -> PlacementEvent:
    side: str
    if by is None:
        transition = _system_transition(action, placement.status)
        side = SYSTEM
    else:
        actor = _side(by, placement)
        transition = find_transition(action, placement.status, actor)
        side = str(actor)
    if expected_version is not None and expected_version != placement.version:
        raise Conflict(
            _("This placement changed since you opened it. Reload the page and check its status.")
        )
    source = placement.status
    if apply is not None:
        apply(placement)
    placement.status = transition.target
    placement.status_changed_at = utcnow()
    event = _record(placement, action, by=by, side=side, from_status=str(source), note=note)
    _flush()
    _after(placement, transition, source, by)
    _announce(placement, action, by)
    return event


def _system_transition(action: str, current: PlacementStatus) -> Transition:
    # The system (need filled) closes undecided placements; it acts with staff's rights.
    return find_transition(action, current, Actor.STAFF)


def _after(
    placement: Placement, transition: Transition, source: PlacementStatus, by: User | None
) -> None:
    """Side effects of entering a state: need filled / reopened, evaluation waves."""
    target = transition.target
    if target in FILLING and source not in FILLING:
        _fill_need_if_complete(placement.need, by)
    if target == S.CLOSED and source in FILLING:
        _reopen_need_if_short(placement.need)
    config = current_app.config
    if str(target) == config["PLACEMENTS_BASELINE_WAVE_STATUS"]:
        send_evaluation_wave(placement, Wave.BASELINE)
    if str(target) == config["PLACEMENTS_END_WAVE_STATUS"]:
        send_evaluation_wave(placement, Wave.END)


# --------------------------------------------------------------------------- creating


def applications_closed(need: Need, today: date | None = None) -> bool:
    """True once the need's application deadline has passed: it takes no new interest."""
    deadline = need.application_deadline
    return deadline is not None and deadline < (today or utcnow().date())


def _check_need_open(need: Need) -> None:
    if need.status != NeedStatus.OPEN:
        raise Conflict(_("This need is not open, so it takes no new candidates."))


def _create(
    need: Need, profile: Profile, action: str, *, by: User, actor: Actor, message: str = ""
) -> Placement:
    transition = find_transition(action, None, actor)
    if queries.get_open_placement(need.id, profile.id) is not None:
        raise AlreadyInPipeline(_("This professional already has an open placement for this need."))
    placement = Placement(
        need=need,
        profile=profile,
        status=transition.target,
        created_by_id=by.id,
        interest_message=message.strip() if action == "express_interest" else "",
    )
    try:
        with db.session.begin_nested():
            db.session.add(placement)
            db.session.flush()
    except IntegrityError as exc:  # a concurrent request created it first
        raise AlreadyInPipeline(
            _("This professional already has an open placement for this need.")
        ) from exc
    _record(placement, action, by=by, side=str(actor), from_status=None, note=message)
    db.session.flush()
    _announce(placement, action, by)
    return placement


def express_interest(need: Need, profile: Profile, *, by: User, message: str = "") -> Placement:
    """The professional asks to be considered for an open need (before its deadline)."""
    if profile.user_id != by.id:
        raise NotFound(_("We could not find that profile."))
    _check_need_open(need)
    if applications_closed(need):
        raise Conflict(_("The application deadline for this need has passed."))
    return _create(
        need, profile, "express_interest", by=by, actor=Actor.PROFESSIONAL, message=message
    )


def _host_side(by: User, need: Need) -> Actor:
    if by.is_staff:
        return Actor.STAFF
    member = db.session.scalar(
        select(InstitutionMembership).where(InstitutionMembership.user_id == by.id)
    )
    if member is None or member.institution_id != need.institution_id:
        raise NotFound(_("We could not find that need."))
    return Actor.INSTITUTION


def shortlist_professional(need: Need, profile: Profile, *, by: User, note: str = "") -> Placement:
    """The institution or staff picks a professional for a need (ranking calls this too)."""
    actor = _host_side(by, need)
    _check_need_open(need)
    return _create(need, profile, "shortlist", by=by, actor=actor, message=note)


def shortlist_professionals(
    need: Need, profiles: list[Profile], *, by: User, note: str = ""
) -> list[Placement]:
    """Shortlist several professionals at once: one message per person, one digest per colleague."""
    with batched():
        return [shortlist_professional(need, p, by=by, note=note) for p in profiles]


def invite_professional(need: Need, profile: Profile, *, by: User, message: str = "") -> Placement:
    """Invite a professional (shortlisting first when they are not in the pipeline yet)."""
    with batched():
        placement = queries.get_open_placement(need.id, profile.id)
        if placement is None:
            placement = shortlist_professional(need, profile, by=by)
        invite(placement, by=by, message=message)
    return placement


def invite(
    placement: Placement, *, by: User, message: str = "", expected_version: int | None = None
) -> PlacementEvent:
    def apply(p: Placement) -> None:
        p.invitation_message = message.strip()

    _check_need_open(placement.need)
    return _transition(
        placement, "invite", by=by, note=message, expected_version=expected_version, apply=apply
    )


def accept_invitation(
    placement: Placement, *, by: User, message: str = "", expected_version: int | None = None
) -> PlacementEvent:
    def apply(p: Placement) -> None:
        p.response_message = message.strip()

    return _transition(
        placement, "accept", by=by, note=message, expected_version=expected_version, apply=apply
    )


def decline_invitation(
    placement: Placement, *, by: User, message: str = "", expected_version: int | None = None
) -> PlacementEvent:
    def apply(p: Placement) -> None:
        p.response_message = message.strip()
        p.closed_reason = ClosedReason.CANDIDATE_WITHDREW
        p.closed_note = message.strip()

    return _transition(
        placement, "decline", by=by, note=message, expected_version=expected_version, apply=apply
    )


def schedule_interview(
    placement: Placement,
    *,
    by: User,
    at: datetime,
    note: str = "",
    expected_version: int | None = None,
) -> PlacementEvent:
    def apply(p: Placement) -> None:
        p.interview_at = at

    return _transition(
        placement,
        "schedule_interview",
        by=by,
        note=note,
        expected_version=expected_version,
        apply=apply,
    )


def record_interview_outcome(placement: Placement, *, by: User, outcome: str) -> PlacementEvent:
    """Write down how the interview went (the status does not change)."""
    side = _side(by, placement)
    if side == Actor.PROFESSIONAL or placement.status != S.INTERVIEW:
        raise Conflict(_("An interview outcome can be recorded only during the interview stage."))
    if not outcome.strip():
        raise DomainError(_("Describe the outcome of the interview."), field="outcome")
    placement.interview_outcome = outcome.strip()
    event = _record(
        placement,
        "interview_outcome",
        by=by,
        side=str(side),
        from_status=str(placement.status),
        note=outcome,
    )
    _flush()
    return event


@dataclass(frozen=True, slots=True)
class WorkPlan:
    start_date: date
    end_date: date
    mode: str
    deliverables: str
    logistics: str = ""


def agree_work_plan(
    placement: Placement, *, by: User, plan: WorkPlan, expected_version: int | None = None
) -> PlacementEvent:
    if plan.end_date < plan.start_date:
        raise DomainError(_("The end date must be on or after the start date."), field="end_date")
    if not plan.deliverables.strip():
        raise DomainError(_("List the agreed deliverables."), field="deliverables")

    def apply(p: Placement) -> None:
        p.plan_start_date = plan.start_date
        p.plan_end_date = plan.end_date
        p.plan_mode = plan.mode
        p.plan_deliverables = plan.deliverables.strip()
        p.plan_logistics = plan.logistics.strip()
        p.supervisor_id = by.id if not by.is_staff else (p.supervisor_id or _default_supervisor(p))

    return _transition(
        placement, "agree_work_plan", by=by, expected_version=expected_version, apply=apply
    )


def _default_supervisor(placement: Placement) -> int | None:
    if placement.need.created_by_id is not None:
        return placement.need.created_by_id
    members = _members(placement.need)
    return members[0].id if members else None


def start_placement(
    placement: Placement, *, by: User, note: str = "", expected_version: int | None = None
) -> PlacementEvent:
    return _transition(placement, "start", by=by, note=note, expected_version=expected_version)


def complete_placement(
    placement: Placement, *, by: User, note: str = "", expected_version: int | None = None
) -> PlacementEvent:
    def apply(p: Placement) -> None:
        p.completed_at = utcnow()

    event = _transition(
        placement, "complete", by=by, note=note, expected_version=expected_version, apply=apply
    )
    _evaluate_if_end_wave_answered(placement)
    return event


def _evaluate_if_end_wave_answered(placement: Placement) -> None:
    # With APP_PLACEMENTS_END_WAVE_STATUS earlier than "completed", the professional may answer
    # the end wave before completion; that answer then evaluates the placement on completion.
    answered = db.session.scalar(
        select(EvaluationResponse.id).where(
            EvaluationResponse.placement_id == placement.id,
            EvaluationResponse.wave == Wave.END,
            EvaluationResponse.respondent == Respondent.PROFESSIONAL,
            EvaluationResponse.answered_at.is_not(None),
        )
    )
    if answered is not None and placement.status == S.COMPLETED:
        _transition(placement, "evaluate", by=None)


def mark_evaluated(
    placement: Placement, *, by: User, note: str, expected_version: int | None = None
) -> PlacementEvent:
    """Staff mark a completed placement evaluated whose end wave will not be answered.

    Raises InvalidTransition unless staff act on a completed placement, DomainError (field
    "note") without a note saying why.
    """
    find_transition("mark_evaluated", placement.status, _side(by, placement))
    if not note.strip():
        raise DomainError(
            _("Say why the placement is evaluated without the end-of-mission answer."),
            field="note",
        )
    return _transition(
        placement, "mark_evaluated", by=by, note=note, expected_version=expected_version
    )


def close_placement(
    placement: Placement,
    *,
    by: User,
    reason: ClosedReason | str,
    note: str = "",
    expected_version: int | None = None,
) -> PlacementEvent:
    """End an open placement with a reason from the fixed list ("other" needs a text)."""
    try:
        reason = ClosedReason(reason)
    except ValueError as exc:
        raise DomainError(_("Choose a reason from the list."), field="reason") from exc
    if reason == ClosedReason.OTHER and not note.strip():
        raise DomainError(_("Say why the placement is closed."), field="note")
    side = _side(by, placement)
    action = "withdraw" if side == Actor.PROFESSIONAL else "close"

    def apply(p: Placement) -> None:
        p.closed_reason = ClosedReason.CANDIDATE_WITHDREW if action == "withdraw" else reason
        p.closed_note = note.strip()

    return _transition(
        placement, action, by=by, note=note, expected_version=expected_version, apply=apply
    )


def add_internal_note(placement: Placement, *, by: User, body: str) -> PlacementNote:
    """Staff write a note kept from professionals and institutions."""
    if not access.can_see_internal_notes(by, placement):
        raise NotFound(_("We could not find that placement."))
    if not body.strip():
        raise DomainError(_("Write the note."), field="body")
    note = PlacementNote(placement=placement, author_id=by.id, body=body.strip())
    db.session.add(note)
    db.session.flush()
    return note


@dataclass(frozen=True, slots=True)
class Outcome:
    hours_delivered: int
    people_trained: int
    deliverables_achieved: str
    outcome_story: str


def record_outcome(placement: Placement, *, by: User, outcome: Outcome) -> None:
    """The institution (or staff) records what the mission delivered."""
    side = _side(by, placement)
    if side == Actor.PROFESSIONAL:
        raise NotFound(_("We could not find that placement."))
    if placement.status not in (S.IN_PROGRESS, S.COMPLETED, S.EVALUATED):
        raise Conflict(_("The outcome can be recorded once the mission has started."))
    placement.hours_delivered = outcome.hours_delivered
    placement.people_trained = outcome.people_trained
    placement.deliverables_achieved = outcome.deliverables_achieved.strip()
    placement.outcome_story = outcome.outcome_story.strip()
    _record(placement, "record_outcome", by=by, side=str(side), from_status=str(placement.status))
    _flush()


# --------------------------------------------------------------------------- the need's count


def _fill_need_if_complete(need: Need, by: User | None) -> None:
    if need.status != NeedStatus.OPEN or queries.count_filling(need.id) < need.people_needed:
        return
    filler = by or need.created_by
    need_services.mark_need_filled(need, filled_by=filler)  # type: ignore[arg-type]
    for other in queries.list_undecided(need.id):
        other.closed_reason = ClosedReason.NEED_FILLED
        _transition(other, "close", by=None)


def _reopen_need_if_short(need: Need) -> None:
    if need.status != NeedStatus.FILLED or queries.count_filling(need.id) >= need.people_needed:
        return
    need_services.reopen_need(need)


# --------------------------------------------------------------------------- reminders


def send_response_reminders(now: datetime) -> int:
    """Remind institutions of "interested" professionals waiting for an answer; return how many.

    First reminder at half PLACEMENTS_RESPONSE_DAYS, the second when the response is overdue
    (the staff board then shows the case as overdue). One digest per member, not one per case.
    """
    days = int(current_app.config["PLACEMENTS_RESPONSE_DAYS"])
    first_after = timedelta(days=max(1, days // 2))
    due: list[Placement] = []
    for placement in queries.list_awaiting_response(now - first_after):
        age = now - placement.status_changed_at
        wanted = 2 if age >= timedelta(days=days) else 1
        if placement.reminder_count < wanted:
            due.append(placement)
    with batched():
        for placement in due:
            placement.reminder_count = (
                2 if now - placement.status_changed_at >= timedelta(days=days) else 1
            )
            placement.last_reminded_at = now
            overdue = placement.reminder_count == 2
            body = (
                _(
                    "Overdue: %(name)s has waited more than %(days)s days for an answer about "
                    "“%(need)s”. Please shortlist, invite or close the case.",
                    name=placement.profile.display_name,
                    days=days,
                    need=placement.need.title,
                )
                if overdue
                else _(
                    "Reminder: %(name)s is waiting for your answer about “%(need)s”.",
                    name=placement.profile.display_name,
                    need=placement.need.title,
                )
            )
            for member in _members(placement.need):
                notify(member, notice_subject(placement), body, _link(placement))
    db.session.flush()
    return len(due)


# --------------------------------------------------------------------------- evaluation waves
# Each wave is sent as identified surveys of app/surveys (app/surveys/evaluations.py): one for
# the professional, one for the host supervisor. EvaluationResponse stays as the per-placement
# summary row (requested, then rating and answers copied from the survey's final response): the
# placement page, app/insights and the privacy export read it.


def _host_user(placement: Placement) -> User | None:
    supervisor_id = placement.supervisor_id or _default_supervisor(placement)
    return db.session.get(User, supervisor_id) if supervisor_id else None


def send_evaluation_wave(placement: Placement, wave: Wave) -> list[EvaluationResponse]:
    """Send one evaluation wave (once) to the professional and the host supervisor as surveys."""
    from app.surveys.evaluations import create_evaluation_surveys

    existing = {
        (r.wave, r.respondent)
        for r in db.session.scalars(
            select(EvaluationResponse).where(EvaluationResponse.placement_id == placement.id)
        )
    }
    professional = placement.profile.user if placement.profile is not None else None
    people = [(Respondent.PROFESSIONAL, professional), (Respondent.HOST, _host_user(placement))]
    created: list[EvaluationResponse] = []
    respondents: dict[str, User] = {}
    for respondent, user in people:
        if user is None or (wave, respondent) in existing:
            continue
        response = EvaluationResponse(
            placement_id=placement.id, wave=wave, respondent=respondent, user_id=user.id
        )
        db.session.add(response)
        created.append(response)
        respondents[str(respondent)] = user
    db.session.flush()
    if respondents:
        create_evaluation_surveys(placement, str(wave), respondents)
    return created


def record_evaluation_answered(
    placement: Placement,
    wave: Wave | str,
    respondent: Respondent | str,
    by: User,
    *,
    answers: dict[str, Any],
) -> EvaluationResponse:
    """Copy a submitted evaluation survey into the summary row; the professional's end-wave
    answer marks the placement evaluated (called by the survey module on final submission)."""
    wave, respondent = Wave(wave), Respondent(respondent)
    response = db.session.scalar(
        select(EvaluationResponse).where(
            EvaluationResponse.placement_id == placement.id,
            EvaluationResponse.wave == wave,
            EvaluationResponse.respondent == respondent,
        )
    )
    if response is None:
        response = EvaluationResponse(
            placement_id=placement.id, wave=wave, respondent=respondent, user_id=by.id
        )
        db.session.add(response)
    if response.answered_at is not None:  # answered before (e.g. a legacy feedback form)
        return response
    rating = answers.get("rating")
    response.rating = int(rating) if rating is not None else None
    texts = (answers.get("went_well"), answers.get("improve"))
    response.comment = "\n\n".join(str(t).strip() for t in texts if t)
    response.answers = dict(answers)
    response.answered_at = utcnow()
    db.session.flush()
    # Decision: "evaluated" when the PROFESSIONAL answers the end wave. The host's answer is
    # welcome but must not hold the professional's mission hostage; it is collected all the same.
    # Once the professional erased their account nobody can give their answer: the host's end
    # wave then evaluates (a system step). Otherwise staff may use `mark_evaluated`.
    if wave != Wave.END or placement.status != S.COMPLETED:
        return response
    if (
        respondent == Respondent.PROFESSIONAL
        and placement.profile is not None
        and placement.profile.user_id == by.id
    ):
        _transition(placement, "evaluate", by=by)
    elif respondent == Respondent.HOST and placement.profile is None:
        _transition(placement, "evaluate", by=None)
    return response


def _add_months(moment: datetime, months: int) -> datetime:
    month = moment.month - 1 + months
    year = moment.year + month // 12
    month = month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def send_due_followups(now: datetime) -> int:
    """Send the follow-up wave PLACEMENTS_FOLLOWUP_MONTHS after completion; return how many."""
    months = int(current_app.config["PLACEMENTS_FOLLOWUP_MONTHS"])
    candidates = db.session.scalars(
        select(Placement).where(
            Placement.status.in_([S.COMPLETED, S.EVALUATED]), Placement.completed_at.is_not(None)
        )
    ).all()
    sent = 0
    with batched():
        for placement in candidates:
            assert placement.completed_at is not None
            if _add_months(placement.completed_at, months) <= now and send_evaluation_wave(
                placement, Wave.FOLLOWUP
            ):
                sent += 1
    return sent


def close_placements_of_need(
    need: Need, *, by: User, reason: ClosedReason = ClosedReason.NEED_WITHDRAWN
) -> int:
    """Close every open placement of a need the institution withdrew (one message per person).

    For the needs feature to call from close_need; returns how many placements were closed.
    """
    placements = [p for p in queries.list_for_need(need.id) if p.status in OPEN]
    with batched():
        for placement in placements:
            close_placement(placement, by=by, reason=reason)
    return len(placements)
