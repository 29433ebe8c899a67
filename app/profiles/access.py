"""Object-level access rules for profiles; used by web and API alike (a denial answers 404)."""

from __future__ import annotations

from typing import Any

from app.auth.models import Role
from app.profiles.models import CVDocument, Profile


def _is_owner(viewer: Any, profile: Profile) -> bool:
    return bool(viewer.is_authenticated and viewer.id == profile.user_id)


def can_view_profile(viewer: Any, profile: Profile) -> bool:
    """Owner and staff see the whole profile; institution members see its card."""
    if not viewer.is_authenticated:
        return False
    if _is_owner(viewer, profile) or viewer.is_staff:
        return True
    return bool(viewer.has_role(Role.INSTITUTION_MEMBER)) and profile.merged_into_id is None


def can_see_contact_details(viewer: Any, profile: Profile) -> bool:
    """Email and phone: the owner, staff, and members of an institution whose placement with
    this professional was accepted (or went further)."""
    if not viewer.is_authenticated:
        return False
    if _is_owner(viewer, profile) or bool(viewer.is_staff):
        return True
    from app.placements.queries import institution_member_has_revealed_placement

    return bool(viewer.has_role(Role.INSTITUTION_MEMBER)) and (
        institution_member_has_revealed_placement(viewer.id, profile.id)
    )


def can_edit_profile(viewer: Any, profile: Profile) -> bool:
    """Only the owner edits a profile; staff read it."""
    return _is_owner(viewer, profile)


def can_download_cv(viewer: Any, cv: CVDocument, profile: Profile) -> bool:
    """A CV is for its owner and staff only."""
    return cv.profile_id == profile.id and (_is_owner(viewer, profile) or bool(viewer.is_staff))
