"""Demo outreach for `make run`: two saved segments, a sent broadcast with inbox entries, a
scheduled broadcast and a direct-message thread between the demo institution member and Amina.

No outbox email is created for demo members, so the development worker mails nobody.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.outreach.models import (
    Conversation,
    DirectMessage,
    InboxEntry,
    InboxKind,
    MessageRecipient,
    MessageStatus,
    OutreachMessage,
    ScheduleMode,
    Segment,
    Topic,
)
from app.outreach.segments import evaluate_filters
from app.outreach.services import schedule_message
from app.outreach.urls import external_url

EUROPE = ["BE", "FR", "CH", "LU", "DE", "NL", "GB", "IT", "ES", "SE"]
SEGMENTS = (
    ("Health professionals in Canada", {"sectors": ["health"], "countries": ["CA"]}),
    ("French speakers in Europe", {"languages": ["fr"], "countries": EUROPE}),
)


def seed_outreach(*, demo_professional_email: str, demo_member_email: str, staff_email: str) -> int:
    """Create the demo outreach content (flushes, never commits); return the recipients reached."""
    now = utcnow()
    staff = db.session.scalar(select(User).where(User.email == staff_email))
    staff_id = staff.id if staff else None
    segments = []
    for name, filters in SEGMENTS:
        segment = Segment(name=name, filters=filters, created_by_id=staff_id)
        db.session.add(segment)
        segments.append(segment)
    db.session.flush()

    sent_at = now - timedelta(days=6)
    recipients = evaluate_filters(segments[0].filters) or evaluate_filters({})[:40]
    sent = OutreachMessage(
        topic=Topic.NEWS,
        segment_id=segments[0].id,
        subject="Rwanda Health Week 2026: join the diaspora clinicians' day",
        body=(
            "Dear {first_name},\n\nThe Ministry of Health invites diaspora clinicians to a day "
            "of exchange in Kigali on **14 August 2026**. Sessions can be followed online.\n\n"
            "[Manage your preferences]({unsubscribe_url})"
        ),
        subject_fr="Semaine de la santé 2026 : journée des cliniciens de la diaspora",
        body_fr=(
            "Bonjour {first_name},\n\nLe ministère de la Santé invite les cliniciens de la "
            "diaspora à une journée d'échanges à Kigali le **14 août 2026**.\n\n"
            "[Gérer vos préférences]({unsubscribe_url})"
        ),
        links=[],
        status=MessageStatus.SENT,
        schedule_mode=ScheduleMode.NOW,
        scheduled_at=sent_at,
        sent_at=sent_at,
        summary={
            "segment_size": len(recipients),
            "recipients": len(recipients),
            "emails": 0,
            "in_app": len(recipients),
            "left_out": {},
        },
        created_by_id=staff_id,
    )
    scheduled = OutreachMessage(
        topic=Topic.EVENTS,
        segment_id=segments[1].id,
        subject="Webinar: teaching at Rwandan universities from Europe",
        body="Dear {first_name},\n\nJoin our webinar on remote teaching assignments.",
        links=[],
        summary={},
        created_by_id=staff_id,
    )
    db.session.add_all([sent, scheduled])
    db.session.flush()
    # Through the service, so the dispatch job exists (Kigali time, UTC+2).
    at_kigali = (now + timedelta(days=5, hours=2)).replace(tzinfo=None, second=0, microsecond=0)
    schedule_message(scheduled, mode=ScheduleMode.AT, at_kigali=at_kigali)
    if recipients:
        db.session.execute(
            insert(MessageRecipient),
            [
                {
                    "message_id": sent.id,
                    "user_id": uid,
                    "by_email": False,
                    "in_app": True,
                    "deliver_at": sent_at,
                    "created_at": sent_at,
                }
                for uid in recipients
            ],
        )
        db.session.execute(
            insert(InboxEntry),
            [
                {
                    "user_id": uid,
                    "kind": InboxKind.BROADCAST.value,
                    "message_id": sent.id,
                    "visible_at": sent_at,
                    "read_at": sent_at + timedelta(hours=5) if i % 3 == 0 else None,
                    "created_at": sent_at,
                }
                for i, uid in enumerate(recipients)
            ],
        )

    amina = db.session.scalar(select(User).where(User.email == demo_professional_email))
    jean = db.session.scalar(select(User).where(User.email == demo_member_email))
    if amina is not None and jean is not None:
        started = now - timedelta(days=3)
        conversation = Conversation(
            professional_id=amina.id,
            started_by_id=jean.id,
            subject="Paediatric nursing mentorship at CHUK",
            created_at=started,
        )
        db.session.add(conversation)
        db.session.flush()
        thread = [
            (jean, "Hello Amina, thank you for accepting. Could we plan a first call next week?"),
            (amina, "Hello Jean, with pleasure. Tuesday or Wednesday evening (Kigali time)?"),
            (jean, "Wednesday at 18:00 works. I will send the draft work plan before then."),
        ]
        for index, (sender, body) in enumerate(thread):
            at = started + timedelta(hours=6 * index)
            db.session.add(
                DirectMessage(
                    conversation_id=conversation.id, sender_id=sender.id, body=body, created_at=at
                )
            )
            recipient = amina if sender is jean else jean
            db.session.add(
                InboxEntry(
                    user_id=recipient.id,
                    kind=InboxKind.DIRECT,
                    conversation_id=conversation.id,
                    subject=conversation.subject,
                    body=f"{sender.display_name} wrote: {body}",
                    link_url=external_url("outreach.conversation", conversation_id=conversation.id),
                    visible_at=at,
                    read_at=at + timedelta(hours=1) if index < len(thread) - 1 else None,
                    created_at=at,
                )
            )
    db.session.flush()
    return len(recipients)
