"""Object-level access to institutions: one predicate per rule (a refusal answers 404)."""

from __future__ import annotations

from typing import Any

from app.institutions.models import Institution
from app.institutions.queries import get_membership


def is_member_of(user: Any, institution: Institution) -> bool:
    """Return True when the user belongs to the institution."""
    if not getattr(user, "is_authenticated", False):
        return False
    membership = get_membership(user.id)
    return membership is not None and membership.institution_id == institution.id


def can_view_institution(user: Any, institution: Institution) -> bool:
    """Staff and the institution's own members may see its page and members."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or is_member_of(user, institution)


def can_manage_institution(user: Any, institution: Institution) -> bool:
    """Only the institution's admin members may remove members."""
    if not getattr(user, "is_authenticated", False):
        return False
    membership = get_membership(user.id)
    return (
        membership is not None
        and membership.institution_id == institution.id
        and membership.is_admin
    )


def can_invite_to_institution(user: Any, institution: Institution) -> bool:
    """Any member may invite colleagues to their own institution."""
    return is_member_of(user, institution)


def can_review_institution(user: Any, institution: Institution) -> bool:
    """RCA staff verify or reject institutions."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
