"""Institutions and memberships."""

from __future__ import annotations

from typing import Any

import factory

from app.institutions.models import (
    Institution,
    InstitutionMembership,
    InstitutionStatus,
    InstitutionType,
)
from tests.factories.auth import InstitutionUserFactory
from tests.factories.base import BaseFactory


class InstitutionFactory(BaseFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n}")
    type = InstitutionType.PUBLIC_HOSPITAL
    sector = "health"
    district = "gasabo"
    address = "KG 544 St"
    website = "https://example.rw"
    email_domain = "example.rw"
    status = InstitutionStatus.VERIFIED


class MembershipFactory(BaseFactory):
    class Meta:
        model = InstitutionMembership

    institution = factory.SubFactory(InstitutionFactory)
    user = factory.SubFactory(InstitutionUserFactory)
    is_admin = True


def add_institution_for(user_id: int, *, is_admin: bool = True, **fields: Any) -> int:
    """Create an institution with the (existing) user as member, commit, return its id."""
    from app.auth.models import User
    from app.extensions import db

    user = db.session.get(User, user_id)
    institution = InstitutionFactory(**fields)
    MembershipFactory(institution=institution, user=user, is_admin=is_admin)
    db.session.commit()
    return int(institution.id)
