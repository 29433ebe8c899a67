"""Expired and tampered links from emails: a clear message and a redirect, never a 500."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from app.auth import tokens
from app.auth.models import User
from app.extensions import db
from tests.conftest import login
from tests.support.smtp import MailSink

PASSWORD = "a long passphrase for tests"
OLD_PASSWORD = "correct horse battery staple"


@contextmanager
def links_signed_hours_ago(monkeypatch: pytest.MonkeyPatch, hours: float) -> Iterator[None]:
    """Email links made inside the block carry a signing time `hours` in the past (the session
    cookie keeps the real clock)."""

    class PastSigner(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() - hours * 3600)

    class PastSerializer(URLSafeTimedSerializer):
        default_signer = PastSigner

    with monkeypatch.context() as patch:
        patch.setattr(tokens, "URLSafeTimedSerializer", PastSerializer)
        yield


def _link_in(mails: list[Any]) -> str:
    assert len(mails) == 1
    match = re.search(r"https?://\S+", mails[0].text())
    assert match
    return urlsplit(match.group(0)).path


def _stored(app: Flask, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        db.session.expunge(user)
        return user


def test_expired_verification_link_says_so_and_a_new_one_works(
    app: Flask, client: FlaskClient, mail_sink: MailSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    email = "late.reader@example.org"
    signup = {
        "account_type": "professional",
        "full_name": "Aline Uwimana",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "accept_privacy": "y",
    }
    max_hours = app.config["EMAIL_TOKEN_MAX_AGE"].total_seconds() / 3600
    with links_signed_hours_ago(monkeypatch, max_hours + 1):
        client.post("/auth/signup", data=signup)
    expired = _link_in(mail_sink.to(email))

    response = client.get(expired)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/check-email")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "invalid or has expired" in page
    assert login(client, email, PASSWORD).headers["Location"].endswith("/auth/check-email")

    mail_sink.clear()
    client.post("/auth/verify/resend", data={"email": email})
    assert client.get(_link_in(mail_sink.to(email))).headers["Location"].endswith("/auth/login")
    assert login(client, email, PASSWORD).headers["Location"].endswith("/dashboard")


def test_expired_reset_link_changes_nothing(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., Any],
    mail_sink: MailSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = make_user("professional")
    max_hours = app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() / 3600
    with links_signed_hours_ago(monkeypatch, max_hours + 1):
        client.post("/auth/reset", data={"email": user.email})
    expired = _link_in(mail_sink.to(user.email))

    shown = client.get(expired, follow_redirects=True)
    assert shown.status_code == 200 and shown.request.path == "/auth/reset"
    assert "invalid, used or expired" in shown.get_data(as_text=True)
    sent = client.post(expired, data={"password": PASSWORD, "confirm": PASSWORD})
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/auth/reset")
    assert _stored(app, user.id).password_hash == user.password_hash
    assert login(client, user.email, OLD_PASSWORD).status_code == 302


def test_expired_email_change_link_keeps_the_old_address(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    mail_sink: MailSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = logged_in("professional")
    max_hours = app.config["EMAIL_TOKEN_MAX_AGE"].total_seconds() / 3600
    with links_signed_hours_ago(monkeypatch, max_hours + 1):
        client.post(
            "/auth/account/email",
            data={"email": "new.address@example.org", "current_password": OLD_PASSWORD},
        )
    expired = _link_in(mail_sink.to("new.address@example.org"))

    shown = client.get(expired, follow_redirects=True)
    assert shown.status_code == 200 and shown.request.path == "/"
    assert "invalid or has expired" in shown.get_data(as_text=True)
    assert _stored(app, user.id).email == user.email


@pytest.mark.parametrize(
    "path",
    ["/auth/verify/{token}", "/auth/reset/{token}", "/auth/email/{token}"],
)
def test_tampered_or_wrong_purpose_links_are_refused(
    client: FlaskClient,
    make_user: Callable[..., Any],
    mail_sink: MailSink,
    path: str,
) -> None:
    user = make_user("professional")
    client.post("/auth/reset", data={"email": user.email})
    reset_token = _link_in(mail_sink.to(user.email)).rsplit("/", 1)[1]
    tampered = reset_token[:-2] + ("AA" if not reset_token.endswith("AA") else "BB")
    # A reset token is signed for its own purpose: it opens no other kind of link.
    tokens = [tampered] if path.startswith("/auth/reset") else [tampered, reset_token]
    for token in tokens:
        response = client.get(path.format(token=token))
        assert response.status_code == 302
        assert "/auth/" in response.headers["Location"] or response.headers["Location"] == "/"
