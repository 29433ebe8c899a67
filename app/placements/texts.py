"""What each side reads: the "status and next step" sentence and the notification texts."""

from __future__ import annotations

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _

from app.placements.models import Placement
from app.placements.states import Actor, ClosedReason, PlacementStatus, reason_label

S = PlacementStatus


def next_step(placement: Placement, side: Actor) -> str:
    """One sentence per state and side: where the placement stands and what comes next."""
    need = placement.need.title
    days = int(current_app.config["PLACEMENTS_RESPONSE_DAYS"])
    status = placement.status
    if side == Actor.PROFESSIONAL:
        sentences = {
            S.INTERESTED: _(
                "You told the institution you are interested. They will answer within "
                "%(days)s days; nothing to do for now.",
                days=days,
            ),
            S.SHORTLISTED: _(
                "The institution shortlisted you. If they invite you, you will be asked to accept "
                "or decline."
            ),
            S.INVITED: _("You are invited. Please accept or decline the invitation below."),
            S.ACCEPTED: _(
                "You accepted. The institution will propose an interview or the work plan; their "
                "contact person is shown below."
            ),
            S.INTERVIEW: _("An interview is planned. Prepare it with the contact person below."),
            S.WORK_PLAN_AGREED: _(
                "The work plan is agreed. Please answer the short baseline evaluation; the mission "
                "starts on the agreed date."
            ),
            S.IN_PROGRESS: _("Your mission is in progress. Thank you for your contribution."),
            S.COMPLETED: _(
                "Your mission is completed. Please rate it and answer the end-of-mission "
                "evaluation."
            ),
            S.EVALUATED: _("Your mission is completed and evaluated. Thank you!"),
            S.CLOSED: not_selected_text(placement),
        }
    elif side == Actor.INSTITUTION:
        sentences = {
            S.INTERESTED: _(
                "This professional is interested in “%(need)s”. Please shortlist, invite or close "
                "within %(days)s days.",
                need=need,
                days=days,
            ),
            S.SHORTLISTED: _("Shortlisted. Invite the professional when you are ready."),
            S.INVITED: _("Invitation sent. Waiting for the professional's answer."),
            S.ACCEPTED: _(
                "The professional accepted. Schedule an interview or record the agreed work plan."
            ),
            S.INTERVIEW: _(
                "Interview planned. Record its outcome, then the agreed work plan or close."
            ),
            S.WORK_PLAN_AGREED: _(
                "Work plan agreed. Mark the mission as started when the professional begins."
            ),
            S.IN_PROGRESS: _("Mission in progress. Mark it as completed when it ends."),
            S.COMPLETED: _(
                "Mission completed. Please record the outcome and answer the evaluation."
            ),
            S.EVALUATED: _("Completed and evaluated. Thank you for hosting."),
            S.CLOSED: _("Closed: %(reason)s.", reason=reason_label(placement.closed_reason)),
        }
    else:
        sentences = {
            S.INTERESTED: _("Waiting for the institution to answer the professional's interest."),
            S.SHORTLISTED: _("Shortlisted; the institution or RCA may invite."),
            S.INVITED: _("Waiting for the professional to accept or decline."),
            S.ACCEPTED: _("Accepted; waiting for an interview or a work plan."),
            S.INTERVIEW: _("Interview stage; waiting for the outcome."),
            S.WORK_PLAN_AGREED: _("Work plan agreed; waiting for the start."),
            S.IN_PROGRESS: _("Mission in progress."),
            S.COMPLETED: _(
                "Completed; waiting for the professional's evaluation. If it will not come, mark "
                "the placement evaluated with a note."
            ),
            S.EVALUATED: _("Evaluated."),
            S.CLOSED: _("Closed: %(reason)s.", reason=reason_label(placement.closed_reason)),
        }
    return sentences[PlacementStatus(status)]


def not_selected_text(placement: Placement) -> str:
    """The kind, specific message a professional reads when a placement closes."""
    need = placement.need.title
    institution = placement.need.institution.name
    reason = placement.closed_reason
    if reason == ClosedReason.CANDIDATE_WITHDREW:
        return _(
            "You withdrew from “%(need)s”. Your profile stays active and we will keep suggesting "
            "needs that fit you.",
            need=need,
        )
    if reason == ClosedReason.OTHER and placement.closed_note:
        why = placement.closed_note
    else:
        why = reason_label(reason)
    return _(
        "Thank you for your interest in “%(need)s” at %(institution)s. This placement will not go "
        "ahead: %(reason)s. This is not a judgement of your skills; your profile stays active and "
        "visible to institutions, and we will keep suggesting needs that fit you.",
        need=need,
        institution=institution,
        reason=why,
    )


def notice_subject(placement: Placement) -> str:
    return _("Placement update: “%(need)s”", need=placement.need.title)


def notice_body(placement: Placement, action: str, *, to_professional: bool) -> str:
    """What the other side is told about a transition."""
    need = placement.need.title
    institution = placement.need.institution.name
    name = placement.professional_name  # a neutral label once the account is erased
    if to_professional:
        if placement.status == S.CLOSED and action != "withdraw":
            return not_selected_text(placement)
        texts = {
            "shortlist": _(
                "%(institution)s shortlisted you for “%(need)s”. They may invite you soon.",
                institution=institution,
                need=need,
            ),
            "invite": _(
                "%(institution)s invites you to “%(need)s”. Please accept or decline the "
                "invitation.",
                institution=institution,
                need=need,
            ),
            "schedule_interview": _(
                "An interview for “%(need)s” is planned on %(date)s.",
                need=need,
                date=format_date(placement.interview_at) if placement.interview_at else "",
            ),
            "agree_work_plan": _(
                "The work plan for “%(need)s” is agreed. Please answer the baseline evaluation.",
                need=need,
            ),
            "start": _("Your mission for “%(need)s” has started.", need=need),
            "complete": _(
                "Your mission for “%(need)s” is completed. Please rate it and answer the "
                "evaluation.",
                need=need,
            ),
        }
    else:
        texts = {
            "express_interest": _(
                "%(name)s is interested in “%(need)s”. Please answer within %(days)s days.",
                name=name,
                need=need,
                days=current_app.config["PLACEMENTS_RESPONSE_DAYS"],
            ),
            "accept": _("%(name)s accepted your invitation to “%(need)s”.", name=name, need=need),
            "decline": _("%(name)s declined your invitation to “%(need)s”.", name=name, need=need),
            "withdraw": _("%(name)s withdrew from “%(need)s”.", name=name, need=need),
            "evaluate": _(
                "%(name)s answered the end-of-mission evaluation for “%(need)s”.",
                name=name,
                need=need,
            ),
        }
    from app.placements.states import status_label

    return texts.get(
        action,
        _(
            "The placement of %(name)s for “%(need)s” is now %(status)s.",
            name=name,
            need=need,
            status=status_label(placement.status),
        ),
    )
