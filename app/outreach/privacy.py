"""Personal data held by outreach: inbox, direct messages, preferences, alerts, emails.

Export: the member's inbox entries, the threads they take part in, their delivery preferences,
their opportunity alerts and the emails addressed to them (subject, status, dates).

Erasure: inbox entries, preferences, alerts and queued emails go; threads of the professional
go with their messages; in threads of others (an institution member erased) the member's
messages are blanked and their name, email and phone scrubbed from what the other party kept.
Email notices to the other party that quote the member's messages are withdrawn when unsent and
blanked when sent (tests/privacy/test_erasure_marker.py).
Sent broadcast emails and message recipient rows stay for the delivery report's counts, with the
address and texts blanked: they then point only at the anonymised account row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select, update

from app.auth.models import User
from app.extensions import db
from app.outreach.models import (
    Conversation,
    DeliveryPreference,
    DirectMessage,
    InboxEntry,
    MessageRecipient,
    OpportunityAlert,
    OutboxEmail,
    OutboxStatus,
)
from app.placements.privacy import scrub
from app.privacy.handlers import plain
from app.privacy.registry import register_personal_data
from app.profiles.models import Profile


def _needles(user: User) -> list[str]:
    values = {user.email, user.full_name}
    profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
    if profile is not None:
        values |= {profile.full_name, profile.preferred_name, profile.phone}
    return sorted((v for v in values if v and len(v.strip()) >= 3), key=len, reverse=True)


def _conversations_of(user: User) -> list[Conversation]:
    wrote = select(DirectMessage.conversation_id).where(DirectMessage.sender_id == user.id)
    return list(
        db.session.scalars(
            select(Conversation)
            .where(
                or_(
                    Conversation.professional_id == user.id,
                    Conversation.started_by_id == user.id,
                    Conversation.id.in_(wrote),
                )
            )
            .order_by(Conversation.id)
        )
    )


def _mentioning(columns: list[Any], needles: list[str]) -> Any:
    return or_(
        *(
            func.lower(column).like(f"%{needle.lower()}%")
            for column in columns
            for needle in needles
        )
    )


def _scrub_others(needles: list[str]) -> None:
    """Scrub the member's name, email and phone from notices kept for other people (placement
    updates and message notices to an institution mention the professional by name)."""
    if not needles:
        return
    for entry in db.session.scalars(
        select(InboxEntry).where(_mentioning([InboxEntry.subject, InboxEntry.body], needles))
    ):
        entry.subject = scrub(entry.subject, needles) if entry.subject is not None else None
        entry.body = scrub(entry.body, needles) if entry.body is not None else None
    columns = [OutboxEmail.subject, OutboxEmail.text_body, OutboxEmail.html_body]
    for email in db.session.scalars(select(OutboxEmail).where(_mentioning(columns, needles))):
        email.subject = scrub(email.subject, needles) if email.subject is not None else None
        email.text_body = scrub(email.text_body, needles) if email.text_body is not None else None
        email.html_body = scrub(email.html_body, needles) if email.html_body is not None else None


def _withdraw_notifications_of(message_ids: list[int]) -> None:
    """The email notices quoting these direct messages (keyed `dm<message>-u<recipient>`):
    unsent ones are withdrawn (deleted, never sent); sent ones keep their row for the delivery
    counts with subject and bodies blanked."""
    for message_id in message_ids:
        pattern = f"dm{message_id}-u%"
        db.session.execute(
            delete(OutboxEmail).where(
                OutboxEmail.idempotency_key.like(pattern),
                OutboxEmail.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
            )
        )
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.idempotency_key.like(pattern))
            .values(subject="", text_body="", html_body=None, headers=None, last_error=None)
            .execution_options(synchronize_session=False)
        )


@register_personal_data(
    "outreach",
    order=30,
    tables=(
        "conversations",
        "delivery_preferences",
        "direct_messages",
        "inbox_entries",
        "message_recipients",
        "opportunity_alerts",
        "outbox_emails",
    ),
)
class OutreachData:
    @staticmethod
    def export(user: User) -> dict[str, Any]:
        inbox = db.session.scalars(
            select(InboxEntry).where(InboxEntry.user_id == user.id).order_by(InboxEntry.id)
        ).all()
        preferences = db.session.scalars(
            select(DeliveryPreference)
            .where(DeliveryPreference.user_id == user.id)
            .order_by(DeliveryPreference.id)
        ).all()
        alerts = db.session.scalars(
            select(OpportunityAlert)
            .where(OpportunityAlert.user_id == user.id)
            .order_by(OpportunityAlert.id)
        ).all()
        emails = db.session.scalars(
            select(OutboxEmail).where(OutboxEmail.user_id == user.id).order_by(OutboxEmail.id)
        ).all()
        received = db.session.scalars(
            select(MessageRecipient.message_id)
            .where(MessageRecipient.user_id == user.id)
            .order_by(MessageRecipient.message_id)
        ).all()
        return {
            "inbox": [
                {
                    "kind": str(entry.kind),
                    "subject": entry.subject
                    or (entry.message.subject if entry.message is not None else ""),
                    "body": entry.body or (entry.message.body if entry.message is not None else ""),
                    "link": entry.link_url,
                    "visible_at": plain(entry.visible_at),
                    "read_at": plain(entry.read_at),
                }
                for entry in inbox
            ],
            "conversations": [
                {
                    "subject": conversation.subject,
                    "need_id": conversation.need_id,
                    "placement_id": conversation.placement_id,
                    "started_at": plain(conversation.created_at),
                    "messages": [
                        {
                            "from_you": message.sender_id == user.id,
                            "body": message.body,
                            "at": plain(message.created_at),
                        }
                        for message in conversation.messages
                    ],
                }
                for conversation in _conversations_of(user)
            ],
            "delivery_preferences": [
                {
                    "topic": str(p.topic),
                    "channel": str(p.channel),
                    "enabled": p.is_enabled,
                    "frequency": str(p.frequency),
                    "updated_at": plain(p.updated_at),
                }
                for p in preferences
            ],
            "opportunity_alerts": [
                {
                    "need_id": a.need_id,
                    "title": a.title,
                    "created_at": plain(a.created_at),
                    "delivered_at": plain(a.delivered_at),
                }
                for a in alerts
            ],
            "emails": [
                {
                    "subject": e.subject or "",
                    "topic": e.topic,
                    "status": str(e.status),
                    "created_at": plain(e.created_at),
                    "sent_at": plain(e.sent_at),
                }
                for e in emails
            ],
            "broadcasts_received": list(received),
        }

    @staticmethod
    def erase(user: User) -> None:
        needles = _needles(user)
        conversations = _conversations_of(user)
        own = [c.id for c in conversations if c.professional_id == user.id]
        others = [c for c in conversations if c.professional_id != user.id]
        # Notifications quoting what the member wrote, in any thread (their own threads go below,
        # but the emails to the other party live on): withdrawn if unsent, blanked if sent.
        _withdraw_notifications_of(
            list(
                db.session.scalars(
                    select(DirectMessage.id).where(DirectMessage.sender_id == user.id)
                )
            )
        )
        if own:
            db.session.execute(delete(InboxEntry).where(InboxEntry.conversation_id.in_(own)))
            db.session.execute(delete(DirectMessage).where(DirectMessage.conversation_id.in_(own)))
            db.session.execute(delete(Conversation).where(Conversation.id.in_(own)))
        if others:
            other_ids = [c.id for c in others]
            written = list(
                db.session.scalars(
                    select(DirectMessage.id).where(
                        DirectMessage.conversation_id.in_(other_ids),
                        DirectMessage.sender_id == user.id,
                    )
                )
            )
            # The other party keeps the thread; what the erased member wrote is blanked.
            db.session.execute(
                update(DirectMessage)
                .where(DirectMessage.id.in_(written))
                .values(body="")
                .execution_options(synchronize_session=False)
            )
            for conversation in others:
                conversation.subject = scrub(conversation.subject, needles)
            for message in db.session.scalars(
                select(DirectMessage).where(DirectMessage.conversation_id.in_(other_ids))
            ):
                message.body = scrub(message.body, needles)
            for entry in db.session.scalars(
                select(InboxEntry).where(InboxEntry.conversation_id.in_(other_ids))
            ):
                entry.subject = scrub(entry.subject, needles)
                entry.body = ""  # an excerpt of a message, possibly the erased member's
        db.session.execute(delete(InboxEntry).where(InboxEntry.user_id == user.id))
        db.session.execute(delete(DeliveryPreference).where(DeliveryPreference.user_id == user.id))
        db.session.execute(delete(OpportunityAlert).where(OpportunityAlert.user_id == user.id))
        # Emails to the member: unsent and personal ones go; sent broadcasts stay as counts.
        db.session.execute(
            delete(OutboxEmail).where(
                OutboxEmail.user_id == user.id,
                or_(
                    OutboxEmail.message_id.is_(None),
                    OutboxEmail.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
                ),
            )
        )
        db.session.execute(
            update(OutboxEmail)
            .where(OutboxEmail.user_id == user.id)
            .values(
                to_address=f"deleted-{user.id}@invalid",
                subject="",
                text_body=None,
                html_body=None,
                headers=None,
                last_error=None,
            )
            .execution_options(synchronize_session=False)
        )
        _scrub_others(needles)
        # MessageRecipient rows hold ids, flags and dates only; they stay so that the delivery
        # report and the message's counts remain true (the account row is anonymised last).
        db.session.flush()
