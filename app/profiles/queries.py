"""Reads used by several pages: the dashboard's inbox summary, the staff's open-duplicates count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.outreach.models import InboxEntry
from app.outreach.services import unread_count, visible_inbox
from app.profiles.models import DuplicateCandidate, DuplicateStatus


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
