"""Staff actions on personal data in each feature leave an audit entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.institutions import services as institution_services
from app.institutions.models import InstitutionStatus
from app.outreach import services as outreach_services
from tests.factories.auth import StaffUserFactory
from tests.factories.institutions import InstitutionFactory
from tests.factories.outreach import create_members, make_message
from tests.factories.profiles import ProfileFactory


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_staff_viewing_a_profile_is_audited(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    staff = logged_in("rca_staff")
    with app.app_context():
        profile = ProfileFactory(phone="+250788123456")
        db.session.commit()
        profile_id, owner_id = profile.id, profile.user_id
    assert client.get(f"/profile/{profile_id}").status_code == 200
    with app.app_context():
        [entry] = _entries(actions.PROFILE_CONTACT_VIEWED)
        assert entry.actor_id == staff.id and entry.subject_user_id == owner_id
        assert entry.target_id == profile_id


def test_owner_viewing_their_own_profile_is_not_audited(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    owner = logged_in("professional")
    with app.app_context():
        profile = ProfileFactory(user=db.session.get(User, owner.id))
        db.session.commit()
        profile_id = profile.id
    assert client.get(f"/profile/{profile_id}").status_code == 200
    with app.app_context():
        assert _entries(actions.PROFILE_CONTACT_VIEWED) == []
        assert _entries(actions.PROFILE_VIEWED) == []


def test_verifying_an_organisation_is_audited(app_context: Flask) -> None:
    staff = StaffUserFactory()
    institution = InstitutionFactory(status=InstitutionStatus.PENDING)
    institution_services.approve_institution(institution, reviewed_by=staff)
    [entry] = _entries(actions.ORGANISATION_VERIFIED)
    assert entry.actor_id == staff.id and entry.target_id == institution.id


def test_sending_a_message_is_audited(app_context: Flask) -> None:
    staff = StaffUserFactory()
    create_members(3)
    message = make_message(staff.id)
    outreach_services.send_message(message)
    [entry] = _entries(actions.MESSAGE_SENT)
    assert entry.target_id == message.id
    assert entry.details["recipients"] == 3
