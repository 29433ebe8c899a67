"""The audit log: written through record_audit, append-only, searchable by admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update

from app.audit import actions
from app.audit.models import AuditEntry, AuditLogImmutable
from app.audit.services import record_audit
from app.auth.models import User
from app.extensions import db


def test_record_audit_takes_actor_ip_and_agent_from_the_request(
    app: Flask, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    member = make_user("professional")
    with app.test_request_context(
        "/", environ_base={"REMOTE_ADDR": "203.0.113.9"}, headers={"User-Agent": "pytest-agent"}
    ):
        actor = db.session.get(User, staff.id)
        target = db.session.get(User, member.id)
        entry = record_audit(
            actions.PROFILE_CONTACT_VIEWED, target=target, details={"field": "phone"}, actor=actor
        )
        db.session.commit()
        assert entry.actor_id == staff.id
        assert entry.ip == "203.0.113.9" and entry.user_agent == "pytest-agent"
        assert (entry.target_type, entry.target_id, entry.subject_user_id) == (
            "users",
            member.id,
            member.id,
        )
        assert entry.details == {"field": "phone"}
        assert entry.at is not None


def test_record_audit_without_request_has_no_actor(app_context: Flask) -> None:
    entry = record_audit(actions.DATABASE_BACKUP, details={"backend": "sqlite"})
    db.session.commit()
    assert entry.actor_id is None and entry.ip is None


def test_audit_entries_cannot_be_changed_or_deleted(app_context: Flask) -> None:
    entry = record_audit(actions.CSV_EXPORTED, target=("needs", 4), details={"rows": 3})
    db.session.commit()

    entry.action = "something.else"
    with pytest.raises(AuditLogImmutable):
        db.session.flush()
    db.session.rollback()

    db.session.delete(entry)
    with pytest.raises(AuditLogImmutable):
        db.session.flush()
    db.session.rollback()

    with pytest.raises(AuditLogImmutable):
        db.session.execute(update(AuditEntry).values(action="x"))
    db.session.rollback()
    with pytest.raises(AuditLogImmutable):
        db.session.execute(delete(AuditEntry))
    db.session.rollback()

    stored = db.session.scalars(select(AuditEntry)).one()
    assert stored.action == actions.CSV_EXPORTED and stored.details == {"rows": 3}


def test_no_route_edits_or_deletes_audit_entries(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if "audit" in rule.rule:
            assert rule.methods is not None
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule


def _entries(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_admin_searches_the_audit_log(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    other = make_user("rca_staff", email="other.staff@example.org")
    with app.app_context():
        actor = db.session.get(User, other.id)
        for index in range(60):
            record_audit(actions.PROFILE_VIEWED, target=("profiles", index), actor=actor)
        record_audit(actions.CSV_EXPORTED, target=("needs", 7), actor=actor)
        db.session.commit()
    logged_in("admin")
    page = client.get("/staff/audit")
    assert page.status_code == 200
    assert "61 entries" in page.get_data(as_text=True)

    by_action = client.get("/staff/audit?action=export.csv")
    assert "1 entries" in by_action.get_data(as_text=True)
    by_actor = client.get("/staff/audit?actor=other.staff")
    assert "61 entries" in by_actor.get_data(as_text=True)
    by_target = client.get("/staff/audit?target_type=profiles&target_id=3")
    assert "1 entries" in by_target.get_data(as_text=True)
    future = client.get("/staff/audit?date_from=2999-01-01")
    assert "0 entries" in future.get_data(as_text=True)
    today = client.get("/staff/audit?date_to=2999-01-01&date_from=2000-01-01")
    assert "61 entries" in today.get_data(as_text=True)
    second = client.get("/staff/audit?page=2")
    assert second.status_code == 200 and "Page 2 of 2" in second.get_data(as_text=True)
    bad = client.get("/staff/audit?date_from=not-a-date")
    assert bad.status_code == 400


def test_audit_page_is_admin_only(client: FlaskClient, logged_in: Callable[..., Any]) -> None:
    assert client.get("/staff/audit").status_code == 302
    logged_in("rca_staff")
    assert client.get("/staff/audit").status_code == 403


def test_audit_details_are_escaped(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    with app.app_context():
        record_audit(actions.CSV_EXPORTED, details={"filter": "<script>alert(1)</script>"})
        db.session.commit()
    logged_in("admin")
    page = client.get("/staff/audit").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
