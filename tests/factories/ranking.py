"""Candidates for ranking tests: a profile with skills, languages, windows and a consent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import AvailabilityWindow, Profile, ProfileLanguage, ProfileSkill
from app.profiles.services import refresh_content_hash
from tests.factories.profiles import ProfileFactory


def make_candidate(
    *,
    headline: str = "Paediatric nurse",
    bio: str = "Ten years of paediatric nursing in Montreal hospitals.",
    skills: Sequence[str | tuple[str, str, int]] = ("paediatric nursing",),
    languages: Sequence[str] = ("en",),
    mode: str = "both",
    gender: str | None = "female",
    country: str = "CA",
    consent: bool = True,
    windows: Sequence[tuple[date, date]] = (),
    **fields: Any,
) -> Profile:
    """Create (flush) a profile that takes part in matching and stamp its content hash."""
    profile = ProfileFactory(
        headline=headline, bio=bio, mode=mode, gender=gender, country=country, **fields
    )
    for item in skills:
        name, level, years = item if isinstance(item, tuple) else (item, "advanced", 5)
        profile.skills.append(ProfileSkill(name=name, level=level, years=years))
    for code in languages:
        profile.languages.append(ProfileLanguage(code=code, level="C1"))
    for start, end in windows:
        profile.windows.append(AvailabilityWindow(start=start, end=end))
    db.session.add(
        ConsentRecord(
            user_id=profile.user_id, kind=ConsentKind.MATCHING, granted=consent, notice_version="t"
        )
    )
    db.session.flush()
    refresh_content_hash(profile)
    return profile
