"""Object-level access rules for profiles; used by web and API alike (a denial answers 404).

Who may see a professional (docs/security.md): the owner and staff; an institution member only
through a verified institution they belong to that has a reason to see this professional. The
reasons live in the features that know them (ranking: a ranked candidate of one of its needs;
placements: a shortlist or placement; outreach: the professional wrote to it), which register
them here at import, so profiles need not import the features built on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.auth.models import Role
from app.institutions.queries import get_membership
from app.profiles.models import CVDocument, Profile

# (verified institution id, profile) → True when that institution has this reason to see them.
Reason = Callable[[int, Profile], bool]

_VISIBILITY_REASONS: dict[str, Reason] = {}
_CONTACT_REASONS: dict[str, Reason] = {}


def register_visibility_reason(name: str, reason: Reason) -> None:
    """Let institutions see a profile when `reason(institution_id, profile)` holds."""
    _VISIBILITY_REASONS[name] = reason


def register_contact_reason(name: str, reason: Reason) -> None:
    """Let institutions see a profile's email and phone when `reason` holds (and the profile)."""
    _CONTACT_REASONS[name] = reason


def visibility_reasons() -> tuple[str, ...]:
    """Names of the registered reasons (tests check every feature registered its own)."""
    return tuple(_VISIBILITY_REASONS)


def _is_owner(viewer: Any, profile: Profile) -> bool:
    return bool(viewer.is_authenticated and viewer.id == profile.user_id)


def verified_institution_id(viewer: Any) -> int | None:
    """The id of the verified institution the member belongs to; None for anyone else."""
    if not getattr(viewer, "is_authenticated", False):
        return None
    if not viewer.has_role(Role.INSTITUTION_MEMBER):
        return None
    membership = get_membership(viewer.id)
    if membership is None or not membership.institution.is_verified:
        return None
    return membership.institution_id


def _institution_reason(viewer: Any, profile: Profile, reasons: dict[str, Reason]) -> bool:
    if profile.merged_into_id is not None:
        return False
    institution_id = verified_institution_id(viewer)
    if institution_id is None:
        return False
    return any(reason(institution_id, profile) for reason in reasons.values())


def can_view_profile(viewer: Any, profile: Profile) -> bool:
    """Owner and staff see the whole profile; an institution member sees its card (and photo)
    only through a verified institution with a reason to see this professional."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if _is_owner(viewer, profile) or viewer.is_staff:
        return True
    return _institution_reason(viewer, profile, _VISIBILITY_REASONS)


def can_see_contact_details(viewer: Any, profile: Profile) -> bool:
    """Email and phone: the owner, staff, and members of a verified institution whose placement
    with this professional was accepted (or went further)."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if _is_owner(viewer, profile) or bool(viewer.is_staff):
        return True
    return _institution_reason(viewer, profile, _CONTACT_REASONS)


def can_edit_profile(viewer: Any, profile: Profile) -> bool:
    """Only the owner edits a profile; staff read it."""
    return _is_owner(viewer, profile)


def can_download_cv(viewer: Any, cv: CVDocument, profile: Profile) -> bool:
    """A CV is for its owner and staff only."""
    return cv.profile_id == profile.id and (_is_owner(viewer, profile) or bool(viewer.is_staff))
