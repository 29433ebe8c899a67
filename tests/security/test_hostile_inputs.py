"""Hostile input and session hardening: XSS, SQL injection, traversal, sizes, mass assignment,
open redirects, fixation, headers and cookies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, jsonify, request
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.access import public
from app.auth.models import User
from app.extensions import db
from app.security import path_inside, safe_filename
from tests.conftest import login

PASSWORD = "a long passphrase for tests"
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7*7 }}",
]


def _signup(client: FlaskClient, email: str, **extra: str) -> Any:
    data = {
        "account_type": "professional",
        "full_name": "Aline Uwimana",
        "email": email,
        "password": PASSWORD,
        "confirm": PASSWORD,
        "accept_privacy": "y",
    }
    data.update(extra)
    return client.post("/auth/signup", data=data)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_in_full_name_is_rendered_inert(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., Any],
    mail_sink: object,
    payload: str,
) -> None:
    # Re-rendered sign-up form (400) keeps the input escaped.
    bad = _signup(client, "not-an-email", full_name=payload)
    assert bad.status_code == 400
    if any(char in payload for char in '<>"'):
        assert payload not in bad.get_data(as_text=True)
    assert "49" not in bad.get_data(as_text=True).split("<main", 1)[1].split("</main>")[0]

    # Stored and shown to staff: the admin's account list and detail escape it.
    assert _signup(client, "victim@example.org", full_name=payload).status_code == 302
    admin = make_user("admin")
    staff_client = app.test_client()
    login(staff_client, admin.email)
    with app.app_context():
        victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
        assert victim is not None and victim.full_name == payload  # kept as text, not "cleaned"
        victim_id = victim.id
    for path in ("/staff/users?q=victim", f"/staff/users/{victim_id}"):
        page = staff_client.get(path).get_data(as_text=True)
        if "<" in payload:
            assert payload not in page
            assert "&lt;" in page
        assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "email",
    ["' OR '1'='1", "admin@example.org' --", "x@example.org'; DROP TABLE users; --", '" OR 1=1'],
)
def test_sql_injection_in_login_is_just_a_wrong_login(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any], email: str
) -> None:
    user = make_user("admin", email="admin@example.org")
    response = client.post("/auth/login", data={"email": email, "password": "' OR '1'='1"})
    assert response.status_code in {400, 401}
    assert client.get("/auth/account").status_code == 302
    with app.app_context():
        assert db.session.get(User, user.id) is not None  # the table is intact


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\config", "config"),
        ("/absolute/path/cv.pdf", "cv.pdf"),
        ("....//....//x.pdf", "x.pdf"),
        ("cv.pdf\x00.exe", "cv.pdf_.exe"),
        ("..", "file"),
        ("", "file"),
        ("NUL.pdf", "_NUL.pdf"),
        ("Curriculum Vitae résumé — Kigali.pdf", "Curriculum_Vitae_resume_Kigali.pdf"),
    ],
)
def test_safe_filename_neutralises_traversal(name: str, expected: str) -> None:
    assert safe_filename(name) == expected
    assert "/" not in safe_filename(name) and "\\" not in safe_filename(name)


def test_path_inside_refuses_escapes(tmp_path: Any) -> None:
    assert path_inside(tmp_path, "cv.pdf") == (tmp_path / "cv.pdf").resolve()
    assert path_inside(tmp_path, "../outside.pdf") is None
    assert path_inside(tmp_path, "/etc/passwd") is None
    assert path_inside(tmp_path, ".") is None


def test_oversized_body_is_refused_with_413(app: Flask, client: FlaskClient) -> None:
    big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post(
        "/auth/login", data=big, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413


def test_wrong_content_type_on_a_form_is_a_4xx(client: FlaskClient) -> None:
    response = client.post("/auth/login", json={"email": "a@example.org", "password": "x" * 12})
    assert 400 <= response.status_code < 500
    response = client.post(
        "/auth/signup", data=b"\x00\x01\x02", content_type="application/octet-stream"
    )
    assert 400 <= response.status_code < 500


def test_malformed_json_to_a_json_endpoint_is_a_400_json_error(
    app_factory: Callable[..., Flask],
) -> None:
    app = app_factory()

    @public
    def echo() -> Any:
        return jsonify(request.get_json())

    # Registered under the api blueprint's name so the API's error handling applies.
    app.add_url_rule("/api/v1/_echo", endpoint="api._echo", view_func=echo, methods=["POST"])
    client = app.test_client()
    response = client.post("/api/v1/_echo", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.is_json and response.get_json()["error"]["code"] == 400
    wrong_type = client.post("/api/v1/_echo", data="a=b", content_type="text/plain")
    assert 400 <= wrong_type.status_code < 500 and wrong_type.is_json


def test_api_blueprint_is_rate_limited(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, API_RATE_LIMIT="2 per minute")

    @public
    def ping() -> Any:
        return jsonify(ok=True)

    app.add_url_rule("/api/v1/_ping", endpoint="api._ping", view_func=ping)
    client = app.test_client()
    assert [client.get("/api/v1/_ping").status_code for _ in range(3)] == [200, 200, 429]


def test_signup_ignores_extra_fields(app: Flask, client: FlaskClient, mail_sink: object) -> None:
    response = _signup(
        client,
        "extra@example.org",
        role="admin",
        is_verified="1",
        is_enabled="0",
        institution_id="1",
        email_verified_at="2020-01-01T00:00:00",
        session_version="99",
        id="1",
    )
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "extra@example.org"))
        assert user is not None
        assert user.role == "professional"
        assert user.email_verified_at is None and user.is_enabled
        assert user.session_version == 1


def test_account_forms_ignore_extra_fields(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    client.post(
        "/auth/account/password",
        data={
            "current_password": "correct horse battery staple",
            "password": "another long passphrase",
            "confirm": "another long passphrase",
            "role": "admin",
            "email": "hijack@example.org",
            "email_verified_at": "",
            "is_enabled": "1",
        },
    )
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored is not None
        assert stored.role == "professional" and stored.email == user.email


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "https:evil.com",
        "http://evil.com/",
        "https://evil.com@localhost.evil.com/",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        " //evil.com",
        "/%5Cevil.com",
    ],
)
def test_next_parameter_only_leads_to_this_site(
    client: FlaskClient, make_user: Callable[..., Any], target: str
) -> None:
    user = make_user("professional")
    response = client.post(
        "/auth/login",
        query_string={"next": target},
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith("//")
    assert "evil.com" not in location.split("?")[0] or location.startswith("/%5C")
    assert "javascript" not in location.lower()


def test_next_parameter_keeps_local_paths(
    client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    response = client.post(
        "/auth/login?next=/auth/account",
        data={"email": user.email, "password": "correct horse battery staple"},
    )
    assert response.headers["Location"] == "/auth/account"


def test_session_cookie_changes_at_login_and_old_one_stays_anonymous(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = make_user("professional")
    client.post("/language", data={"locale": "fr"})  # makes a pre-login session cookie
    before = client.get_cookie("umuhuza_session")
    assert before is not None
    login(client, user.email)
    after = client.get_cookie("umuhuza_session")
    assert after is not None and after.value != before.value
    attacker = app.test_client()
    attacker.set_cookie("umuhuza_session", before.value)
    assert attacker.get("/auth/account").status_code == 302


def test_copied_session_cookie_dies_at_log_out(app: Flask, make_user: Callable[..., Any]) -> None:
    user = make_user("professional")
    owner, thief = app.test_client(), app.test_client()
    login(owner, user.email)
    stolen = owner.get_cookie("umuhuza_session")
    assert stolen is not None
    thief.set_cookie("umuhuza_session", stolen.value)
    assert thief.get("/auth/account").status_code == 200
    owner.post("/auth/logout")
    response = thief.get("/auth/account")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_hsts_only_when_configured_for_production(app_factory: Callable[..., Flask]) -> None:
    from config.settings import ProductionConfig, TestConfig

    assert ProductionConfig.SECURITY_HSTS and not TestConfig.SECURITY_HSTS
    plain = app_factory().test_client().get("/")
    assert "Strict-Transport-Security" not in plain.headers
    hsts = app_factory(SECURITY_HSTS=True).test_client().get("/")
    assert hsts.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_authenticated_pages_are_not_cached(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    for path in ("/auth/account", "/privacy-centre/", "/auth/2fa"):
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_session_cookie_flags_in_production_settings(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    from config.settings import ProductionConfig

    app = app_factory(
        SESSION_COOKIE_SECURE=ProductionConfig.SESSION_COOKIE_SECURE,
        REMEMBER_COOKIE_SECURE=ProductionConfig.REMEMBER_COOKIE_SECURE,
    )
    user = make_user("professional")
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": "correct horse battery staple", "remember": "y"},
    )
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("umuhuza_session="))
    remember_cookie = next(c for c in cookies if c.startswith("remember_token="))
    for cookie in (session_cookie, remember_cookie):
        assert "Secure" in cookie and "HttpOnly" in cookie
    assert "SameSite=Lax" in session_cookie


def test_security_headers_on_every_page(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
