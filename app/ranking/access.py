"""Object-level access to ranked candidates: one predicate per rule (a refusal answers 404)."""

from __future__ import annotations

from typing import Any

from app.needs.access import belongs_to_owner
from app.needs.models import Need


def can_see_ranked_candidates(user: Any, need: Need) -> bool:
    """Staff and the members of the institution that owns the need see its ranked candidates."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_staff) or belongs_to_owner(user, need)


def can_see_filtered_out(user: Any, need: Need) -> bool:
    """Only staff see who the hard filters removed, and why."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)
