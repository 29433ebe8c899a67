"""Staff dashboard and staff-account administration."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from app.auth import services as auth_services
from app.auth.access import admin_required, staff_required
from app.auth.models import Role
from app.errors import DomainError
from app.extensions import db
from app.staff import services
from app.staff.forms import CreateStaffForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/")
@staff_required
def dashboard() -> ResponseReturnValue:
    return render_template("staff/dashboard.html", counts=services.count_users_by_role())


@bp.route("/accounts", methods=["GET", "POST"])
@admin_required
def accounts() -> ResponseReturnValue:
    form = CreateStaffForm()
    if form.validate_on_submit():
        try:
            auth_services.create_staff_account(
                form.email.data,
                form.password.data,
                Role(form.role.data),
                full_name=form.full_name.data,
            )
        except DomainError as error:
            form.email.errors = [*form.email.errors, error.message]
        else:
            db.session.commit()
            flash(_("The account is created."), "success")
            return redirect(url_for("staff.accounts"))
    status = 400 if form.errors else 200
    return render_template(
        "staff/accounts.html", form=form, accounts=services.list_staff_accounts()
    ), status
