"""Landing page, privacy notice, language switcher and the role-based dashboard."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from app.auth import services as auth_services
from app.auth.access import public, signed_in
from app.auth.models import Role
from app.auth.sessions import is_safe_redirect
from app.extensions import db

bp = Blueprint("home", __name__)

# Each role's home; a feature registers its dashboard endpoint here when it exists.
DASHBOARD_ENDPOINTS: dict[Role, str] = {
    Role.PROFESSIONAL: "profiles.dashboard",
    Role.INSTITUTION_MEMBER: "institutions.dashboard",
    Role.RCA_STAFF: "staff.dashboard",
    Role.ADMIN: "staff.dashboard",
}


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    return render_template("home/index.html")


@bp.get("/privacy")
@public
def privacy() -> ResponseReturnValue:
    return render_template(
        "home/privacy.html", version=current_app.config["PRIVACY_NOTICE_VERSION"]
    )


@bp.get("/dashboard")
@signed_in
def dashboard() -> ResponseReturnValue:
    endpoint = DASHBOARD_ENDPOINTS.get(Role(current_user.role))
    if endpoint and endpoint in current_app.view_functions:
        return redirect(url_for(endpoint))
    return render_template("home/dashboard.html")


@bp.post("/language")
@public
def set_language() -> ResponseReturnValue:
    locale = request.form.get("locale", "")
    if locale in current_app.config["LANGUAGES"]:
        session["locale"] = locale
        if current_user.is_authenticated:
            auth_services.set_locale(current_user, locale)
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target) else url_for("home.index"))
