"""Object-level access to needs: one predicate per rule (a refusal answers 404)."""

from __future__ import annotations

from typing import Any

from app.institutions.queries import get_membership
from app.needs.models import Need
from app.needs.states import EDITABLE, PUBLIC


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def belongs_to_owner(user: Any, need: Need) -> bool:
    """Return True when the user is a member of the institution that owns the need."""
    if not _authenticated(user):
        return False
    membership = get_membership(user.id)
    return membership is not None and membership.institution_id == need.institution_id


def can_view_need(user: Any, need: Need) -> bool:
    """Published needs are public; drafts and submitted needs only for the owner and staff."""
    if need.status in PUBLIC:
        return True
    if not _authenticated(user):
        return False
    return bool(user.is_staff) or belongs_to_owner(user, need)


def can_edit_need(user: Any, need: Need) -> bool:
    """The owning institution's members and staff may edit a need still in progress."""
    if not _authenticated(user) or need.status not in EDITABLE:
        return False
    return bool(user.is_staff) or belongs_to_owner(user, need)


def can_manage_need(user: Any, need: Need) -> bool:
    """The owning institution's members and staff may submit, close or mark a need filled."""
    if not _authenticated(user):
        return False
    return bool(user.is_staff) or belongs_to_owner(user, need)


def can_see_need_contact(user: Any, need: Need) -> bool:
    """The contact person is shown only to staff and the owning institution."""
    if not _authenticated(user):
        return False
    return bool(user.is_staff) or belongs_to_owner(user, need)


def can_see_need_history(user: Any, need: Need) -> bool:
    """The revision history is for the owning institution and staff."""
    return can_see_need_contact(user, need)
