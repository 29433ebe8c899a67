"""Fixtures: an app per test on SQLite (and PostgreSQL when TEST_DATABASE_URL is set), a client,
a real local SMTP server, and logging in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.factories.auth import DEFAULT_PASSWORD
from tests.support.databases import backends, clear_tables, temporary_database
from tests.support.smtp import MailSink, SMTPServer


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def mail_sink(smtp_server: SMTPServer) -> Iterator[MailSink]:
    """The messages delivered to the local SMTP server during this test."""
    smtp_server.sink.clear()
    yield smtp_server.sink
    smtp_server.sink.clear()


@pytest.fixture(scope="session", params=backends())
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A database of each configured backend, with the schema created once per session."""
    workdir = tmp_path_factory.mktemp(f"db-{request.param}")
    with temporary_database(request.param, workdir) as url:
        schema_app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with schema_app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url


@pytest.fixture()
def app_factory(
    database_url: str, smtp_server: SMTPServer, tmp_path: Path
) -> Iterator[Callable[..., Flask]]:
    """Build test apps on the test database; tables are emptied after the test."""
    created: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        settings: dict[str, Any] = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server.port,
            "UPLOAD_DIR": tmp_path / "uploads",
            "INSTANCE_DIR": tmp_path,
        }
        settings.update(overrides)
        application = create_app("test", **settings)
        created.append(application)
        return application

    yield build
    if created:
        with created[0].app_context():
            db.session.remove()
            clear_tables(db.engine, db.metadata)
        for application in created:
            with application.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture()
def app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory()


@pytest.fixture()
def app_context(app: Flask) -> Iterator[Flask]:
    """An app context for service tests (never hold one while making requests)."""
    with app.app_context():
        yield app


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def login(client: FlaskClient, email: str, password: str = DEFAULT_PASSWORD) -> Any:
    """Log in through the real form and return the response."""
    return client.post("/auth/login", data={"email": email, "password": password})


@pytest.fixture()
def make_user(app: Flask) -> Callable[..., Any]:
    """Create an account (committed) and return a detached snapshot with id, email and role."""
    from tests.factories.auth import UserFactory

    def make(role: str = "professional", **fields: Any) -> Any:
        with app.app_context():
            user = UserFactory(role=role, **fields)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture()
def logged_in(client: FlaskClient, make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Create an account of a role, log the client in as it, and return the account."""

    def as_role(role: str = "professional", **fields: Any) -> Any:
        user = make_user(role, **fields)
        response = login(client, user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return as_role
