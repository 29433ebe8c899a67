"""The email outbox pump: claim a small batch, send each over one SMTP connection, mark each.

Exactly-once, as far as SMTP allows: rows are claimed with a lease (app/jobs/claims.py), and the
"sent" mark is committed in its own short transaction right after each SMTP acceptance, so a
worker killed mid-batch leaves at most the one message whose acceptance it had not yet recorded;
that row is reclaimed after the lease and resent with the same Message-ID (built from its
idempotency key), which receiving servers and our tests recognise as the same message. Every
other row is sent exactly once.

Consent is read again at delivery: a broadcast row (one with a topic) whose member no longer
accepts that topic by email is marked skipped with the reason, not sent. Transactional rows
(no topic: verification, placement steps, direct messages) are never held back this way.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, or_, select, update

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.jobs.claims import claim_ids
from app.jobs.registry import pump
from app.mail import OutgoingEmail, build_message
from app.outreach import preferences
from app.outreach.models import OutboxEmail, OutboxStatus, OutreachMessage, Topic
from app.outreach.rendering import RenderedMessage, render_for_member
from app.outreach.retry import RetryPolicy, describe, is_permanent, next_attempt_at

log = logging.getLogger("umuhuza.worker.outbox")


@dataclass
class DeliveryHooks:
    """Points in the send loop where a callable may run with the outbox row's id.

    Nothing in the app sets them; the crash tests kill the worker process at an exact point with
    them (tests/jobs/crashing_worker.py): `accepted` runs after the SMTP server accepted a message
    and before its "sent" mark is committed (the one unavoidable window), `marked` right after.
    """

    accepted: Callable[[int], None] | None = None
    marked: Callable[[int], None] | None = None


HOOKS = DeliveryHooks()


def message_id_for(key: str) -> str:
    return f"<{key}@{current_app.config['OUTREACH_MESSAGE_ID_DOMAIN']}>"


def compose_broadcast_email(
    message: OutreachMessage,
    user: User,
    rendered: RenderedMessage,
    *,
    key: str | None = None,
    test: bool = False,
    values: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Wrap a rendered broadcast in the mail templates, with RFC 8058 one-click unsubscribe."""
    from app.outreach.services import member_values

    values = values or member_values(user, None, message.topic)
    with force_locale(user.locale or "en"):
        context = {
            "rendered": rendered,
            "links": message.links,
            "unsubscribe_url": values["unsubscribe_url"],
            "unsubscribe_all_url": values["unsubscribe_all_url"],
            "preferences_url": values["preferences_url"],
            "topic_label": str(preferences.TOPIC_LABELS[message.topic]),
            "test": test,
        }
        text = render_template("mail/outreach_broadcast.txt", **context)
        html = render_template("mail/outreach_broadcast.html", **context)
        subject = (_("[Test] ") if test else "") + rendered.subject
    return OutgoingEmail(
        to=user.email,
        subject=subject,
        text=text,
        html=html,
        headers={
            "List-Unsubscribe": f"<{values['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        message_id=message_id_for(key) if key else None,
    )


def to_mime(email: OutgoingEmail) -> EmailMessage:
    """Build the MIME message (app.mail.build_message) with unfolded List-Unsubscribe headers.

    The default policy folds a long header without spaces into RFC 2047 encoded words, which mail
    clients do not read as a URL; 998 is RFC 5322's hard line limit.
    """
    mime = build_message(email, current_app.config["MAIL_DEFAULT_SENDER"])
    mime.policy = mime.policy.clone(max_line_length=998)
    return mime


class SMTPConnection:
    """One SMTP session reused for a batch (opened lazily, reopened after an error)."""

    def __init__(self) -> None:
        self.smtp: smtplib.SMTP | None = None

    def send(self, message: EmailMessage) -> None:
        cfg = current_app.config
        if cfg["MAIL_BACKEND"] == "log":
            log.info("Email (log backend) to %s: %s", message["To"], message["Subject"])
            return
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(message)
        except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError):
            self.close()
            raise

    def _open(self) -> smtplib.SMTP:
        cfg = current_app.config
        host, port = str(cfg["MAIL_SERVER"]), int(cfg["MAIL_PORT"])
        timeout = float(cfg["MAIL_TIMEOUT_SECONDS"])
        smtp: smtplib.SMTP
        if cfg["MAIL_USE_SSL"]:
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(str(cfg["MAIL_USERNAME"]), str(cfg["MAIL_PASSWORD"] or ""))
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            self.smtp = None


def _outgoing_for(
    row: OutboxEmail, message: OutreachMessage | None, user: User | None, profile: Any
) -> OutgoingEmail:
    if message is not None and user is not None:
        from app.outreach.services import member_values

        values = member_values(user, profile, message.topic)
        subject, body = message.variant(user.locale)
        rendered = render_for_member(subject, body, message.links, values)
        return compose_broadcast_email(
            message, user, rendered, key=row.idempotency_key, values=values
        )
    return OutgoingEmail(
        to=row.to_address,
        subject=row.subject or "",
        text=row.text_body or "",
        html=row.html_body,
        headers=dict(row.headers or {}),
        message_id=message_id_for(row.idempotency_key),
    )


def lease_seconds() -> int:
    return int(current_app.config["WORKER_LEASE_SECONDS"])


def sending_deadline(claimed_at: datetime) -> datetime:
    """The last instant this worker may start an SMTP send for rows claimed at `claimed_at`.

    Past it, the lease could expire during the send and another worker reclaim (and resend) the
    row; the margin covers one send (the SMTP timeout), at most a third of the lease.
    """
    lease = lease_seconds()
    margin = min(float(current_app.config["MAIL_TIMEOUT_SECONDS"]), lease / 3)
    return claimed_at + timedelta(seconds=lease - margin)


def claim_outbox_batch(worker_id: str, now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    lease = timedelta(seconds=lease_seconds())
    due = or_(
        and_(OutboxEmail.status == OutboxStatus.QUEUED, OutboxEmail.next_attempt_at <= now),
        and_(OutboxEmail.status == OutboxStatus.SENDING, OutboxEmail.lease_until < now),
    )
    return claim_ids(
        OutboxEmail,
        due=due,
        limit=int(current_app.config["WORKER_BATCH_SIZE"]),
        values={
            "status": OutboxStatus.SENDING,
            "lease_until": now + lease,
            "claimed_by": worker_id,
            "attempts": OutboxEmail.attempts + 1,
            # Typed bind: a bare datetime reaches SQLite in another text format than the column.
            "first_attempt_at": func.coalesce(
                OutboxEmail.first_attempt_at, literal(now, type_=UTCDateTime())
            ),
        },
    )


def retry_policy() -> RetryPolicy:
    cfg = current_app.config
    return RetryPolicy(
        first_seconds=float(cfg["OUTBOX_RETRY_FIRST_SECONDS"]),
        max_seconds=float(cfg["OUTBOX_RETRY_MAX_SECONDS"]),
        window=timedelta(hours=float(cfg["OUTBOX_RETRY_WINDOW_HOURS"])),
    )


def _mark(row_id: int, worker_id: str, **values: object) -> None:
    db.session.execute(
        update(OutboxEmail)
        .where(OutboxEmail.id == row_id, OutboxEmail.claimed_by == worker_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _withdrawn_consent(rows: list[OutboxEmail]) -> dict[int, str]:
    """Return {row id: reason} of broadcast rows whose member no longer accepts the topic by email.

    Read in bulk (one reach_for per topic in the batch), in the claim's own read transaction.
    """
    by_topic: dict[str, list[OutboxEmail]] = defaultdict(list)
    for row in rows:
        if row.topic and row.user_id:
            by_topic[row.topic].append(row)
    withdrawn: dict[int, str] = {}
    for topic, topic_rows in by_topic.items():
        try:
            chosen = Topic(topic)
        except ValueError:
            continue  # a topic this version does not know: leave the row to be sent
        reach = preferences.reach_for(chosen, {r.user_id for r in topic_rows if r.user_id})
        for row in topic_rows:
            if row.user_id is not None and not reach[row.user_id].email:
                withdrawn[row.id] = preferences.skipped_reason(topic)
    return withdrawn


def _release(row_ids: list[int], worker_id: str) -> None:
    """Give claimed, unattempted rows back to the queue (their attempt is not counted)."""
    db.session.execute(
        update(OutboxEmail)
        .where(
            OutboxEmail.id.in_(row_ids),
            OutboxEmail.claimed_by == worker_id,
            OutboxEmail.status == OutboxStatus.SENDING,
        )
        .values(
            status=OutboxStatus.QUEUED,
            attempts=OutboxEmail.attempts - 1,
            lease_until=None,
            claimed_by=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _skip(withdrawn: dict[int, str], worker_id: str) -> None:
    for row_id, reason in withdrawn.items():
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.id == row_id, OutboxEmail.claimed_by == worker_id)
            .values(status=OutboxStatus.SKIPPED, last_error=reason, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        log.info("outbox %s skipped: %s", row_id, reason)


@pump("outbox")
def deliver_outbox_batch(worker_id: str) -> int:
    """Deliver one claimed batch of due outbox rows; return how many rows were handled (sent,
    skipped, failed or set to retry; rows handed back at the lease deadline do not count)."""
    claimed_at = utcnow()
    ids = claim_outbox_batch(worker_id, claimed_at)
    if not ids:
        return 0
    deadline = sending_deadline(claimed_at)
    rows = list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.id.in_(ids))))
    messages = {
        m.id: m
        for m in db.session.scalars(
            select(OutreachMessage).where(
                OutreachMessage.id.in_({r.message_id for r in rows if r.message_id})
            )
        )
    }
    users = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({r.user_id for r in rows if r.user_id}))
        )
    }
    from app.outreach.services import _profiles_by_user

    withdrawn = _withdrawn_consent(rows)
    if withdrawn:
        _skip(withdrawn, worker_id)
        rows = [r for r in rows if r.id not in withdrawn]
    profiles = _profiles_by_user([r.user_id for r in rows if r.user_id and r.message_id])
    # Plain values, so marking rows (which expires the session) needs no reload.
    work = [
        (
            r.id,
            r.idempotency_key,
            r.attempts,
            r.first_attempt_at or claimed_at,
            messages.get(r.message_id or 0),
            users.get(r.user_id or 0),
            r,
        )
        for r in rows
    ]
    prepared = []
    for row_id, key, attempts, first_at, message, user, row in work:
        try:
            email = _outgoing_for(row, message, user, profiles.get(row.user_id or 0))
            prepared.append((row_id, key, attempts, first_at, to_mime(email), None))
        except Exception as exc:  # a rendering bug must fail the row, not the worker
            log.exception("could not render outbox row %s", row_id)
            prepared.append((row_id, key, attempts, first_at, None, f"render: {exc}"))
    db.session.commit()  # end the read transaction before sending
    connection = SMTPConnection()
    policy = retry_policy()
    released = 0
    try:
        for position, (row_id, key, attempts, first_at, mime, render_error) in enumerate(prepared):
            if utcnow() >= deadline:
                # A slow batch: hand the rest back now rather than race a reclaiming worker.
                released = len(prepared) - position
                _release([p[0] for p in prepared[position:]], worker_id)
                log.warning("outbox: lease nearly over, %d rows released", released)
                break
            error = render_error
            # A template bug is not cured by waiting: the row fails at once (staff can resend
            # it after the fix), like a recipient the server says does not exist.
            permanent = render_error is not None
            if mime is not None:
                try:
                    connection.send(mime)
                except (smtplib.SMTPException, OSError) as exc:
                    error = describe(exc)
                    permanent = is_permanent(exc)
            if error is None:
                if HOOKS.accepted is not None:
                    HOOKS.accepted(row_id)
                _mark(
                    row_id,
                    worker_id,
                    status=OutboxStatus.SENT,
                    sent_at=utcnow(),
                    lease_until=None,
                    last_error=None,
                )
                if HOOKS.marked is not None:
                    HOOKS.marked(row_id)
                continue
            now = utcnow()
            retry_at = None if permanent else next_attempt_at(attempts, first_at, now, policy)
            if retry_at is None:
                log.error("outbox %s (%s) failed for good: %s", row_id, key, error)
                _mark(
                    row_id,
                    worker_id,
                    status=OutboxStatus.FAILED,
                    last_error=error[:2000],
                    lease_until=None,
                )
            else:
                log.warning(
                    "outbox %s attempt %d failed, retry at %s: %s",
                    row_id,
                    attempts,
                    retry_at.isoformat(),
                    error,
                )
                _mark(
                    row_id,
                    worker_id,
                    status=OutboxStatus.QUEUED,
                    last_error=error[:2000],
                    next_attempt_at=retry_at,
                    lease_until=None,
                    claimed_by=None,
                )
    finally:
        connection.close()
    return len(ids) - released
