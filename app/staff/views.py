"""Staff dashboard, account administration (staff accounts, users) and the audit log."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.audit import actions
from app.audit.queries import AuditFilters, search_audit
from app.audit.services import record_audit
from app.auth import services as auth_services
from app.auth.access import admin_required, staff_required
from app.auth.models import Role, User
from app.errors import DomainError
from app.extensions import db
from app.staff import services
from app.staff.forms import AuditSearchForm, ChangeRoleForm, CreateStaffForm, UserSearchForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


def _page() -> int:
    return request.args.get("page", 1, type=int) or 1


@bp.get("/")
@staff_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "staff/dashboard.html",
        counts=services.count_users_by_role(),
        worklist=services.get_staff_worklist(),
    )


@bp.route("/accounts", methods=["GET", "POST"])
@admin_required
def accounts() -> ResponseReturnValue:
    form = CreateStaffForm()
    if form.validate_on_submit():
        try:
            user = auth_services.create_staff_account(
                form.email.data,
                form.password.data,
                Role(form.role.data),
                full_name=form.full_name.data,
            )
        except DomainError as error:
            form.email.errors = [*form.email.errors, error.message]
        else:
            record_audit(actions.STAFF_ACCOUNT_CREATED, target=user, details={"role": user.role})
            db.session.commit()
            flash(_("The account is created."), "success")
            return redirect(url_for("staff.accounts"))
    status = 400 if form.errors else 200
    return render_template(
        "staff/accounts.html", form=form, accounts=services.list_staff_accounts()
    ), status


@bp.get("/users")
@staff_required
def users() -> ResponseReturnValue:
    form = UserSearchForm(request.args)
    valid = form.validate()
    found, pages = services.search_users(
        (form.q.data or "") if valid else "", (form.role.data or "") if valid else "", page=_page()
    )
    return render_template(
        "staff/users.html", form=form, users=found, page=_page(), pages=pages
    ), 200 if valid else 400


@bp.get("/users/<int:user_id>")
@staff_required
def user_detail(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    return render_template(
        "staff/user_detail.html", user=user, role_form=ChangeRoleForm(role=str(user.role))
    )


def _admin_action(user_id: int, action: str) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    admin = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        if action == "disable":
            services.disable_user(user, by=admin)
            message = _("The account is disabled and its sessions ended.")
        elif action == "enable":
            services.enable_user(user, by=admin)
            message = _("The account is enabled.")
        else:
            services.reset_two_factor(user, by=admin)
            message = _("Two-factor log-in is reset; the person sets it up at the next log-in.")
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("staff.user_detail", user_id=user_id))


@bp.post("/users/<int:user_id>/disable")
@admin_required
def disable_user(user_id: int) -> ResponseReturnValue:
    return _admin_action(user_id, "disable")


@bp.post("/users/<int:user_id>/enable")
@admin_required
def enable_user(user_id: int) -> ResponseReturnValue:
    return _admin_action(user_id, "enable")


@bp.post("/users/<int:user_id>/reset-2fa")
@admin_required
def reset_two_factor(user_id: int) -> ResponseReturnValue:
    return _admin_action(user_id, "reset-2fa")


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(user, Role(form.role.data), by=current_user)
        except DomainError as error:
            db.session.rollback()
            form.role.errors = [*form.role.errors, error.message]
        else:
            db.session.commit()
            flash(_("The role is changed; the person's sessions ended."), "success")
            return redirect(url_for("staff.user_detail", user_id=user_id))
    return render_template("staff/user_detail.html", user=user, role_form=form), 400


@bp.get("/audit")
@admin_required
def audit() -> ResponseReturnValue:
    form = AuditSearchForm(request.args)
    if not form.validate():
        form_filters = AuditFilters()
        status = 400
    else:
        form_filters = AuditFilters(
            actor_email=form.actor.data or "",
            action=form.action.data or "",
            target_type=form.target_type.data or "",
            target_id=form.target_id.data,
            date_from=form.date_from.data,
            date_to=form.date_to.data,
        )
        status = 200
    result = search_audit(
        form_filters, page=_page(), per_page=current_app.config["AUDIT_PAGE_SIZE"]
    )
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "staff/audit.html", form=form, result=result, query=query, actions=actions.ALL_ACTIONS
    ), status
