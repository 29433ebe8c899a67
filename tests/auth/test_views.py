"""Account journeys through the HTTP client, with mail read from the local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.privacy.models import ConsentRecord
from tests.conftest import login
from tests.support.smtp import MailSink

PASSWORD = "a long passphrase for tests"


def _link_in(mail_text: str) -> str:
    match = re.search(r"https?://\S+", mail_text)
    assert match, mail_text
    parts = urlsplit(match.group(0))
    return parts.path


def _signup(client: FlaskClient, email: str, role: str = "professional", **extra: str) -> Any:
    data = {
        "account_type": role,
        "full_name": "Aline Uwimana",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "accept_privacy": "y",
    }
    data.update(extra)
    return client.post("/auth/signup", data=data)


def test_signup_verify_by_email_then_log_in(
    app: Flask, client: FlaskClient, mail_sink: MailSink
) -> None:
    response = _signup(client, "Aline@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/check-email")

    # Not verified yet: the correct password does not open the account.
    refused = login(client, "aline@example.org", PASSWORD)
    assert refused.headers["Location"].endswith("/auth/check-email")

    mails = mail_sink.to("aline@example.org")
    assert len(mails) == 1
    assert "Confirm your email" in mails[0].subject
    verify_path = _link_in(mails[0].text())
    assert verify_path.startswith("/auth/verify/")

    confirmed = client.get(verify_path)
    assert confirmed.status_code == 302
    assert confirmed.headers["Location"].endswith("/auth/login")

    response = login(client, "aline@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "aline@example.org"))
        assert user is not None and user.is_verified and user.role == "professional"
        consent = db.session.scalar(select(ConsentRecord).where(ConsentRecord.user_id == user.id))
        assert consent is not None
        assert consent.kind == "privacy_notice" and consent.granted
        assert consent.notice_version == app.config["PRIVACY_NOTICE_VERSION"]


def test_signup_errors_are_shown_next_to_fields_and_input_kept(client: FlaskClient) -> None:
    response = client.post(
        "/auth/signup",
        data={
            "account_type": "professional",
            "full_name": "Eric Mugisha",
            "email": "not-an-email",
            "password": "password123",
            "confirm": "different",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a valid email address" in page
    assert "too common" in page
    assert "The two passwords differ" in page
    assert "You need to accept the privacy notice" in page
    assert 'value="Eric Mugisha"' in page
    assert 'aria-invalid="true"' in page


def test_signup_refuses_short_password(client: FlaskClient) -> None:
    response = _signup(client, "short@example.org", password="tiny pass", confirm="tiny pass")
    assert response.status_code == 400
    assert "at least 10 characters" in response.get_data(as_text=True)


def test_signup_cannot_choose_staff_role(client: FlaskClient, app: Flask) -> None:
    response = _signup(client, "sneaky@example.org", role="rca_staff")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "sneaky@example.org")) is None


def test_signup_with_taken_email_does_not_reveal_it(
    client: FlaskClient, make_user: Callable[..., Any], mail_sink: MailSink
) -> None:
    existing = make_user("professional", email="taken@example.org")
    response = _signup(client, existing.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/check-email")
    # The owner hears of it instead (tests/auth/test_enumeration.py compares both answers).
    (notice,) = mail_sink.to("taken@example.org")
    assert "tried to sign up" in notice.subject


def test_wrong_password_is_refused_with_a_generic_message(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    wrong = login(client, user.email, "not the password at all")
    unknown = login(client, "nobody@example.org", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong email or password" in wrong.get_data(as_text=True)
    assert "Wrong email or password" in unknown.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302


def test_repeated_failures_lock_the_account_for_a_while(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    for _ in range(app.config["LOGIN_LOCKOUT_THRESHOLD"]):
        login(client, user.email, "wrong password guess")
    locked = login(client, user.email)  # even the right password waits now
    # Said like any failure, so a lock does not reveal that the account exists.
    assert locked.status_code == 401
    assert "log-in is paused" in locked.get_data(as_text=True)
    assert client.get("/auth/account").status_code == 302


def test_login_rate_limit_kicks_in(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    limited_app = app_factory(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = limited_app.test_client()
    statuses = [
        client.post(
            "/auth/login", data={"email": "x@example.org", "password": "whatever1234"}
        ).status_code
        for _ in range(4)
    ]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429


def test_signup_rate_limit_kicks_in(app_factory: Callable[..., Flask], mail_sink: MailSink) -> None:
    limited_app = app_factory(RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="2 per minute")
    client = limited_app.test_client()
    statuses = [_signup(client, f"new{i}@example.org").status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert len(mail_sink.to("new2@example.org")) == 0  # the refused sign-up created nothing
    with limited_app.app_context():
        assert db.session.scalar(select(User).where(User.email == "new2@example.org")) is None
    assert client.get("/auth/signup").status_code == 200  # only sending the form is limited


def test_password_reset_rate_limit_kicks_in(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any], mail_sink: MailSink
) -> None:
    limited_app = app_factory(RATELIMIT_ENABLED=True, RESET_RATE_LIMIT="2 per minute")
    client = limited_app.test_client()
    user = make_user("professional")
    statuses = [
        client.post("/auth/reset", data={"email": user.email}).status_code for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert len(mail_sink.to(user.email)) == 2
    # Asking for a new confirmation link is limited the same way (its own counter).
    resends = [
        client.post("/auth/verify/resend", data={"email": user.email}).status_code for _ in range(3)
    ]
    assert resends == [302, 302, 429]


def test_password_reset_by_email(
    client: FlaskClient, make_user: Callable[..., Any], mail_sink: MailSink
) -> None:
    user = make_user("professional")
    response = client.post("/auth/reset", data={"email": user.email})
    assert response.status_code == 302
    mails = mail_sink.to(user.email)
    assert len(mails) == 1
    reset_path = _link_in(mails[0].text())

    new_password = "a brand new passphrase"
    done = client.post(reset_path, data={"password": new_password, "confirm": new_password})
    assert done.status_code == 302 and done.headers["Location"].endswith("/auth/login")
    assert login(client, user.email).status_code == 401
    assert login(client, user.email, new_password).status_code == 302

    # The link is single-use: the password it was made for is gone.
    client.post("/auth/logout")
    again = client.get(reset_path)
    assert again.status_code == 302 and again.headers["Location"].endswith("/auth/reset")


def test_reset_request_for_unknown_email_says_the_same(
    client: FlaskClient, mail_sink: MailSink
) -> None:
    response = client.post(
        "/auth/reset", data={"email": "ghost@example.org"}, follow_redirects=True
    )
    assert "If an account exists" in response.get_data(as_text=True)
    # A notice without a link, so the request costs what a real reset costs (no timing tell).
    (notice,) = mail_sink.messages
    assert notice.recipients == ["ghost@example.org"] and "/auth/reset/" not in notice.text()


def test_change_password_logs_out_other_sessions(app: Flask, make_user: Callable[..., Any]) -> None:
    user = make_user("professional")
    first, second = app.test_client(), app.test_client()
    assert login(first, user.email).status_code == 302
    assert login(second, user.email).status_code == 302
    new_password = "another long passphrase"
    response = first.post(
        "/auth/account/password",
        data={
            "current_password": "correct horse battery staple",
            "password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 302
    assert first.get("/auth/account").status_code == 200
    assert second.get("/auth/account").status_code == 302  # the other device is logged out


def test_change_email_needs_confirmation_from_new_address(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], mail_sink: MailSink
) -> None:
    user = logged_in("professional")
    response = client.post(
        "/auth/account/email",
        data={
            "email": "new.address@example.org",
            "current_password": "correct horse battery staple",
        },
    )
    assert response.status_code == 302
    mails = mail_sink.to("new.address@example.org")
    assert len(mails) == 1
    client.get(_link_in(mails[0].text()))
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored is not None and stored.email == "new.address@example.org"


def test_staff_page_refuses_professional_and_redirects_anonymous(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    anonymous = client.get("/staff/")
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]
    logged_in("professional")
    refused = client.get("/staff/")
    assert refused.status_code == 403
    page = refused.get_data(as_text=True)
    # The 403 page shares the site's look (header, navigation) and says why, not a bare error.
    assert "Access denied" in page and "You do not have permission" in page
    assert '<header class="header">' in page


def test_staff_page_admits_staff(client: FlaskClient, logged_in: Callable[..., Any]) -> None:
    logged_in("rca_staff")
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/accounts").status_code == 403  # admin only


def test_admin_creates_staff_account(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("admin")
    response = client.post(
        "/staff/accounts",
        data={
            "full_name": "Grace Ingabire",
            "email": "grace@minaffet.gov.rw",
            "role": "rca_staff",
            "password": "a staff passphrase here",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.email == "grace@minaffet.gov.rw"))
        assert staff is not None and staff.role == "rca_staff" and staff.is_verified


def test_post_without_csrf_token_is_refused(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    csrf_app = app_factory(WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    user = make_user("professional")
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 400
    assert "Your form expired" in response.get_data(as_text=True)


def test_next_redirect_only_to_this_site(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    response = client.post(
        "/auth/login?next=https://evil.example.com/",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"].endswith("/dashboard")
    client.post("/auth/logout")
    response = client.post(
        "/auth/login?next=/auth/account",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"].endswith("/auth/account")


def test_logout_requires_post_and_ends_session(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/auth/account").status_code == 302


def test_logout_ends_every_session_of_the_account(
    app: Flask, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    laptop, phone, copied = app.test_client(), app.test_client(), app.test_client()
    assert login(laptop, user.email).status_code == 302
    phone.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery staple", "remember": "y"},
    )
    remember = phone.get_cookie("remember_token")
    assert remember is not None
    copied.set_cookie("remember_token", remember.value)
    assert copied.get("/auth/account").status_code == 200  # the remember cookie alone works

    response = laptop.post("/auth/logout", follow_redirects=True)
    assert "logged out on every device" in response.get_data(as_text=True)
    for other in (phone, copied):
        refused = other.get("/auth/account")
        assert refused.status_code == 302 and "/auth/login" in refused.headers["Location"]
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored is not None and stored.session_version == user.session_version + 1
    assert login(phone, user.email).status_code == 302  # logging in again works as before
    assert phone.get("/auth/account").status_code == 200


def test_account_page_offers_log_out_on_every_device(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    page = client.get("/auth/account").get_data(as_text=True)
    assert 'action="/auth/logout"' in page and "Log out everywhere" in page


def test_session_cookie_is_httponly_and_lax(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    response = login(client, user.email)
    cookie = next(
        h for h in response.headers.getlist("Set-Cookie") if h.startswith("umuhuza_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
