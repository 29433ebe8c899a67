"""Accounts are not enumerable: sign-up, password reset and log-in (lockout included) answer an
existing and an unknown email identically: status, headers (minus Set-Cookie) and body, with CSRF
tokens, nonces and the typed address normalised; the page after the redirect (with its flash) too.
Timing is compared by scripts/bench_enumeration.py, not asserted here."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.auth import services as auth_services
from app.database import utcnow
from tests.factories.auth import DEFAULT_PASSWORD
from tests.support.smtp import MailSink

KNOWN = "known.member@example.org"
UNKNOWN = "nobody.at.all@example.org"

_TOKEN = re.compile(
    r'(name="csrf_token"[^>]*value=")[^"]*(")|(value=")[^"]*("[^>]*name="csrf_token")'
)
_NONCE = re.compile(r"""(nonce=["']|'nonce-)[A-Za-z0-9+/=_-]+""")


def _normalised(response: Any, email: str) -> tuple[int, dict[str, str], str]:
    """What an outsider sees, minus values that differ on every request anyway."""
    body = response.get_data(as_text=True)
    body = _TOKEN.sub(
        lambda m: (m.group(1) or m.group(3)) + "TOKEN" + (m.group(2) or m.group(4)), body
    )
    body = _NONCE.sub(r"\1NONCE", body)
    body = body.replace(email, "EMAIL")
    headers = {
        name: _NONCE.sub(r"\1NONCE", value)
        for name, value in response.headers.items()
        if name not in {"Set-Cookie", "Content-Length", "Date"}
    }
    return response.status_code, headers, body


def _csrf(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _post_and_follow(
    client: FlaskClient, path: str, data: dict[str, str], email: str, form_page: str = ""
) -> list[tuple[int, dict[str, str], str]]:
    """POST a form (with its real CSRF token) and, for a redirect, the page it leads to."""
    token = _csrf(client, form_page or path)
    response = client.post(path, data={**data, "csrf_token": token})
    seen = [_normalised(response, email)]
    if response.status_code in (301, 302, 303):
        seen.append(_normalised(client.get(response.headers["Location"]), email))
    return seen


@pytest.fixture()
def csrf_app(app_factory: Callable[..., Flask]) -> Flask:
    """CSRF on, as in production, so its tokens are part of what is compared."""
    return app_factory(WTF_CSRF_ENABLED=True)


@pytest.fixture()
def known(csrf_app: Flask) -> Any:
    from tests.factories.auth import UserFactory

    with csrf_app.app_context():
        user = UserFactory(role="professional", email=KNOWN)
        from app.extensions import db

        db.session.commit()
        return user.id


def _signup_data(email: str) -> dict[str, str]:
    return {
        "email": email,
        "full_name": "Ada Uwase",
        "password": "a long enough passphrase 42",
        "confirm": "a long enough passphrase 42",
        "account_type": "professional",
        "accept_privacy": "y",
    }


def test_sign_up_answers_the_same_for_a_taken_and_a_new_email(
    csrf_app: Flask, known: int, mail_sink: MailSink
) -> None:
    taken = _post_and_follow(csrf_app.test_client(), "/auth/signup", _signup_data(KNOWN), KNOWN)
    new = _post_and_follow(csrf_app.test_client(), "/auth/signup", _signup_data(UNKNOWN), UNKNOWN)
    assert taken[0][0] == 302 and len(taken) == 2
    assert taken == new
    # The newcomer gets a confirmation link; the owner of the taken address a notice instead.
    assert "confirm" in mail_sink.to(UNKNOWN)[0].subject.lower()
    (notice,) = mail_sink.to(KNOWN)
    assert "tried to sign up" in notice.subject
    assert "/auth/login" in notice.text() and "/auth/reset" in notice.text()


def test_sign_up_with_an_unconfirmed_address_resends_its_confirmation_link(
    csrf_app: Flask, mail_sink: MailSink
) -> None:
    client = csrf_app.test_client()
    _post_and_follow(client, "/auth/signup", _signup_data(UNKNOWN), UNKNOWN)
    again = _post_and_follow(csrf_app.test_client(), "/auth/signup", _signup_data(UNKNOWN), UNKNOWN)
    other = "someone.else.x@example.org"
    fresh = _post_and_follow(csrf_app.test_client(), "/auth/signup", _signup_data(other), other)
    assert again == fresh
    subjects = [m.subject for m in mail_sink.to(UNKNOWN)]
    assert len(subjects) == 2 and subjects[0] == subjects[1]  # two confirmation links


def test_password_reset_answers_the_same_for_a_known_and_an_unknown_email(
    csrf_app: Flask, known: int, mail_sink: MailSink
) -> None:
    found = _post_and_follow(csrf_app.test_client(), "/auth/reset", {"email": KNOWN}, KNOWN)
    missing = _post_and_follow(csrf_app.test_client(), "/auth/reset", {"email": UNKNOWN}, UNKNOWN)
    assert found[0][0] == 302 and len(found) == 2
    assert found == missing
    # One email each (so both requests cost one SMTP hand-over): a link, or a "no account" notice.
    (link,) = mail_sink.to(KNOWN)
    (notice,) = mail_sink.to(UNKNOWN)
    assert "/auth/reset/" in link.text()
    assert "/auth/reset/" not in notice.text() and "/auth/signup" in notice.text()


def test_failed_log_in_answers_the_same_for_a_known_and_an_unknown_email(
    csrf_app: Flask, known: int
) -> None:
    wrong = {"password": "not the password at all"}
    existing = _post_and_follow(
        csrf_app.test_client(), "/auth/login", {"email": KNOWN, **wrong}, KNOWN
    )
    unknown = _post_and_follow(
        csrf_app.test_client(), "/auth/login", {"email": UNKNOWN, **wrong}, UNKNOWN
    )
    assert existing[0][0] == 401
    assert existing == unknown


def test_lockout_answers_the_same_for_a_known_and_an_unknown_email(
    csrf_app: Flask, known: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    threshold = int(csrf_app.config["LOGIN_LOCKOUT_THRESHOLD"])
    known_client, unknown_client = csrf_app.test_client(), csrf_app.test_client()
    for attempt in range(threshold + 3):
        guess = {"password": f"wrong guess number {attempt}"}
        a = _post_and_follow(known_client, "/auth/login", {"email": KNOWN, **guess}, KNOWN)
        b = _post_and_follow(unknown_client, "/auth/login", {"email": UNKNOWN, **guess}, UNKNOWN)
        assert a == b, f"attempt {attempt + 1} differs"
    # Locked now: even the right password answers exactly like any password for an unknown email.
    right = {"password": DEFAULT_PASSWORD}
    locked = _post_and_follow(known_client, "/auth/login", {"email": KNOWN, **right}, KNOWN)
    unknown = _post_and_follow(unknown_client, "/auth/login", {"email": UNKNOWN, **right}, UNKNOWN)
    assert locked[0][0] == 401 and locked == unknown
    # The lock is real, and ends: an hour later the right password logs in.
    later = utcnow() + timedelta(hours=1, minutes=1)
    monkeypatch.setattr(auth_services, "utcnow", lambda: later)
    response = known_client.post(
        "/auth/login",
        data={"email": KNOWN, **right, "csrf_token": _csrf(known_client, "/auth/login")},
    )
    assert response.status_code == 302


def test_forms_answer_the_same_when_the_mail_server_is_down(
    app_factory: Callable[..., Flask],
) -> None:
    from tests.factories.auth import UserFactory
    from tests.support.smtp import free_port

    down = app_factory(WTF_CSRF_ENABLED=True, MAIL_PORT=free_port())
    with down.app_context():
        from app.extensions import db

        UserFactory(role="professional", email=KNOWN)
        db.session.commit()
    for path, data in (
        ("/auth/signup", _signup_data),
        ("/auth/reset", lambda email: {"email": email}),
    ):
        existing = _post_and_follow(down.test_client(), path, data(KNOWN), KNOWN)
        unknown = _post_and_follow(down.test_client(), path, data(UNKNOWN), UNKNOWN)
        assert existing[0][0] == 302, path  # not a 500 for either
        assert existing == unknown, path


def test_new_confirmation_link_answers_the_same_whatever_the_address(
    csrf_app: Flask, known: int, mail_sink: MailSink
) -> None:
    unconfirmed = "waiting.member@example.org"
    with csrf_app.app_context():
        from app.extensions import db
        from tests.factories.auth import UserFactory

        UserFactory(role="professional", email=unconfirmed, email_verified_at=None)
        db.session.commit()
    answers = [
        _post_and_follow(
            csrf_app.test_client(),
            "/auth/verify/resend",
            {"email": email},
            email,
            form_page="/auth/check-email",
        )
        for email in (unconfirmed, KNOWN, UNKNOWN)
    ]
    assert answers[0][0][0] == 302
    assert answers[0] == answers[1] == answers[2]
    # One email each: a link for the unconfirmed account, a notice without one otherwise.
    (link,) = mail_sink.to(unconfirmed)
    assert "/auth/verify/" in link.text()
    for email in (KNOWN, UNKNOWN):
        (notice,) = mail_sink.to(email)
        assert "/auth/verify/" not in notice.text() and "/auth/login" in notice.text()
