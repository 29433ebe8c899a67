"""Rwandan host institutions and their members."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import Base, TimestampMixin, utcnow


class InstitutionType(StrEnum):
    MINISTRY_AGENCY = "ministry_agency"
    DISTRICT_AUTHORITY = "district_authority"
    PUBLIC_HOSPITAL = "public_hospital"
    UNIVERSITY_TVET = "university_tvet"
    RESEARCH_INSTITUTE = "research_institute"
    PRIVATE_COMPANY = "private_company"
    COOPERATIVE = "cooperative"
    NGO = "ngo"


class InstitutionStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Institution(TimestampMixin, Base):
    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[InstitutionType] = mapped_column(String(32))
    sector: Mapped[str] = mapped_column(String(40), index=True)
    district: Mapped[str] = mapped_column(String(40), index=True)
    address: Mapped[str] = mapped_column(String(300), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    email_domain: Mapped[str] = mapped_column(String(120), default="")
    status: Mapped[InstitutionStatus] = mapped_column(
        String(16), default=InstitutionStatus.PENDING, index=True
    )
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    # Staff let a verified organisation publish needs without review, one organisation at a time;
    # APP_NEEDS_DIRECT_PUBLISH_FOR_VERIFIED only sets it when an organisation is verified.
    can_publish_directly: Mapped[bool] = mapped_column(default=False, server_default=false())
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    memberships: Mapped[list[InstitutionMembership]] = relationship(
        back_populates="institution",
        cascade="all, delete-orphan",
        order_by="InstitutionMembership.id",
    )

    @property
    def is_verified(self) -> bool:
        return self.status == InstitutionStatus.VERIFIED

    def __repr__(self) -> str:
        return f"<Institution {self.id} {self.status}>"


class InstitutionMembership(Base):
    """A member belongs to one institution; the registering member is its admin."""

    __tablename__ = "institution_memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    institution: Mapped[Institution] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()
