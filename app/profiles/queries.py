"""Reads used by several pages: the dashboard's inbox summary, the staff's open-duplicates count,
a profile by its public id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.outreach.models import InboxEntry
from app.outreach.services import unread_count, visible_inbox
from app.profiles.models import DuplicateCandidate, DuplicateStatus, Profile

_PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


@dataclass(frozen=True, slots=True)
class InboxSummary:
    latest: list[InboxEntry]
    unread: int


def get_inbox_summary(user: User, limit: int = 5, now: datetime | None = None) -> InboxSummary:
    """Return the member's latest visible inbox entries (broadcasts with their message loaded)
    and how many visible entries are unread."""
    now = now or utcnow()
    return InboxSummary(
        latest=visible_inbox(user, now, limit=limit), unread=unread_count(user.id, now)
    )


def count_open_duplicates() -> int:
    """Return how many possible duplicate profiles await a staff decision."""
    return int(
        db.session.scalar(
            select(func.count(DuplicateCandidate.id)).where(
                DuplicateCandidate.status == DuplicateStatus.OPEN
            )
        )
        or 0
    )


def get_profile_by_public_id(public_id: str) -> Profile | None:
    """The profile whose public id (the one in institutions' links) this is, if any."""
    # Only the token alphabet reaches the database (no NUL or surrogate for PostgreSQL to refuse).
    if not _PUBLIC_ID.fullmatch(public_id):
        return None
    return db.session.scalar(select(Profile).where(Profile.public_id == public_id))
