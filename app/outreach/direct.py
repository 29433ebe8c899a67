"""Direct messages: staff or an institution member writes to one professional; replies thread.

Professionals can only answer threads opened with them: there is no messaging between
professionals. Notifications by email are transactional (about a need or placement) and are not
blocked by a broadcast unsubscribe.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from app.audit import actions
from app.audit.services import record_audit
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


def list_needs_to_write_about(user: User) -> list[Any]:
    """The needs an institution member may name in a new thread: their institution's, newest
    first (staff write freely and get none)."""
    from app.institutions.queries import get_membership
    from app.needs.queries import list_needs_of_institution

    if user.is_staff:
        return []
    membership = get_membership(user.id)
    return list_needs_of_institution(membership.institution_id) if membership else []


def _check_subject_matter(sender: User, need_id: int | None, placement_id: int | None) -> None:
    """Institution members write about one of their needs or placements; staff may write freely.

    Raises DomainError (on the need field) when the member names nothing or something not theirs.
    """
    from app.needs.models import Need
    from app.outreach.access import can_write_about
    from app.placements.models import Placement

    need = db.session.get(Need, need_id) if need_id is not None else None
    placement = db.session.get(Placement, placement_id) if placement_id is not None else None
    missing = (need_id is not None and need is None) or (
        placement_id is not None and placement is None
    )
    if missing or not can_write_about(sender, need, placement):
        raise DomainError(_("Choose one of your needs."), field="need_id")
    if not sender.is_staff and need is None and placement is None:
        raise DomainError(_("Name the need or placement this message is about."), field="need_id")


def consent_withdrawn_message() -> str:
    """What an institution member is told when the professional no longer wants to be contacted."""
    return _(
        "This professional has not given, or has withdrawn, their consent to be contacted by "
        "institutions: you cannot write to them. Messages about a placement they accepted can "
        "still be sent."
    )


def _check_consent(
    sender: User, professional: User, need_id: int | None, placement_id: int | None
) -> None:
    """Raise DomainError (on the body) when an institution may not write to the professional."""
    from app.outreach.access import institutions_may_contact

    if not institutions_may_contact(sender, professional, need_id, placement_id):
        raise DomainError(consent_withdrawn_message(), field="body")


def _audit_staff_message(sender: User, conversation: Conversation, message: DirectMessage) -> None:
    # Staff writing to a member is kept in the audit log (who wrote to whom, never the text).
    if sender.is_staff:
        record_audit(
            actions.MESSAGE_SENT,
            target=conversation,
            subject=conversation.professional_id,
            actor=sender,
            details={"kind": "direct", "direct_message_id": message.id},
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
    """Open a thread with one professional (staff, or institution members about one of their
    needs or placements); raises NotAllowed or DomainError."""
    if not sender.has_role(*WRITER_ROLES):
        raise NotAllowed(_("Only RCA staff and institutions can start a conversation."))
    if professional.role != Role.PROFESSIONAL:
        raise DomainError(_("Messages can only be sent to a professional."), field="professional")
    if not subject.strip():
        raise DomainError(_("Enter a subject."), field="subject")
    if not body.strip():
        raise DomainError(_("Write a message."), field="body")
    _check_subject_matter(sender, need_id, placement_id)
    _check_consent(sender, professional, need_id, placement_id)
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
    _audit_staff_message(sender, conversation, message)
    return conversation


def reply(conversation: Conversation, sender: User, body: str) -> DirectMessage:
    """Add a reply to the thread and notify the other side."""
    if not body.strip():
        raise DomainError(_("Write a message."), field="body")
    if sender.id == conversation.professional_id:
        recipient = conversation.started_by
    elif sender.id == conversation.started_by_id or sender.is_staff:
        recipient = conversation.professional
        _check_consent(sender, recipient, conversation.need_id, conversation.placement_id)
    else:
        raise NotAllowed(_("You are not part of this conversation."))
    message = DirectMessage(conversation_id=conversation.id, sender_id=sender.id, body=body.strip())
    db.session.add(message)
    conversation.updated_at = utcnow()
    db.session.flush()
    _notify(conversation, message, recipient)
    db.session.flush()
    _audit_staff_message(sender, conversation, message)
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
