"""Account logic: registration, verification, log-in with lockout, password and email changes."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.passwords import (
    burn_verification_time,
    hash_password,
    needs_rehash,
    verify_password,
)
from app.auth.tokens import InvalidToken, make_token, read_token
from app.database import utcnow
from app.errors import Conflict, DomainError
from app.extensions import db
from app.mail import MailDeliveryError, OutgoingEmail, render_email, send_email

log = logging.getLogger("umuhuza.auth")

SELF_SERVICE_ROLES = frozenset({Role.PROFESSIONAL, Role.INSTITUTION_MEMBER})


class EmailTaken(Conflict):
    pass


class AuthenticationFailed(DomainError):
    """Wrong email or password, deliberately vague."""

    status_code = 401


class EmailNotVerified(DomainError):
    status_code = 403


def normalise_email(email: str) -> str:
    """Return the email as stored: trimmed and lower-cased."""
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    """Return the account with this email, if any."""
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def register_user(
    email: str, password: str, role: Role, *, full_name: str = "", locale: str | None = None
) -> User:
    """Create an unverified self-service account and send its verification email.

    Raises EmailTaken when the address is already registered.
    """
    if role not in SELF_SERVICE_ROLES:
        raise DomainError(_("This kind of account cannot be created by sign-up."))
    if get_user_by_email(email) is not None:
        raise EmailTaken(_("An account with this email already exists."), field="email")
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        role=role,
        full_name=full_name.strip(),
        locale=locale,
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    send_verification_email(user)
    return user


def sign_up(
    email: str, password: str, role: Role, *, full_name: str = "", locale: str | None = None
) -> User | None:
    """Register a self-service account; return it, or None when the address is already taken.

    The two outcomes must look the same from outside (same page, same time): for a taken address
    the password is still hashed (argon2 is most of the cost of a sign-up), and the owner gets an
    email instead of the newcomer's verification link: a new confirmation link if the account is
    still unconfirmed, otherwise a notice that someone tried to sign up with their address.
    """
    try:
        return register_user(email, password, role, full_name=full_name, locale=locale)
    except EmailTaken:
        hash_password(password)  # the time a new account would have spent; the hash is dropped
        owner = get_user_by_email(email)
        if owner is not None:  # disabled ones too: every taken address costs one email
            if owner.is_verified:
                send_signup_attempt_notice(owner)
            else:
                send_verification_email(owner)
        return None


def send_signup_attempt_notice(user: User) -> None:
    """Tell the owner of an address that someone tried to sign up with it (links to log in)."""
    _send_account_email(
        render_email(
            user.email,
            _("Someone tried to sign up to Umuhuza with your email address"),
            "signup_attempt",
            locale=user.locale,
            user=user,
            login_link=url_for("auth.login", _external=True),
            reset_link=url_for("auth.request_reset", _external=True),
        )
    )


def _send_account_email(email: OutgoingEmail) -> None:
    """Send a sign-up, confirmation or reset email; a mail-server failure is logged, not raised.

    These answers must not depend on whether the address has an account, and a refused or
    unreachable mail server must not turn them into a 500 for one kind of address only; the
    member can ask for a new link (the resend and reset pages) once mail flows again.
    """
    try:
        send_email(email)
    except MailDeliveryError as exc:
        log.warning("account email %r not sent: %s", email.subject, exc)  # no address in logs


def create_staff_account(email: str, password: str, role: Role, *, full_name: str = "") -> User:
    """Create a verified RCA staff or admin account (CLI or admin only)."""
    if role not in {Role.RCA_STAFF, Role.ADMIN}:
        raise DomainError("Staff accounts are rca_staff or admin.")
    if get_user_by_email(email) is not None:
        raise EmailTaken(_("An account with this email already exists."), field="email")
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        role=role,
        full_name=full_name,
        email_verified_at=utcnow(),
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def send_verification_email(user: User) -> None:
    """Email a signed, expiring link that proves the user owns the address."""
    token = make_token("verify-email", {"user_id": user.id, "email": user.email})
    link = url_for("auth.verify_email", token=token, _external=True)
    _send_account_email(
        render_email(
            user.email,
            _("Confirm your email address for Umuhuza"),
            "verify_email",
            locale=user.locale,
            user=user,
            link=link,
        )
    )


def resend_verification(email: str) -> None:
    """Send a new confirmation link to an unconfirmed account, otherwise a notice without one.

    One email either way, like the reset request, so neither the answer nor its time tells
    whether the address has an account or whether it is confirmed.
    """
    user = get_user_by_email(email)
    if user is not None and not user.is_verified:
        send_verification_email(user)
        return
    _send_account_email(
        render_email(
            normalise_email(email),
            _("Confirmation link requested for Umuhuza"),
            "verify_not_pending",
            locale=user.locale if user is not None else str(get_locale() or "en"),
            login_link=url_for("auth.login", _external=True),
        )
    )


def verify_email(token: str) -> User:
    """Mark the account's email verified; raises InvalidToken when the link is bad or expired."""
    payload = read_token("verify-email", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("user_id"))
    if user is None or user.email != payload.get("email"):
        raise InvalidToken("stale")
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User:
    """Return the account for valid credentials.

    Raises AuthenticationFailed for an unknown email, a wrong password, a disabled account and a
    locked one alike, with one message and after one argon2 verification each time, so neither
    the answer nor its timing tells whether an account exists or is locked; EmailNotVerified
    only for the correct password of an unverified address.
    """
    user = get_user_by_email(email)
    if user is None:
        burn_verification_time(password)
        raise AuthenticationFailed(failed_login_message())
    now = utcnow()
    # Verified before the lock is looked at: a locked account must cost the same time.
    password_ok = verify_password(user.password_hash, password)
    if user.locked_until is not None and user.locked_until > now:
        # Not counted, and said like any failure: a distinct "locked" answer would prove that
        # the address has an account (an unknown address never locks).
        raise AuthenticationFailed(failed_login_message())
    if not password_ok or not user.is_enabled:
        _record_failed_login(user)
        raise AuthenticationFailed(failed_login_message())
    if user.email_verified_at is None:
        raise EmailNotVerified(
            _("Please confirm your email address first: we sent you a link when you signed up.")
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def failed_login_message() -> str:
    """The one answer to every failed log-in (unknown email, wrong password, locked account)."""
    return _(
        "Wrong email or password. After several failed attempts, log-in is paused for a few "
        "minutes: wait, or reset your password."
    )


def record_failed_login(user: User) -> None:
    """Count a failed log-in step (password or second factor) towards the lockout."""
    _record_failed_login(user)


def _record_failed_login(user: User) -> None:
    config = current_app.config
    user.failed_login_count += 1
    over = user.failed_login_count - config["LOGIN_LOCKOUT_THRESHOLD"]
    if over >= 0:
        # The delay doubles with each further failure, capped at one hour.
        seconds = min(config["LOGIN_LOCKOUT_BASE_SECONDS"] * (2**over), 3600)
        user.locked_until = utcnow() + timedelta(seconds=seconds)


def _password_fingerprint(user: User) -> str:
    # A reset link dies once the password changes: it carries the tail of the current hash.
    return user.password_hash[-16:]


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists, otherwise a "no account" notice; say nothing.

    Both outcomes render one email and hand it to the mail server, so the request takes the same
    time either way (an SMTP hand-over is tens of milliseconds: skipping it would tell). The
    notice goes only to the address typed, at most as often as the reset rate limit allows.
    """
    user = get_user_by_email(email)
    if user is None or not user.is_enabled:
        _send_account_email(
            render_email(
                normalise_email(email),
                _("Password reset requested for Umuhuza"),
                "reset_no_account",
                locale=str(get_locale() or "en"),  # the language of the page used
                signup_link=url_for("auth.signup", _external=True),
            )
        )
        return
    token = make_token("reset-password", {"user_id": user.id, "fp": _password_fingerprint(user)})
    link = url_for("auth.reset_password", token=token, _external=True)
    _send_account_email(
        render_email(
            user.email,
            _("Reset your Umuhuza password"),
            "reset_password",
            locale=user.locale,
            user=user,
            link=link,
        )
    )


def user_for_reset_token(token: str) -> User:
    """Return the account a reset token belongs to; raises InvalidToken when bad, old or used."""
    payload = read_token("reset-password", token, current_app.config["PASSWORD_RESET_MAX_AGE"])
    user = db.session.get(User, payload.get("user_id"))
    if user is None or _password_fingerprint(user) != payload.get("fp"):
        raise InvalidToken("used")
    return user


def set_password(user: User, new_password: str) -> None:
    """Replace the password and end every existing session of the account."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.failed_login_count = 0
    user.locked_until = None
    # A reset proves control of the mailbox, so it also verifies the address.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    end_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_("Your current password is not correct."), field="current_password")
    set_password(user, new_password)


def end_all_sessions(user: User) -> None:
    """Invalidate every session and remember-cookie of the account."""
    user.session_version += 1


def request_email_change(user: User, new_email: str, current_password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is opened."""
    if not verify_password(user.password_hash, current_password):
        raise DomainError(_("Your current password is not correct."), field="current_password")
    new_email = normalise_email(new_email)
    if get_user_by_email(new_email) is not None:
        raise EmailTaken(_("An account with this email already exists."), field="email")
    token = make_token("change-email", {"user_id": user.id, "email": new_email})
    link = url_for("auth.confirm_email_change", token=token, _external=True)
    send_email(
        render_email(
            new_email,
            _("Confirm your new email address for Umuhuza"),
            "change_email",
            locale=user.locale,
            user=user,
            link=link,
        )
    )


def confirm_email_change(token: str) -> User:
    """Apply an email change from its link; raises InvalidToken or EmailTaken."""
    payload = read_token("change-email", token, current_app.config["EMAIL_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("user_id"))
    if user is None:
        raise InvalidToken("stale")
    new_email = str(payload.get("email"))
    other = get_user_by_email(new_email)
    if other is not None and other.id != user.id:
        raise EmailTaken(_("An account with this email already exists."), field="email")
    user.email = new_email
    user.email_verified_at = utcnow()
    end_all_sessions(user)
    return user


def set_locale(user: User, locale: str) -> None:
    """Remember the user's interface language."""
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale
