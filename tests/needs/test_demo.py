"""The demo institutions and needs."""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db
from app.institutions.models import Institution, InstitutionMembership
from app.needs.demo import seed_institutions_and_needs
from app.needs.models import Need
from tests.factories.auth import UserFactory


def test_seed_institutions_and_needs(app_context: Flask) -> None:
    jean = UserFactory(
        email="jean.habimana@demo.umuhuza.rw", role=Role.INSTITUTION_MEMBER, full_name="Jean"
    )
    institutions, needs = seed_institutions_and_needs(
        20261201, password_hash=jean.password_hash, demo_member_email=jean.email
    )
    statuses = Counter(db.session.scalars(select(Institution.status)))
    assert statuses["verified"] >= 15 and 1 <= statuses["pending"] <= 2
    assert institutions == sum(statuses.values())
    need_statuses = Counter(db.session.scalars(select(Need.status)))
    assert needs >= 40 and sum(need_statuses.values()) == needs
    assert need_statuses["open"] > needs / 2
    assert need_statuses["draft"] and need_statuses["submitted"]
    assert len(set(db.session.scalars(select(Need.sector)))) >= 8
    assert len(set(db.session.scalars(select(Need.district)))) >= 8
    assert len(set(db.session.scalars(select(Need.institution_id)))) >= 15
    assert db.session.scalar(select(func.count()).where(Need.content_hash == "")) == 0

    membership = db.session.scalar(
        select(InstitutionMembership).where(InstitutionMembership.user_id == jean.id)
    )
    assert membership is not None and membership.is_admin
    assert membership.institution.is_verified
    assert "College of Medicine" in membership.institution.name
    # Staff review the demo host's needs; a few other verified organisations publish directly.
    assert not membership.institution.can_publish_directly
    direct = db.session.scalars(select(Institution).where(Institution.can_publish_directly)).all()
    assert 1 <= len(direct) < statuses["verified"]
    assert all(institution.is_verified for institution in direct)
    own = db.session.scalars(
        select(Need.status).where(Need.institution_id == membership.institution_id)
    ).all()
    assert len(own) >= 3 and "open" in own and "draft" in own
    assert db.session.scalar(select(func.count()).select_from(User)) > institutions
