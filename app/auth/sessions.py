"""Session life: user loading with a session version, idle and absolute timeouts, safe redirects."""

from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, request, session
from flask_login import current_user, logout_user

from app.auth.models import User
from app.database import utcnow
from app.extensions import db, login_manager
from app.security import local_redirect_target


@login_manager.user_loader
def load_user(user_key: str) -> User | None:
    """Load the account from "<id>:<session_version>"; an older version means a revoked session."""
    user_id, _, version = user_key.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    """Begin a fresh session at log-in so nothing from before it (a fixed session) survives."""
    language = session.get("locale")
    session.clear()
    if language:
        session["locale"] = language
    now = utcnow().timestamp()
    session["auth_at"] = now
    session["seen_at"] = now
    session.permanent = True


def enforce_session_timeouts() -> None:
    """Log out a session idle for too long or older than the absolute lifetime."""
    # Static files need no account: no user lookup, and no session write that could race.
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    now = utcnow().timestamp()
    config = current_app.config
    auth_at = float(session.get("auth_at", now))
    seen_at = float(session.get("seen_at", now))
    idle_limit = config["SESSION_IDLE_MINUTES"] * 60
    absolute_limit = config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    # A remember-me cookie restores the user without auth_at; treat that as a new session.
    if "auth_at" not in session:
        start_session(current_user._get_current_object())  # type: ignore[attr-defined]
        return
    if now - seen_at > idle_limit or now - auth_at > absolute_limit:
        session.clear()
        logout_user()  # after clear(): its "forget remember-me" mark must survive
        return
    # Avoid rewriting the cookie on every request: refresh the idle stamp once a minute.
    if now - seen_at > 60:
        session["seen_at"] = now


def is_safe_redirect(target: str | None) -> bool:
    """Return True when target is a path on this site (see app.security.local_redirect_target)."""
    return local_redirect_target(target) is not None


def init_sessions(app: Flask) -> None:
    """Wire session checks into the request cycle."""
    app.before_request(enforce_session_timeouts)


def session_started_at() -> datetime | None:
    """Return when the current session logged in, if it did."""
    stamp = session.get("auth_at")
    return datetime.fromtimestamp(float(stamp), tz=utcnow().tzinfo) if stamp else None
