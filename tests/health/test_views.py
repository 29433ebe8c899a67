"""/healthz and /readyz: liveness without the database, readiness with every check (issue 21)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp, upgrade

from app import create_app
from app.extensions import db
from tests.support.databases import backends, temporary_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
UNREACHABLE = {
    "postgresql": "postgresql+psycopg://nobody@127.0.0.1:1/x",  # nothing listens on port 1
    "sqlite": "sqlite:////nonexistent-directory/umuhuza.db",
}


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


@pytest.fixture()
def make_app(tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Apps on a database of the test's own (not the shared test database, which has no
    alembic_version); their engines are disposed afterwards."""
    created: list[Flask] = []

    def make(url: str, **overrides: Any) -> Flask:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url, INSTANCE_DIR=tmp_path, **overrides)
        created.append(app)
        return app

    yield make
    for app in created:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(params=backends())
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with temporary_database(request.param, tmp_path) as url:
        yield url


def _migrated_to(app: Flask, revision: str = "head") -> None:
    """The schema of the models, recorded at a revision (as `flask db stamp` would)."""
    with app.app_context():
        db.create_all()
        stamp(directory=str(MIGRATIONS), revision=revision)


def _wait_for_index_build() -> None:
    """Join the background build /readyz started (a join, not a sleep)."""
    for thread in threading.enumerate():
        if thread.name == "candidate-index-rebuild":
            thread.join(timeout=60)


def test_healthz_answers_ok_without_a_session_cookie(
    make_app: Callable[..., Flask], empty_database: str
) -> None:
    response = make_app(empty_database).test_client().get("/healthz")

    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_loading_until_the_index_is_built_then_ready(
    make_app: Callable[..., Flask], empty_database: str
) -> None:
    app = make_app(empty_database)
    _migrated_to(app)
    client = app.test_client()

    first = client.get("/readyz")
    assert first.status_code == 503
    assert first.get_json() == {
        "status": "loading",
        "checks": {"database": "ok", "migrations": "ok", "index": "loading"},
        "failing": ["index"],
    }
    _wait_for_index_build()
    ready = client.get("/readyz")

    assert ready.status_code == 200, ready.get_json()
    assert ready.get_json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "index": "ok"},
    }
    assert "Set-Cookie" not in ready.headers


def test_readyz_is_ready_at_once_when_a_ranking_already_built_the_index(
    make_app: Callable[..., Flask], empty_database: str
) -> None:
    from app.ranking.services import candidate_pool

    app = make_app(empty_database)
    _migrated_to(app)
    with app.app_context():
        candidate_pool()  # what the first ranked list of this process does

    assert app.test_client().get("/readyz").status_code == 200


@pytest.mark.parametrize("backend", sorted(UNREACHABLE))
def test_database_down_healthz_ok_readyz_names_the_database(
    make_app: Callable[..., Flask], backend: str
) -> None:
    client = make_app(UNREACHABLE[backend]).test_client()

    live = client.get("/healthz")
    ready = client.get("/readyz")

    assert live.status_code == 200
    assert live.get_json() == {"status": "ok"}
    assert ready.status_code == 503
    assert ready.get_json() == {
        "status": "unavailable",
        "checks": {"database": "unreachable", "migrations": "not checked", "index": "not checked"},
        "failing": ["database"],
    }


def test_readyz_refuses_a_database_upgraded_to_an_older_revision(
    make_app: Callable[..., Flask], empty_database: str
) -> None:
    scripts = _scripts()
    (head,) = scripts.get_heads()
    previous = scripts.get_revision(head).down_revision
    assert isinstance(previous, str)
    app = make_app(empty_database)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS), revision=previous)  # a real `flask db upgrade <rev>`
    client = app.test_client()

    behind = client.get("/readyz")
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
    after = client.get("/readyz")

    assert behind.status_code == 503
    assert behind.get_json()["checks"]["migrations"] == "behind head"
    assert behind.get_json()["failing"] == ["migrations"]
    assert after.get_json()["checks"]["migrations"] == "ok"


@pytest.mark.parametrize(
    ("revision", "verdict"),
    [(None, "not applied"), ("0000deadbeef", "unknown revision")],
)
def test_readyz_refuses_a_schema_not_at_head(
    make_app: Callable[..., Flask], empty_database: str, revision: str | None, verdict: str
) -> None:
    app = make_app(empty_database)
    with app.app_context():
        db.create_all()
        if revision is not None:  # a newer release's migration, unknown to this code
            db.session.execute(db.text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
            db.session.execute(db.text("INSERT INTO alembic_version VALUES (:v)"), {"v": revision})
            db.session.commit()

    response = app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.get_json()["checks"]["migrations"] == verdict
    assert response.get_json()["failing"] == ["migrations"]


def test_probes_are_never_rate_limited(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    app = make_app(
        f"sqlite:///{tmp_path / 'limits.db'}",
        RATELIMIT_ENABLED=True,
        RATELIMIT_DEFAULT="2 per minute",
    )
    _migrated_to(app)
    client = app.test_client()

    probes = [client.get(path).status_code for path in ("/healthz", "/readyz") * 3]
    pages = [client.get("/privacy").status_code for _ in range(3)]

    assert 429 not in probes
    assert pages[-1] == 429  # the default limit is in force for ordinary pages
