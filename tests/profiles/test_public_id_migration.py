"""Migration 5e0c1a9d2b7f gives every existing profile its own random public id."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.support.databases import backends, temporary_database

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
BEFORE, AFTER = "23139d739866", "5e0c1a9d2b7f"


def _filler(column: sa.Column[Any]) -> Any:
    """A value for a required column (the test only needs rows to exist)."""
    try:
        kind = column.type.python_type
    except NotImplementedError:
        return "[]"
    if kind is bool:
        return False
    if kind is int:
        return 0
    if kind is datetime:
        return datetime.now(UTC)
    if kind in (list, dict):
        return [] if kind is list else {}
    return "x"


def _insert(connection: sa.Connection, name: str, **given: Any) -> int:
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    values = dict(given)
    for column in table.columns:
        required = not column.nullable and column.server_default is None
        if column.name not in values and required and not column.primary_key:
            values[column.name] = _filler(column)
    return int(connection.execute(table.insert().values(**values)).inserted_primary_key[0])


@pytest.mark.parametrize("backend", backends())
def test_existing_profiles_get_distinct_public_ids(backend: str, tmp_path: Path) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(directory=str(MIGRATIONS), revision=BEFORE)
            with db.engine.begin() as connection:
                for n in range(3):
                    user_id = _insert(
                        connection, "users", email=f"p{n}@example.org", role="professional"
                    )
                    _insert(connection, "profiles", user_id=user_id, sectors=[])
            upgrade(directory=str(MIGRATIONS), revision=AFTER)
            with db.engine.connect() as connection:
                ids = list(connection.execute(sa.text("SELECT public_id FROM profiles")).scalars())
            db.engine.dispose()
    assert len(ids) == 3 and len(set(ids)) == 3
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22}", public_id) for public_id in ids)
