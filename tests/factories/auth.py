"""Accounts."""

from __future__ import annotations

from functools import lru_cache

import factory

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.database import utcnow
from tests.factories.base import BaseFactory

DEFAULT_PASSWORD = "correct horse battery staple"


@lru_cache(maxsize=1)
def _default_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.PROFESSIONAL
    password_hash = factory.LazyFunction(_default_hash)
    email_verified_at = factory.LazyFunction(utcnow)
    password_changed_at = factory.LazyFunction(utcnow)


class ProfessionalUserFactory(UserFactory):
    role = Role.PROFESSIONAL


class InstitutionUserFactory(UserFactory):
    role = Role.INSTITUTION_MEMBER


class StaffUserFactory(UserFactory):
    role = Role.RCA_STAFF


class AdminUserFactory(UserFactory):
    role = Role.ADMIN
