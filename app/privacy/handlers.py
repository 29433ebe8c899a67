"""Personal-data sections for the account, consents, profiles and institution memberships.

Profiles and institutions are owned by colleagues; their sections live here (read from their
models, not editing their files) until those features ship their own `privacy.py`.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import delete, inspect, select, update

from app.auth.models import RecoveryCode, User
from app.auth.passwords import hash_password
from app.auth.services import end_all_sessions
from app.database import utcnow
from app.extensions import db
from app.institutions.models import InstitutionMembership
from app.privacy.models import ConsentKind, ConsentRecord, ErasedMemberStat
from app.privacy.registry import register_personal_data
from app.privacy.services import has_consent
from app.profiles.models import CVDocument, DuplicateCandidate, Profile
from app.security import path_inside, safe_filename


def plain(value: Any) -> Any:
    """Turn a column value into JSON: dates as ISO text, enums as their value."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def row_to_dict(row: object, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Return every mapped column of a row as JSON-ready values."""
    mapper = inspect(type(row))
    return {
        column.key: plain(getattr(row, column.key))
        for column in mapper.column_attrs
        if column.key not in exclude
    }


def upload_path(folder: str, name: str | None) -> Path | None:
    """Return where an uploaded file lives under UPLOAD_DIR/<folder>, refusing odd names."""
    if not name or safe_filename(name) != name:
        return None
    return path_inside(Path(current_app.config["UPLOAD_DIR"]) / folder, name)


# --- The account itself (erased last) --------------------------------------------------------


@register_personal_data("account", order=1000, tables=("users", "recovery_codes"))
class AccountData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        return row_to_dict(
            user,
            exclude=("password_hash", "totp_secret", "totp_last_step", "session_version"),
        ) | {"two_factor_enabled": user.has_two_factor}

    @staticmethod
    def erase(user: User) -> None:
        # The row stays (other rows point at its id) but identifies no one and can never log in.
        user.email = f"deleted-{user.id}@invalid"
        user.full_name = ""
        user.locale = None
        user.is_enabled = False
        user.password_hash = hash_password(secrets.token_urlsafe(32))  # unguessable, unknown
        user.email_verified_at = None
        user.last_login_at = None
        user.totp_secret = None
        user.totp_enabled_at = None
        user.totp_last_step = None
        db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        end_all_sessions(user)


# --- Consents --------------------------------------------------------------------------------


@register_personal_data("consents", tables=("consent_records",))
class ConsentData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        records = db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
        return {"history": [row_to_dict(r, exclude=("user_id",)) for r in records]}

    @staticmethod
    def erase(user: User) -> None:
        db.session.execute(delete(ConsentRecord).where(ConsentRecord.user_id == user.id))


# --- Profiles --------------------------------------------------------------------------------


def _profile_of(user: User) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def cv_files(user: User) -> list[tuple[CVDocument, Path]]:
    """Return the member's uploaded CVs with their paths on disk (existing files only)."""
    profile = _profile_of(user)
    if profile is None:
        return []
    found = []
    for cv in db.session.scalars(select(CVDocument).where(CVDocument.profile_id == profile.id)):
        path = upload_path("cvs", cv.stored_name)
        if path is not None and path.is_file():
            found.append((cv, path))
    return found


def _delete_file(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


# Runs before the consents section (order 100) so the statistics consent can still be read.
@register_personal_data(
    "profile",
    order=50,
    tables=(
        "profiles",
        "profile_languages",
        "profile_education",
        "profile_experience",
        "profile_skills",
        "availability_windows",
        "cv_documents",
        "duplicate_candidates",
    ),
)
class ProfileData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        profile = _profile_of(user)
        if profile is None:
            return {}
        cvs = db.session.scalars(select(CVDocument).where(CVDocument.profile_id == profile.id))
        return {
            "profile": row_to_dict(profile, exclude=("content_hash",)),
            "languages": [row_to_dict(x, exclude=("profile_id",)) for x in profile.languages],
            "education": [row_to_dict(x, exclude=("profile_id",)) for x in profile.education],
            "experience": [row_to_dict(x, exclude=("profile_id",)) for x in profile.experience],
            "skills": [row_to_dict(x, exclude=("profile_id",)) for x in profile.skills],
            "availability": [row_to_dict(x, exclude=("profile_id",)) for x in profile.windows],
            "cv_documents": [row_to_dict(cv, exclude=("profile_id", "stored_name")) for cv in cvs],
        }

    @staticmethod
    def erase(user: User) -> None:
        # Aggregates stay true: one ErasedMemberStat row keeps the non-identifying attributes that
        # reports count (role, gender, country, tie, sectors, year joined) and the profile goes.
        profile = _profile_of(user)
        db.session.add(
            ErasedMemberStat(
                role=str(user.role),
                gender=str(profile.gender) if profile and profile.gender else None,
                country=profile.country if profile else "",
                tie_to_rwanda=str(profile.tie_to_rwanda)
                if profile and profile.tie_to_rwanda
                else None,
                sectors=list(profile.sectors or []) if profile else [],
                had_profile=profile is not None,
                counted_in_statistics=has_consent(user, ConsentKind.STATISTICS),
                joined_year=user.created_at.year if user.created_at else None,
                erased_year=utcnow().year,
            )
        )
        if profile is None:
            return
        files = [path for _cv, path in cv_files(user)]
        files.append(upload_path("photos", profile.photo_file) if profile.photo_file else None)
        # Other profiles merged into this one keep existing, unlinked.
        db.session.execute(
            update(Profile)
            .where(Profile.merged_into_id == profile.id)
            .values(merged_into_id=None)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            delete(DuplicateCandidate).where(
                (DuplicateCandidate.profile_id == profile.id)
                | (DuplicateCandidate.other_profile_id == profile.id)
            )
        )
        db.session.execute(delete(CVDocument).where(CVDocument.profile_id == profile.id))
        db.session.delete(profile)  # languages, education, experience, skills, windows cascade
        db.session.flush()
        for path in files:
            _delete_file(path)


# --- Institution membership ------------------------------------------------------------------


@register_personal_data("institution_membership", tables=("institution_memberships",))
class MembershipData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        membership = db.session.scalar(
            select(InstitutionMembership).where(InstitutionMembership.user_id == user.id)
        )
        if membership is None:
            return {}
        return {
            "institution_id": membership.institution_id,
            "institution": membership.institution.name,
            "is_admin": membership.is_admin,
            "since": plain(membership.created_at),
        }

    @staticmethod
    def erase(user: User) -> None:
        db.session.execute(
            delete(InstitutionMembership).where(InstitutionMembership.user_id == user.id)
        )
