"""Migrations: one head, `upgrade head` on an empty database, and no difference from the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from tests.support.databases import backends, temporary_database

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def test_there_is_exactly_one_head() -> None:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, heads


@pytest.mark.parametrize("backend", backends())
def test_upgrade_head_matches_the_models(backend: str, tmp_path: Path) -> None:
    with temporary_database(backend, tmp_path) as url:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(directory=str(MIGRATIONS))
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True, "render_as_batch": True}
                )
                differences = compare_metadata(context, db.metadata)
            db.engine.dispose()
        assert differences == [], differences
