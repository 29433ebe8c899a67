"""Institution services without HTTP: direct publishing is decided by staff, per organisation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.errors import InvalidTransition, NotAllowed
from app.extensions import db
from app.institutions import services
from app.institutions.models import InstitutionStatus
from app.needs import services as need_services
from app.needs.models import NeedStatus
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory


def _entries(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_staff_allow_direct_publishing_and_the_change_is_audited(app_context: Flask) -> None:
    staff = StaffUserFactory()
    institution = InstitutionFactory()
    assert not institution.can_publish_directly

    assert services.set_direct_publishing(institution, True, changed_by=staff)

    assert institution.can_publish_directly
    [entry] = _entries(actions.ORGANISATION_DIRECT_PUBLISHING)
    assert entry.actor_id == staff.id and entry.target_id == institution.id
    assert entry.details == {"can_publish_directly": True}


def test_setting_the_same_value_again_changes_nothing(app_context: Flask) -> None:
    staff = StaffUserFactory()
    institution = InstitutionFactory()
    assert not services.set_direct_publishing(institution, False, changed_by=staff)
    assert _entries(actions.ORGANISATION_DIRECT_PUBLISHING) == []


def test_staff_take_direct_publishing_back(app_context: Flask) -> None:
    staff = StaffUserFactory()
    institution = InstitutionFactory(can_publish_directly=True)
    assert services.set_direct_publishing(institution, False, changed_by=staff)
    assert not institution.can_publish_directly
    [entry] = _entries(actions.ORGANISATION_DIRECT_PUBLISHING)
    assert entry.details == {"can_publish_directly": False}


def test_only_staff_may_allow_direct_publishing(app_context: Flask) -> None:
    member = InstitutionUserFactory()
    institution = InstitutionFactory()
    with pytest.raises(NotAllowed):
        services.set_direct_publishing(institution, True, changed_by=member)
    assert not institution.can_publish_directly
    assert _entries(actions.ORGANISATION_DIRECT_PUBLISHING) == []


def test_an_unverified_organisation_cannot_be_allowed_to_publish_directly(
    app_context: Flask,
) -> None:
    institution = InstitutionFactory(status=InstitutionStatus.PENDING)
    with pytest.raises(InvalidTransition):
        services.set_direct_publishing(institution, True, changed_by=StaffUserFactory())
    assert not institution.can_publish_directly


def test_direct_publishing_is_per_organisation(app_context: Flask) -> None:
    allowed = NeedFactory(status=NeedStatus.DRAFT, institution__can_publish_directly=True)
    reviewed = NeedFactory(status=NeedStatus.DRAFT)
    assert need_services.direct_publish_allowed(allowed)
    assert not need_services.direct_publish_allowed(reviewed)

    member = InstitutionUserFactory()
    need_services.submit_need(allowed, submitted_by=member)
    need_services.submit_need(reviewed, submitted_by=member)
    assert allowed.status == NeedStatus.OPEN and allowed.published_at is not None
    assert reviewed.status == NeedStatus.SUBMITTED


@pytest.mark.parametrize("setting", [True, False])
def test_the_setting_is_the_default_for_newly_verified_organisations(
    app_factory: Callable[..., Flask], setting: bool
) -> None:
    app = app_factory(NEEDS_DIRECT_PUBLISH_FOR_VERIFIED=setting)
    with app.app_context():
        institution = InstitutionFactory(status=InstitutionStatus.PENDING)
        services.approve_institution(institution, reviewed_by=StaffUserFactory())
        assert institution.can_publish_directly is setting
        [entry] = _entries(actions.ORGANISATION_VERIFIED)
        assert entry.details["can_publish_directly"] is setting
