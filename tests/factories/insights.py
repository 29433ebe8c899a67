"""Members with known genders, countries and consents, for the insights reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.database import utcnow
from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import Profile
from tests.factories.auth import ProfessionalUserFactory
from tests.factories.profiles import ProfileFactory


def add_member(
    gender: str | None = "female",
    *,
    country: str = "CA",
    sectors: list[str] | None = None,
    statistics: bool | None = True,
    joined: datetime | None = None,
    **profile_fields: Any,
) -> Profile:
    """A professional with a profile; `statistics` is their latest statistics consent (None: never
    asked). Flushed, not committed."""
    user = ProfessionalUserFactory(created_at=joined or utcnow())
    profile = ProfileFactory(
        user=user,
        gender=gender,
        country=country,
        sectors=sectors if sectors is not None else ["health"],
        **profile_fields,
    )
    if statistics is not None:
        db.session.add(
            ConsentRecord(
                user_id=user.id,
                kind=ConsentKind.STATISTICS,
                granted=statistics,
                notice_version="test",
            )
        )
    db.session.flush()
    return profile


def add_members(count: int, gender: str | None, **fields: Any) -> list[Profile]:
    return [add_member(gender, **fields) for _ in range(count)]
