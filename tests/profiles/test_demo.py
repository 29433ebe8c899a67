"""Demo seeding of professionals."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.demo.seed import DEMO_PROFESSIONAL
from app.extensions import db
from app.profiles import services
from app.profiles.demo import seed_professionals
from app.profiles.models import Profile
from tests.factories.auth import UserFactory


def test_seed_professionals_creates_complete_profiles(app_context: Flask) -> None:
    UserFactory(email=DEMO_PROFESSIONAL, full_name="Amina Uwase", role=Role.PROFESSIONAL)
    seed_professionals(220, 2026, password_hash="demo-hash")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Profile)) >= 200
    amina = db.session.scalars(
        select(Profile).join(User).where(User.email == DEMO_PROFESSIONAL)
    ).one()
    assert amina.city == "Montreal" and "nurse" in amina.headline.lower()
    assert services.completeness(amina) == 100
    assert amina.content_hash
    assert len({p.content_hash for p in db.session.scalars(select(Profile))}) > 150
