"""Outreach: segments, messages, recipients, in-app inbox, email outbox, preferences, threads."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import Base, TimestampMixin, utcnow


class Topic(StrEnum):
    OPPORTUNITIES = "opportunities"  # opportunities matching my profile
    NEWS = "news"  # RCA news
    SURVEYS = "surveys"
    EVENTS = "events"


class Channel(StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"


class AlertFrequency(StrEnum):
    IMMEDIATE = "immediate"
    WEEKLY = "weekly"


class MessageStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENT = "sent"


class ScheduleMode(StrEnum):
    NOW = "now"
    AT = "at"  # one instant (entered in Kigali time, stored UTC)
    LOCAL_TIME = "local_time"  # a time of day on a date, in each member's own time zone


class InboxKind(StrEnum):
    BROADCAST = "broadcast"
    ALERT = "alert"
    DIRECT = "direct"


class OutboxStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    # Not sent on purpose: a broadcast whose recipient withdrew consent before delivery.
    SKIPPED = "skipped"


class DeliveryPreference(Base):
    """A member's choice for one topic on one channel (no row: the default, see preferences.py)."""

    __tablename__ = "delivery_preferences"
    __table_args__ = (UniqueConstraint("user_id", "topic", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic: Mapped[Topic] = mapped_column(String(32))
    channel: Mapped[Channel] = mapped_column(String(16))
    is_enabled: Mapped[bool]
    # Only meaningful for opportunities by email: one alert per need, or a weekly digest.
    frequency: Mapped[AlertFrequency] = mapped_column(String(16), default=AlertFrequency.IMMEDIATE)
    source: Mapped[str] = mapped_column(String(32), default="preference_centre")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Segment(TimestampMixin, Base):
    """A named, saved set of filters over professionals; evaluated again at each send."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OutreachMessage(TimestampMixin, Base):
    """A broadcast composed by staff: Markdown body, optional French and Kinyarwanda variants."""

    __tablename__ = "outreach_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[Topic] = mapped_column(String(32))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    subject_fr: Mapped[str | None] = mapped_column(String(200))
    body_fr: Mapped[str | None] = mapped_column(Text)
    subject_rw: Mapped[str | None] = mapped_column(String(200))
    body_rw: Mapped[str | None] = mapped_column(Text)
    links: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    status: Mapped[MessageStatus] = mapped_column(String(16), default=MessageStatus.DRAFT)
    schedule_mode: Mapped[ScheduleMode | None] = mapped_column(String(16))
    scheduled_at: Mapped[datetime | None]
    local_date: Mapped[str | None] = mapped_column(String(10))  # YYYY-MM-DD for LOCAL_TIME
    local_time: Mapped[str | None] = mapped_column(String(5))  # HH:MM for LOCAL_TIME
    sent_at: Mapped[datetime | None]
    # Counts of the last send: segment size, recipients, emails, and who was left out and why.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    segment: Mapped[Segment | None] = relationship()
    created_by: Mapped[User | None] = relationship()

    def variant(self, locale: str | None) -> tuple[str, str]:
        """Return (subject, body) in the member's language when a variant exists, else English."""
        if locale == "fr" and self.subject_fr and self.body_fr:
            return self.subject_fr, self.body_fr
        if locale == "rw" and self.subject_rw and self.body_rw:
            return self.subject_rw, self.body_rw
        return self.subject, self.body


class MessageRecipient(Base):
    """One member reached by one broadcast (also what the weekly frequency cap counts)."""

    __tablename__ = "message_recipients"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id"),
        Index("ix_message_recipients_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outreach_messages.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    by_email: Mapped[bool] = mapped_column(default=False)
    in_app: Mapped[bool] = mapped_column(default=True)
    deliver_at: Mapped[datetime] = mapped_column(default=utcnow)  # member's own time if local
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Conversation(TimestampMixin, Base):
    """A thread between one professional and staff or an institution member, about a need."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(primary_key=True)
    professional_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(String(200))
    # Plain ids (no foreign keys in the schema); app/outreach/access.py checks them on writing.
    need_id: Mapped[int | None] = mapped_column(Integer, index=True)
    placement_id: Mapped[int | None] = mapped_column(Integer, index=True)

    professional: Mapped[User] = relationship(foreign_keys=[professional_id])
    started_by: Mapped[User] = relationship(foreign_keys=[started_by_id])
    messages: Mapped[list[DirectMessage]] = relationship(
        back_populates="conversation", order_by="DirectMessage.id"
    )


class DirectMessage(Base):
    __tablename__ = "direct_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
    sender: Mapped[User] = relationship()


class InboxEntry(Base):
    """One item in a member's inbox: a broadcast, an opportunity alert or a direct message."""

    __tablename__ = "inbox_entries"
    __table_args__ = (Index("ix_inbox_entries_user_visible", "user_id", "visible_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[InboxKind] = mapped_column(String(16))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_messages.id", ondelete="CASCADE"), index=True
    )
    conversation_id: Mapped[int | None] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE")
    )
    # Alerts and direct messages carry their own text; broadcasts render from the message.
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str | None] = mapped_column(Text)
    link_url: Mapped[str | None] = mapped_column(String(500))
    visible_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    message: Mapped[OutreachMessage | None] = relationship()
    conversation: Mapped[Conversation | None] = relationship()


class OutboxEmail(Base):
    """One email to deliver; the source of truth for the worker (claimed with a lease).

    Broadcast rows are rendered at delivery time from their message; other rows carry their text.
    The idempotency key becomes the Message-ID, so a resend after a crash is recognisable.
    """

    __tablename__ = "outbox_emails"
    __table_args__ = (Index("ix_outbox_emails_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_address: Mapped[str] = mapped_column(String(254))
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_messages.id", ondelete="CASCADE"), index=True
    )
    topic: Mapped[str | None] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(200))
    text_body: Mapped[str | None] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(String(16), default=OutboxStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set by the first claim; transient failures are retried until the retry window has passed
    # since then (app/outreach/retry.py). A staff resend clears it: a new window starts.
    first_attempt_at: Mapped[datetime | None]
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class OpportunityAlert(Base):
    """A need announced to a professional: at most once per need, now or in a digest."""

    __tablename__ = "opportunity_alerts"
    __table_args__ = (UniqueConstraint("user_id", "need_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    need_id: Mapped[int] = mapped_column(Integer, index=True)  # a plain id, no foreign key
    title: Mapped[str] = mapped_column(String(200))
    link_url: Mapped[str | None] = mapped_column(String(500))
    frequency: Mapped[AlertFrequency] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]  # None: waiting for the weekly digest
