"""Account pages: sign up, verify, log in and out, reset and change password or email."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.auth import services
from app.auth.access import public, signed_in
from app.auth.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LoginForm,
    RequestResetForm,
    ResendVerificationForm,
    ResetPasswordForm,
    SignupForm,
)
from app.auth.models import Role
from app.auth.sessions import is_safe_redirect, start_session
from app.auth.tokens import InvalidToken
from app.errors import DomainError
from app.extensions import db, limiter
from app.privacy.models import ConsentKind
from app.privacy.services import record_consent

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _signup_limit() -> str:
    return str(current_app.config["SIGNUP_RATE_LIMIT"])


def _reset_limit() -> str:
    return str(current_app.config["RESET_RATE_LIMIT"])


def _attach_field_error(form: object, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        flash(error.message, "error")


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit(_signup_limit, methods=["POST"])
def signup() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = SignupForm()
    if request.method == "GET" and request.args.get("as") in {"professional", "institution_member"}:
        form.account_type.data = request.args["as"]
    if form.validate_on_submit():
        try:
            user = services.register_user(
                form.email.data,
                form.password.data,
                Role(form.account_type.data),
                full_name=form.full_name.data,
                locale=session.get("locale"),
            )
        except services.EmailTaken:
            # Same answer as a new sign-up: the page must not reveal which emails have accounts.
            db.session.rollback()
            return redirect(url_for("auth.check_email"))
        record_consent(user, ConsentKind.PRIVACY_NOTICE, True, source="signup")
        db.session.commit()
        return redirect(url_for("auth.check_email"))
    return render_template("auth/signup.html", form=form), 400 if form.errors else 200


@bp.get("/check-email")
@public
def check_email() -> ResponseReturnValue:
    return render_template("auth/check_email.html", form=ResendVerificationForm())


@bp.post("/verify/resend")
@public
@limiter.limit(_reset_limit)
def resend_verification() -> ResponseReturnValue:
    form = ResendVerificationForm()
    if form.validate_on_submit():
        user = services.get_user_by_email(form.email.data)
        if user is not None and not user.is_verified:
            services.send_verification_email(user)
    flash(_("If an unconfirmed account exists for that address, we sent a new link."), "info")
    return redirect(url_for("auth.check_email"))


@bp.get("/verify/<token>")
@public
def verify_email(token: str) -> ResponseReturnValue:
    try:
        services.verify_email(token)
    except InvalidToken:
        flash(
            _("This confirmation link is invalid or has expired. Ask for a new one below."), "error"
        )
        return redirect(url_for("auth.check_email"))
    db.session.commit()
    flash(_("Thank you, your email address is confirmed. You can now log in."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.EmailNotVerified as error:
            db.session.commit()
            flash(error.message, "error")
            return redirect(url_for("auth.check_email"))
        except DomainError as error:
            # Failed attempts are counted even though the log-in is refused.
            db.session.commit()
            flash(error.message, "error")
            return render_template("auth/login.html", form=form), error.status_code
        db.session.commit()
        start_session(user)
        login_user(user, remember=bool(form.remember.data))
        if user.locale:
            session["locale"] = user.locale
        target = request.args.get("next")
        return redirect(target if is_safe_redirect(target) else url_for("home.dashboard"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
@signed_in
def logout() -> ResponseReturnValue:
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You are logged out."), "info")
    return redirect(url_for("home.index"))


@bp.post("/logout-everywhere")
@signed_in
def logout_everywhere() -> ResponseReturnValue:
    services.end_all_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/reset", methods=["GET", "POST"])
@public
@limiter.limit(_reset_limit, methods=["POST"])
def request_reset() -> ResponseReturnValue:
    form = RequestResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(
            _("If an account exists for that address, we sent a link to reset the password."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/request_reset.html", form=form), 400 if form.errors else 200


@bp.route("/reset/<token>", methods=["GET", "POST"])
@public
def reset_password(token: str) -> ResponseReturnValue:
    try:
        user = services.user_for_reset_token(token)
    except InvalidToken:
        flash(_("This reset link is invalid, used or expired. Ask for a new one."), "error")
        return redirect(url_for("auth.request_reset"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form), 400 if form.errors else 200


@bp.route("/account", methods=["GET"])
@signed_in
def account() -> ResponseReturnValue:
    return render_template(
        "auth/account.html", password_form=ChangePasswordForm(), email_form=ChangeEmailForm()
    )


@bp.post("/account/password")
@signed_in
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as error:
            _attach_field_error(form, error)
        else:
            db.session.commit()
            # The session version moved on: log in again on this device with a fresh session.
            user = current_user._get_current_object()  # type: ignore[attr-defined]
            start_session(user)
            login_user(user)
            flash(_("Your password is changed. Other devices have been logged out."), "success")
            return redirect(url_for("auth.account"))
    return (
        render_template("auth/account.html", password_form=form, email_form=ChangeEmailForm()),
        400,
    )


@bp.post("/account/email")
@signed_in
def change_email() -> ResponseReturnValue:
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(current_user, form.email.data, form.current_password.data)
        except DomainError as error:
            _attach_field_error(form, error)
        else:
            flash(_("We sent a confirmation link to the new address."), "info")
            return redirect(url_for("auth.account"))
    return (
        render_template("auth/account.html", password_form=ChangePasswordForm(), email_form=form),
        400,
    )


@bp.get("/email/<token>")
@public
def confirm_email_change(token: str) -> ResponseReturnValue:
    try:
        services.confirm_email_change(token)
    except (InvalidToken, DomainError):
        db.session.rollback()
        flash(_("This confirmation link is invalid or has expired."), "error")
        return redirect(url_for("home.index"))
    db.session.commit()
    logout_user()
    flash(_("Your email address is changed. Log in with the new address."), "success")
    return redirect(url_for("auth.login"))
