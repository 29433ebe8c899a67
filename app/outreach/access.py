"""Object-level access rules of outreach (a denied object answers 404)."""

from __future__ import annotations

from typing import Any

from app.outreach.models import Conversation, InboxEntry


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    """The professional, the person who opened the thread, and RCA staff."""
    if not user.is_authenticated:
        return False
    return user.id in (conversation.professional_id, conversation.started_by_id) or user.is_staff


def can_open_inbox_entry(user: Any, entry: InboxEntry) -> bool:
    """Only the entry's owner."""
    return bool(user.is_authenticated and entry.user_id == user.id)
