"""Privacy views: "Your data" (download, delete) and requests processed by staff."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from app.audit import actions
from app.audit.services import record_audit
from app.auth.access import signed_in, staff_required
from app.auth.models import User
from app.auth.passwords import verify_password
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.privacy import services
from app.privacy.forms import DeleteAccountForm, StaffErasureForm

bp = Blueprint("privacy", __name__, url_prefix="/privacy-centre")


def _render_your_data(
    form: DeleteAccountForm | None = None, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "privacy/your_data.html",
        delete_form=form or DeleteAccountForm(),
        consents=services.current_consents(current_user),
        can_delete=not current_user.is_staff,
    ), status


def _zip_response(user: User) -> Response:
    payload = services.build_export_zip(user)
    stamp = utcnow().strftime("%Y%m%d")
    return Response(
        payload,
        mimetype="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="umuhuza-data-{user.id}-{stamp}.zip"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/")
@signed_in
def your_data() -> ResponseReturnValue:
    return _render_your_data()


@bp.post("/export")
@signed_in
def export() -> ResponseReturnValue:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    response = _zip_response(user)
    record_audit(actions.PRIVACY_EXPORT, target=user, details={"on_behalf": False})
    db.session.commit()
    return response


@bp.post("/delete")
@signed_in
def delete_account() -> ResponseReturnValue:
    form = DeleteAccountForm()
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    if form.validate_on_submit():
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Your current password is not correct.")]
        else:
            try:
                services.erase_member(user)
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "error")
                return redirect(url_for("privacy.your_data"))
            db.session.commit()
            logout_user()
            locale = session.get("locale")
            session.clear()
            if locale:
                session["locale"] = locale
            flash(_("Your account and your personal data are deleted. Thank you."), "success")
            return redirect(url_for("home.index"))
    return _render_your_data(form, 400)


@bp.route("/requests/<int:user_id>/erase", methods=["GET", "POST"])
@staff_required
def staff_erase(user_id: int) -> ResponseReturnValue:
    member = db.get_or_404(User, user_id)
    form = StaffErasureForm()
    if form.validate_on_submit():
        try:
            services.erase_member(
                member, requested_by=current_user, reference=form.reference.data or ""
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
            return redirect(url_for("staff.user_detail", user_id=user_id))
        db.session.commit()
        flash(_("The member's personal data is erased."), "success")
        return redirect(url_for("staff.user_detail", user_id=user_id))
    return render_template(
        "privacy/staff_erase.html", form=form, member=member
    ), 400 if form.errors else 200


@bp.post("/requests/<int:user_id>/export")
@staff_required
def staff_export(user_id: int) -> ResponseReturnValue:
    member = db.get_or_404(User, user_id)
    response = _zip_response(member)
    record_audit(actions.PRIVACY_EXPORT, target=member, details={"on_behalf": True})
    db.session.commit()
    return response
