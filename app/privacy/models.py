"""Consent records: an append-only history of each consent a member gave or withdrew."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utcnow


class ConsentKind(StrEnum):
    PRIVACY_NOTICE = "privacy_notice"
    MATCHING = "matching"  # be matched and contacted by institutions through the platform
    NEWSLETTERS = "newsletters"  # RCA news and surveys by email
    STATISTICS = "statistics"  # be counted in anonymous statistics


class ConsentRecord(Base):
    __tablename__ = "consent_records"
    __table_args__ = (Index("ix_consent_records_user_kind", "user_id", "kind", "recorded_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ConsentKind] = mapped_column(String(32))
    granted: Mapped[bool]
    notice_version: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(32), default="web")


class ErasedMemberStat(Base):
    """What statistics still need of an erased member: no name, contact, id or exact date.

    Erasure deletes the profile, so a count of members by gender, country or sector would drop.
    One row per erased member keeps those non-identifying attributes; reports add these rows to the
    live counts (`app.privacy.queries.count_members_by`) so totals stay true after erasures.
    Placements and survey answers stay in their own tables with the person unlinked.
    """

    __tablename__ = "erased_member_stats"

    id: Mapped[int] = mapped_column(primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    gender: Mapped[str | None] = mapped_column(String(32))
    country: Mapped[str] = mapped_column(String(2), default="")
    tie_to_rwanda: Mapped[str | None] = mapped_column(String(32))
    sectors: Mapped[list[str]] = mapped_column(JSON, default=list)
    had_profile: Mapped[bool] = mapped_column(default=False)
    # The member's statistics consent when erased: reports that count only consenting members
    # must not start counting someone because they deleted their account.
    counted_in_statistics: Mapped[bool] = mapped_column(default=True)
    joined_year: Mapped[int | None]
    erased_year: Mapped[int]
