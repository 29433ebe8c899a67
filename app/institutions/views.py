"""HTTP views of the institutions feature."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.access import public, roles_required, staff_required
from app.auth.models import Role
from app.auth.tokens import InvalidToken
from app.errors import DomainError, show_on_form
from app.extensions import db
from app.institutions import access, services
from app.institutions.forms import (
    ConfirmForm,
    DirectPublishingForm,
    InstitutionForm,
    InviteForm,
    RejectForm,
    type_label,
)
from app.institutions.models import Institution, InstitutionMembership, InstitutionStatus
from app.institutions.queries import (
    get_membership,
    list_institutions,
    list_members,
    list_pending_institutions,
)
from app.mail import MailDeliveryError
from app.needs import queries as need_queries
from app.reference.districts import district_label
from app.reference.sectors import sector_label

bp = Blueprint("institutions", __name__, url_prefix="/institutions")


@bp.app_context_processor
def _helpers() -> dict[str, object]:
    return {
        "institution_type_label": type_label,
        "district_label": district_label,
        "sector_label": sector_label,
    }


@bp.route("/register", methods=["GET", "POST"])
@roles_required(Role.INSTITUTION_MEMBER)
def register() -> ResponseReturnValue:
    if get_membership(current_user.id) is not None:
        return redirect(url_for("institutions.dashboard"))
    form = InstitutionForm()
    if form.validate_on_submit():
        try:
            services.register_institution(
                current_user,
                name=form.name.data,
                type=form.type.data,
                sector=form.sector.data,
                district=form.district.data,
                address=form.address.data or "",
                website=form.website.data or "",
                email_domain=form.email_domain.data or "",
            )
        except DomainError as error:
            db.session.rollback()
            show_on_form(form, error)
        else:
            db.session.commit()
            flash(
                _("Your organisation is registered. RCA staff will verify it shortly."), "success"
            )
            return redirect(url_for("institutions.dashboard"))
    status = 400 if form.errors else 200
    return render_template("institutions/register.html", form=form), status


@bp.get("/dashboard")
@roles_required(Role.INSTITUTION_MEMBER)
def dashboard() -> ResponseReturnValue:
    membership = get_membership(current_user.id)
    if membership is None:
        return redirect(url_for("institutions.register"))
    institution = membership.institution
    needs = need_queries.list_needs_of_institution(institution.id)
    ids = [need.id for need in needs]
    return render_template(
        "institutions/dashboard.html",
        institution=institution,
        membership=membership,
        needs=needs,
        status_counts=need_queries.count_needs_by_status(institution.id),
        applications=need_queries.count_applications(ids),
        ranked=need_queries.count_ranked_candidates(ids),
        members=list_members(institution),
        invite_form=InviteForm(),
        confirm_form=ConfirmForm(),
    )


@bp.post("/invite")
@roles_required(Role.INSTITUTION_MEMBER)
def invite() -> ResponseReturnValue:
    membership = get_membership(current_user.id)
    if membership is None or not access.can_invite_to_institution(
        current_user, membership.institution
    ):
        abort(404)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite_colleague(
                membership.institution, form.email.data, invited_by=current_user
            )
        except DomainError as error:
            show_on_form(form, error)
        except MailDeliveryError:
            flash(_("The invitation could not be sent. Please try again later."), "error")
        else:
            flash(_("Invitation sent to %(email)s.", email=form.email.data), "success")
            return redirect(url_for("institutions.dashboard"))
    for message in form.email.errors:
        flash(message, "error")
    return redirect(url_for("institutions.dashboard"))


@bp.get("/join/<token>")
@public
def join(token: str) -> ResponseReturnValue:
    try:
        institution, email = services.read_invitation(token)
    except InvalidToken:
        flash(_("This invitation link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("home.index"))
    return render_template(
        "institutions/join.html",
        institution=institution,
        email=email,
        token=token,
        form=ConfirmForm(),
        membership=(get_membership(current_user.id) if current_user.is_authenticated else None),
    )


@bp.post("/join/<token>")
@roles_required(Role.INSTITUTION_MEMBER)
def accept_invitation(token: str) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        membership = services.join_institution(current_user, token)
    except InvalidToken:
        flash(_("This invitation link is invalid or has expired. Ask for a new one."), "error")
        return redirect(url_for("home.index"))
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("institutions.join", token=token))
    db.session.commit()
    flash(_("You joined %(name)s.", name=membership.institution.name), "success")
    return redirect(url_for("institutions.dashboard"))


@bp.post("/members/<int:membership_id>/remove")
@roles_required(Role.INSTITUTION_MEMBER)
def remove_member(membership_id: int) -> ResponseReturnValue:
    membership = db.get_or_404(InstitutionMembership, membership_id)
    if not access.can_manage_institution(current_user, membership.institution):
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_member(membership, removed_by=current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("The member was removed."), "success")
    return redirect(url_for("institutions.dashboard"))


@bp.get("/staff")
@staff_required
def staff_queue() -> ResponseReturnValue:
    status = request.args.get("status", "")
    if status not in set(InstitutionStatus):
        status = ""
    return render_template(
        "institutions/staff_queue.html",
        pending=list_pending_institutions(),
        institutions=list_institutions(status or None),
        status=status,
        statuses=list(InstitutionStatus),
        reject_form=RejectForm(),
        confirm_form=ConfirmForm(),
        email_matches=services.email_matches_domain,
    )


def _render_detail(
    institution: Institution, reject_form: RejectForm | None = None, status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "institutions/detail.html",
            institution=institution,
            members=list_members(institution),
            needs=need_queries.list_needs_of_institution(institution.id),
            reject_form=reject_form or RejectForm(),
            confirm_form=ConfirmForm(),
            # formdata=None: the checkbox shows the stored setting, also on a re-rendered POST.
            direct_form=DirectPublishingForm(
                formdata=None, can_publish_directly=institution.can_publish_directly
            ),
        ),
        status,
    )


def _for_review(institution_id: int) -> Institution:
    institution = db.get_or_404(Institution, institution_id)
    if not access.can_review_institution(current_user, institution):
        abort(404)
    return institution


@bp.get("/<int:institution_id>")
@roles_required(Role.INSTITUTION_MEMBER, Role.RCA_STAFF)
def detail(institution_id: int) -> ResponseReturnValue:
    institution = db.get_or_404(Institution, institution_id)
    if not access.can_view_institution(current_user, institution):
        abort(404)
    return _render_detail(institution)


@bp.post("/<int:institution_id>/approve")
@staff_required
def approve(institution_id: int) -> ResponseReturnValue:
    institution = _for_review(institution_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.approve_institution(institution, reviewed_by=current_user)
    db.session.commit()
    flash(_("%(name)s is verified.", name=institution.name), "success")
    return redirect(url_for("institutions.staff_queue"))


@bp.post("/<int:institution_id>/direct-publishing")
@staff_required
def direct_publishing(institution_id: int) -> ResponseReturnValue:
    institution = _for_review(institution_id)
    form = DirectPublishingForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        changed = services.set_direct_publishing(
            institution, bool(form.can_publish_directly.data), changed_by=current_user
        )
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        if not changed:
            flash(_("Nothing changed."), "info")
        elif institution.can_publish_directly:
            flash(_("%(name)s may now publish needs directly.", name=institution.name), "success")
        else:
            flash(
                _("RCA staff now review the needs of %(name)s.", name=institution.name), "success"
            )
    return redirect(url_for("institutions.detail", institution_id=institution.id))


@bp.post("/<int:institution_id>/reject")
@staff_required
def reject(institution_id: int) -> ResponseReturnValue:
    institution = _for_review(institution_id)
    form = RejectForm()
    if form.validate_on_submit():
        services.reject_institution(institution, reviewed_by=current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("%(name)s is rejected; its members were told why.", name=institution.name), "info")
        return redirect(url_for("institutions.staff_queue"))
    return _render_detail(institution, form, 400)
