"""Placements: one need, one professional, one state machine (app/placements/states.py)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import Base, TimestampMixin, utcnow
from app.needs.models import Need
from app.placements.states import PlacementStatus
from app.profiles.models import Profile


class Wave(StrEnum):
    BASELINE = "baseline"
    END = "end"
    FOLLOWUP = "followup"


class Respondent(StrEnum):
    PROFESSIONAL = "professional"
    HOST = "host"  # the host supervisor at the institution


class Placement(TimestampMixin, Base):
    __tablename__ = "placements"
    __table_args__ = (
        # One open (not closed) placement per need and professional; closed ones may repeat.
        Index(
            "uq_placements_need_profile_open",
            "need_id",
            "profile_id",
            unique=True,
            postgresql_where=text("status <> 'closed'"),
            sqlite_where=text("status <> 'closed'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    # NULL once the professional erased their account: the placement stays, anonymised, so
    # programme statistics stay true (see app/placements/privacy.py).
    profile_id: Mapped[int | None] = mapped_column(
        ForeignKey("profiles.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[PlacementStatus] = mapped_column(String(24), index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The member who supervises the mission (answers the host evaluation waves).
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Optimistic locking: every UPDATE checks and bumps it (see __mapper_args__).
    version: Mapped[int] = mapped_column(default=1)

    closed_reason: Mapped[str | None] = mapped_column(String(32))
    closed_note: Mapped[str] = mapped_column(Text, default="")
    interest_message: Mapped[str] = mapped_column(Text, default="")
    invitation_message: Mapped[str] = mapped_column(Text, default="")
    response_message: Mapped[str] = mapped_column(Text, default="")

    interview_at: Mapped[datetime | None]
    interview_outcome: Mapped[str] = mapped_column(Text, default="")

    plan_start_date: Mapped[date | None]
    plan_end_date: Mapped[date | None]
    plan_mode: Mapped[str | None] = mapped_column(String(16))
    plan_deliverables: Mapped[str] = mapped_column(Text, default="")
    plan_logistics: Mapped[str] = mapped_column(Text, default="")

    hours_delivered: Mapped[int | None]
    people_trained: Mapped[int | None]
    deliverables_achieved: Mapped[str] = mapped_column(Text, default="")
    outcome_story: Mapped[str] = mapped_column(Text, default="")

    reminder_count: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]

    need: Mapped[Need] = relationship()
    profile: Mapped[Profile | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    supervisor: Mapped[User | None] = relationship(foreign_keys=[supervisor_id])
    events: Mapped[list[PlacementEvent]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="PlacementEvent.id",
    )
    notes: Mapped[list[PlacementNote]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="PlacementNote.id.desc()",
    )

    @property
    def professional_name(self) -> str:
        """The professional's name, or a neutral label once they erased their account."""
        if self.profile is None:
            return str(_l("Deleted member"))
        return self.profile.display_name

    evaluations: Mapped[list[EvaluationResponse]] = relationship(
        back_populates="placement",
        cascade="all, delete-orphan",
        order_by="EvaluationResponse.id",
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Placement {self.id} {self.status}>"


class PlacementEvent(Base):
    """One transition (or recorded fact) of a placement: who, when, from, to, note."""

    __tablename__ = "placement_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_side: Mapped[str | None] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


class PlacementNote(Base):
    """An internal RCA staff note: never shown to professionals or institutions."""

    __tablename__ = "placement_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    placement: Mapped[Placement] = relationship(back_populates="notes")
    author: Mapped[User | None] = relationship()


class EvaluationResponse(Base):
    """One evaluation wave for one respondent: requested, then answered (rating 1–5 + comment)."""

    __tablename__ = "evaluation_responses"
    __table_args__ = (UniqueConstraint("placement_id", "wave", "respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(
        ForeignKey("placements.id", ondelete="CASCADE"), index=True
    )
    wave: Mapped[Wave] = mapped_column(String(16))
    respondent: Mapped[Respondent] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None]
    rating: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    placement: Mapped[Placement] = relationship(back_populates="evaluations")
    user: Mapped[User | None] = relationship()
