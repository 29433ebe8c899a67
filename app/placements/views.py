"""HTTP views of the placements feature."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.access import roles_required, staff_required
from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from app.institutions.queries import get_membership, list_institutions
from app.needs.access import can_view_need
from app.needs.models import Need
from app.placements import access, queries, services
from app.placements import jobs as _jobs  # noqa: F401  (registers the periodic work)
from app.placements.forms import (
    ActionForm,
    CloseForm,
    InterestForm,
    InterviewForm,
    InterviewOutcomeForm,
    MarkEvaluatedForm,
    OutcomeForm,
    PipelineFilterForm,
    ShortlistForm,
    StaffNoteForm,
    WorkPlanForm,
)
from app.placements.models import Placement
from app.placements.states import (
    CONTACT_REVEALED,
    PlacementStatus,
    action_label,
    allowed_actions,
    reason_label,
    status_label,
)
from app.placements.texts import next_step
from app.profiles.access import can_view_profile
from app.profiles.models import Profile
from app.reference.countries import country_choices, country_name
from app.reference.sectors import sector_choices, sector_label
from app.security import optional_record_id
from app.spreadsheets import spreadsheet_row
from app.surveys import evaluations

bp = Blueprint("placements", __name__, url_prefix="/placements")

PARTIES = (Role.PROFESSIONAL, Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
FORM_ACTIONS = {
    "schedule_interview": InterviewForm,
    "agree_work_plan": WorkPlanForm,
    "close": CloseForm,
    "withdraw": ActionForm,
    "mark_evaluated": MarkEvaluatedForm,
}


def _wave_label(wave: str) -> str:
    labels = {
        "baseline": _("Baseline evaluation"),
        "end": _("End-of-mission evaluation"),
        "followup": _("Follow-up evaluation"),
    }
    return labels.get(wave, wave)


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    return {
        "placement_status_label": status_label,
        "placement_reason_label": reason_label,
        "placement_action_label": action_label,
        "evaluation_wave_label": _wave_label,
        "placements_for_need": _placements_for_need,
        "placements_for_professional": _placements_for_professional,
        "placement_applications_closed": services.applications_closed,
        "placements_gender_balance": _gender_balance,
        "my_open_placement_for": _my_open_placement_for,
    }


def _my_open_placement_for(need: Need) -> Placement | None:
    # A professional already in this need's pipeline follows their placement instead of
    # being offered an interest form the service would refuse.
    if not current_user.is_authenticated:
        return None
    profile = queries.get_profile_of(current_user.id)
    return queries.get_open_placement(need.id, profile.id) if profile is not None else None


def _gender_balance(need: Need) -> list[queries.GroupShare]:
    # Shown with the need's placements, so the same people may see it.
    if not access.can_manage_need_placements(current_user, need):
        return []
    return queries.shortlist_gender_balance(need.id)


def _placements_for_need(need: Need) -> list[Placement]:
    if not access.can_manage_need_placements(current_user, need):
        return []
    return queries.list_for_need(need.id)


def _placements_for_professional() -> list[Placement]:
    if not current_user.is_authenticated:
        return []
    profile = queries.get_profile_of(current_user.id)
    return queries.list_for_professional(profile.id) if profile is not None else []


def _load(placement_id: int) -> Placement:
    placement = db.get_or_404(Placement, placement_id)
    if not access.can_view_placement(current_user, placement):
        abort(404)
    return placement


def _locked(placement_id: int) -> Placement:
    _load(placement_id)  # 404 before taking any lock
    return services.lock_placement(placement_id)


def _version(form: Any) -> int | None:
    raw = getattr(form, "version", None)
    value = raw.data if raw is not None else None
    return int(value) if value and str(value).isdigit() else None


def _attach(form: Any, error: DomainError) -> bool:
    """Put a field error next to its field; return False when the error has no such field."""
    if error.field and hasattr(form, error.field):
        getattr(form, error.field).errors = [*getattr(form, error.field).errors, error.message]
        return True
    return False


def _render_detail(placement: Placement, status: int = 200, **forms: Any) -> ResponseReturnValue:
    side = access.side_of(current_user, placement)
    assert side is not None
    actions = allowed_actions(placement.status, side)
    defaults: dict[str, Any] = {
        "action_form": ActionForm(version=placement.version),
        "interview_form": InterviewForm(version=placement.version),
        "work_plan_form": WorkPlanForm(
            version=placement.version,
            start_date=placement.need.start_date,
            end_date=placement.need.end_date,
            mode=str(placement.need.mode),
            deliverables="\n".join(placement.need.deliverables or []),
        ),
        "close_form": CloseForm(version=placement.version),
        "mark_evaluated_form": MarkEvaluatedForm(version=placement.version),
        "outcome_form": OutcomeForm(obj=placement),
        "interview_outcome_form": InterviewOutcomeForm(),
        "note_form": StaffNoteForm(),
    }
    defaults.update(forms)
    # Evaluation waves are surveys (app/surveys/evaluations.py): links, not forms, here.
    my_evaluations = evaluations.pending_for(current_user, placement.id)
    evaluation_surveys = (
        evaluations.surveys_of_placement(placement.id) if str(side) == "staff" else {}
    )
    return (
        render_template(
            "placements/detail.html",
            placement=placement,
            side=str(side),
            actions=actions,
            next_step=next_step(placement, side),
            show_contact=access.can_see_other_side_contact(current_user, placement),
            show_notes=access.can_see_internal_notes(current_user, placement),
            my_evaluations=my_evaluations,
            evaluation_surveys=evaluation_surveys,
            contact_revealed=placement.status in CONTACT_REVEALED,
            overdue=queries.is_overdue(placement),
            **defaults,
        ),
        status,
    )


@bp.get("/")
@roles_required(*PARTIES)
def index() -> ResponseReturnValue:
    if current_user.is_staff:
        return redirect(url_for("placements.staff_pipeline"))
    if current_user.role == Role.PROFESSIONAL:
        profile = queries.get_profile_of(current_user.id)
        placements = queries.list_for_professional(profile.id) if profile else []
    else:
        membership = get_membership(current_user.id)
        placements = queries.list_for_institution(membership.institution_id) if membership else []
    return render_template("placements/index.html", placements=placements)


@bp.get("/<int:placement_id>")
@roles_required(*PARTIES)
def detail(placement_id: int) -> ResponseReturnValue:
    return _render_detail(_load(placement_id))


@bp.post("/need/<int:need_id>/interest")
@roles_required(Role.PROFESSIONAL)
def interest(need_id: int) -> ResponseReturnValue:
    need = db.get_or_404(Need, need_id)
    if not can_view_need(current_user, need):
        abort(404)  # a draft need stays invisible, even through this form
    profile = queries.get_profile_of(current_user.id)
    if profile is None:
        flash(_("Create your profile first, so the institution can see who you are."))
        return redirect(url_for("profiles.wizard"))
    form = InterestForm()
    form.validate()
    placement = services.express_interest(
        need, profile, by=current_user, message=form.note.data or ""
    )
    db.session.commit()
    flash(_("Your interest was sent to the institution."))
    return redirect(url_for("placements.detail", placement_id=placement.id))


@bp.post("/need/<int:need_id>/shortlist")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def shortlist(need_id: int) -> ResponseReturnValue:
    need = db.get_or_404(Need, need_id)
    if not access.can_manage_need_placements(current_user, need):
        abort(404)
    form = ShortlistForm()
    ids = [int(i) for i in (form.profile_ids.data or [])]
    profiles = list(db.session.scalars(select(Profile).where(Profile.id.in_(ids))))
    if not ids:
        abort(400)
    # Shortlisting makes a profile visible to the institution: only ones it may already see, and
    # a missing id answers like a hidden one (404), so ids reveal nothing.
    visible = [profile for profile in profiles if can_view_profile(current_user, profile)]
    if len(visible) != len(set(ids)):
        abort(404)
    services.shortlist_professionals(need, profiles, by=current_user, note=form.note.data or "")
    db.session.commit()
    flash(_("%(n)s professional(s) shortlisted.", n=len(profiles)))
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/<int:placement_id>/act/<action>")
@roles_required(*PARTIES)
def act(placement_id: int, action: str) -> ResponseReturnValue:
    placement = _locked(placement_id)
    form_class = FORM_ACTIONS.get(action, ActionForm)
    form = form_class()
    if not form.validate():
        return _render_detail(placement, 400, **{_form_name(action): form})
    note = form.note.data or ""
    version = _version(form)
    by = current_user._get_current_object()
    try:
        if action == "invite":
            services.invite(placement, by=by, message=note, expected_version=version)
        elif action == "accept":
            services.accept_invitation(placement, by=by, message=note, expected_version=version)
        elif action == "decline":
            services.decline_invitation(placement, by=by, message=note, expected_version=version)
        elif action == "schedule_interview":
            at = datetime.combine(form.interview_on.data, time(9), tzinfo=UTC)
            services.schedule_interview(
                placement, by=by, at=at, note=note, expected_version=version
            )
        elif action == "agree_work_plan":
            plan = services.WorkPlan(
                start_date=form.start_date.data,
                end_date=form.end_date.data,
                mode=form.mode.data,
                deliverables=form.deliverables.data or "",
                logistics=form.logistics.data or "",
            )
            services.agree_work_plan(placement, by=by, plan=plan, expected_version=version)
        elif action == "start":
            services.start_placement(placement, by=by, note=note, expected_version=version)
        elif action == "complete":
            services.complete_placement(placement, by=by, note=note, expected_version=version)
        elif action == "mark_evaluated":
            services.mark_evaluated(placement, by=by, note=note, expected_version=version)
        elif action in ("close", "withdraw"):
            reason = form.reason.data if action == "close" else "candidate_withdrew"
            services.close_placement(
                placement, by=by, reason=reason, note=note, expected_version=version
            )
        else:
            abort(404)
    except DomainError as error:
        if error.status_code == 400 and _attach(form, error):
            db.session.rollback()
            return _render_detail(_load(placement_id), 400, **{_form_name(action): form})
        raise
    db.session.commit()
    flash(_("Done: %(action)s.", action=action_label(action)))
    return redirect(url_for("placements.detail", placement_id=placement.id))


def _form_name(action: str) -> str:
    return {
        "schedule_interview": "interview_form",
        "agree_work_plan": "work_plan_form",
        "close": "close_form",
        "mark_evaluated": "mark_evaluated_form",
    }.get(action, "action_form")


@bp.post("/<int:placement_id>/interview-outcome")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def interview_outcome(placement_id: int) -> ResponseReturnValue:
    placement = _locked(placement_id)
    form = InterviewOutcomeForm()
    if not form.validate():
        return _render_detail(placement, 400, interview_outcome_form=form)
    services.record_interview_outcome(placement, by=current_user, outcome=form.outcome.data)
    db.session.commit()
    flash(_("Interview outcome saved."))
    return redirect(url_for("placements.detail", placement_id=placement.id))


@bp.post("/<int:placement_id>/notes")
@staff_required
def add_note(placement_id: int) -> ResponseReturnValue:
    placement = _load(placement_id)
    form = StaffNoteForm()
    if not form.validate():
        return _render_detail(placement, 400, note_form=form)
    services.add_internal_note(placement, by=current_user, body=form.body.data)
    db.session.commit()
    flash(_("Internal note saved."))
    return redirect(url_for("placements.detail", placement_id=placement.id) + "#notes")


@bp.post("/<int:placement_id>/outcome")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def outcome(placement_id: int) -> ResponseReturnValue:
    placement = _load(placement_id)
    form = OutcomeForm()
    if not form.validate():
        return _render_detail(placement, 400, outcome_form=form)
    services.record_outcome(
        placement,
        by=current_user,
        outcome=services.Outcome(
            hours_delivered=form.hours_delivered.data,
            people_trained=form.people_trained.data,
            deliverables_achieved=form.deliverables_achieved.data,
            outcome_story=form.outcome_story.data,
        ),
    )
    db.session.commit()
    flash(_("Outcome saved."))
    return redirect(url_for("placements.detail", placement_id=placement.id))


# --------------------------------------------------------------------------- staff pipeline


def _filters() -> tuple[PipelineFilterForm, queries.PipelineFilters]:
    form = PipelineFilterForm(request.args)
    form.sector.choices = [("", _("All sectors")), *sector_choices()]
    form.country.choices = [("", _("All countries")), *country_choices()]
    form.institution_id.choices = [("", _("All institutions"))] + [
        (str(i.id), i.name) for i in list_institutions()
    ]
    form.validate()
    institution = form.institution_id.data
    filters = queries.PipelineFilters(
        sector=form.sector.data or "",
        country=form.country.data or "",
        institution_id=optional_record_id(institution),
        date_from=form.date_from.data if not form.date_from.errors else None,
        date_to=form.date_to.data if not form.date_to.errors else None,
    )
    return form, filters


@bp.get("/staff")
@staff_required
def staff_pipeline() -> ResponseReturnValue:
    form, filters = _filters()
    pipeline = queries.staff_pipeline(filters)
    return render_template(
        "placements/staff.html",
        form=form,
        pipeline=pipeline,
        statuses=list(PlacementStatus),
        days_in_state=queries.days_in_state,
        is_stuck=queries.is_stuck,
        is_overdue=queries.is_overdue,
        export_args=request.args.to_dict(),
    )


CSV_COLUMNS = (
    "placement_id",
    "status",
    "days_in_state",
    "need_id",
    "need_title",
    "institution",
    "sector",
    "professional",
    "country",
    "email",
    "phone",
    "closed_reason",
    "created_at",
)


@bp.get("/staff/export.csv")
@staff_required
def export_csv() -> ResponseReturnValue:
    if not access.can_export_pipeline(current_user):
        abort(404)
    from app.audit import actions
    from app.audit.services import record_audit

    _, filters = _filters()
    placements = [
        p
        for p in db.session.scalars(queries.pipeline_query(filters)).unique()
        if access.can_view_placement(current_user, p)
    ]
    rows = [_csv_row(p) for p in placements]
    record_audit(
        actions.CSV_EXPORTED,
        target=("placements", None),
        details={"export": "placements", "rows": len(rows)},
    )
    db.session.commit()

    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(spreadsheet_row(CSV_COLUMNS))
        for row in rows:
            writer.writerow(spreadsheet_row(row))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate(0)
        yield buffer.getvalue()

    return Response(
        generate(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=placements.csv"},
    )


def _csv_row(p: Placement) -> list[str]:
    # Contact details only once the placement was accepted (the same rule as the pages).
    revealed = p.status in CONTACT_REVEALED
    profile = p.profile
    if profile is None:  # the professional erased their account: the row stays, anonymised
        revealed = False
    return [
        str(p.id),
        str(p.status),
        str(queries.days_in_state(p)),
        str(p.need_id),
        p.need.title,
        p.need.institution.name,
        sector_label(p.need.sector),
        p.professional_name,
        country_name(profile.country) if profile and profile.country else "",
        profile.user.email if profile and revealed else "",
        profile.phone if profile and revealed else "",
        str(p.closed_reason or ""),
        p.created_at.date().isoformat(),
    ]
