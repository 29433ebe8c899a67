"""HTTP views of the needs feature."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.auth.access import public, roles_required, staff_required
from app.auth.models import Role
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.institutions.queries import get_membership
from app.needs import access, queries, services
from app.needs.forms import (
    IMPORTANCE_LABELS,
    MODE_LABELS,
    OFFER_LABELS,
    STATUS_LABELS,
    BrowseForm,
    ConfirmForm,
    NeedForm,
    ReturnForm,
)
from app.needs.models import Need, NeedStatus
from app.reference.languages import language_name

bp = Blueprint("needs", __name__, url_prefix="/needs")


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    return {
        "need_mode_label": lambda v: str(MODE_LABELS.get(v, v)),
        "need_status_label": lambda v: str(STATUS_LABELS.get(v, v)),
        "need_offer_label": lambda v: str(OFFER_LABELS.get(v, v)),
        "importance_label": lambda v: str(IMPORTANCE_LABELS.get(v, v)),
        "language_name": language_name,
    }


def _need_or_404(need_id: int) -> Need:
    need = db.get_or_404(Need, need_id)
    if not access.can_view_need(current_user, need):
        abort(404)
    return need


def _form_data(form: NeedForm) -> services.NeedData:
    return services.NeedData(
        title=form.title.data or "",
        background=form.background.data or "",
        objectives=form.objectives.data or "",
        deliverables=[d or "" for d in form.deliverables.data],
        success_criteria=form.success_criteria.data or "",
        required_skills=[
            (entry["name"] or "", entry["importance"] or "must")
            for entry in form.required_skills.data
        ],
        sector=form.sector.data or "",
        mode=form.mode.data or "",
        district=form.district.data or None,
        site=form.site.data or "",
        start_date=form.start_date.data,
        end_date=form.end_date.data,
        duration_weeks=form.duration_weeks.data,
        hours_per_week=form.hours_per_week.data,
        languages=list(form.languages.data or []),
        language_mode=form.language_mode.data or "all",
        people_needed=form.people_needed.data or 1,
        offers=list(form.offers.data or []),
        contact_name=form.contact_name.data or "",
        contact_email=form.contact_email.data or "",
        contact_phone=form.contact_phone.data or "",
        application_deadline=form.application_deadline.data,
    )


def _render_form(form: NeedForm, need: Need | None, status: int) -> ResponseReturnValue:
    return render_template("needs/form.html", form=form, need=need), status


def _handle_form(form: NeedForm, need: Need | None) -> tuple[bool, int]:
    """Return (handled as a list action, status) for the add/remove row buttons."""
    action = request.form.get("action", "")
    if action and form.apply_list_action(action):
        return True, 200
    return False, 0


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    form = BrowseForm(request.args)
    form.validate()
    filters = queries.NeedFilters(
        q=(form.q.data or "") if not form.q.errors else "",
        sector=form.sector.data or "",
        mode=form.mode.data or "",
        district=form.district.data or "",
        available_from=form.available_from.data if not form.available_from.errors else None,
        available_to=form.available_to.data if not form.available_to.errors else None,
        languages=[c for c in form.languages.data or [] if c],
        skills=[s for s in (form.skills.data or "").split(",") if s.strip()],
    )
    page = request.args.get("page", 1, type=int) or 1
    pagination = db.paginate(
        queries.search_needs(filters),
        page=max(page, 1),
        per_page=int(current_app.config["NEEDS_PER_PAGE"]),
        error_out=False,
    )
    args = MultiDict(request.args)
    args.pop("page", None)

    def page_url(number: int) -> str:
        return url_for("needs.index", **{**args.to_dict(flat=False), "page": number})

    return render_template("needs/index.html", form=form, pagination=pagination, page_url=page_url)


@bp.get("/skills/suggest")
@public
def skills_suggest() -> ResponseReturnValue:
    query = (request.args.get("q") or "")[:100]
    # Public (the browse filter uses it): members' own skill names, in the suggestions or as the
    # stored spelling the need form announces, only go to signed-in users.
    signed_in = current_user.is_authenticated
    suggestions = services.suggest_skills(query, include_member_skills=signed_in)
    canonical = services.canonical_skill(query) if signed_in and query.strip() else ""
    return jsonify(suggestions=suggestions, canonical=canonical)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.INSTITUTION_MEMBER)
def create() -> ResponseReturnValue:
    membership = get_membership(current_user.id)
    if membership is None:
        flash(_("Register your organisation before writing a need."), "info")
        return redirect(url_for("institutions.register"))
    form = NeedForm()
    if request.method == "GET":
        form.contact_name.data = current_user.full_name
        form.contact_email.data = current_user.email
        return _render_form(form, None, 200)
    handled, status = _handle_form(form, None)
    if handled:
        return _render_form(form, None, status)
    if form.validate():
        try:
            need = services.create_need(
                membership.institution, _form_data(form), created_by=current_user
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Draft saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return _render_form(form, None, 400)


@bp.get("/<int:need_id>")
@public
def detail(need_id: int) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    return render_template(
        "needs/detail.html",
        need=need,
        show_contact=access.can_see_need_contact(current_user, need),
        show_history=access.can_see_need_history(current_user, need),
        can_edit=access.can_edit_need(current_user, need),
        can_manage=access.can_manage_need(current_user, need),
        direct_publish=(
            access.belongs_to_owner(current_user, need) and services.direct_publish_allowed(need)
        ),
        confirm_form=ConfirmForm(),
        return_form=ReturnForm(),
        applications=queries.count_applications([need.id])[need.id],
    )


@bp.route("/<int:need_id>/edit", methods=["GET", "POST"])
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def edit(need_id: int) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    if not access.can_edit_need(current_user, need):
        abort(404)
    if request.method == "GET":
        form = NeedForm(data=_initial_data(need))
        return _render_form(form, need, 200)
    form = NeedForm()
    handled, status = _handle_form(form, need)
    if handled:
        return _render_form(form, need, status)
    if form.validate():
        try:
            services.update_need(need, _form_data(form), edited_by=current_user)
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(_("Changes saved."), "success")
            return redirect(url_for("needs.detail", need_id=need.id))
    return _render_form(form, need, 400)


def _initial_data(need: Need) -> dict[str, Any]:
    return {
        "title": need.title,
        "background": need.background,
        "objectives": need.objectives,
        "deliverables": list(need.deliverables or []) or [""],
        "success_criteria": need.success_criteria,
        "required_skills": [{"name": s.name, "importance": str(s.importance)} for s in need.skills]
        or [{"name": "", "importance": "must"}],
        "sector": need.sector,
        "mode": str(need.mode),
        "district": need.district or "",
        "site": need.site,
        "start_date": need.start_date,
        "end_date": need.end_date,
        "duration_weeks": need.duration_weeks,
        "hours_per_week": need.hours_per_week,
        "languages": need.language_codes,
        "language_mode": need.language_mode,
        "people_needed": need.people_needed,
        "offers": list(need.offers or []),
        "contact_name": need.contact_name,
        "contact_email": need.contact_email,
        "contact_phone": need.contact_phone,
        "application_deadline": need.application_deadline,
    }


def _action(need_id: int, run: Any, message: str) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    if not access.can_manage_need(current_user, need):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run(need)
    except DomainError:
        # The refusal page carries the reason and the right 4xx status (no redirect with a 4xx).
        db.session.rollback()
        raise
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("needs.detail", need_id=need.id))


@bp.post("/<int:need_id>/submit")
@roles_required(Role.INSTITUTION_MEMBER)
def submit(need_id: int) -> ResponseReturnValue:
    return _action(
        need_id,
        lambda need: services.submit_need(need, submitted_by=current_user),
        _("The need is sent to RCA staff for review."),
    )


@bp.post("/<int:need_id>/publish")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def publish(need_id: int) -> ResponseReturnValue:
    return _action(
        need_id,
        lambda need: services.publish_need(need, published_by=current_user),
        _("The need is published."),
    )


@bp.post("/<int:need_id>/close")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def close(need_id: int) -> ResponseReturnValue:
    return _action(
        need_id,
        lambda need: services.close_need(need, closed_by=current_user),
        _("The need is closed."),
    )


@bp.post("/<int:need_id>/fill")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def fill(need_id: int) -> ResponseReturnValue:
    return _action(
        need_id,
        lambda need: services.mark_need_filled(need, filled_by=current_user),
        _("The need is marked as filled."),
    )


@bp.post("/<int:need_id>/return")
@staff_required
def return_to_draft(need_id: int) -> ResponseReturnValue:
    need = _need_or_404(need_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            services.return_need_to_draft(need, returned_by=current_user, comment=form.comment.data)
        except DomainError:
            db.session.rollback()
            raise
        db.session.commit()
        flash(_("The need is returned to its institution."), "success")
        return redirect(url_for("needs.review"))
    return (
        render_template(
            "needs/detail.html",
            need=need,
            show_contact=True,
            show_history=True,
            can_edit=access.can_edit_need(current_user, need),
            can_manage=True,
            direct_publish=False,
            confirm_form=ConfirmForm(),
            return_form=form,
            applications=queries.count_applications([need.id])[need.id],
        ),
        400,
    )


@bp.get("/staff")
@staff_required
def staff_list() -> ResponseReturnValue:
    status = request.args.get("status", "")
    q = (request.args.get("q") or "")[:200]
    page = request.args.get("page", 1, type=int) or 1
    pagination = db.paginate(
        queries.search_needs(queries.staff_filters(status, q)),
        page=max(page, 1),
        per_page=int(current_app.config["NEEDS_PER_PAGE"]),
        error_out=False,
    )

    def page_url(number: int) -> str:
        return url_for("needs.staff_list", status=status or None, q=q or None, page=number)

    return render_template(
        "needs/staff_list.html",
        pagination=pagination,
        page_url=page_url,
        status=status,
        q=q,
        statuses=list(NeedStatus),
        counts=queries.count_needs_by_status(),
    )


@bp.get("/staff/review")
@staff_required
def review() -> ResponseReturnValue:
    return render_template(
        "needs/review.html",
        needs=queries.list_submitted_needs(),
        confirm_form=ConfirmForm(),
        return_form=ReturnForm(),
    )
