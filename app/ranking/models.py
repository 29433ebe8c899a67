"""Stored vectors: per document content hash and per skill phrase, for one model each."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, utcnow


class VectorKind(StrEnum):
    CANDIDATE = "candidate"
    NEED = "need"


class DocumentVector(Base):
    """The (views, dimension) float32 view vectors of one document text, by content hash.

    Keyed by content (not by row id): two profiles with the same text share a row, and a row
    stays valid as long as the text it was computed from is unchanged.
    """

    __tablename__ = "document_vectors"
    __table_args__ = (UniqueConstraint("kind", "content_hash", "model_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[VectorKind] = mapped_column(String(16))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    model_name: Mapped[str] = mapped_column(String(120))
    views: Mapped[int] = mapped_column(default=2)  # rows: (headline|title, summary|description)
    dimension: Mapped[int]
    vectors: Mapped[bytes] = mapped_column(LargeBinary)  # float32, row-major (views, dimension)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SkillPhraseVector(Base):
    """One normalised skill phrase's vector; key = app.matching.vector_key(model, phrase)."""

    __tablename__ = "skill_phrase_vectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    model_name: Mapped[str] = mapped_column(String(120))
    dimension: Mapped[int]
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32 (dimension,)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NeedAlertRun(Base):
    """The opportunity alerts of an open need were sent (once per need)."""

    __tablename__ = "need_alert_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    alerted: Mapped[int] = mapped_column(default=0)
    ran_at: Mapped[datetime] = mapped_column(default=utcnow)
