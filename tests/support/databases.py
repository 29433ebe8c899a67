"""Test databases: a temporary SQLite file, and a throw-away PostgreSQL database when configured."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


def backends() -> list[str]:
    """SQLite always; PostgreSQL too when TEST_DATABASE_URL points at one."""
    names = ["sqlite"]
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        names.append("postgresql")
    return names


@contextmanager
def temporary_database(backend: str, workdir: Path) -> Iterator[str]:
    """Yield the URL of a new empty database of the backend, dropped afterwards."""
    if backend == "sqlite":
        path = workdir / f"test-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path}"
        path.unlink(missing_ok=True)
        return
    server_url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"umuhuza_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def clear_tables(engine_or_connection: object, metadata: object) -> None:
    """Empty every table between tests (much faster than recreating the schema)."""
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Engine

    assert isinstance(metadata, MetaData)
    assert isinstance(engine_or_connection, Engine)
    tables = list(reversed(metadata.sorted_tables))
    with engine_or_connection.begin() as connection:
        if engine_or_connection.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            if names:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())
