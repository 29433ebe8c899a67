"""Survey logic: build, open (invite), remind, answer (drafts, one final response), tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, insert, select, update

from app.auth.models import User
from app.database import utcnow
from app.errors import Conflict, DomainError, NotFound
from app.extensions import db
from app.i18n import DEFAULT_TIMEZONE, in_zone, valid_zone
from app.surveys.models import (
    LANGUAGES,
    AudienceKind,
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
    SurveyToken,
)

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
CONDITION_KINDS = (QuestionKind.SINGLE, QuestionKind.YES_NO)
OTHER = "__other__"
SHORT_TEXT_MAX = 200
LONG_TEXT_MAX = 5000


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


# --------------------------------------------------------------------------- builder


def _clean_text_fields(values: Mapping[str, Any], names: Iterable[str]) -> dict[str, str]:
    return {name: str(values.get(name) or "").strip() for name in names}


SURVEY_TEXT_FIELDS = tuple(
    f"{base}{suffix}" for base in ("title", "intro", "thank_you") for suffix in ("", "_fr", "_rw")
)


def save_survey(
    survey: Survey | None,
    *,
    author: User,
    opens_at: datetime | None,
    closes_at: datetime | None,
    audience_kind: AudienceKind | str,
    segment_id: int | None = None,
    placement_ids: Iterable[int] = (),
    is_anonymous: bool = False,
    one_question_per_page: bool = False,
    **texts: str,
) -> Survey:
    """Create or update a survey's settings; raises DomainError with the field at fault."""
    from app.outreach.models import Segment

    values = _clean_text_fields(texts, SURVEY_TEXT_FIELDS)
    if not values["title"]:
        raise DomainError(_("Give the survey a title."), field="title")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(_("The survey must close after it opens."), field="closes_at")
    kind = AudienceKind(audience_kind)
    placements = sorted({int(p) for p in placement_ids})
    if kind == AudienceKind.SEGMENT and (
        segment_id is None or db.session.get(Segment, segment_id) is None
    ):
        raise DomainError(_("Choose an existing segment."), field="segment_id")
    if kind == AudienceKind.PLACEMENTS and not placements:
        raise DomainError(_("Give at least one placement number."), field="placement_ids")
    if survey is None:
        survey = Survey(created_by_id=author.id, status=SurveyStatus.DRAFT)
        db.session.add(survey)
    elif survey.status != SurveyStatus.DRAFT and bool(is_anonymous) != survey.is_anonymous:
        raise DomainError(
            _("An opened survey cannot switch between identified and anonymous."),
            field="is_anonymous",
        )
    for name, value in values.items():
        setattr(survey, name, value)
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.audience_kind = kind
    survey.segment_id = segment_id if kind == AudienceKind.SEGMENT else None
    survey.placement_ids = placements if kind == AudienceKind.PLACEMENTS else []
    survey.is_anonymous = bool(is_anonymous)
    survey.one_question_per_page = bool(one_question_per_page)
    db.session.flush()
    return survey


def count_responses(survey: Survey, *, submitted_only: bool = False) -> int:
    """Real (not test) responses of the survey, drafts included unless submitted_only."""
    query = select(func.count()).where(
        SurveyResponse.survey_id == survey.id, SurveyResponse.is_test.is_(False)
    )
    if submitted_only:
        query = query.where(SurveyResponse.status == ResponseStatus.SUBMITTED)
    return int(db.session.scalar(query) or 0)


def has_responses(survey: Survey) -> bool:
    return count_responses(survey) > 0


def parse_choices(
    en: str, fr: str = "", rw: str = "", keys: list[str] | None = None
) -> list[dict[str, str]]:
    """Turn one-per-line texts into choices with stable keys (the given keys, then new ones)."""

    def lines(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    english, french, kinyarwanda = lines(en), lines(fr), lines(rw)
    for name, other in (("choices_fr", french), ("choices_rw", kinyarwanda)):
        if other and len(other) != len(english):
            raise DomainError(_("Give one translation per choice, in the same order."), field=name)
    keys = list(keys or [])
    used = {int(k) for k in keys if k.isdigit()}
    next_key = max(used, default=0) + 1
    choices = []
    for index, label in enumerate(english):
        if index < len(keys):
            key = keys[index]
        else:
            key, next_key = str(next_key), next_key + 1
        choice = {"key": key, "en": label[:200]}
        if french:
            choice["fr"] = french[index][:200]
        if kinyarwanda:
            choice["rw"] = kinyarwanda[index][:200]
        choices.append(choice)
    return choices


def choices_as_text(question: SurveyQuestion, lang: str = "en") -> str:
    return "\n".join(c.get(lang, "") for c in question.choices or [])


QUESTION_TEXT_FIELDS = tuple(
    f"{base}{suffix}" for base in ("text", "help") for suffix in ("", "_fr", "_rw")
)


def save_question(
    survey: Survey,
    question: SurveyQuestion | None,
    *,
    kind: QuestionKind | str,
    is_required: bool = False,
    choices_en: str = "",
    choices_fr: str = "",
    choices_rw: str = "",
    allow_other: bool = False,
    min_value: float | None = None,
    max_value: float | None = None,
    condition_question_id: int | None = None,
    condition_value: str | None = None,
    choice_labels: Mapping[str, Mapping[str, str]] | None = None,
    **texts: str,
) -> SurveyQuestion:
    """Add or edit a question; after responses only wording fixes are allowed.

    `choice_labels` (choice key -> {"en", "fr", "rw"}) rewords existing choices by key; without
    it the choice lines are matched by position. Raises DomainError/Conflict with the field.
    """
    values = _clean_text_fields(texts, QUESTION_TEXT_FIELDS)
    kind = QuestionKind(kind)
    if not values["text"]:
        raise DomainError(_("Write the question."), field="text")
    locked = has_responses(survey)
    if question is None and locked:
        raise Conflict(
            _("This survey already has responses: questions can no longer be added."),
            field="text",
        )
    if question is not None and locked and kind != question.kind:
        raise Conflict(
            _("This survey already has responses: the type of a question cannot change."),
            field="kind",
        )
    old_keys = [c["key"] for c in question.choices] if question is not None else []
    choices: list[dict[str, str]] = []
    if kind in CHOICE_KINDS and question is not None and locked:
        choices = _reworded_choices(question, choice_labels, choices_en, choices_fr, choices_rw)
    elif kind in CHOICE_KINDS:
        choices = parse_choices(choices_en, choices_fr, choices_rw, old_keys)
        if len(choices) < 2:
            raise DomainError(_("Give at least two choices, one per line."), field="choices_en")
    if (
        kind == QuestionKind.NUMBER
        and min_value is not None
        and max_value is not None
        and max_value < min_value
    ):
        raise DomainError(_("The maximum must not be below the minimum."), field="max_value")
    condition_question: SurveyQuestion | None = None
    if condition_question_id:
        condition_question = db.session.get(SurveyQuestion, condition_question_id)
        if (
            condition_question is None
            or condition_question.survey_id != survey.id
            or condition_question.kind not in CONDITION_KINDS
            or (question is not None and condition_question.position >= question.position)
        ):
            raise DomainError(
                _("The condition must use an earlier single-choice or yes/no question."),
                field="condition_question_id",
            )
        if condition_question.kind == QuestionKind.SINGLE and condition_value:
            # Staff may type the choice's wording; store its stable key.
            for choice in condition_question.choices:
                if condition_value.strip().lower() == choice.get("en", "").strip().lower():
                    condition_value = choice["key"]
        elif condition_value:
            condition_value = condition_value.strip().lower()
        allowed = (
            [c["key"] for c in condition_question.choices]
            if condition_question.kind == QuestionKind.SINGLE
            else ["yes", "no"]
        )
        if condition_value not in allowed:
            raise DomainError(
                _("Choose the answer that shows this question."), field="condition_value"
            )
    if question is not None and locked:
        _refuse_locked_changes(
            question,
            is_required=bool(is_required),
            allow_other=bool(allow_other) and kind in CHOICE_KINDS,
            min_value=min_value if kind == QuestionKind.NUMBER else None,
            max_value=max_value if kind == QuestionKind.NUMBER else None,
            condition_question_id=condition_question.id if condition_question else None,
            condition_value=condition_value if condition_question else None,
        )
    if question is None:
        position = max((q.position for q in survey.questions), default=0) + 1
        question = SurveyQuestion(survey=survey, position=position, kind=kind, text="")
        db.session.add(question)
    for name, value in values.items():
        setattr(question, name, value)
    question.kind = kind
    question.is_required = bool(is_required)
    question.choices = choices
    question.allow_other = bool(allow_other) and kind in CHOICE_KINDS
    question.min_value = min_value if kind == QuestionKind.NUMBER else None
    question.max_value = max_value if kind == QuestionKind.NUMBER else None
    question.condition_question_id = condition_question.id if condition_question else None
    question.condition_value = condition_value if condition_question else None
    db.session.flush()
    return question


CHOICES_LOCKED = _l(
    "This survey already has responses: choices can be reworded but not added, removed or "
    "reordered."
)


def _reworded_choices(
    question: SurveyQuestion,
    labels: Mapping[str, Mapping[str, str]] | None,
    choices_en: str,
    choices_fr: str,
    choices_rw: str,
) -> list[dict[str, str]]:
    """New wording for a locked question's choices, each kept under its key (answers keep
    their meaning); raises Conflict when choices are added, removed or reordered."""
    old = [dict(c) for c in question.choices or []]
    if labels is None:
        # One line per choice, matched by position: refuse a line that moved to another place.
        new = parse_choices(choices_en, choices_fr, choices_rw, [c["key"] for c in old])
        if len(new) != len(old):
            raise Conflict(str(CHOICES_LOCKED), field="choices_en")
        wording = {c.get("en", "").strip().casefold(): i for i, c in enumerate(old)}
        for index, choice in enumerate(new):
            moved_from = wording.get(choice["en"].strip().casefold())
            if moved_from is not None and moved_from != index:
                raise Conflict(str(CHOICES_LOCKED), field="choices_en")
        return new
    if set(labels) != {c["key"] for c in old}:
        raise Conflict(str(CHOICES_LOCKED), field="choices_en")
    choices = []
    for choice in old:
        given = labels[choice["key"]]
        english = str(given.get("en") or "").strip()[:200]
        if not english:
            raise DomainError(_("Every choice needs a wording."), field="choices_en")
        updated = {"key": choice["key"], "en": english}
        for lang in LANGUAGES:
            text = str(given.get(lang) or "").strip()[:200]
            if text:
                updated[lang] = text
        choices.append(updated)
    return choices


def _refuse_locked_changes(question: SurveyQuestion, **new: Any) -> None:
    """Once a survey has responses, only wording may change: refuse any other edit."""
    messages = {
        "is_required": _l(
            "This survey already has responses: whether an answer is required cannot change."
        ),
        "allow_other": _l(
            "This survey already has responses: the “Other” option cannot be added or removed."
        ),
        "min_value": _l("This survey already has responses: the minimum cannot change."),
        "max_value": _l("This survey already has responses: the maximum cannot change."),
        "condition_question_id": _l(
            "This survey already has responses: the condition of a question cannot change."
        ),
    }
    for name, value in new.items():
        if value != getattr(question, name):
            field = "condition_question_id" if name == "condition_value" else name
            raise Conflict(str(messages[field]), field=field)


def delete_question(question: SurveyQuestion) -> None:
    """Remove a question; refused once the survey has responses or another depends on it."""
    survey = question.survey
    if has_responses(survey):
        raise Conflict(_("This survey already has responses: questions can no longer be removed."))
    if any(q.condition_question_id == question.id for q in survey.questions):
        raise DomainError(_("Another question's condition uses this question; change it first."))
    survey.questions.remove(question)
    db.session.delete(question)
    _renumber(survey)
    db.session.flush()


def _renumber(survey: Survey) -> None:
    for index, q in enumerate(sorted(survey.questions, key=lambda q: q.position), start=1):
        q.position = index


def _check_conditions_order(ordered: list[SurveyQuestion]) -> None:
    seen: set[int] = set()
    for q in ordered:
        if q.condition_question_id and q.condition_question_id not in seen:
            raise DomainError(
                _("A conditional question must stay after the question it depends on.")
            )
        seen.add(q.id)


def move_question(question: SurveyQuestion, direction: str) -> None:
    """Move a question one place up or down (conditions must keep pointing backwards)."""
    ordered = sorted(question.survey.questions, key=lambda q: q.position)
    index = ordered.index(question)
    other = index - 1 if direction == "up" else index + 1
    if other < 0 or other >= len(ordered):
        return
    ordered[index], ordered[other] = ordered[other], ordered[index]
    _check_conditions_order(ordered)
    for position, q in enumerate(ordered, start=1):
        q.position = position
    db.session.flush()


def reorder_questions(survey: Survey, ids: list[int]) -> None:
    """Set the whole order at once (the drag-and-drop enhancement)."""
    by_id = {q.id: q for q in survey.questions}
    if sorted(ids) != sorted(by_id):
        raise DomainError(_("The new order must list every question once."))
    ordered = [by_id[i] for i in ids]
    _check_conditions_order(ordered)
    for position, q in enumerate(ordered, start=1):
        q.position = position
    db.session.flush()


def duplicate_survey(survey: Survey, *, author: User) -> Survey:
    """Copy the survey and its questions (conditions remapped) as a new draft."""
    copy = Survey(created_by_id=author.id, status=SurveyStatus.DRAFT)
    for name in SURVEY_TEXT_FIELDS:
        setattr(copy, name, getattr(survey, name))
    copy.title = _("%(title)s (copy)", title=survey.title)[:200]
    copy.audience_kind = survey.audience_kind
    copy.segment_id = survey.segment_id
    copy.placement_ids = list(survey.placement_ids or [])
    copy.is_anonymous = survey.is_anonymous
    copy.one_question_per_page = survey.one_question_per_page
    db.session.add(copy)
    db.session.flush()
    mapping: dict[int, SurveyQuestion] = {}
    for q in sorted(survey.questions, key=lambda q: q.position):
        new = SurveyQuestion(
            survey=copy,
            position=q.position,
            kind=q.kind,
            is_required=q.is_required,
            choices=[dict(c) for c in q.choices or []],
            allow_other=q.allow_other,
            min_value=q.min_value,
            max_value=q.max_value,
            condition_value=q.condition_value,
            text=q.text,
        )
        for name in QUESTION_TEXT_FIELDS:
            setattr(new, name, getattr(q, name))
        db.session.add(new)
        db.session.flush()
        if q.condition_question_id and q.condition_question_id in mapping:
            new.condition_question_id = mapping[q.condition_question_id].id
        mapping[q.id] = new
    db.session.flush()
    return copy


def get_survey(survey_id: int) -> Survey:
    survey = db.session.get(Survey, survey_id)
    if survey is None:
        raise NotFound(_("Survey not found."))
    return survey


def list_surveys() -> list[Survey]:
    return list(db.session.scalars(select(Survey).order_by(Survey.id.desc()).limit(300)))


# --------------------------------------------------------------------------- availability


@dataclass(frozen=True, slots=True)
class Availability:
    state: str  # "open", "draft", "not_yet", "closed"
    opens_at: datetime | None
    closes_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def availability(survey: Survey, now: datetime | None = None) -> Availability:
    """Whether members can answer now, and why not."""
    now = now or utcnow()
    closes = survey.closed_at or survey.closes_at
    if survey.status == SurveyStatus.CLOSED or (survey.closes_at and now >= survey.closes_at):
        return Availability("closed", survey.opens_at, closes)
    if survey.status == SurveyStatus.DRAFT:
        return Availability("draft", survey.opens_at, survey.closes_at)
    if survey.opens_at and now < survey.opens_at:
        return Availability("not_yet", survey.opens_at, survey.closes_at)
    return Availability("open", survey.opens_at, survey.closes_at)


def require_open(survey: Survey, now: datetime | None = None) -> Availability:
    state = availability(survey, now)
    if not state.is_open:
        raise DomainError(_("This survey is not open for answers."))
    return state


# --------------------------------------------------------------------------- audience & invitations


def placement_participant_ids(placement_ids: Iterable[int]) -> list[int]:
    """User ids of the given placements' participants: the professional and, when set, the
    host supervisor (an erased professional, whose profile is gone, is left out)."""
    from app.placements.models import Placement
    from app.profiles.models import Profile

    ids = [int(p) for p in placement_ids]
    if not ids:
        return []
    rows = db.session.execute(
        select(Profile.user_id, Placement.supervisor_id)
        .select_from(Placement)
        .outerjoin(Profile, Profile.id == Placement.profile_id)
        .where(Placement.id.in_(ids))
    )
    return sorted({uid for pair in rows for uid in pair if uid is not None})


def audience_user_ids(survey: Survey) -> list[int]:
    """Evaluate the survey's audience now."""
    from app.outreach.models import Segment
    from app.outreach.segments import evaluate_filters

    if survey.audience_kind == AudienceKind.SEGMENT:
        segment = db.session.get(Segment, survey.segment_id) if survey.segment_id else None
        return evaluate_filters(segment.filters) if segment else []
    if survey.audience_kind == AudienceKind.PLACEMENTS:
        return placement_participant_ids(survey.placement_ids or [])
    return evaluate_filters({})


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def token_hash(token: str) -> str:
    return _hash(f"token:{token}")


def draft_key_for(token: str) -> str:
    # A different hash of the same token: the draft cannot be joined to the token row.
    return _hash(f"draft:{token}")


def invitation_token(survey_id: int, invitation_id: int) -> str:
    """The invitation's one-time link token, derived from the server secret (HMAC-SHA256).

    Derived rather than random so that a reminder can send the same link again without the
    token ever being stored: the database keeps only its hash, and the member's half-finished
    anonymous draft (found by another hash of the token) stays usable.
    """
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"umuhuza.survey-token:{survey_id}:{invitation_id}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _issue_token(survey: Survey, invitation_id: int, *, may_exist: bool = False) -> str:
    """Store the hash of the invitation's token and return the token (`may_exist`: look for an
    earlier row with the same hash first; a new invitation cannot have one)."""
    token = invitation_token(survey.id, invitation_id)
    hashed = token_hash(token)
    if may_exist and db.session.scalar(
        select(SurveyToken.id).where(SurveyToken.token_hash == hashed)
    ):
        # The derived token was already issued and revoked (e.g. before a key change): a random
        # one, which a later reminder will replace.
        token = secrets.token_urlsafe(24)
        hashed = token_hash(token)
    db.session.add(SurveyToken(survey_id=survey.id, invitation_id=invitation_id, token_hash=hashed))
    return token


def survey_link(survey: Survey, token: str | None = None) -> str:
    from app.outreach.urls import external_url

    if token:
        return external_url("surveys.answer_token", survey_id=survey.id, token=token)
    return external_url("surveys.answer", survey_id=survey.id)


def _zones_of(user_ids: list[int]) -> dict[int, str]:
    """Return user id → the valid time zone of their profile (members without one are absent)."""
    from app.profiles.models import Profile

    rows = db.session.execute(
        select(Profile.user_id, Profile.timezone).where(
            Profile.user_id.in_(user_ids), Profile.timezone != ""
        )
    )
    return {user_id: zone for user_id, zone in rows if valid_zone(zone)}


@dataclass
class Distribution:
    audience: int = 0
    invited: int = 0
    in_app: int = 0
    emails: int = 0
    left_out: dict[str, int] = field(default_factory=dict)


def _notify(
    survey: Survey,
    users: list[User],
    *,
    template: str,
    key_prefix: str,
    tokens: dict[int, str],
    now: datetime,
) -> Distribution:
    """Inbox entries and queued emails, per the members' "surveys" topic consent.

    Placement evaluations (survey.placement_id, see evaluations.py) are transactional: always
    inbox and email, like the placement notifications, with no consent check and no unsubscribe.
    """
    from app.outreach import preferences
    from app.outreach.models import InboxEntry, InboxKind, OutboxEmail, OutboxStatus, Topic
    from app.outreach.urls import external_url

    result = Distribution()
    transactional = survey.placement_id is not None
    reach = preferences.reach_for(Topic.SURVEYS, [u.id for u in users])
    inbox, outbox = [], []
    invitation_flags: dict[int, tuple[bool, bool]] = {}
    zones = _zones_of([u.id for u in users]) if survey.closes_at else {}
    for user in users:
        member = reach[user.id]
        link = survey_link(survey, tokens.get(user.id))
        locale = user.locale or "en"
        with force_locale(locale):
            title = survey.text("title", locale)
            if template == "reminder":
                subject = _("Reminder: %(title)s", title=title)
                body = _("You have not yet answered the survey “%(title)s”.", title=title)
            else:
                subject = _("Survey: %(title)s", title=title)
                body = _("RCA invites you to answer the survey “%(title)s”.", title=title)
        in_app = member.in_app or transactional
        email = transactional or (member.email and user.is_verified)
        if not transactional and not in_app and not member.email:
            result.left_out["no_consent"] = result.left_out.get("no_consent", 0) + 1
        elif not transactional and member.email and not user.is_verified:
            result.left_out["email_not_verified"] = result.left_out.get("email_not_verified", 0) + 1
        invitation_flags[user.id] = (in_app, email)
        if in_app:
            inbox.append(
                {
                    "user_id": user.id,
                    "kind": InboxKind.ALERT.value,
                    "subject": subject[:200],
                    "body": body,
                    "link_url": link,
                    "visible_at": now,
                    "created_at": now,
                }
            )
            result.in_app += 1
        if email:
            unsubscribe_url = (
                None
                if transactional
                else external_url(
                    "outreach.unsubscribe",
                    token=preferences.unsubscribe_token(user.id, Topic.SURVEYS),
                )
            )
            headers = {"Auto-Submitted": "auto-generated"}
            if unsubscribe_url:
                headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            with force_locale(locale):
                text = render_template(
                    f"mail/survey_{template}.txt",
                    user=user,
                    survey=survey,
                    title=survey.text("title", locale),
                    intro=survey.text("intro", locale),
                    link=link,
                    unsubscribe_url=unsubscribe_url,
                    # The closing time in the member's own zone, named, so no one converts.
                    zone=zones.get(user.id, DEFAULT_TIMEZONE),
                    closes_local=(
                        in_zone(survey.closes_at, zones.get(user.id, DEFAULT_TIMEZONE))
                        if survey.closes_at
                        else None
                    ),
                )
            outbox.append(
                {
                    "idempotency_key": f"{key_prefix}-u{user.id}",
                    "user_id": user.id,
                    "to_address": user.email,
                    "topic": None if transactional else Topic.SURVEYS.value,
                    "subject": subject[:200],
                    "text_body": text,
                    "headers": headers,
                    "status": OutboxStatus.QUEUED.value,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
            )
            result.emails += 1
    if inbox:
        db.session.execute(insert(InboxEntry), inbox)
    if outbox:
        db.session.execute(insert(OutboxEmail), outbox)
    for invitation in db.session.scalars(
        select(SurveyInvitation).where(
            SurveyInvitation.survey_id == survey.id,
            SurveyInvitation.user_id.in_(list(invitation_flags)),
        )
    ):
        in_app, email = invitation_flags[invitation.user_id]
        invitation.in_app = invitation.in_app or in_app
        invitation.by_email = invitation.by_email or email
    return result


def open_survey(survey: Survey, *, now: datetime | None = None) -> Distribution:
    """Open the survey and invite its audience (inbox + email, respecting consent)."""
    now = now or utcnow()
    if survey.status != SurveyStatus.DRAFT:
        raise Conflict(_("This survey has already been opened."))
    if not survey.questions:
        raise DomainError(_("Add at least one question before opening the survey."))
    if survey.closes_at and survey.closes_at <= now:
        raise DomainError(_("The closing date has already passed."), field="closes_at")
    # Test answers given in the preview are not counted: drop them.
    db.session.execute(
        delete(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.is_test.is_(True)
        )
    )
    survey.status = SurveyStatus.OPEN
    survey.opened_at = now
    user_ids = audience_user_ids(survey)
    users = list(
        db.session.scalars(
            select(User).where(User.id.in_(user_ids), User.is_enabled.is_(True)).order_by(User.id)
        )
    )
    if users:
        db.session.execute(
            insert(SurveyInvitation),
            [{"survey_id": survey.id, "user_id": u.id, "invited_at": now} for u in users],
        )
    invitations = dict(
        db.session.execute(
            select(SurveyInvitation.user_id, SurveyInvitation.id).where(
                SurveyInvitation.survey_id == survey.id
            )
        ).all()
    )
    tokens = (
        {u.id: _issue_token(survey, invitations[u.id]) for u in users}
        if survey.is_anonymous
        else {}
    )
    result = _notify(
        survey,
        users,
        template="invitation",
        key_prefix=f"survey{survey.id}-inv",
        tokens=tokens,
        now=now,
    )
    result.audience = len(user_ids)
    result.invited = len(users)
    db.session.flush()
    return result


def non_respondent_ids(survey: Survey) -> list[int]:
    """Invited members who have not submitted (anonymous: whose token is still unused)."""
    if survey.is_anonymous:
        query = (
            select(SurveyInvitation.user_id)
            .join(SurveyToken, SurveyToken.invitation_id == SurveyInvitation.id)
            .where(
                SurveyInvitation.survey_id == survey.id,
                SurveyToken.used_at.is_(None),
                SurveyToken.revoked_at.is_(None),
            )
        )
    else:
        answered = select(SurveyResponse.user_id).where(
            SurveyResponse.survey_id == survey.id,
            SurveyResponse.status == ResponseStatus.SUBMITTED,
            SurveyResponse.user_id.is_not(None),
        )
        query = select(SurveyInvitation.user_id).where(
            SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id.not_in(answered)
        )
    return sorted(set(db.session.scalars(query)))


def send_reminder(survey: Survey, *, now: datetime | None = None) -> Distribution:
    """Remind the invited members who have not answered yet (anonymous: their own link again)."""
    now = now or utcnow()
    require_open(survey, now)
    ids = non_respondent_ids(survey)
    users = list(
        db.session.scalars(
            select(User).where(User.id.in_(ids), User.is_enabled.is_(True)).order_by(User.id)
        )
    )
    survey.reminder_count += 1
    tokens: dict[int, str] = {}
    invitations = {
        inv.user_id: inv
        for inv in db.session.scalars(
            select(SurveyInvitation).where(
                SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id.in_(ids)
            )
        )
    }
    for invitation in invitations.values():
        invitation.reminded_at = now
    if survey.is_anonymous:
        tokens = _reminder_tokens(survey, [invitations[u.id] for u in users], now)
    result = _notify(
        survey,
        users,
        template="reminder",
        key_prefix=f"survey{survey.id}-rem{survey.reminder_count}",
        tokens=tokens,
        now=now,
    )
    result.audience = len(ids)
    result.invited = len(users)
    db.session.flush()
    return result


def _reminder_tokens(
    survey: Survey, invitations: list[SurveyInvitation], now: datetime
) -> dict[int, str]:
    """Each reminded member's link token: the same one again while it is live (so a draft is
    kept); a token that cannot be derived again (random, or from an older secret) is revoked
    and replaced, which starts a new draft."""
    live = {
        row.invitation_id: row
        for row in db.session.scalars(
            select(SurveyToken).where(
                SurveyToken.invitation_id.in_([i.id for i in invitations]),
                SurveyToken.used_at.is_(None),
                SurveyToken.revoked_at.is_(None),
            )
        )
    }
    tokens: dict[int, str] = {}
    for invitation in invitations:
        token = invitation_token(survey.id, invitation.id)
        row = live.get(invitation.id)
        if row is not None and row.token_hash == token_hash(token):
            tokens[invitation.user_id] = token
            continue
        if row is not None:
            row.revoked_at = now
            db.session.flush()
        tokens[invitation.user_id] = _issue_token(survey, invitation.id, may_exist=True)
    return tokens


def close_survey(survey: Survey, *, now: datetime | None = None) -> None:
    if survey.status != SurveyStatus.OPEN:
        raise Conflict(_("Only an open survey can be closed."))
    survey.status = SurveyStatus.CLOSED
    survey.closed_at = now or utcnow()
    db.session.flush()


def count_invited(survey: Survey) -> int:
    return int(
        db.session.scalar(select(func.count()).where(SurveyInvitation.survey_id == survey.id)) or 0
    )


def open_surveys_for(user: User, now: datetime | None = None) -> list[tuple[Survey, str]]:
    """The identified surveys the member was invited to, with their own response state."""
    rows = db.session.execute(
        select(Survey, SurveyResponse.status)
        .join(SurveyInvitation, SurveyInvitation.survey_id == Survey.id)
        .outerjoin(
            SurveyResponse,
            (SurveyResponse.survey_id == Survey.id) & (SurveyResponse.user_id == user.id),
        )
        .where(SurveyInvitation.user_id == user.id, Survey.status == SurveyStatus.OPEN)
        .order_by(Survey.id.desc())
    ).all()
    return [
        (survey, str(status or "new"))
        for survey, status in rows
        if availability(survey, now).is_open
    ]


def is_invited(survey: Survey, user: User) -> bool:
    return (
        db.session.scalar(
            select(SurveyInvitation.id).where(
                SurveyInvitation.survey_id == survey.id, SurveyInvitation.user_id == user.id
            )
        )
        is not None
    )


# --------------------------------------------------------------------------- answering


class AnswerErrors(DomainError):
    """Some answers are invalid: errors per question id; the parsed values are kept."""

    def __init__(
        self, errors: dict[int, str], values: dict[int, Any], others: dict[int, str] | None = None
    ) -> None:
        super().__init__(_("Please correct the highlighted answers."))
        self.errors = errors
        self.values = values
        self.others = others or {}


def _raw(question: SurveyQuestion, data: FormData) -> Any:
    name = f"q{question.id}"
    if question.kind == QuestionKind.MULTIPLE:
        return [str(v) for v in data.getlist(name) if str(v).strip()]
    return str(data.get(name) or "").strip()


def parse_answer(question: SurveyQuestion, data: FormData) -> tuple[Any, str, str | None]:
    """Return (value or None when empty, other text, error message or None)."""
    from app.reference.countries import is_country

    raw = _raw(question, data)
    other = str(data.get(f"q{question.id}_other") or "").strip()[:500]
    if raw in ("", []):
        return None, "", None
    kind = question.kind
    keys = {c["key"] for c in question.choices or []}
    if question.allow_other:
        keys.add(OTHER)
    if kind == QuestionKind.SINGLE:
        if raw not in keys:
            return raw, other, _("Choose one of the options.")
        if raw == OTHER and not other:
            return raw, other, _("Describe your other answer.")
        return raw, other if raw == OTHER else "", None
    if kind == QuestionKind.MULTIPLE:
        if any(v not in keys for v in raw):
            return raw, other, _("Choose among the options.")
        if OTHER in raw and not other:
            return raw, other, _("Describe your other answer.")
        return sorted(set(raw), key=raw.index), other if OTHER in raw else "", None
    if kind == QuestionKind.SHORT_TEXT:
        if len(raw) > SHORT_TEXT_MAX:
            return raw, "", _("Keep it under %(n)s characters.", n=SHORT_TEXT_MAX)
        return raw, "", None
    if kind == QuestionKind.LONG_TEXT:
        if len(raw) > LONG_TEXT_MAX:
            return raw, "", _("Keep it under %(n)s characters.", n=LONG_TEXT_MAX)
        return raw, "", None
    if kind == QuestionKind.RATING:
        if raw not in {"1", "2", "3", "4", "5"}:
            return raw, "", _("Choose a rating from 1 to 5.")
        return int(raw), "", None
    if kind == QuestionKind.NUMBER:
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            return raw, "", _("Enter a number.")
        if number != number or number in (float("inf"), float("-inf")):
            return raw, "", _("Enter a number.")
        if question.min_value is not None and number < question.min_value:
            return raw, "", _("Enter a number of at least %(n)s.", n=_fmt(question.min_value))
        if question.max_value is not None and number > question.max_value:
            return raw, "", _("Enter a number of at most %(n)s.", n=_fmt(question.max_value))
        return (int(number) if number.is_integer() else number), "", None
    if kind == QuestionKind.DATE:
        try:
            return date.fromisoformat(raw).isoformat(), "", None
        except ValueError:
            return raw, "", _("Enter a date as YYYY-MM-DD.")
    if kind == QuestionKind.YES_NO:
        if raw not in ("yes", "no"):
            return raw, "", _("Answer yes or no.")
        return raw, "", None
    if kind == QuestionKind.COUNTRY:
        if not is_country(raw.upper()):
            return raw, "", _("Choose a country from the list.")
        return raw.upper(), "", None
    return raw, "", None  # pragma: no cover


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def is_visible(question: SurveyQuestion, values: Mapping[int, Any], questions: list[Any]) -> bool:
    """A question with a condition shows only when the earlier answer equals the value."""
    if not question.condition_question_id:
        return True
    by_id = {q.id: q for q in questions}
    parent = by_id.get(question.condition_question_id)
    if parent is None:
        return True
    if not is_visible(parent, values, questions):
        return False
    return values.get(parent.id) == question.condition_value


def ordered_questions(survey: Survey) -> list[SurveyQuestion]:
    return sorted(survey.questions, key=lambda q: q.position)


def start_response(
    survey: Survey, *, user: User | None = None, token: str | None = None, is_test: bool = False
) -> SurveyResponse:
    """Find the member's draft (by account, or by token for anonymous surveys) or start one."""
    if is_test:
        response = SurveyResponse(survey_id=survey.id, is_test=True)
        db.session.add(response)
        db.session.flush()
        return response
    if survey.is_anonymous:
        if not token:
            raise DomainError(_("This anonymous survey is answered through your invitation link."))
        check_token(survey, token)
        key = draft_key_for(token)
        response = db.session.scalar(select(SurveyResponse).where(SurveyResponse.draft_key == key))
        if response is None:
            response = SurveyResponse(survey_id=survey.id, draft_key=key)
            db.session.add(response)
            db.session.flush()
        return response
    if user is None:
        raise DomainError(_("Log in to answer this survey."))
    response = db.session.scalar(
        select(SurveyResponse).where(
            SurveyResponse.survey_id == survey.id, SurveyResponse.user_id == user.id
        )
    )
    if response is not None and response.status == ResponseStatus.SUBMITTED:
        raise Conflict(_("You have already answered this survey. Thank you!"))
    if response is None:
        response = SurveyResponse(survey_id=survey.id, user_id=user.id)
        db.session.add(response)
        db.session.flush()
    return response


def is_token_of(survey: Survey, token: str) -> bool:
    """True when the token was issued for this survey (used, revoked or not)."""
    survey_id = db.session.scalar(
        select(SurveyToken.survey_id).where(SurveyToken.token_hash == token_hash(token))
    )
    return survey_id == survey.id


def check_token(survey: Survey, token: str) -> SurveyToken:
    """The token's row when it is valid for this survey and unused; else Conflict/NotFound."""
    row = db.session.scalar(select(SurveyToken).where(SurveyToken.token_hash == token_hash(token)))
    if row is None or row.survey_id != survey.id:
        raise NotFound(_("This survey link is not valid."))
    if row.used_at is not None:
        raise Conflict(_("This link has already been used to answer the survey."))
    if row.revoked_at is not None:
        raise Conflict(
            _("This link was replaced by a newer one: use the link in your latest reminder.")
        )
    return row


def save_answers(
    survey: Survey,
    response: SurveyResponse,
    data: FormData,
    *,
    page_questions: list[SurveyQuestion] | None = None,
    require: bool = True,
) -> dict[int, Any]:
    """Validate and store the answers to `page_questions` (all when None) on the draft.

    Raises AnswerErrors (nothing stored) when an answer is invalid, or a required visible
    question is empty and `require` is set. Hidden (conditional) questions lose their answers.
    """
    if response.status == ResponseStatus.SUBMITTED:
        raise Conflict(_("You have already answered this survey. Thank you!"))
    questions = ordered_questions(survey)
    targets = page_questions if page_questions is not None else questions
    target_ids = {q.id for q in targets}
    values: dict[int, Any] = dict(response.answer_map())
    others: dict[int, str] = {a.question_id: a.other_text for a in response.answers}
    errors: dict[int, str] = {}
    for q in targets:
        value, other, error = parse_answer(q, data)
        values[q.id] = value
        others[q.id] = other
        if error:
            errors[q.id] = error
    for q in targets:
        if q.id in errors or not is_visible(q, values, questions):
            continue
        if require and q.is_required and values.get(q.id) in (None, "", []):
            errors[q.id] = _("This question needs an answer.")
    if errors:
        raise AnswerErrors(errors, values, others)
    existing = {a.question_id: a for a in response.answers}
    for q in questions:
        visible = is_visible(q, values, questions)
        value = values.get(q.id) if visible else None
        answer = existing.get(q.id)
        if q.id not in target_ids and (visible or answer is None):
            continue
        if value in (None, "", []):
            if answer is not None:
                response.answers.remove(answer)
            continue
        if answer is None:
            answer = SurveyAnswer(question_id=q.id, value=value)
            response.answers.append(answer)
        answer.value = value
        answer.other_text = others.get(q.id, "")
    db.session.flush()
    return values


def missing_required(survey: Survey, response: SurveyResponse) -> dict[int, str]:
    """Required visible questions still without an answer."""
    questions = ordered_questions(survey)
    values = response.answer_map()
    return {
        q.id: _("This question needs an answer.")
        for q in questions
        if q.is_required and is_visible(q, values, questions) and values.get(q.id) in (None, "", [])
    }


def submit_response(
    survey: Survey,
    response: SurveyResponse,
    *,
    token: str | None = None,
    now: datetime | None = None,
) -> SurveyResponse:
    """Make the draft final: exactly once per member (or per anonymous token)."""
    now = now or utcnow()
    if not response.is_test:
        require_open(survey, now)
    missing = missing_required(survey, response)
    if missing:
        raise AnswerErrors(missing, response.answer_map())
    if response.is_test:
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
        db.session.flush()
        return response
    if survey.is_anonymous:
        if not token:
            raise DomainError(_("This anonymous survey is answered through your invitation link."))
        row = check_token(survey, token)
        used = db.session.execute(
            update(SurveyToken)
            .where(SurveyToken.id == row.id, SurveyToken.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
        if used.rowcount != 1:
            raise Conflict(_("This link has already been used to answer the survey."))
        # Kept to the day: an exact time could be matched with the token's used_at.
        submitted_at = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)
        done = db.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.id == response.id, SurveyResponse.status == ResponseStatus.DRAFT)
            .values(status=ResponseStatus.SUBMITTED, draft_key=None, submitted_at=submitted_at)
            .execution_options(synchronize_session=False)
        )
    else:
        done = db.session.execute(
            update(SurveyResponse)
            .where(SurveyResponse.id == response.id, SurveyResponse.status == ResponseStatus.DRAFT)
            .values(status=ResponseStatus.SUBMITTED, submitted_at=now)
            .execution_options(synchronize_session=False)
        )
    if done.rowcount != 1:
        raise Conflict(_("You have already answered this survey. Thank you!"))
    db.session.refresh(response)
    db.session.flush()
    if survey.placement_id is not None:
        # A placement evaluation: the placement records the answer (and may become evaluated).
        from app.surveys.evaluations import on_final_response

        on_final_response(survey, response)
    return response


def language_versions(obj: Any, name: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{name}_{lang}", "") for lang in LANGUAGES}
