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

from app.audit import actions as audit_actions
from app.audit.services import record_audit
from app.auth import services, twofactor
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
from app.auth.models import Role, User
from app.auth.passwords import verify_password
from app.auth.sessions import is_safe_redirect, start_session
from app.auth.tokens import InvalidToken
from app.auth.twofactor_forms import CodeForm, DisableTwoFactorForm, EnrolForm
from app.errors import DomainError, show_on_form
from app.extensions import db, limiter
from app.privacy.models import ConsentKind
from app.privacy.services import record_consent

bp = Blueprint("auth", __name__, url_prefix="/auth")
bp.before_app_request(twofactor.enforce_staff_two_factor)


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _signup_limit() -> str:
    return str(current_app.config["SIGNUP_RATE_LIMIT"])


def _reset_limit() -> str:
    return str(current_app.config["RESET_RATE_LIMIT"])


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
        user = services.sign_up(
            form.email.data,
            form.password.data,
            Role(form.account_type.data),
            full_name=form.full_name.data,
            locale=session.get("locale"),
        )
        # A taken address gets the same answer as a new sign-up (the owner is emailed instead):
        # the page must not reveal which emails have accounts (tests/auth/test_enumeration.py).
        if user is not None:
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
        services.resend_verification(form.email.data)
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
        target = request.args.get("next")
        if twofactor.needs_second_step(user):
            # Not logged in yet: only a pending marker until the second factor is checked.
            twofactor.begin_pending_login(
                user,
                remember=bool(form.remember.data),
                next_url=target if is_safe_redirect(target) else None,
            )
            step = "auth.twofactor_verify" if user.has_two_factor else "auth.twofactor_setup"
            return redirect(url_for(step))
        _finish_login(user, remember=bool(form.remember.data))
        return redirect(target if is_safe_redirect(target) else url_for("home.dashboard"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


def _finish_login(user: User, *, remember: bool) -> None:
    """Log the account in with a brand-new session (no fixation)."""
    start_session(user)
    login_user(user, remember=remember)
    if user.locale:
        session["locale"] = user.locale


@bp.post("/logout")
@signed_in
def logout() -> ResponseReturnValue:
    # Log-out ends every session of the account, not only this cookie: a copied session or
    # remember-me cookie must stop working too (a signed cookie cannot be revoked otherwise).
    services.end_all_sessions(current_user)
    db.session.commit()
    locale = session.get("locale")
    session.clear()
    logout_user()  # after clear(): its "forget remember-me" mark must survive
    if locale:
        session["locale"] = locale
    flash(_("You are logged out on every device."), "info")
    return redirect(url_for("home.index"))


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
            show_on_form(form, error)
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
            show_on_form(form, error)
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


# --- Two-factor log-in (app/auth/twofactor.py) -----------------------------------------------
# The set-up and code pages are reachable before log-in (their guard is the pending marker the
# password step leaves in the session), so they are declared public and check it themselves.


def _twofactor_limit() -> str:
    return str(current_app.config["TWO_FACTOR_RATE_LIMIT"])


def _after_login_target() -> str:
    marker = twofactor.pending_login() or {}
    target = marker.get("next") or None
    return target if is_safe_redirect(target) else url_for("home.dashboard")


@bp.route("/2fa/setup", methods=["GET", "POST"])
@public
@limiter.limit(_twofactor_limit, methods=["POST"])
def twofactor_setup() -> ResponseReturnValue:
    pending = not current_user.is_authenticated
    user = twofactor.pending_user() if pending else current_user._get_current_object()  # type: ignore[attr-defined]
    if user is None:
        flash(_("Please log in first."), "info")
        return redirect(url_for("auth.login"))
    if user.has_two_factor:
        return redirect(url_for("auth.twofactor_verify" if pending else "auth.twofactor_manage"))
    form = EnrolForm()
    if request.method == "GET" or not user.totp_secret:
        # A fresh secret for every display: a secret seen by someone else never becomes active.
        twofactor.start_enrolment(user)
        db.session.commit()
    elif form.validate_on_submit():
        try:
            codes = twofactor.confirm_enrolment(user, form.code.data)
        except DomainError as error:
            db.session.commit()
            show_on_form(form, error)
        else:
            record_audit(audit_actions.TWO_FACTOR_ENABLED, target=user, actor=user)
            target = _after_login_target() if pending else url_for("auth.twofactor_manage")
            remember = bool((twofactor.pending_login() or {}).get("remember"))
            db.session.commit()
            if pending:
                _finish_login(user, remember=remember)
            return render_template("auth/twofactor_codes.html", codes=codes, continue_url=target)
    return render_template(
        "auth/twofactor_setup.html",
        form=form,
        secret=user.totp_secret,
        qr_code=twofactor.qr_code_data_uri(twofactor.provisioning_uri(user)),
        required=twofactor.is_required(user),
    ), 400 if form.errors else 200


@bp.route("/2fa/verify", methods=["GET", "POST"])
@public
@limiter.limit(_twofactor_limit, methods=["POST"])
def twofactor_verify() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.dashboard"))
    user = twofactor.pending_user()
    if user is None:
        flash(_("Your log-in took too long. Please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        try:
            method = twofactor.check_second_factor(user, form.code.data)
        except DomainError as error:
            if twofactor.record_pending_failure():
                services.record_failed_login(user)
                db.session.commit()
                flash(_("Too many wrong codes. Please log in again."), "error")
                return redirect(url_for("auth.login"))
            db.session.commit()
            show_on_form(form, error)
        else:
            if method == "recovery":
                record_audit(audit_actions.TWO_FACTOR_RECOVERY_USED, target=user, actor=user)
            target = _after_login_target()
            remember = bool((twofactor.pending_login() or {}).get("remember"))
            db.session.commit()
            _finish_login(user, remember=remember)
            if method == "recovery":
                flash(
                    _(
                        "You used a recovery code; %(n)s are left.",
                        n=twofactor.count_unused_recovery_codes(user),
                    ),
                    "info",
                )
            return redirect(target)
    return render_template("auth/twofactor_verify.html", form=form), 400 if form.errors else 200


@bp.get("/2fa")
@signed_in
def twofactor_manage() -> ResponseReturnValue:
    return _render_manage()


def _render_manage(
    regenerate_form: CodeForm | None = None,
    disable_form: DisableTwoFactorForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "auth/twofactor_manage.html",
        regenerate_form=regenerate_form or CodeForm(prefix="regen"),
        disable_form=disable_form or DisableTwoFactorForm(prefix="off"),
        required=twofactor.is_required(current_user),
        codes_left=twofactor.count_unused_recovery_codes(current_user),
    ), status


@bp.post("/2fa/recovery-codes")
@signed_in
@limiter.limit(_twofactor_limit)
def twofactor_regenerate() -> ResponseReturnValue:
    form = CodeForm(prefix="regen")
    if not current_user.has_two_factor:
        return redirect(url_for("auth.twofactor_setup"))
    if form.validate_on_submit():
        if twofactor.verify_totp(current_user, form.code.data):
            codes = twofactor.generate_recovery_codes(current_user)
            record_audit(audit_actions.TWO_FACTOR_CODES_REGENERATED, target=current_user)
            db.session.commit()
            return render_template(
                "auth/twofactor_codes.html",
                codes=codes,
                continue_url=url_for("auth.twofactor_manage"),
            )
        db.session.commit()
        form.code.errors = [*form.code.errors, _("That code is not right or was already used.")]
    return _render_manage(regenerate_form=form, status=400)


@bp.post("/2fa/disable")
@signed_in
@limiter.limit(_twofactor_limit)
def twofactor_disable() -> ResponseReturnValue:
    form = DisableTwoFactorForm(prefix="off")
    if twofactor.is_required(current_user):
        flash(_("Staff accounts must keep two-factor log-in."), "error")
        return redirect(url_for("auth.twofactor_manage"))
    if form.validate_on_submit():
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        if not verify_password(user.password_hash, form.current_password.data):
            form.current_password.errors = [_("Your current password is not correct.")]
        else:
            try:
                twofactor.check_second_factor(user, form.code.data)
            except DomainError as error:
                show_on_form(form, error)
            else:
                twofactor.remove_two_factor(user)
                record_audit(audit_actions.TWO_FACTOR_DISABLED, target=user)
                db.session.commit()
                _finish_login(user, remember=False)
                flash(_("Two-factor log-in is off."), "success")
                return redirect(url_for("auth.account"))
        db.session.commit()
    return _render_manage(disable_form=form, status=400)
