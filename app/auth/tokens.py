"""Signed, expiring tokens for links sent by email."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class InvalidToken(Exception):
    """The token is malformed, tampered with, or expired."""


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"umuhuza.{purpose}")


def make_token(purpose: str, payload: Any) -> str:
    """Sign the payload for one purpose (the salt keeps tokens of one purpose out of another)."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta | None) -> Any:
    """Return the payload of a valid token or raise InvalidToken."""
    try:
        seconds = int(max_age.total_seconds()) if max_age is not None else None
        return _serializer(purpose).loads(token, max_age=seconds)
    except SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except BadSignature as exc:
        raise InvalidToken("invalid") from exc
