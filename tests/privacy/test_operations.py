"""Breach report and database backup/restore from the command line."""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import User
from app.extensions import db
from tests.support.databases import backends


def test_breach_report_lists_members_and_categories(
    app: Flask, make_user: Callable[..., Any]
) -> None:
    member = make_user("professional")
    other = make_user("professional")
    staff = make_user("rca_staff")
    with app.app_context():
        actor = db.session.get(User, staff.id)
        record_audit(
            actions.PROFILE_CONTACT_VIEWED, target=("profiles", 1), subject=member.id, actor=actor
        )
        record_audit(
            actions.PROFILE_CONTACT_VIEWED, target=("profiles", 1), subject=member.id, actor=actor
        )
        record_audit(
            actions.CSV_EXPORTED, details={"subject_ids": [member.id, other.id]}, actor=actor
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(
        args=["privacy", "breach-report", "--since", "2000-01-01", "--until", "2999-12-31"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    viewed = [r for r in rows if r["action"] == actions.PROFILE_CONTACT_VIEWED]
    assert viewed == [
        {
            "member_id": str(member.id),
            "source": "audit",
            "category": "contact details",
            "action": actions.PROFILE_CONTACT_VIEWED,
            "first_at": viewed[0]["first_at"],
            "last_at": viewed[0]["last_at"],
            "events": "2",
        }
    ]
    exported = {r["member_id"] for r in rows if r["action"] == actions.CSV_EXPORTED}
    assert exported == {str(member.id), str(other.id)}
    updated = {
        r["member_id"] for r in rows if r["source"] == "updated" and r["category"] == "users"
    }
    assert {str(member.id), str(other.id), str(staff.id)} <= updated


def test_breach_report_period_and_table_filter(
    app: Flask, make_user: Callable[..., Any], tmp_path: Path
) -> None:
    make_user("professional")
    runner = app.test_cli_runner()
    old = runner.invoke(
        args=["privacy", "breach-report", "--since", "2001-01-01", "--until", "2001-01-02"]
    )
    assert old.exit_code == 0 and old.stdout.strip().count("\n") == 0  # header only
    out = tmp_path / "report.csv"
    only = runner.invoke(
        args=[
            "privacy",
            "breach-report",
            "--since",
            "2000-01-01",
            "--until",
            "2999-01-01",
            "--table",
            "profiles",
            "--output",
            str(out),
        ]
    )
    assert only.exit_code == 0, only.output
    assert out.read_text().splitlines() == [
        ",".join(("member_id", "source", "category", "action", "first_at", "last_at", "events"))
    ]
    backwards = runner.invoke(
        args=["privacy", "breach-report", "--since", "2020-01-02", "--until", "2020-01-01"]
    )
    assert backwards.exit_code != 0
    with app.app_context():
        from app.audit.models import AuditEntry

        assert (
            db.session.scalar(select(AuditEntry).where(AuditEntry.action == actions.BREACH_REPORT))
            is not None
        )


@pytest.mark.skipif("sqlite" not in backends(), reason="SQLite backup")
def test_backup_and_restore_a_sqlite_database(
    app_factory: Callable[..., Flask], tmp_path: Path
) -> None:
    source_url = f"sqlite:///{tmp_path / 'live.db'}"
    live = app_factory(SQLALCHEMY_DATABASE_URI=source_url)
    with live.app_context():
        db.create_all()
        db.session.execute(
            text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        )
        db.session.execute(text("INSERT INTO alembic_version VALUES ('b89cf656e19d')"))
        from tests.factories.auth import UserFactory

        UserFactory(email="kept@example.org", full_name="Kept Person")
        db.session.commit()
    backup = tmp_path / "backup.db"
    result = live.test_cli_runner().invoke(args=["db-backup", str(backup)])
    assert result.exit_code == 0, result.output
    assert backup.read_bytes()[:16] == b"SQLite format 3\x00"
    again = live.test_cli_runner().invoke(args=["db-backup", str(backup)])
    assert again.exit_code != 0  # never overwrites

    fresh = app_factory(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'fresh.db'}")
    runner = fresh.test_cli_runner()
    refused = runner.invoke(args=["db-restore", str(backup)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    restored = runner.invoke(args=["db-restore", str(backup), "--yes"])
    assert restored.exit_code == 0, restored.output
    with fresh.app_context():
        user = db.session.scalar(select(User).where(User.email == "kept@example.org"))
        assert user is not None and user.full_name == "Kept Person"
        db.session.remove()
        db.engine.dispose()
    with live.app_context():
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_files_that_are_not_our_backups(app: Flask, tmp_path: Path) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("restore is for SQLite")
    not_sqlite = tmp_path / "x.db"
    not_sqlite.write_bytes(b"hello, not a database at all")
    plain = tmp_path / "plain.db"
    sqlite3.connect(plain).execute("CREATE TABLE t (x)").connection.commit()
    runner = app.test_cli_runner()
    assert (
        "not a SQLite database"
        in runner.invoke(args=["db-restore", str(not_sqlite), "--yes"]).output
    )
    assert "alembic_version" in runner.invoke(args=["db-restore", str(plain), "--yes"]).output


def test_postgres_backup_prints_pg_dump_command_without_password() -> None:
    from sqlalchemy.engine import make_url

    from app.privacy.cli import _pg_environment, pg_dump_command

    url = make_url("postgresql+psycopg://umuhuza:s3cret@db.internal:5433/umuhuza")
    command = pg_dump_command(url, Path("/backups/x.dump"))
    assert command[0] == "pg_dump" and "--format=custom" in command
    assert not any("s3cret" in part for part in command)
    env = _pg_environment(url)
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGPASSWORD"], env["PGDATABASE"]) == (
        "db.internal",
        "5433",
        "umuhuza",
        "s3cret",
        "umuhuza",
    )
