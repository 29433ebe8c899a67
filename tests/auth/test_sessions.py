"""Session life: idle and absolute timeouts (the clock is moved, never slept on)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth import sessions
from app.database import utcnow
from tests.conftest import login


class Clock:
    """Stands in for `utcnow` in app.auth.sessions; `advance` moves the server's time on."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture()
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(sessions, "utcnow", moved.now)
    return moved


def _is_sent_to_login(client: FlaskClient) -> bool:
    response = client.get("/auth/account")
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_idle_session_is_logged_out(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], clock: Clock
) -> None:
    logged_in("professional")
    clock.advance(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    assert _is_sent_to_login(client)
    clock.advance(minutes=-(app.config["SESSION_IDLE_MINUTES"] + 1))
    assert _is_sent_to_login(client)  # the session was cleared, not just refused once


def test_activity_keeps_the_session_alive_past_the_idle_limit(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], clock: Clock
) -> None:
    logged_in("professional")
    step = app.config["SESSION_IDLE_MINUTES"] - 5
    statuses = []
    for _ in range(3):  # three idle-limit-minus-five steps: well past one idle limit in total
        clock.advance(minutes=step)
        statuses.append(client.get("/auth/account").status_code)
    assert statuses == [200, 200, 200]


def test_absolute_lifetime_ends_even_an_active_session(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any], clock: Clock
) -> None:
    short = app_factory(PERMANENT_SESSION_LIFETIME=timedelta(hours=2), SESSION_IDLE_MINUTES=60)
    client = short.test_client()
    assert login(client, make_user("professional").email).status_code == 302
    statuses = []
    for _ in range(3):  # active every 50 minutes: never idle, but 150 minutes > 2 hours
        clock.advance(minutes=50)
        statuses.append(client.get("/auth/account").status_code)
    assert statuses == [200, 200, 302]


def test_timed_out_session_is_not_revived_by_the_remember_cookie(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any], clock: Clock
) -> None:
    user = make_user("professional")
    client.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery staple", "remember": "y"},
    )
    assert client.get_cookie("remember_token") is not None
    clock.advance(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    assert _is_sent_to_login(client)
    assert client.get_cookie("remember_token") is None
    assert _is_sent_to_login(client)


def test_remember_cookie_in_a_new_browser_starts_a_fresh_session(
    app: Flask, make_user: Callable[..., Any], clock: Clock
) -> None:
    user = make_user("professional")
    first, second = app.test_client(), app.test_client()
    first.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery staple", "remember": "y"},
    )
    remember = first.get_cookie("remember_token")
    assert remember is not None
    clock.advance(hours=12)  # longer than the absolute lifetime, shorter than the cookie's
    second.set_cookie("remember_token", remember.value)
    assert second.get("/auth/account").status_code == 200
    clock.advance(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    assert _is_sent_to_login(second)  # the restored session has the same idle limit
