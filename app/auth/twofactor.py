"""Two-factor log-in: TOTP (RFC 6238) with single-use codes, recovery codes, the pending log-in.

The password step does not log the user in when a second factor is due: it leaves a short-lived
"pending" marker in the session (user id, session version, time). Only a valid code turns it into
a real log-in (`login_user`), so no page sees a half-authenticated `current_user`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re
import secrets
from typing import Any

import pyotp
import qrcode
import qrcode.image.svg
from flask import current_app, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import delete, func, or_, select, update

from app.auth.models import RecoveryCode, Role, User
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy by hand
_PENDING_KEY = "tfa_pending"
TOTP_DIGITS = 6


class InvalidCode(DomainError):
    """The code is wrong, expired or already used."""

    status_code = 400


# --- Policy ----------------------------------------------------------------------------------


def is_required(user: User) -> bool:
    """Return True when the account must have two-factor log-in (staff and admins)."""
    return bool(current_app.config["TWO_FACTOR_REQUIRED_FOR_STAFF"]) and user.role in {
        Role.RCA_STAFF,
        Role.ADMIN,
    }


def needs_second_step(user: User) -> bool:
    """Return True when the password alone must not log this account in."""
    return user.has_two_factor or is_required(user)


# --- TOTP ------------------------------------------------------------------------------------


def start_enrolment(user: User) -> str:
    """Give the account a new, not yet active TOTP secret and return it (no-op once active)."""
    if user.has_two_factor:
        raise DomainError(_("Two-factor log-in is already on for this account."))
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled_at = None
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    """Return the otpauth:// URI an authenticator app reads from the QR code."""
    assert user.totp_secret
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"]
    )


def qr_code_data_uri(data: str) -> str:
    """Render data as an SVG QR code in a data: URI (allowed by the CSP's img-src)."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _clean(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def verify_totp(user: User, code: str) -> bool:
    """Accept a current TOTP code once: its time step must be newer than the last one used.

    One step of clock drift either way is tolerated. The step is stored with a conditional
    UPDATE, so two requests racing with the same code cannot both succeed.
    """
    code = _clean(code)
    if not user.totp_secret or len(code) != TOTP_DIGITS or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = totp.timecode(utcnow())
    for step in (now_step - 1, now_step, now_step + 1):
        if not hmac.compare_digest(totp.generate_otp(step), code):
            continue
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # replayed (or older than a code already used)
        result = db.session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session="fetch")
        )
        return bool(getattr(result, "rowcount", 0) == 1)
    return False


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Activate two-factor log-in after a first valid code; return new recovery codes.

    Raises InvalidCode when the code does not match the secret shown at enrolment.
    """
    if user.has_two_factor:
        raise DomainError(_("Two-factor log-in is already on for this account."))
    if not verify_totp(user, code):
        raise InvalidCode(
            _("That code is not right. Check the time on your phone and try the newest code."),
            field="code",
        )
    user.totp_enabled_at = utcnow()
    return generate_recovery_codes(user)


# --- Recovery codes --------------------------------------------------------------------------


def _hash_recovery_code(code: str) -> str:
    # The codes carry ~50 random bits each, so a plain SHA-256 is enough (no dictionary to try).
    return hashlib.sha256(_clean(code).encode("utf-8")).hexdigest()


def generate_recovery_codes(user: User) -> list[str]:
    """Replace the account's recovery codes with 10 new ones; only their hashes are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _index in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(raw)))
    db.session.flush()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code; return False when it is wrong or already used."""
    cleaned = _clean(code)
    if len(cleaned) != 10:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(cleaned),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def count_unused_recovery_codes(user: User) -> int:
    """Return how many recovery codes the account has left."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def check_second_factor(user: User, code: str) -> str:
    """Verify a TOTP or recovery code; return "totp" or "recovery", or raise InvalidCode."""
    if user.has_two_factor:
        if verify_totp(user, code):
            return "totp"
        if use_recovery_code(user, code):
            return "recovery"
    raise InvalidCode(_("That code is not right or was already used."), field="code")


def remove_two_factor(user: User) -> None:
    """Switch two-factor log-in off and end every session (admin reset or the member's choice)."""
    from app.auth.services import end_all_sessions

    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_all_sessions(user)


# --- The pending log-in (between the password and the code) ----------------------------------


def begin_pending_login(user: User, *, remember: bool, next_url: str | None) -> None:
    """Forget any previous session and remember that the password step passed."""
    language = session.get("locale")
    session.clear()
    if language:
        session["locale"] = language
    session[_PENDING_KEY] = {
        "uid": user.id,
        "sv": user.session_version,
        "at": utcnow().timestamp(),
        "remember": bool(remember),
        "next": next_url or "",
        "fails": 0,
    }


def pending_login() -> dict[str, Any] | None:
    """Return the pending marker if it is still fresh."""
    marker = session.get(_PENDING_KEY)
    if not isinstance(marker, dict):
        return None
    age = utcnow().timestamp() - float(marker.get("at", 0))
    if age > current_app.config["TWO_FACTOR_PENDING_SECONDS"] or age < 0:
        session.pop(_PENDING_KEY, None)
        return None
    return marker


def pending_user() -> User | None:
    """Return the account waiting for its second factor, if the marker is fresh and valid."""
    marker = pending_login()
    if marker is None:
        return None
    user = db.session.get(User, int(marker.get("uid", 0)))
    if user is None or not user.is_enabled or user.session_version != marker.get("sv"):
        session.pop(_PENDING_KEY, None)
        return None
    return user


def record_pending_failure() -> bool:
    """Count a wrong code; return True (and drop the marker) when attempts are exhausted."""
    marker = pending_login()
    if marker is None:
        return True
    marker["fails"] = int(marker.get("fails", 0)) + 1
    session[_PENDING_KEY] = marker
    if marker["fails"] >= current_app.config["TWO_FACTOR_MAX_ATTEMPTS"]:
        session.pop(_PENDING_KEY, None)
        return True
    return False


def clear_pending_login() -> None:
    session.pop(_PENDING_KEY, None)


def enforce_staff_two_factor() -> ResponseReturnValue | None:
    """End a staff session that has no second factor (e.g. opened before 2FA became required)."""
    if request.endpoint in (None, "static"):
        return None
    if (
        current_user.is_authenticated
        and is_required(current_user)
        and not (current_user.has_two_factor)
    ):
        session.clear()
        logout_user()  # after clear(): its "forget remember-me" mark must survive
        return redirect(url_for("auth.login"))
    return None
