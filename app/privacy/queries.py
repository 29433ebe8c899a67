"""Counts that stay true after erasures: live profiles plus the erased members' statistics."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from app.extensions import db
from app.privacy.models import ErasedMemberStat
from app.profiles.models import Profile

COUNTABLE = ("gender", "country", "tie_to_rwanda")


def count_members_by(attribute: str) -> dict[str | None, int]:
    """Return professionals per value of a profile attribute, erased members included.

    Reports (app/insights) should use this rather than counting profiles alone.
    """
    if attribute not in COUNTABLE:
        raise ValueError(f"cannot count by {attribute!r}")
    counts: Counter[str | None] = Counter()
    live_column = getattr(Profile, attribute)
    for value, count in db.session.execute(select(live_column, func.count()).group_by(live_column)):
        counts[str(value) if value is not None else None] += int(count)
    erased_column = getattr(ErasedMemberStat, attribute)
    for value, count in db.session.execute(
        select(erased_column, func.count())
        .where(ErasedMemberStat.had_profile.is_(True))
        .group_by(erased_column)
    ):
        counts[str(value) if value is not None else None] += int(count)
    return dict(counts)
