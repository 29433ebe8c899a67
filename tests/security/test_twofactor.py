"""Two-factor log-in: required for staff, optional for members, codes single-use."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.auth.models import RecoveryCode, User
from app.database import utcnow
from app.extensions import db
from tests.conftest import login
from tests.factories.security import code_at, enrol, login_with_code


@pytest.fixture()
def app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory(TWO_FACTOR_REQUIRED_FOR_STAFF=True)


def _secret_from_setup_page(page: str) -> str:
    match = re.search(r"<code>([A-Z2-7]{16,})</code>", page)
    assert match, page
    return match.group(1)


def _is_logged_in(client: FlaskClient) -> bool:
    return client.get("/auth/account").status_code == 200


def test_staff_without_2fa_is_sent_to_enrolment_and_not_logged_in(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    response = login(client, staff.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/2fa/setup")
    # The password alone gives nothing: no page sees a logged-in user.
    assert not _is_logged_in(client)
    assert client.get("/staff/").status_code == 302
    with client.session_transaction() as session:
        assert "_user_id" not in session
        assert session["tfa_pending"]["uid"] == staff.id


def test_staff_enrols_with_qr_code_and_gets_ten_recovery_codes(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    staff = make_user("admin")
    login(client, staff.email)
    page = client.get("/auth/2fa/setup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml;base64,' in html
    assert "<script>" not in html and "<script " not in html.split("</main>", 1)[0]
    secret = _secret_from_setup_page(html)

    wrong = client.post("/auth/2fa/setup", data={"code": "000000"})
    assert wrong.status_code == 400
    assert not _is_logged_in(client)

    done = client.post("/auth/2fa/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert _is_logged_in(client)
    assert client.get("/staff/").status_code == 200
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user is not None and user.has_two_factor
        hashes = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == staff.id)
        ).all()
        assert len(hashes) == 10
        assert not any(code.replace("-", "") in h for code in codes for h in hashes)
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "2fa.enabled"))


def test_setup_shows_a_fresh_secret_each_time(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    login(client, staff.email)
    first = _secret_from_setup_page(client.get("/auth/2fa/setup").get_data(as_text=True))
    second = _secret_from_setup_page(client.get("/auth/2fa/setup").get_data(as_text=True))
    assert first != second
    # A code from the first (now replaced) secret does not activate anything.
    response = client.post("/auth/2fa/setup", data={"code": pyotp.TOTP(first).now()})
    assert response.status_code == 400


def test_staff_with_2fa_logs_in_with_code_and_session_id_changes(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    secret, _codes = enrol(app, staff.id)
    first = client.post(
        "/auth/login?next=/staff/",
        data={"email": staff.email, "password": "correct horse battery staple"},
    )
    assert first.headers["Location"].endswith("/auth/2fa/verify")
    assert not _is_logged_in(client)
    pending_cookie = client.get_cookie("umuhuza_session")
    response = client.post("/auth/2fa/verify", data={"code": code_at(secret)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    assert client.get_cookie("umuhuza_session").value != pending_cookie.value
    assert _is_logged_in(client)


def test_totp_code_cannot_be_used_twice(
    app: Flask, app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    secret, _codes = enrol(app, staff.id)
    code = code_at(secret)
    assert login_with_code(app.test_client(), staff.email, code).status_code == 302
    replay = login_with_code(app.test_client(), staff.email, code)
    assert replay.status_code == 400
    assert "not right or was already used" in replay.get_data(as_text=True)
    # An older code (previous step) is refused too once a newer one was used.
    late = login_with_code(app.test_client(), staff.email, code_at(secret, -1))
    assert late.status_code == 400
    # The next step's code is accepted (clock drift) and moves the marker on.
    next_step = pyotp.TOTP(secret).timecode(utcnow()) + 1
    assert login_with_code(app.test_client(), staff.email, code_at(secret, 1)).status_code == 302
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user is not None
        assert user.totp_last_step in {next_step, next_step + 1}


def test_recovery_code_works_once(app: Flask, make_user: Callable[..., Any]) -> None:
    staff = make_user("admin")
    _secret, codes = enrol(app, staff.id)
    client = app.test_client()
    response = login_with_code(client, staff.email, codes[0].upper().replace("-", " "))
    assert response.status_code == 302
    again = login_with_code(app.test_client(), staff.email, codes[0])
    assert again.status_code == 400
    with app.app_context():
        used = db.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == staff.id, RecoveryCode.used_at.is_not(None))
        )
        assert used == 1
        assert (
            db.session.scalar(
                select(func.count()).where(AuditEntry.action == "2fa.recovery_code_used")
            )
            == 1
        )


def test_too_many_wrong_codes_end_the_pending_login(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    secret, _codes = enrol(app, staff.id)
    login(client, staff.email)
    statuses = [
        client.post("/auth/2fa/verify", data={"code": "123456"}).status_code
        for _ in range(app.config["TWO_FACTOR_MAX_ATTEMPTS"])
    ]
    assert statuses[:-1] == [400] * (len(statuses) - 1)
    assert statuses[-1] == 302
    # The marker is gone: even the right code now needs the password again.
    late = client.post("/auth/2fa/verify", data={"code": code_at(secret)})
    assert late.status_code == 302 and late.headers["Location"].endswith("/auth/login")
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user is not None and user.failed_login_count >= 1


def test_pending_marker_expires(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    app = app_factory(TWO_FACTOR_REQUIRED_FOR_STAFF=True, TWO_FACTOR_PENDING_SECONDS=0)
    staff = make_user("rca_staff")
    secret, _codes = enrol(app, staff.id)
    client = app.test_client()
    login(client, staff.email)
    with client.session_transaction() as session:
        session["tfa_pending"] = {**session["tfa_pending"], "at": 0}
    response = client.post("/auth/2fa/verify", data={"code": code_at(secret)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")
    assert client.get("/auth/account").status_code == 302


def test_verify_page_without_password_step_goes_to_login(client: FlaskClient) -> None:
    assert client.get("/auth/2fa/verify").headers["Location"].endswith("/auth/login")
    assert client.get("/auth/2fa/setup").headers["Location"].endswith("/auth/login")
    assert client.post("/auth/2fa/verify", data={"code": "123456"}).status_code == 302


def test_member_without_2fa_logs_in_with_password_only(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    member = make_user("institution_member")
    response = login(client, member.email)
    assert response.headers["Location"].endswith("/dashboard")
    assert _is_logged_in(client)


def test_member_enrols_from_account_page_then_needs_code(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    account = client.get("/auth/account").get_data(as_text=True)
    assert "/auth/2fa" in account
    page = client.get("/auth/2fa/setup").get_data(as_text=True)
    secret = _secret_from_setup_page(page)
    done = client.post("/auth/2fa/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    client.post("/auth/logout")
    response = login(client, member.email)
    assert response.headers["Location"].endswith("/auth/2fa/verify")
    assert not _is_logged_in(client)


def test_member_turns_2fa_off_with_password_and_code(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    secret, _codes = enrol(app, member.id)
    # Enrolling bumped nothing; log in again to get a session that knows the new state.
    client.post("/auth/logout")
    login_with_code(client, member.email, code_at(secret))
    refused = client.post(
        "/auth/2fa/disable",
        data={"off-current_password": "wrong password here", "off-code": code_at(secret, 1)},
    )
    assert refused.status_code == 400
    response = client.post(
        "/auth/2fa/disable",
        data={
            "off-current_password": "correct horse battery staple",
            "off-code": code_at(secret, 1),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, member.id)
        assert user is not None and not user.has_two_factor


def test_staff_cannot_turn_2fa_off(app: Flask, make_user: Callable[..., Any]) -> None:
    staff = make_user("rca_staff")
    secret, _codes = enrol(app, staff.id)
    client = app.test_client()
    login_with_code(client, staff.email, code_at(secret))
    response = client.post(
        "/auth/2fa/disable",
        data={
            "off-current_password": "correct horse battery staple",
            "off-code": code_at(secret, 1),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user is not None and user.has_two_factor


def test_regenerating_recovery_codes_replaces_them(
    app: Flask, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    secret, old_codes = enrol(app, staff.id)
    client = app.test_client()
    login_with_code(client, staff.email, code_at(secret))
    response = client.post("/auth/2fa/recovery-codes", data={"regen-code": code_at(secret, 1)})
    assert response.status_code == 200
    new_codes = re.findall(
        r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.get_data(as_text=True)
    )
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    client.post("/auth/logout")
    assert login_with_code(app.test_client(), staff.email, old_codes[1]).status_code == 400


def test_staff_session_without_2fa_is_ended(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    # A session opened while 2FA was not required (e.g. before the feature shipped) is closed.
    lax = app_factory(TWO_FACTOR_REQUIRED_FOR_STAFF=False)
    staff = make_user("rca_staff")
    client = lax.test_client()
    assert login(client, staff.email).status_code == 302
    assert client.get("/staff/").status_code == 200
    strict = app_factory(TWO_FACTOR_REQUIRED_FOR_STAFF=True)
    strict_client = strict.test_client()
    strict_client.set_cookie("umuhuza_session", client.get_cookie("umuhuza_session").value)
    response = strict_client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/login")


def test_two_factor_cannot_be_off_in_production() -> None:
    from config.settings import ConfigurationError, ProductionConfig

    class Lax(ProductionConfig):
        SECRET_KEY = "x" * 40
        TWO_FACTOR_REQUIRED_FOR_STAFF = False

    import os

    os.environ.setdefault("DATABASE_URL", "postgresql+psycopg://u@127.0.0.1/x")
    with pytest.raises(ConfigurationError):
        Lax.validate()
