"""Object-level access rules of outreach (a denied object answers 404)."""

from __future__ import annotations

from typing import Any

from app.needs.access import can_manage_need
from app.needs.models import Need
from app.outreach.models import Conversation, InboxEntry
from app.placements.models import Placement


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    """The professional, the person who opened the thread, and RCA staff."""
    if not user.is_authenticated:
        return False
    return user.id in (conversation.professional_id, conversation.started_by_id) or user.is_staff


def can_open_inbox_entry(user: Any, entry: InboxEntry) -> bool:
    """Only the entry's owner."""
    return bool(user.is_authenticated and entry.user_id == user.id)


def can_write_about(user: Any, need: Need | None, placement: Placement | None) -> bool:
    """A thread may name only a need or placement its author manages (staff: any)."""
    if not user.is_authenticated:
        return False
    if need is not None and not can_manage_need(user, need):
        return False
    return placement is None or can_manage_need(user, placement.need)
