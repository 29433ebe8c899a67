"""The placement state machine: statuses, close reasons, and the ONE table of transitions.

Every change of a placement's status goes through `find_transition` (app/placements/services.py);
nothing else writes `Placement.status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import gettext as _

from app.errors import InvalidTransition


class PlacementStatus(StrEnum):
    INTERESTED = "interested"  # the professional asked
    SHORTLISTED = "shortlisted"  # the institution or staff picked
    INVITED = "invited"
    ACCEPTED = "accepted"
    INTERVIEW = "interview"
    WORK_PLAN_AGREED = "work_plan_agreed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    EVALUATED = "evaluated"
    CLOSED = "closed"


class Actor(StrEnum):
    """The side someone acts for on a placement."""

    PROFESSIONAL = "professional"
    INSTITUTION = "institution"  # a member of the need's organisation
    STAFF = "staff"


class ClosedReason(StrEnum):
    CANDIDATE_WITHDREW = "candidate_withdrew"
    CANDIDATE_UNREACHABLE = "candidate_unreachable"
    NOT_A_FIT = "not_a_fit"
    NEED_WITHDRAWN = "need_withdrawn"
    NEED_FILLED = "need_filled"
    DATES_DONT_FIT = "dates_dont_fit"
    OTHER = "other"


S = PlacementStatus
P, H, T = Actor.PROFESSIONAL, Actor.INSTITUTION, Actor.STAFF  # professional, host, staff

# States a placement can still be closed from ("open"); completed and evaluated are finished.
OPEN: frozenset[PlacementStatus] = frozenset(
    {
        S.INTERESTED,
        S.SHORTLISTED,
        S.INVITED,
        S.ACCEPTED,
        S.INTERVIEW,
        S.WORK_PLAN_AGREED,
        S.IN_PROGRESS,
    }
)
# From "accepted" on, each side sees the other's contact details.
CONTACT_REVEALED: frozenset[PlacementStatus] = frozenset(
    {S.ACCEPTED, S.INTERVIEW, S.WORK_PLAN_AGREED, S.IN_PROGRESS, S.COMPLETED, S.EVALUATED}
)
# Placements that count towards a need's "people needed".
FILLING: frozenset[PlacementStatus] = frozenset(
    {S.WORK_PLAN_AGREED, S.IN_PROGRESS, S.COMPLETED, S.EVALUATED}
)
# Still being decided: closed with "need filled" when the need fills up.
UNDECIDED: frozenset[PlacementStatus] = frozenset(
    {S.INTERESTED, S.SHORTLISTED, S.INVITED, S.ACCEPTED, S.INTERVIEW}
)
ORDER: tuple[PlacementStatus, ...] = tuple(PlacementStatus)


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    sources: frozenset[PlacementStatus | None]  # None: the placement is being created
    target: PlacementStatus
    actors: frozenset[Actor]


def _t(
    action: str,
    sources: set[PlacementStatus | None] | frozenset[PlacementStatus],
    target: PlacementStatus,
    actors: set[Actor],
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(actors))


# The one table: (action, from, to, who may). Staff may act on any placement, including
# recording a professional's answer given by phone; professionals never act for institutions.
TRANSITIONS: tuple[Transition, ...] = (
    _t("express_interest", {None}, S.INTERESTED, {P}),
    _t("shortlist", {None}, S.SHORTLISTED, {H, T}),
    _t("invite", {S.INTERESTED, S.SHORTLISTED}, S.INVITED, {H, T}),
    _t("accept", {S.INVITED}, S.ACCEPTED, {P, T}),
    _t("decline", {S.INVITED}, S.CLOSED, {P, T}),
    _t("schedule_interview", {S.ACCEPTED}, S.INTERVIEW, {H, T}),
    _t("agree_work_plan", {S.ACCEPTED, S.INTERVIEW}, S.WORK_PLAN_AGREED, {H, T}),
    _t("start", {S.WORK_PLAN_AGREED}, S.IN_PROGRESS, {H, T}),
    _t("complete", {S.IN_PROGRESS}, S.COMPLETED, {H, T}),
    # Reached when the professional answers the end-of-mission evaluation (see evaluations.py).
    _t("evaluate", {S.COMPLETED}, S.EVALUATED, {P, T}),
    # Staff decide, with a note, when the end wave will never be answered (the professional
    # erased their account or does not answer), so a placement cannot stay "completed" forever.
    _t("mark_evaluated", {S.COMPLETED}, S.EVALUATED, {T}),
    _t("withdraw", OPEN, S.CLOSED, {P}),
    _t("close", OPEN, S.CLOSED, {H, T}),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def action_label(action: str) -> str:
    labels = {
        "express_interest": _("Express interest"),
        "shortlist": _("Shortlist"),
        "invite": _("Invite"),
        "accept": _("Accept the invitation"),
        "decline": _("Decline the invitation"),
        "schedule_interview": _("Schedule an interview"),
        "agree_work_plan": _("Record the agreed work plan"),
        "start": _("Mark as started"),
        "complete": _("Mark as completed"),
        "evaluate": _("Mark as evaluated"),
        "mark_evaluated": _("Mark as evaluated without the end-of-mission answer"),
        "withdraw": _("Withdraw"),
        "close": _("Close"),
    }
    return labels.get(action, action)


def status_label(status: PlacementStatus | str | None) -> str:
    if status is None:
        return _("new")
    labels = {
        S.INTERESTED: _("interested"),
        S.SHORTLISTED: _("shortlisted"),
        S.INVITED: _("invited"),
        S.ACCEPTED: _("accepted"),
        S.INTERVIEW: _("interview"),
        S.WORK_PLAN_AGREED: _("work plan agreed"),
        S.IN_PROGRESS: _("in progress"),
        S.COMPLETED: _("completed"),
        S.EVALUATED: _("evaluated"),
        S.CLOSED: _("closed"),
    }
    return labels.get(PlacementStatus(status), str(status))


def reason_label(reason: ClosedReason | str | None) -> str:
    labels = {
        ClosedReason.CANDIDATE_WITHDREW: _("the candidate withdrew"),
        ClosedReason.CANDIDATE_UNREACHABLE: _("the candidate could not be reached"),
        ClosedReason.NOT_A_FIT: _("not a fit for this need"),
        ClosedReason.NEED_WITHDRAWN: _("the institution withdrew the need"),
        ClosedReason.NEED_FILLED: _("the need was filled by other professionals"),
        ClosedReason.DATES_DONT_FIT: _("the dates don't fit"),
        ClosedReason.OTHER: _("other reason"),
    }
    if reason is None:
        return ""
    return labels.get(ClosedReason(reason), str(reason))


def find_transition(action: str, current: PlacementStatus | str | None, actor: Actor) -> Transition:
    """Return the table's transition for this action from the current status by this actor.

    Raises InvalidTransition (409) with a message saying why when the table does not allow it.
    """
    transition = BY_ACTION.get(action)
    if transition is None:
        raise InvalidTransition(_("This action does not exist for placements."))
    source = PlacementStatus(current) if current is not None else None
    if source not in transition.sources:
        raise InvalidTransition(
            _(
                "A placement that is %(current)s cannot be moved with “%(action)s”.",
                current=status_label(source),
                action=action_label(action),
            )
        )
    if actor not in transition.actors:
        raise InvalidTransition(
            _(
                "Only another party to this placement can do “%(action)s”.",
                action=action_label(action),
            )
        )
    return transition


def allowed_actions(current: PlacementStatus | str, actor: Actor) -> list[str]:
    """Return the actions this actor may take from the current status, in table order."""
    source = PlacementStatus(current)
    return [
        t.action
        for t in TRANSITIONS
        if source in t.sources and actor in t.actors and t.action != "evaluate"
    ]
