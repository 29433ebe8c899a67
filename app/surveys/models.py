"""Surveys: the survey and its questions, invitations, anonymous tokens, responses and answers.

Anonymity: an anonymous survey's responses carry no user id and no token id. Eligibility is
proved by a one-time token whose SHA-256 hash lives in `survey_tokens` (with `used_at`); a draft
is found again by a different hash of the same token (`draft_key`), cleared on submission, and the
submission time of an anonymous response is kept to the day only, so it cannot be matched to the
token's `used_at`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import Base, TimestampMixin, utcnow


class SurveyStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class AudienceKind(StrEnum):
    ALL = "all"
    SEGMENT = "segment"
    PLACEMENTS = "placements"


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    RATING = "rating"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"
    COUNTRY = "country"


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


LANGUAGES = ("fr", "rw")


class Survey(TimestampMixin, Base):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_fr: Mapped[str] = mapped_column(String(200), default="")
    title_rw: Mapped[str] = mapped_column(String(200), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    intro_fr: Mapped[str] = mapped_column(Text, default="")
    intro_rw: Mapped[str] = mapped_column(Text, default="")
    thank_you: Mapped[str] = mapped_column(Text, default="")
    thank_you_fr: Mapped[str] = mapped_column(Text, default="")
    thank_you_rw: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    audience_kind: Mapped[AudienceKind] = mapped_column(String(16), default=AudienceKind.ALL)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id", ondelete="SET NULL"))
    placement_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    is_anonymous: Mapped[bool] = mapped_column(default=False)
    one_question_per_page: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SurveyStatus] = mapped_column(String(16), default=SurveyStatus.DRAFT)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Placement evaluations (app/surveys/evaluations.py): one survey per placement, wave and
    # respondent role ("professional" / "host"); NULL for the surveys staff build by hand.
    placement_id: Mapped[int | None] = mapped_column(
        ForeignKey("placements.id", ondelete="SET NULL"), index=True
    )
    evaluation_wave: Mapped[str | None] = mapped_column(String(16))
    evaluation_respondent: Mapped[str | None] = mapped_column(String(16))

    questions: Mapped[list[SurveyQuestion]] = relationship(
        back_populates="survey",
        order_by="SurveyQuestion.position",
        cascade="all, delete-orphan",
        foreign_keys="SurveyQuestion.survey_id",
    )

    def text(self, name: str, locale: str | None) -> str:
        """The field in the member's language when given, else English."""
        if locale in LANGUAGES:
            value = getattr(self, f"{name}_{locale}", "") or ""
            if value.strip():
                return str(value)
        return str(getattr(self, name) or "")


class SurveyQuestion(Base):
    __tablename__ = "survey_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[QuestionKind] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    text_fr: Mapped[str] = mapped_column(Text, default="")
    text_rw: Mapped[str] = mapped_column(Text, default="")
    help: Mapped[str] = mapped_column(Text, default="")
    help_fr: Mapped[str] = mapped_column(Text, default="")
    help_rw: Mapped[str] = mapped_column(Text, default="")
    is_required: Mapped[bool] = mapped_column(default=False)
    # Choices keep a stable key ("1", "2", ...) so that wording fixes keep earlier answers.
    # [{"key": "1", "en": "...", "fr": "...", "rw": "..."}]
    choices: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    allow_other: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    # Show only when the earlier single-choice / yes-no question's answer equals condition_value.
    condition_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="SET NULL")
    )
    condition_value: Mapped[str | None] = mapped_column(String(64))

    survey: Mapped[Survey] = relationship(back_populates="questions", foreign_keys=[survey_id])

    @property
    def number(self) -> int:
        """The question's number as people read it: 1 for the first, whatever the stored
        positions (demo data counts from 0, a deleted question leaves a gap)."""
        ordered = sorted(self.survey.questions, key=lambda q: (q.position, q.id or 0))
        return next(i for i, q in enumerate(ordered, start=1) if q is self)

    def localized(self, name: str, locale: str | None) -> str:
        if locale in LANGUAGES:
            value = getattr(self, f"{name}_{locale}", "") or ""
            if value.strip():
                return str(value)
        return str(getattr(self, name) or "")

    def choice_label(self, key: str, locale: str | None = None) -> str:
        for choice in self.choices or []:
            if choice.get("key") == key:
                return (locale in LANGUAGES and choice.get(locale or "")) or choice.get("en", key)
        return key


class SurveyInvitation(Base):
    """One member of the audience invited to one survey (reminders go to non-respondents)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    reminded_at: Mapped[datetime | None]
    by_email: Mapped[bool] = mapped_column(default=False)
    in_app: Mapped[bool] = mapped_column(default=False)


class SurveyToken(Base):
    """A one-time answering token of an anonymous survey: only its hash is kept."""

    __tablename__ = "survey_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    # Which invitation it was issued for (needed to remind the non-respondents), never the answer.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitations.id", ondelete="SET NULL"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class SurveyResponse(Base):
    """One member's answers (draft until submitted); anonymous ones have no user id."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    draft_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[ResponseStatus] = mapped_column(String(16), default=ResponseStatus.DRAFT)
    is_test: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]

    answers: Mapped[list[SurveyAnswer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )

    def answer_map(self) -> dict[int, Any]:
        return {a.question_id: a.value for a in self.answers}


class SurveyAnswer(Base):
    __tablename__ = "survey_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("survey_responses.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), index=True
    )
    # str (texts, choice key, date ISO, yes/no, country), list[str] (multiple), number.
    value: Mapped[Any] = mapped_column(JSON)
    other_text: Mapped[str] = mapped_column(Text, default="")

    response: Mapped[SurveyResponse] = relationship(back_populates="answers")
