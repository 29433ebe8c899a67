"""Consents, and the data-subject rights: export of all personal data and erasure."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import Role, User
from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord
from app.privacy.registry import load_sections
from app.security import safe_filename


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


# --- Data-subject rights: export and erasure -------------------------------------------------


class ErasureRefused(DomainError):
    status_code = 403


def export_personal_data(user: User) -> dict[str, Any]:
    """Return everything every registered feature holds about the user, section by section."""
    data: dict[str, Any] = {
        "exported_at": utcnow().isoformat(),
        "format": "umuhuza-personal-data/1",
    }
    for section in load_sections():
        data[section.name] = section.exporter(user)
    return data


def build_export_zip(user: User) -> bytes:
    """Return a ZIP with data.json and the member's CV files (names made safe)."""
    from app.privacy.handlers import cv_files

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(export_personal_data(user), ensure_ascii=False, indent=2, default=str),
        )
        for cv, path in cv_files(user):
            archive.write(path, f"cv/{cv.id}-{safe_filename(cv.original_name)}")
    return buffer.getvalue()


def erase_member(user: User, *, requested_by: User | None = None, reference: str = "") -> None:
    """Erase a member's personal data through every registered section (flushes, no commit).

    Staff and admin accounts are not erased this way (an admin disables them). The erasure is
    audited with ids only; `requested_by` is the staff member acting on the member's behalf.
    """
    if user.role in {Role.RCA_STAFF, Role.ADMIN}:
        raise ErasureRefused(_("Staff accounts are disabled by an administrator, not erased."))
    if user.email == f"deleted-{user.id}@invalid":
        raise ErasureRefused(_("This account was already deleted."))
    user_id = user.id
    sections = load_sections()
    for section in sections:
        section.eraser(user)
    db.session.flush()
    record_audit(
        actions.PRIVACY_ERASED,
        target=("users", user_id),
        subject=user_id,
        details={
            "sections": [section.name for section in sections],
            "on_behalf": requested_by is not None,
            "request_reference": reference,
        },
        actor=requested_by or user,
    )
