"""Admin account actions: disable (kills sessions), role change, two-factor reset, all audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from tests.conftest import login
from tests.factories.security import enrol


def _audit(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_admin_creating_a_staff_account_is_audited(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    admin = logged_in("admin")
    response = client.post(
        "/staff/accounts",
        data={
            "full_name": "New Staff",
            "email": "new.staff@example.org",
            "role": "rca_staff",
            "password": "a long initial passphrase",
        },
    )
    assert response.status_code == 302
    [entry] = _audit(app, "staff.account_created")
    assert entry.actor_id == admin.id and entry.details == {"role": "rca_staff"}


def test_disabling_an_account_ends_its_sessions(app: Flask, make_user: Callable[..., Any]) -> None:
    member = make_user("professional")
    admin = make_user("admin")
    member_client, admin_client = app.test_client(), app.test_client()
    assert login(member_client, member.email).status_code == 302
    assert member_client.get("/auth/account").status_code == 200
    assert login(admin_client, admin.email).status_code == 302

    response = admin_client.post(f"/staff/users/{member.id}/disable")
    assert response.status_code == 302
    assert member_client.get("/auth/account").status_code == 302  # the session is dead
    assert login(member_client, member.email).status_code == 401  # and log-in refused
    [entry] = _audit(app, "user.disabled")
    assert entry.actor_id == admin.id and entry.target_id == member.id

    admin_client.post(f"/staff/users/{member.id}/enable")
    assert login(member_client, member.email).status_code == 302
    assert len(_audit(app, "user.enabled")) == 1


def test_admin_changes_a_role_and_it_is_audited(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    member = make_user("professional")
    logged_in("admin")
    response = client.post(f"/staff/users/{member.id}/role", data={"role": "rca_staff"})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, member.id)
        assert user is not None and user.role == "rca_staff" and user.session_version == 2
    [entry] = _audit(app, "user.role_changed")
    assert entry.details == {"from": "professional", "to": "rca_staff"}
    bad = client.post(f"/staff/users/{member.id}/role", data={"role": "emperor"})
    assert bad.status_code == 400


def test_admin_cannot_disable_or_demote_themselves(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    admin = logged_in("admin")
    client.post(f"/staff/users/{admin.id}/disable")
    client.post(f"/staff/users/{admin.id}/role", data={"role": "professional"})
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert user is not None and user.is_enabled and user.role == "admin"


def test_admin_resets_two_factor(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    enrol(app, staff.id)
    logged_in("admin")
    response = client.post(f"/staff/users/{staff.id}/reset-2fa")
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, staff.id)
        assert user is not None and not user.has_two_factor and user.totp_secret is None
    assert len(_audit(app, "2fa.reset")) == 1


def test_staff_actions_are_admin_only(
    client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    member = make_user("professional")
    logged_in("rca_staff")
    assert client.get("/staff/users").status_code == 200
    assert client.get(f"/staff/users/{member.id}").status_code == 200
    for path in ("disable", "enable", "reset-2fa"):
        assert client.post(f"/staff/users/{member.id}/{path}").status_code == 403
    assert client.post(f"/staff/users/{member.id}/role", data={"role": "admin"}).status_code == 403


def test_user_search_treats_sql_and_wildcards_as_text(
    client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    make_user("professional", email="alice@example.org", full_name="Alice Uwase")
    logged_in("admin")
    found = client.get("/staff/users?q=alice")
    assert "alice@example.org" in found.get_data(as_text=True)
    for hostile in ("' OR '1'='1", "%", "_", "'; DROP TABLE users; --", "\\"):
        response = client.get("/staff/users", query_string={"q": hostile})
        assert response.status_code == 200
        assert "alice@example.org" not in response.get_data(as_text=True)
    assert client.get("/staff/users?q=alice").status_code == 200  # the table is still there
    assert client.get("/staff/users?page=-5&role=nonsense").status_code == 400
