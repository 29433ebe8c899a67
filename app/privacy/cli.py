"""`flask privacy breach-report`, and `flask db-backup` / `flask db-restore`."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.engine import URL, make_url

from app.audit import actions
from app.audit.services import record_audit
from app.extensions import db
from app.privacy.breach import breach_report, to_csv

privacy_cli = AppGroup("privacy", help="Personal-data protection tasks.")

_DAY = click.DateTime(formats=["%Y-%m-%d"])
_MOMENT = click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])


@privacy_cli.command("breach-report")
@click.option("--since", required=True, type=_MOMENT, help="Start (UTC), e.g. 2026-11-01.")
@click.option(
    "--until", required=True, type=_MOMENT, help="End (UTC); a bare date includes that day."
)
@click.option("--table", "tables", multiple=True, help="Only these tables (repeatable).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="CSV file.")
def breach_report_command(
    since: datetime, until: datetime, tables: tuple[str, ...], output: Path | None
) -> None:
    """List which members' data was touched, exported or viewed in a period (CSV)."""
    start = since.replace(tzinfo=UTC)
    end = until.replace(tzinfo=UTC)
    if until.hour == until.minute == until.second == 0:
        end += timedelta(days=1)
    if end <= start:
        raise click.BadParameter("--until must be after --since.")
    rows = breach_report(start, end, tables=tables or None)
    text = to_csv(rows)
    record_audit(
        actions.BREACH_REPORT,
        details={
            "since": start.isoformat(),
            "until": end.isoformat(),
            "tables": list(tables),
            "rows": len(rows),
        },
    )
    db.session.commit()
    if output:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(rows)} rows written to {output}.", err=True)
    else:
        click.echo(text, nl=False)


# --- Backups ---------------------------------------------------------------------------------


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise click.ClickException("This SQLite database is in memory: nothing to back up.")
    return Path(url.database)


def _pg_environment(url: URL) -> dict[str, str]:
    # Credentials go through libpq's environment variables, never the command line (ps shows it).
    env = dict(os.environ)
    for key, value in {
        "PGHOST": url.host,
        "PGPORT": str(url.port) if url.port else None,
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
    }.items():
        if value:
            env[key] = str(value)
    return env


def pg_dump_command(url: URL, path: Path) -> list[str]:
    """The pg_dump command for a custom-format dump (restore with pg_restore)."""
    return ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"]


@click.command("db-backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def db_backup(path: Path) -> None:
    """Back up the database to PATH (SQLite online backup, or pg_dump for PostgreSQL)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if path.exists():
        raise click.ClickException(f"{path} exists; choose a new file.")
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)  # consistent copy while the app keeps running
        finally:
            target.close()
            source.close()
        path.chmod(0o600)
    elif url.get_backend_name() == "postgresql":
        command = pg_dump_command(url, path)
        shown = " ".join(command)
        if shutil.which("pg_dump") is None:
            click.echo("pg_dump is not installed here. Run, with PGHOST/PGPORT/PGUSER/")
            click.echo(f"PGPASSWORD/PGDATABASE set from DATABASE_URL:\n  {shown}")
            raise SystemExit(1)
        click.echo(f"Running: {shown} (database {url.database} on {url.host})")
        subprocess.run(command, env=_pg_environment(url), check=True)  # noqa: S603
    else:
        raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
    _audit_ops(actions.DATABASE_BACKUP, {"backend": url.get_backend_name()})
    click.echo(f"Backup written to {path}.")


def check_sqlite_backup(path: Path) -> None:
    """Raise ClickException unless path is an intact SQLite database with an alembic_version."""
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise click.ClickException(f"{path} is not a SQLite database.")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA integrity_check").fetchone() != ("ok",):
            raise click.ClickException(f"{path} fails SQLite's integrity check.")
        found = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if found is None:
            raise click.ClickException(f"{path} has no alembic_version table: not our backup.")
    finally:
        connection.close()


@click.command("db-restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Confirm that the current data will be replaced.")
@with_appcontext
def db_restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database with the backup at PATH (PostgreSQL: use pg_restore)."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "Restore PostgreSQL with pg_restore (see docs/security.md, Backups)."
        )
    if not yes:
        raise click.ClickException("This replaces all current data. Re-run with --yes.")
    check_sqlite_backup(path)
    target_path = _sqlite_path(url)
    db.session.remove()
    db.engine.dispose()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()
    _audit_ops(actions.DATABASE_RESTORE, {"backend": "sqlite"})
    click.echo(f"Database restored from {path}.")


def _audit_ops(action: str, details: dict[str, object]) -> None:
    try:
        record_audit(action, details=details)
        db.session.commit()
    except Exception:  # a restored database from before the audit table
        db.session.rollback()
