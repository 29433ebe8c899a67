"""Outreach in the "Your data" export and in erasure."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.outreach import direct, preferences, services
from app.outreach.models import (
    Channel,
    Conversation,
    DeliveryPreference,
    DirectMessage,
    InboxEntry,
    MessageRecipient,
    OutboxEmail,
    Topic,
)
from app.privacy.services import erase_member, export_personal_data
from app.profiles.models import Profile
from tests.factories.auth import StaffUserFactory
from tests.factories.outreach import create_members, make_message
from tests.privacy.test_erasure import _text_columns_containing

PHONE = "+14165550199"


def _member_with_outreach() -> tuple[int, int, str, str]:
    ids = create_members(3, prefix="zephy")
    member = db.session.get(User, ids[0])
    db.session.scalars(select(Profile).where(Profile.user_id == member.id)).one().phone = PHONE
    name, email = member.full_name, member.email
    staff = StaffUserFactory()
    preferences.set_preference(member.id, Topic.EVENTS, Channel.EMAIL, False)
    message = make_message(author_id=staff.id, subject="Health week news")
    services.send_message(message)
    conversation = direct.start_conversation(
        staff, member, subject="Your mission", body=f"Hello {name}, are you free in May?"
    )
    direct.reply(conversation, member, f"Yes! Call me on {PHONE} or write to {email}.")
    db.session.commit()
    return member.id, message.id, name, email


def test_export_contains_inbox_threads_preferences_and_emails(app_context: Flask) -> None:
    member_id, message_id, _name, _email = _member_with_outreach()
    data = export_personal_data(db.session.get(User, member_id))["outreach"]
    assert {e["kind"] for e in data["inbox"]} >= {"broadcast", "direct"}
    (thread,) = data["conversations"]
    assert thread["subject"] == "Your mission"
    assert [m["from_you"] for m in thread["messages"]] == [False, True]
    assert data["delivery_preferences"] == [
        {
            "topic": "events",
            "channel": "email",
            "enabled": False,
            "frequency": "immediate",
            "updated_at": data["delivery_preferences"][0]["updated_at"],
        }
    ]
    assert data["emails"] and all(e["status"] == "queued" for e in data["emails"])
    assert data["broadcasts_received"] == [message_id]
    # Only the member's own rows: no other recipient's address.
    assert "zephy1@example.org" not in repr(data)


def test_erasure_removes_personal_rows_and_keeps_delivery_counts(app_context: Flask) -> None:
    member_id, message_id, name, email = _member_with_outreach()
    recipients_before = db.session.scalar(
        select(func.count()).where(MessageRecipient.message_id == message_id)
    )
    erase_member(db.session.get(User, member_id))
    db.session.commit()
    assert _text_columns_containing([name, email, PHONE]) == []
    for model in (InboxEntry, DeliveryPreference, OutboxEmail):
        assert db.session.scalar(select(func.count()).where(model.user_id == member_id)) == 0, model
    assert db.session.scalar(select(func.count()).select_from(Conversation)) == 0
    assert db.session.scalar(select(func.count()).select_from(DirectMessage)) == 0
    # The other recipients keep their inbox and emails.
    assert db.session.scalar(select(func.count()).where(InboxEntry.message_id == message_id)) == 2
    assert (
        db.session.scalar(select(func.count()).where(MessageRecipient.message_id == message_id))
        == recipients_before
    )
