"""Outreach: many members at once (bulk inserts), consents, messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import insert, select

from app.auth.models import Role, User
from app.database import utcnow
from app.extensions import db
from app.outreach.models import OutreachMessage, Segment, Topic
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import Profile
from tests.factories.auth import _default_hash


def create_members(
    count: int,
    *,
    prefix: str = "member",
    email_consent: bool = True,
    profile: dict[str, Any] | None = None,
    locale: str | None = None,
) -> list[int]:
    """Insert `count` verified professionals with minimal profiles (and newsletter/matching
    consents when email_consent) in three bulk statements; return their user ids in order."""
    now = utcnow()
    password_hash = _default_hash()
    db.session.execute(
        insert(User),
        [
            {
                "email": f"{prefix}{i}@example.org",
                "password_hash": password_hash,
                "role": Role.PROFESSIONAL.value,
                "full_name": f"Member {prefix} {i}",
                "locale": locale,
                "is_enabled": True,
                "email_verified_at": now,
                "session_version": 1,
                "failed_login_count": 0,
                "created_at": now - timedelta(days=1),
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    ids = list(
        db.session.scalars(
            select(User.id).where(User.email.like(f"{prefix}%@example.org")).order_by(User.id)
        )
    )
    fields = {"country": "BE", "city": "Brussels", "headline": "Engineer"} | (profile or {})
    db.session.execute(
        insert(Profile),
        [
            {"user_id": uid, "full_name": f"Member {prefix} {i}", **fields}
            for i, uid in enumerate(ids)
        ],
    )
    if email_consent:
        db.session.execute(
            insert(ConsentRecord),
            [
                {
                    "user_id": uid,
                    "kind": kind.value,
                    "granted": True,
                    "notice_version": "test",
                    "recorded_at": now,
                    "source": "web",
                }
                for uid in ids
                for kind in (ConsentKind.NEWSLETTERS, ConsentKind.MATCHING)
            ],
        )
    db.session.flush()
    return ids


def make_message(author_id: int | None = None, **fields: Any) -> OutreachMessage:
    values: dict[str, Any] = {
        "topic": Topic.NEWS,
        "subject": "News for {first_name}",
        "body": "Hello **{first_name}** from {city}.\n\n[Stop]({unsubscribe_url})",
        "links": [],
        "created_by_id": author_id,
    }
    values.update(fields)
    message = OutreachMessage(**values)
    db.session.add(message)
    db.session.flush()
    return message


def make_segment(filters: dict[str, Any], name: str = "Segment") -> Segment:
    segment = Segment(name=name, filters=filters)
    db.session.add(segment)
    db.session.flush()
    return segment
