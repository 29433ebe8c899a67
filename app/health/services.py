"""Readiness checks: the database answers, its schema is at the migrations' head, the index is in.

Each check returns a short machine-readable verdict; exception details go to the log, never to
the (public) response.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy import inspect, text

from app.extensions import db

log = logging.getLogger("umuhuza.health")

OK = "ok"
NOT_CHECKED = "not checked"
VERSION_TABLE = "alembic_version"  # alembic's default, which migrations/env.py keeps


@dataclass(slots=True)
class Readiness:
    """The verdict of each check ("ok" or why not) and the overall answer."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def failing(self) -> list[str]:
        """The checks that ran and did not pass (a check skipped after another failed is not)."""
        return [name for name, verdict in self.checks.items() if verdict not in (OK, NOT_CHECKED)]

    @property
    def ready(self) -> bool:
        return all(verdict == OK for verdict in self.checks.values())

    @property
    def status(self) -> str:
        """ "ok"; "loading" when only the index is still being built; "unavailable" otherwise."""
        if self.ready:
            return "ok"
        return "loading" if self.failing == ["index"] else "unavailable"


@lru_cache(maxsize=4)
def migration_revisions(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The head revision(s) and every revision of the migration scripts.

    Reading the scripts imports every migration file: done once per directory per process, not
    on every probe.
    """
    config = Config()
    config.set_main_option("script_location", directory)
    scripts = ScriptDirectory.from_config(config)
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return frozenset(scripts.get_heads()), known


def migrations_directory() -> str:
    """Flask-Migrate's directory, made absolute (it is relative to the repository root)."""
    directory = Path(current_app.extensions["migrate"].directory)
    if not directory.is_absolute():
        directory = Path(current_app.root_path).parent / directory
    return str(directory)


def check_database_and_migrations(readiness: Readiness) -> None:
    """One connection: the database answers a query, and its alembic_version is the head."""
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            # Read directly rather than through alembic's MigrationContext, which logs two INFO
            # lines per call: once per probe every few seconds, per worker.
            current: frozenset[str] = frozenset()
            if inspect(connection).has_table(VERSION_TABLE):
                current = frozenset(
                    connection.scalars(text(f"SELECT version_num FROM {VERSION_TABLE}"))  # noqa: S608
                )
    except Exception:  # any driver error means "not reachable" to a probe
        log.warning("readiness: the database is unreachable", exc_info=True)
        readiness.checks["database"] = "unreachable"
        readiness.checks["migrations"] = NOT_CHECKED
        return
    readiness.checks["database"] = OK
    heads, known = migration_revisions(migrations_directory())
    if current == heads:
        readiness.checks["migrations"] = OK
        return
    if not current:
        readiness.checks["migrations"] = "not applied"
    elif current <= known:
        readiness.checks["migrations"] = "behind head"
    else:  # the database was migrated by a newer release than this code
        readiness.checks["migrations"] = "unknown revision"
    log.warning("readiness: database at %s, migrations head %s", sorted(current), sorted(heads))


def check_index(readiness: Readiness) -> None:
    """The candidate index is held by this process; a missing one starts loading meanwhile."""
    from app.ranking.services import ensure_candidate_index

    try:
        readiness.checks["index"] = OK if ensure_candidate_index() else "loading"
    except Exception:
        log.warning("readiness: the candidate index cannot be built", exc_info=True)
        readiness.checks["index"] = "failed"
    finally:
        db.session.remove()


def check_readiness() -> Readiness:
    """Every check; the index is only looked at once the database and its schema are right."""
    readiness = Readiness()
    check_database_and_migrations(readiness)
    if readiness.failing:
        readiness.checks["index"] = NOT_CHECKED
    else:
        check_index(readiness)
    return readiness
