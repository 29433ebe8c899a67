"""Direct messages: staff or an institution member writes to one professional; replies thread.

Professionals can only answer threads opened with them: there is no messaging between
professionals. Notifications by email are transactional (about a need or placement) and are not
blocked by a broadcast unsubscribe.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from app.auth.models import Role, User
from app.database import utcnow
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.outreach.models import (
    Conversation,
    DirectMessage,
    InboxEntry,
    InboxKind,
    OutboxEmail,
)
from app.outreach.urls import external_url

WRITER_ROLES = (Role.RCA_STAFF, Role.ADMIN, Role.INSTITUTION_MEMBER)


def _notify(conversation: Conversation, message: DirectMessage, recipient: User) -> None:
    link = external_url("outreach.conversation", conversation_id=conversation.id)
    sender = message.sender.display_name if message.sender else ""
    excerpt = message.body[:300]
    db.session.add(
        InboxEntry(
            user_id=recipient.id,
            kind=InboxKind.DIRECT,
            conversation_id=conversation.id,
            subject=conversation.subject,
            body=_("%(sender)s wrote: %(excerpt)s", sender=sender, excerpt=excerpt),
            link_url=link,
        )
    )
    with force_locale(recipient.locale or "en"):
        text = render_template(
            "mail/outreach_direct.txt",
            recipient=recipient,
            sender=sender,
            conversation=conversation,
            excerpt=excerpt,
            link=link,
        )
        subject = _("New message on Umuhuza: %(subject)s", subject=conversation.subject)
    db.session.add(
        OutboxEmail(
            idempotency_key=f"dm{message.id}-u{recipient.id}",
            user_id=recipient.id,
            to_address=recipient.email,
            subject=subject[:200],
            text_body=text,
            next_attempt_at=utcnow(),
        )
    )


def start_conversation(
    sender: User,
    professional: User,
    *,
    subject: str,
    body: str,
    need_id: int | None = None,
    placement_id: int | None = None,
) -> Conversation:
    """Open a thread with one professional (staff or institution members only)."""
    if not sender.has_role(*WRITER_ROLES):
        raise NotAllowed(_("Only RCA staff and institutions can start a conversation."))
    if professional.role != Role.PROFESSIONAL:
        raise DomainError(_("Messages can only be sent to a professional."), field="professional")
    if not subject.strip():
        raise DomainError(_("Enter a subject."), field="subject")
    if not body.strip():
        raise DomainError(_("Write a message."), field="body")
    # TODO(needs): an institution member may write only about their own institution's needs.
    conversation = Conversation(
        professional_id=professional.id,
        started_by_id=sender.id,
        subject=subject.strip()[:200],
        need_id=need_id,
        placement_id=placement_id,
    )
    db.session.add(conversation)
    db.session.flush()
    message = DirectMessage(conversation_id=conversation.id, sender_id=sender.id, body=body.strip())
    db.session.add(message)
    db.session.flush()
    _notify(conversation, message, professional)
    db.session.flush()
    return conversation


def reply(conversation: Conversation, sender: User, body: str) -> DirectMessage:
    """Add a reply to the thread and notify the other side."""
    if not body.strip():
        raise DomainError(_("Write a message."), field="body")
    if sender.id == conversation.professional_id:
        recipient = conversation.started_by
    elif sender.id == conversation.started_by_id or sender.is_staff:
        recipient = conversation.professional
    else:
        raise NotAllowed(_("You are not part of this conversation."))
    message = DirectMessage(conversation_id=conversation.id, sender_id=sender.id, body=body.strip())
    db.session.add(message)
    conversation.updated_at = utcnow()
    db.session.flush()
    _notify(conversation, message, recipient)
    db.session.flush()
    return message


def mark_thread_read(conversation: Conversation, user: User) -> None:
    db.session.execute(
        update(InboxEntry)
        .where(
            InboxEntry.conversation_id == conversation.id,
            InboxEntry.user_id == user.id,
            InboxEntry.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()


def list_conversations(user: User) -> list[Conversation]:
    query = select(Conversation).order_by(Conversation.updated_at.desc()).limit(200)
    if not user.is_staff:
        query = query.where(
            or_(Conversation.professional_id == user.id, Conversation.started_by_id == user.id)
        )
    return list(db.session.scalars(query))
