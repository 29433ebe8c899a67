"""A diaspora professional's profile and its entries (languages, education, work, skills...)."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import Base, TimestampMixin, utcnow


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    PREFER_NOT_TO_SAY = "prefer_not_to_say"


class TieToRwanda(StrEnum):
    CITIZEN = "citizen"
    RWANDAN_ORIGIN = "rwandan_origin"
    FRIEND = "friend"


class SkillLevel(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"
    EXPERT = "expert"


class WorkMode(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    BOTH = "both"


class CVStatus(StrEnum):
    """Where an uploaded CV is: the worker reads it (queued), then it is ready or refused."""

    QUEUED = "queued"
    READY = "ready"
    FAILED = "failed"


class DuplicateStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    MERGED = "merged"


def new_public_id() -> str:
    """A random, URL-safe profile id (128 bits) for institution-facing links."""
    return secrets.token_urlsafe(16)


class Profile(TimestampMixin, Base):
    __tablename__ = "profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    # The id institutions see in URLs: random, so walking ids finds nothing (docs/security.md).
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    # Identity
    full_name: Mapped[str] = mapped_column(String(200), default="")
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    # Used only for aggregate (gender-disaggregated) reporting.
    gender: Mapped[Gender | None] = mapped_column(String(32))
    birth_year: Mapped[int | None]
    phone: Mapped[str] = mapped_column(String(32), default="", index=True)  # E.164
    photo_file: Mapped[str | None] = mapped_column(String(64))
    photo_content_type: Mapped[str | None] = mapped_column(String(32))
    # Where they live
    country: Mapped[str] = mapped_column(String(2), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="")
    tie_to_rwanda: Mapped[TieToRwanda | None] = mapped_column(String(32))
    tie_note: Mapped[str] = mapped_column(String(200), default="")
    # Interests
    headline: Mapped[str] = mapped_column(String(160), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Availability
    mode: Mapped[WorkMode | None] = mapped_column(String(16))
    hours_per_week: Mapped[int | None]
    onsite_weeks: Mapped[int | None]
    willing_to_mentor: Mapped[bool] = mapped_column(default=False)
    open_to_paid: Mapped[bool] = mapped_column(default=False)
    open_to_unpaid: Mapped[bool] = mapped_column(default=False)
    availability_saved: Mapped[bool] = mapped_column(default=False)
    consents_saved: Mapped[bool] = mapped_column(default=False)
    # Freshness: confirmed every PROFILE_RECONFIRM_MONTHS; unanswered requests end unconfirmed.
    last_updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_confirmed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reconfirm_requested_at: Mapped[datetime | None]
    reconfirm_reminded_at: Mapped[datetime | None]
    is_confirmed: Mapped[bool] = mapped_column(default=True)
    # sha256 of the matcher's text for this profile; a change marks it for re-embedding.
    content_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL")
    )

    user: Mapped[User] = relationship(lazy="joined")
    languages: Mapped[list[ProfileLanguage]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileLanguage.id"
    )
    education: Mapped[list[Education]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="Education.year.desc()"
    )
    experience: Mapped[list[Experience]] = relationship(
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by="Experience.start_date.desc()",
    )
    skills: Mapped[list[ProfileSkill]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="ProfileSkill.id"
    )
    windows: Mapped[list[AvailabilityWindow]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", order_by="AvailabilityWindow.start"
    )

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.full_name

    def __repr__(self) -> str:
        return f"<Profile {self.id} user={self.user_id}>"


class ProfileLanguage(Base):
    __tablename__ = "profile_languages"
    __table_args__ = (UniqueConstraint("profile_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(3))  # ISO 639-1
    level: Mapped[str] = mapped_column(String(8))  # A1..C2 or native
    profile: Mapped[Profile] = relationship(back_populates="languages")


class Education(Base):
    __tablename__ = "profile_education"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    degree: Mapped[str] = mapped_column(String(120))
    field: Mapped[str] = mapped_column(String(160), default="")
    institution: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    year: Mapped[int | None]
    profile: Mapped[Profile] = relationship(back_populates="education")


class Experience(Base):
    __tablename__ = "profile_experience"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    employer: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]  # None: current job
    description: Mapped[str] = mapped_column(Text, default="")
    profile: Mapped[Profile] = relationship(back_populates="experience")


class ProfileSkill(Base):
    __tablename__ = "profile_skills"
    __table_args__ = (UniqueConstraint("profile_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120), index=True)  # canonical form when known
    level: Mapped[SkillLevel] = mapped_column(String(16), default=SkillLevel.INTERMEDIATE)
    years: Mapped[int] = mapped_column(default=0)
    profile: Mapped[Profile] = relationship(back_populates="skills")


class AvailabilityWindow(Base):
    __tablename__ = "availability_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date]
    end: Mapped[date]
    profile: Mapped[Profile] = relationship(back_populates="windows")


class CVDocument(Base):
    """An uploaded CV, stored outside static under UPLOAD_DIR with a random file name."""

    __tablename__ = "cv_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    original_name: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    # {"skills": [...], "titles": [...], "education": [...]} proposed from the text.
    suggestions: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    reviewed_at: Mapped[datetime | None]
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set to QUEUED by the upload; a row made any other way (demo data, imports) holds text
    # already, hence the READY default. `failure` is a code of app/profiles/cvtext.py.
    status: Mapped[CVStatus] = mapped_column(
        String(16), default=CVStatus.READY, server_default=CVStatus.READY.value
    )
    failure: Mapped[str | None] = mapped_column(String(32))
    read_at: Mapped[datetime | None]


class DuplicateCandidate(Base):
    """Two profiles that probably belong to one person, for staff to merge or dismiss."""

    __tablename__ = "duplicate_candidates"
    __table_args__ = (
        UniqueConstraint("profile_id", "other_profile_id"),
        Index("ix_duplicate_candidates_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    other_profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(32))  # "name_and_birth_year" | "phone"
    status: Mapped[DuplicateStatus] = mapped_column(String(16), default=DuplicateStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    profile: Mapped[Profile] = relationship(foreign_keys=[profile_id])
    other_profile: Mapped[Profile] = relationship(foreign_keys=[other_profile_id])
