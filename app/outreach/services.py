"""Outreach logic: compose, check, schedule and send broadcasts; inbox; reports; resends.

Sending writes everything in one transaction with bulk inserts: one recipient row, one inbox
entry (in-app consent) and one outbox row (email consent) per member. The worker delivers the
outbox afterwards; the outbox rows stay the source of truth.
"""

from __future__ import annotations

import json
import smtplib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Integer, String, and_, cast, func, insert, literal, select, update
from sqlalchemy.orm import selectinload

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import Role, User
from app.database import UTCDateTime, utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.jobs.services import cancel_jobs, enqueue_job
from app.mail import MailDeliveryError
from app.outreach import preferences
from app.outreach.models import (
    InboxEntry,
    InboxKind,
    MessageRecipient,
    MessageStatus,
    OutboxEmail,
    OutboxStatus,
    OutreachMessage,
    ScheduleMode,
    Segment,
    Topic,
)
from app.outreach.rendering import (
    RenderedMessage,
    check_placeholders,
    parse_links,
    render_for_member,
)
from app.outreach.urls import external_url

KIGALI = ZoneInfo("Africa/Kigali")
DISPATCH_JOB = "outreach.dispatch_message"


# --------------------------------------------------------------------------- composing


def save_message(
    message: OutreachMessage | None,
    *,
    author: User,
    topic: Topic,
    segment_id: int | None,
    subject: str,
    body: str,
    subject_fr: str = "",
    body_fr: str = "",
    subject_rw: str = "",
    body_rw: str = "",
    links_text: str = "",
) -> OutreachMessage:
    """Create or update a draft; raises InvalidMessage on an unknown placeholder or a bad link."""
    if message is not None and message.status == MessageStatus.SENT:
        raise DomainError(_("This message has been sent and can no longer be edited."))
    fields = {
        "subject": subject,
        "body": body,
        "subject_fr": subject_fr,
        "body_fr": body_fr,
        "subject_rw": subject_rw,
        "body_rw": body_rw,
    }
    for name, value in fields.items():
        check_placeholders(value or "", name)
    for lang in ("fr", "rw"):
        if bool((fields[f"subject_{lang}"] or "").strip()) != bool(
            (fields[f"body_{lang}"] or "").strip()
        ):
            raise DomainError(
                _("Give both a subject and a body for this language, or neither."),
                field=f"body_{lang}",
            )
    links = parse_links(links_text)
    if segment_id is not None and db.session.get(Segment, segment_id) is None:
        raise DomainError(_("Choose an existing segment."), field="segment_id")
    if message is None:
        message = OutreachMessage(created_by_id=author.id, status=MessageStatus.DRAFT)
        db.session.add(message)
    message.topic = topic
    message.segment_id = segment_id
    message.subject = subject.strip()
    message.body = body
    message.subject_fr = subject_fr.strip() or None
    message.body_fr = body_fr or None
    message.subject_rw = subject_rw.strip() or None
    message.body_rw = body_rw or None
    message.links = links
    db.session.flush()
    return message


# --------------------------------------------------------------------------- member values


def _profiles_by_user(user_ids: list[int]) -> dict[int, Any]:
    from app.profiles.models import Profile

    if not user_ids:
        return {}
    rows = db.session.scalars(select(Profile).where(Profile.user_id.in_(user_ids))).all()
    return {row.user_id: row for row in rows}


def member_values(user: User, profile: Any, topic: Topic | str | None) -> dict[str, str]:
    """Placeholder values for one member (links are signed, absolute and need no log-in)."""
    from app.reference.countries import country_name

    full_name = (getattr(profile, "full_name", "") or user.full_name or "").strip()
    preferred = (getattr(profile, "preferred_name", "") or "").strip()
    first_name = preferred or (full_name.split()[0] if full_name else user.display_name)
    country_code = getattr(profile, "country", "") or ""
    values = {
        "first_name": first_name,
        "full_name": full_name or user.display_name,
        "country": country_name(country_code) if country_code else "",
        "city": getattr(profile, "city", "") or "",
        "unsubscribe_all_url": external_url(
            "outreach.unsubscribe",
            token=preferences.unsubscribe_token(user.id, preferences.ALL_TOPICS),
        ),
        "preferences_url": external_url("outreach.preference_centre"),
        "inbox_url": external_url("outreach.inbox"),
    }
    values["unsubscribe_url"] = (
        external_url(
            "outreach.unsubscribe", token=preferences.unsubscribe_token(user.id, str(topic))
        )
        if topic
        else values["unsubscribe_all_url"]
    )
    return values


def render_message_for(message: OutreachMessage, user: User) -> RenderedMessage:
    """Render a broadcast as this member will receive it (their language and values)."""
    profile = _profiles_by_user([user.id]).get(user.id)
    subject, body = message.variant(user.locale)
    return render_for_member(
        subject, body, message.links, member_values(user, profile, message.topic)
    )


# --------------------------------------------------------------------------- audience


@dataclass
class Audience:
    """Who a broadcast reaches now, and who is left out and why."""

    segment_size: int = 0
    in_app_ids: list[int] = field(default_factory=list)
    email_ids: list[int] = field(default_factory=list)
    recipient_ids: list[int] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)
    # Members over the weekly limit: still recipients, but their inbox entry and email wait until
    # the limit lets the message through (user id -> that instant).
    held_back: dict[int, datetime] = field(default_factory=dict)

    @property
    def held_back_until(self) -> datetime | None:
        return max(self.held_back.values()) if self.held_back else None

    def as_summary(self) -> dict[str, Any]:
        until = self.held_back_until
        return {
            "segment": self.segment_size,
            "recipients": len(self.recipient_ids),
            "in_app": len(self.in_app_ids),
            "emails": len(self.email_ids),
            "left_out": dict(self.left_out),
            "held_back": len(self.held_back),
            "held_back_until": until.isoformat() if until else None,
        }


def left_out_label(reason: str) -> str:
    labels = {
        "no_consent": _("No consent for this topic on any channel"),
        # Only in the summaries of messages sent before held-back members were delivered later.
        "frequency_cap": _("Held back: weekly limit of broadcasts reached"),
        "already_sent": _("Already received this message"),
        "email_not_verified": _("Email address not verified (inbox only)"),
        "no_email_consent": _("No email consent for this topic (inbox only)"),
    }
    return labels.get(reason, reason)


def segment_member_ids(segment: Segment | None) -> list[int]:
    """Evaluate the segment now (all enabled professionals when there is none)."""
    from app.outreach.segments import evaluate_filters

    return evaluate_filters(segment.filters if segment else {})


def weekly_limit_release(
    deliveries: dict[int, list[datetime]], now: datetime, cap: int
) -> dict[int, datetime]:
    """Return, for each member at the weekly limit, the first instant a new broadcast may reach
    them without any 7-day window holding more than `cap` broadcasts.

    `deliveries` holds each member's broadcast delivery instants after now - 7 days (including
    ones still waiting for their time). The new one goes 7 days after the cap-th most recent.
    """
    release: dict[int, datetime] = {}
    for user_id, instants in deliveries.items():
        if len(instants) >= cap:
            release[user_id] = max(now, sorted(instants)[-cap] + timedelta(days=7))
    return release


def _held_back(member_ids: list[int], now: datetime) -> dict[int, datetime]:
    cap = int(current_app.config["OUTREACH_MAX_BROADCASTS_PER_WEEK"])
    window = MessageRecipient.deliver_at > now - timedelta(days=7)
    at_limit = set(
        db.session.scalars(
            select(MessageRecipient.user_id)
            .where(window)
            .group_by(MessageRecipient.user_id)
            .having(func.count() >= cap)
        )
    ).intersection(member_ids)
    if not at_limit:
        return {}
    deliveries: dict[int, list[datetime]] = {}
    for user_id, instant in db.session.execute(
        select(MessageRecipient.user_id, MessageRecipient.deliver_at).where(
            window, MessageRecipient.user_id.in_(sorted(at_limit))
        )
    ):
        deliveries.setdefault(user_id, []).append(instant)
    return weekly_limit_release(deliveries, now, cap)


def resolve_audience(message: OutreachMessage, now: datetime) -> Audience:
    """Apply consent (topic × channel), earlier sends and the weekly limit to the segment.

    Members over the weekly limit (OUTREACH_MAX_BROADCASTS_PER_WEEK, counted on delivery
    instants) stay recipients, held back until the limit allows (`Audience.held_back`).
    """
    audience = Audience()
    member_ids = segment_member_ids(message.segment)
    audience.segment_size = len(member_ids)
    if not member_ids:
        return audience
    reach = preferences.reach_for(Topic(message.topic), member_ids)
    already = set(
        db.session.scalars(
            select(MessageRecipient.user_id).where(MessageRecipient.message_id == message.id)
        )
    )
    held_back = _held_back(member_ids, now)
    verified = set(db.session.scalars(select(User.id).where(User.email_verified_at.is_not(None))))
    for user_id in sorted(member_ids):
        if user_id in already:
            audience.left_out["already_sent"] += 1
            continue
        member = reach[user_id]
        if not member.in_app and not member.email:
            audience.left_out["no_consent"] += 1
            continue
        if user_id in held_back:
            audience.held_back[user_id] = held_back[user_id]
        audience.recipient_ids.append(user_id)
        if member.in_app:
            audience.in_app_ids.append(user_id)
        if member.email and user_id in verified:
            audience.email_ids.append(user_id)
        elif member.email:
            audience.left_out["email_not_verified"] += 1
        else:
            audience.left_out["no_email_consent"] += 1
    return audience


# --------------------------------------------------------------------------- scheduling


def kigali_to_utc(local: datetime) -> datetime:
    """Interpret a naive date-time typed by staff as Kigali time and return it in UTC."""
    from datetime import UTC

    return local.replace(tzinfo=KIGALI).astimezone(UTC)


def member_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else KIGALI
    except (ZoneInfoNotFoundError, ValueError):
        return KIGALI


def local_send_instant(day: date, at: time, zone_name: str | None) -> datetime:
    """Return the UTC instant of `day` at `at` in the member's time zone (Kigali when unknown)."""
    from datetime import UTC

    return datetime.combine(day, at, tzinfo=member_zone(zone_name)).astimezone(UTC)


def schedule_message(
    message: OutreachMessage,
    *,
    mode: ScheduleMode,
    at_kigali: datetime | None = None,
    local_day: date | None = None,
    local_at: time | None = None,
    now: datetime | None = None,
) -> OutreachMessage:
    """Schedule the send (a job re-evaluates the segment at that time); replaces an earlier one."""
    now = now or utcnow()
    if message.status == MessageStatus.SENT:
        raise DomainError(_("This message has already been sent."))
    cancel_jobs(f"{DISPATCH_JOB}:{message.id}:")
    if mode == ScheduleMode.AT:
        if at_kigali is None:
            raise DomainError(_("Choose the date and time."), field="send_at")
        run_at = kigali_to_utc(at_kigali)
        if run_at <= now:
            raise DomainError(_("Choose a date and time in the future."), field="send_at")
        message.scheduled_at = run_at
        message.local_date = message.local_time = None
    elif mode == ScheduleMode.LOCAL_TIME:
        if local_day is None or local_at is None:
            raise DomainError(_("Choose the day and the local time."), field="local_date")
        # The earliest zone (UTC+14) reaches the local time first: dispatch then; every member's
        # own instant is computed at dispatch and used as the visibility / sending time.
        run_at = datetime.combine(local_day, local_at, tzinfo=ZoneInfo("Etc/GMT-14"))
        run_at = max(run_at.astimezone(now.tzinfo), now)
        latest = datetime.combine(local_day, local_at, tzinfo=ZoneInfo("Etc/GMT+12"))
        if latest <= now:
            raise DomainError(_("That day has already passed everywhere."), field="local_date")
        message.scheduled_at = run_at
        message.local_date = local_day.isoformat()
        message.local_time = local_at.strftime("%H:%M")
    else:
        raise DomainError(_("Choose when to send."), field="mode")
    message.schedule_mode = mode
    message.status = MessageStatus.SCHEDULED
    enqueue_job(
        DISPATCH_JOB,
        {"message_id": message.id},
        run_at=message.scheduled_at,
        unique_key=f"{DISPATCH_JOB}:{message.id}:{message.scheduled_at.isoformat()}",
    )
    db.session.flush()
    return message


def cancel_schedule(message: OutreachMessage) -> None:
    if message.status != MessageStatus.SCHEDULED:
        raise DomainError(_("This message is not scheduled."))
    cancel_jobs(f"{DISPATCH_JOB}:{message.id}:")
    message.status = MessageStatus.DRAFT
    message.schedule_mode = None
    message.scheduled_at = None
    db.session.flush()


# --------------------------------------------------------------------------- sending


def _visible_times(
    message: OutreachMessage, user_ids: list[int], now: datetime
) -> dict[int, datetime]:
    """Per-member delivery instants for local-time sends (others: now)."""
    if message.schedule_mode != ScheduleMode.LOCAL_TIME or not message.local_date:
        return {}
    from app.profiles.models import Profile

    day = date.fromisoformat(message.local_date)
    at = time.fromisoformat(message.local_time or current_app.config["OUTREACH_LOCAL_SEND_TIME"])
    zones = dict(
        db.session.execute(
            select(Profile.user_id, Profile.timezone).where(Profile.timezone != "")
        ).all()
    )
    return {uid: max(local_send_instant(day, at, zones.get(uid)), now) for uid in user_ids}


def _id_list(ids: list[int]) -> Any:
    """A one-column table of the given ids, expanded by the database from one JSON parameter
    (so 10,000 ids cost one bound value, not 10,000 rows of Python executemany)."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import JSONB

        table = func.jsonb_array_elements_text(literal(ids, JSONB)).table_valued("value")
    else:
        table = func.json_each(json.dumps(ids)).table_valued("value")
    return select(cast(table.c.value, Integer).label("user_id")).subquery()


def _insert_recipients_in_database(message_id: int, audience: Audience, now: datetime) -> None:
    recipients = _id_list(audience.recipient_ids)
    by_email = recipients.c.user_id.in_(select(_id_list(audience.email_ids).c.user_id))
    in_app = recipients.c.user_id.in_(select(_id_list(audience.in_app_ids).c.user_id))
    stamp = literal(now, UTCDateTime())
    db.session.execute(
        insert(MessageRecipient).from_select(
            ["message_id", "user_id", "by_email", "in_app", "deliver_at", "created_at"],
            select(literal(message_id), recipients.c.user_id, by_email, in_app, stamp, stamp),
        )
    )


def send_message(message: OutreachMessage, *, now: datetime | None = None) -> Audience:
    """Send the broadcast to its segment now (bulk inserts, one transaction; the caller commits)."""
    now = now or utcnow()
    if message.status == MessageStatus.SENT:
        raise DomainError(_("This message has already been sent."))
    for name in ("subject", "body", "subject_fr", "body_fr", "subject_rw", "body_rw"):
        check_placeholders(getattr(message, name) or "", name)
    audience = resolve_audience(message, now)
    when = _visible_times(message, audience.recipient_ids, now)
    for user_id, release in audience.held_back.items():
        when[user_id] = max(when.get(user_id, now), release)
    email_set = set(audience.email_ids)
    in_app_set = set(audience.in_app_ids)
    # One executemany for the recipients (ids decided in Python: consent, cap), then the inbox and
    # the outbox are derived from them inside the database with INSERT ... SELECT.
    if audience.recipient_ids and not when:
        _insert_recipients_in_database(message.id, audience, now)
    elif audience.recipient_ids:
        db.session.execute(
            insert(MessageRecipient.__table__),
            [
                {
                    "message_id": message.id,
                    "user_id": uid,
                    "by_email": uid in email_set,
                    "in_app": uid in in_app_set,
                    "deliver_at": when.get(uid, now),
                    "created_at": now,
                }
                for uid in audience.recipient_ids
            ],
        )
    recipients = (
        select(MessageRecipient).where(MessageRecipient.message_id == message.id).subquery()
    )
    if audience.in_app_ids:
        db.session.execute(
            insert(InboxEntry).from_select(
                ["user_id", "kind", "message_id", "visible_at", "created_at"],
                select(
                    recipients.c.user_id,
                    literal(InboxKind.BROADCAST.value),
                    recipients.c.message_id,
                    recipients.c.deliver_at,
                    recipients.c.created_at,
                ).where(recipients.c.in_app.is_(True)),
            )
        )
    if audience.email_ids:
        key = literal(f"msg{message.id}-u") + cast(recipients.c.user_id, String)
        db.session.execute(
            insert(OutboxEmail).from_select(
                [
                    "idempotency_key",
                    "user_id",
                    "to_address",
                    "message_id",
                    "topic",
                    "status",
                    "attempts",
                    "next_attempt_at",
                    "created_at",
                ],
                select(
                    key,
                    recipients.c.user_id,
                    User.email,
                    recipients.c.message_id,
                    literal(str(message.topic)),
                    literal(OutboxStatus.QUEUED.value),
                    literal(0),
                    recipients.c.deliver_at,
                    recipients.c.created_at,
                )
                .join(User, User.id == recipients.c.user_id)
                .where(recipients.c.by_email.is_(True)),
            )
        )
    message.status = MessageStatus.SENT
    message.sent_at = now
    message.summary = audience.as_summary()
    db.session.flush()
    record_audit(
        actions.MESSAGE_SENT,
        target=message,
        details={"recipients": len(audience.recipient_ids), "emails": len(audience.email_ids)},
    )
    return audience


def send_test(message: OutreachMessage, staff: User) -> str:
    """Email the message, rendered with the staff member's own values, to their own address."""
    rendered = render_message_for(message, staff)
    from app.outreach.delivery import SMTPConnection, compose_broadcast_email, to_mime

    mime = to_mime(compose_broadcast_email(message, staff, rendered, test=True))
    connection = SMTPConnection()
    try:
        connection.send(mime)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailDeliveryError(str(exc)) from exc
    finally:
        connection.close()
    return str(mime["Message-ID"])


def resend_failed(message: OutreachMessage, *, resent_by: User | None = None) -> int:
    """Queue again the emails of this message that failed (same rows, same Message-IDs).

    Idempotent: only rows failed at this moment are touched, so a repeated click queues nothing
    twice; each row gets a fresh retry window. The action is audited with the count.
    """
    result = db.session.execute(
        update(OutboxEmail)
        .where(
            and_(OutboxEmail.message_id == message.id, OutboxEmail.status == OutboxStatus.FAILED)
        )
        .values(
            status=OutboxStatus.QUEUED,
            attempts=0,
            next_attempt_at=utcnow(),
            first_attempt_at=None,
            lease_until=None,
            claimed_by=None,
        )
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)
    record_audit(
        actions.OUTBOX_RESEND_FAILED,
        target=message,
        details={"requeued": count},
        actor=resent_by,
    )
    db.session.flush()
    return count


@dataclass
class DeliveryReport:
    recipients: int
    in_app: int
    read: int
    queued: int  # waiting for a first attempt
    sending: int
    sent: int
    failed: int
    failures: list[tuple[str, str, int]]  # (address, reason, attempts), first 100
    skipped: int = 0  # not sent: the member withdrew email consent before delivery
    retrying: int = 0  # failed transiently at least once, waiting for the next attempt
    next_retry_at: datetime | None = None


def delivery_report(message: OutreachMessage) -> DeliveryReport:
    """Counts per outbox status, in-app reads, and the failed addresses with their reasons."""
    statuses = dict(
        db.session.execute(
            select(OutboxEmail.status, func.count())
            .where(OutboxEmail.message_id == message.id)
            .group_by(OutboxEmail.status)
        ).all()
    )
    recipients = db.session.scalar(
        select(func.count()).where(MessageRecipient.message_id == message.id)
    )
    in_app = db.session.scalar(select(func.count()).where(InboxEntry.message_id == message.id))
    read = db.session.scalar(
        select(func.count()).where(
            InboxEntry.message_id == message.id, InboxEntry.read_at.is_not(None)
        )
    )
    retrying, next_retry_at = db.session.execute(
        select(func.count(), func.min(OutboxEmail.next_attempt_at)).where(
            OutboxEmail.message_id == message.id,
            OutboxEmail.status == OutboxStatus.QUEUED,
            OutboxEmail.attempts > 0,
        )
    ).one()
    failures = db.session.execute(
        select(OutboxEmail.to_address, OutboxEmail.last_error, OutboxEmail.attempts)
        .where(OutboxEmail.message_id == message.id, OutboxEmail.status == OutboxStatus.FAILED)
        .order_by(OutboxEmail.id)
        .limit(100)
    ).all()
    return DeliveryReport(
        recipients=int(recipients or 0),
        in_app=int(in_app or 0),
        read=int(read or 0),
        queued=int(statuses.get(OutboxStatus.QUEUED, 0)) - int(retrying or 0),
        sending=int(statuses.get(OutboxStatus.SENDING, 0)),
        sent=int(statuses.get(OutboxStatus.SENT, 0)),
        failed=int(statuses.get(OutboxStatus.FAILED, 0)),
        failures=[(a, e or "", n) for a, e, n in failures],
        skipped=int(statuses.get(OutboxStatus.SKIPPED, 0)),
        retrying=int(retrying or 0),
        next_retry_at=next_retry_at,
    )


def list_messages() -> list[OutreachMessage]:
    return list(
        db.session.scalars(select(OutreachMessage).order_by(OutreachMessage.id.desc()).limit(200))
    )


def get_message(message_id: int) -> OutreachMessage:
    message = db.session.get(OutreachMessage, message_id)
    if message is None:
        raise NotFound(_("Message not found."))
    return message


# --------------------------------------------------------------------------- inbox


def visible_inbox(user: User, now: datetime | None = None, limit: int = 200) -> list[InboxEntry]:
    """The member's inbox entries already visible, newest first, with their broadcast loaded."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(InboxEntry)
            .where(InboxEntry.user_id == user.id, InboxEntry.visible_at <= now)
            .order_by(InboxEntry.visible_at.desc(), InboxEntry.id.desc())
            .options(selectinload(InboxEntry.message))
            .limit(limit)
        )
    )


def unread_count(user_id: int, now: datetime | None = None) -> int:
    now = now or utcnow()
    return int(
        db.session.scalar(
            select(func.count()).where(
                InboxEntry.user_id == user_id,
                InboxEntry.read_at.is_(None),
                InboxEntry.visible_at <= now,
            )
        )
        or 0
    )


def open_entry(entry: InboxEntry, now: datetime | None = None) -> InboxEntry:
    """Mark the entry read (the read receipt) the first time it is opened."""
    if entry.read_at is None:
        entry.read_at = now or utcnow()
        db.session.flush()
    return entry


def entry_content(entry: InboxEntry, user: User) -> tuple[str, str | None, str | None]:
    """Return (subject, safe HTML body or None, plain body or None) of an inbox entry."""
    if entry.kind == InboxKind.BROADCAST and entry.message is not None:
        rendered = render_message_for(entry.message, user)
        return rendered.subject, rendered.html, None
    return entry.subject or "", None, entry.body


def professionals_for_preview(limit: int = 200) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == Role.PROFESSIONAL).order_by(User.full_name).limit(limit)
        )
    )
