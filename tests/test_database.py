"""SQLite as deployed: WAL with a busy timeout, so a web write waits for the worker's write."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import text

from app.database import SQLITE_BUSY_TIMEOUT_MS
from app.extensions import db

HOLD_SECONDS = 0.8


@pytest.fixture()
def sqlite_app(app: Flask, app_factory: Callable[..., Flask], tmp_path: Path) -> Flask:
    """An app on its own SQLite file (whatever the suite's backend), with one small table.

    `app` is built first so that the fixture's clean-up empties the suite's database, not this.
    """
    application = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.db'}")
    with application.app_context():
        db.session.execute(text("CREATE TABLE writes (id INTEGER PRIMARY KEY, who TEXT)"))
        db.session.commit()
    return application


def test_sqlite_file_runs_in_wal_mode_with_a_busy_timeout(sqlite_app: Flask) -> None:
    with sqlite_app.app_context():
        pragma = lambda name: db.session.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS >= 10_000
        assert pragma("foreign_keys") == 1


def test_web_write_waits_for_the_workers_write_and_succeeds(
    sqlite_app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "wal.db"
    holding = threading.Event()
    failures: list[BaseException] = []

    def worker() -> None:
        # Another connection (the worker process) holds a write transaction for a moment.
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("INSERT INTO writes (who) VALUES ('worker')")
            holding.set()
            threading.Event().wait(HOLD_SECONDS)
            connection.execute("COMMIT")
        except BaseException as exc:  # pragma: no cover (reported below)
            failures.append(exc)
            holding.set()
        finally:
            connection.close()

    thread = threading.Thread(target=worker)
    thread.start()
    assert holding.wait(10)
    # Without a busy timeout the same write fails at once: the lock is really held.
    impatient = sqlite3.connect(path, timeout=0, isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        impatient.execute("INSERT INTO writes (who) VALUES ('impatient')")
    impatient.close()
    with sqlite_app.app_context():
        db.session.execute(text("INSERT INTO writes (who) VALUES ('web')"))
        db.session.commit()  # waits for the worker's COMMIT instead of "database is locked"
        thread.join(10)
        assert failures == []
        rows = db.session.execute(text("SELECT who FROM writes ORDER BY id")).scalars().all()
        assert rows == ["worker", "web"]
