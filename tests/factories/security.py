"""Two-factor helpers: enrol an account directly and log in with password + TOTP code."""

from __future__ import annotations

from typing import Any

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from app.auth import twofactor
from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from tests.factories.auth import DEFAULT_PASSWORD


def enrol(app: Flask, user_id: int) -> tuple[str, list[str]]:
    """Turn two-factor on for the account; return its secret and recovery codes."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        secret = twofactor.start_enrolment(user)
        user.totp_enabled_at = utcnow()
        codes = twofactor.generate_recovery_codes(user)
        db.session.commit()
        return secret, codes


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The TOTP code for now plus a number of 30-second steps."""
    totp = pyotp.TOTP(secret)
    return totp.at(utcnow().timestamp() + 30 * offset_steps)


def login_with_code(client: FlaskClient, email: str, code: str) -> Any:
    """Password step, then the code step; returns the code step's response."""
    first = client.post("/auth/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert first.status_code == 302 and "/auth/2fa/verify" in first.headers["Location"]
    return client.post("/auth/2fa/verify", data={"code": code})
