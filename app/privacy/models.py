"""Consent records: an append-only history of each consent a member gave or withdrew."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
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
