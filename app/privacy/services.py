"""Recording and reading consents."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord


def record_consent(
    user: User, kind: ConsentKind, granted: bool, *, source: str = "web"
) -> ConsentRecord:
    """Append a consent decision stamped with the current privacy-notice version and time."""
    record = ConsentRecord(
        user_id=user.id,
        kind=kind,
        granted=granted,
        notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
        source=source,
    )
    db.session.add(record)
    db.session.flush()
    return record


def current_consents(user: User) -> dict[ConsentKind, ConsentRecord]:
    """Return the latest decision per consent kind for the user."""
    records = db.session.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
    )
    latest: dict[ConsentKind, ConsentRecord] = {}
    for record in records:
        latest[ConsentKind(record.kind)] = record
    return latest


def has_consent(user: User, kind: ConsentKind) -> bool:
    """Return True when the user's latest decision for this kind is a grant."""
    record = current_consents(user).get(kind)
    return bool(record and record.granted)
