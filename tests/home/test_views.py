"""Public pages, errors, language choice and response headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db


def test_landing_page_speaks_to_three_audiences(client: FlaskClient) -> None:
    page = client.get("/").get_data(as_text=True)
    assert "Diaspora professionals" in page
    assert "Rwandan institutions" in page
    assert "RCA staff" in page
    assert "/static/css/app.css" in page
    assert "http://" not in page.replace("http://localhost", "")  # no CDN: every asset is ours


def test_french_page_renders_french_text(client: FlaskClient) -> None:
    response = client.get("/", headers={"Accept-Language": "fr"})
    page = response.get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Se connecter" in page or "Connexion" in page
    assert "Professionnels de la diaspora" in page


def test_language_switcher_is_remembered_for_the_user(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    response = client.post("/language", data={"locale": "rw", "next": "/auth/account"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/account")
    assert '<html lang="rw">' in client.get("/auth/account").get_data(as_text=True)
    with app.app_context():
        stored = db.session.scalar(select(User).where(User.id == user.id))
        assert stored is not None and stored.locale == "rw"


def test_language_switch_refuses_offsite_next(client: FlaskClient) -> None:
    response = client.post("/language", data={"locale": "fr", "next": "//evil.example.com"})
    assert response.headers["Location"] == "/"


def test_error_pages_share_the_look(client: FlaskClient) -> None:
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert "Page not found" in missing.get_data(as_text=True)
    wrong_method = client.delete("/")
    assert wrong_method.status_code == 405
    assert "Method not allowed" in wrong_method.get_data(as_text=True)


def test_api_style_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.is_json and response.get_json()["error"]["code"] == 404


def test_oversized_request_gets_413(app: Flask, client: FlaskClient) -> None:
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/auth/login", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "larger than we accept" in response.get_data(as_text=True)


def test_unexpected_error_gets_500_page(app_factory: Callable[..., Flask]) -> None:
    app = app_factory()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("boom")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.get_data(as_text=True)


def test_security_headers_on_every_response(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "script-src 'self'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_authenticated_pages_are_not_cached(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert client.get("/auth/account").headers["Cache-Control"] == "no-store"


def test_dashboard_needs_login(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
