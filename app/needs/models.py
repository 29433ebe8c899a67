"""Needs (terms of reference), their required skills and languages, and their revision history."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import Base, TimestampMixin, utcnow
from app.institutions.models import Institution


class NeedStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    OPEN = "open"
    FILLED = "filled"
    CLOSED = "closed"
    EXPIRED = "expired"


class NeedMode(StrEnum):
    REMOTE = "remote"
    ONSITE = "onsite"
    HYBRID = "hybrid"


class Importance(StrEnum):
    MUST = "must"
    NICE = "nice"


class Offer(StrEnum):
    TRAVEL = "travel"
    ACCOMMODATION = "accommodation"
    STIPEND = "stipend"
    NONE = "none"


# How a need's languages combine: "all" required together, or "any" one of them.
LANGUAGE_MODES = ("all", "any")


class Need(TimestampMixin, Base):
    __tablename__ = "needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[NeedStatus] = mapped_column(String(16), default=NeedStatus.DRAFT, index=True)

    title: Mapped[str] = mapped_column(String(200))
    background: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    deliverables: Mapped[list[str]] = mapped_column(JSON, default=list)
    success_criteria: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(40), index=True)
    mode: Mapped[NeedMode] = mapped_column(String(16), index=True)
    district: Mapped[str | None] = mapped_column(String(40), index=True)
    site: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[date]
    end_date: Mapped[date]
    duration_weeks: Mapped[int | None]
    hours_per_week: Mapped[int | None]
    people_needed: Mapped[int] = mapped_column(default=1)
    offers: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    application_deadline: Mapped[date | None]
    language_mode: Mapped[str] = mapped_column(String(8), default="all", server_default="all")

    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Lower-cased title, background, objectives and skills: the one column text search reads.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # sha256 of the matcher's view of this need (app.ranking.adapter.need_document).
    content_hash: Mapped[str] = mapped_column(String(64), default="")

    institution: Mapped[Institution] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    skills: Mapped[list[NeedSkill]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedSkill.position"
    )
    languages: Mapped[list[NeedLanguage]] = relationship(
        back_populates="need", cascade="all, delete-orphan", order_by="NeedLanguage.code"
    )
    revisions: Mapped[list[NeedRevision]] = relationship(
        back_populates="need",
        cascade="all, delete-orphan",
        order_by="NeedRevision.id.desc()",
    )

    @property
    def language_codes(self) -> list[str]:
        return [language.code for language in self.languages]

    @property
    def is_onsite(self) -> bool:
        return self.mode in (NeedMode.ONSITE, NeedMode.HYBRID)

    def __repr__(self) -> str:
        return f"<Need {self.id} {self.status}>"


class NeedSkill(Base):
    __tablename__ = "need_skills"
    __table_args__ = (UniqueConstraint("need_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    # The vocabulary's canonical name when recognised, else the member's text (lower-cased).
    name: Mapped[str] = mapped_column(String(120), index=True)
    importance: Mapped[Importance] = mapped_column(String(8), default=Importance.MUST)
    position: Mapped[int] = mapped_column(default=0)

    need: Mapped[Need] = relationship(back_populates="skills")


class NeedLanguage(Base):
    __tablename__ = "need_languages"
    __table_args__ = (UniqueConstraint("need_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(8), index=True)  # ISO 639-1

    need: Mapped[Need] = relationship(back_populates="languages")


class NeedRevision(Base):
    """One save of a published need: who, when, and the changed fields as {field: [old, new]}."""

    __tablename__ = "need_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    need: Mapped[Need] = relationship(back_populates="revisions")
    user: Mapped[User | None] = relationship()
