"""Object-level access to placements: one predicate per rule (a refusal answers 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select

from app.extensions import db
from app.institutions.queries import get_membership
from app.needs.access import belongs_to_owner
from app.needs.models import Need
from app.placements.models import Placement
from app.placements.states import CONTACT_REVEALED, Actor
from app.profiles import access as profile_access
from app.profiles.models import Profile


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _is_professional(user: Any, placement: Placement) -> bool:
    return placement.profile is not None and placement.profile.user_id == user.id


def _is_host_member(user: Any, placement: Placement) -> bool:
    membership = get_membership(user.id)
    return membership is not None and membership.institution_id == placement.need.institution_id


def side_of(user: Any, placement: Placement) -> Actor | None:
    """Return the side the user acts for on this placement, or None when they are no party."""
    if not _authenticated(user):
        return None
    if user.is_staff:
        return Actor.STAFF
    if _is_professional(user, placement):
        return Actor.PROFESSIONAL
    if _is_host_member(user, placement):
        return Actor.INSTITUTION
    return None


def can_view_placement(user: Any, placement: Placement) -> bool:
    """The professional, members of the need's organisation and staff see a placement."""
    return side_of(user, placement) is not None


def can_see_internal_notes(user: Any, placement: Placement) -> bool:
    """Internal notes are for RCA staff only."""
    return side_of(user, placement) == Actor.STAFF


def can_see_other_side_contact(user: Any, placement: Placement) -> bool:
    """Each side sees the other's contact details from "accepted" on (staff always)."""
    side = side_of(user, placement)
    if side == Actor.STAFF:
        return True
    return side is not None and placement.status in CONTACT_REVEALED


def can_manage_need_placements(user: Any, need: Need) -> bool:
    """Staff and members of the need's organisation see its placements and shortlist for it."""
    return _authenticated(user) and (bool(user.is_staff) or belongs_to_owner(user, need))


def can_export_pipeline(user: Any) -> bool:
    """The CSV export of the pipeline is for RCA staff."""
    return _authenticated(user) and bool(user.is_staff)


# --------------------------------------------------------------------------- who may see a profile


def _has_placement_with(institution_id: int, profile: Profile, *, revealed: bool) -> bool:
    query = (
        exists()
        .where(Placement.profile_id == profile.id)
        .where(Placement.need_id == Need.id)
        .where(Need.institution_id == institution_id)
    )
    if revealed:
        query = query.where(Placement.status.in_(CONTACT_REVEALED))
    return bool(db.session.scalar(select(query)))


def is_in_pipeline_of(institution_id: int, profile: Profile) -> bool:
    """The professional is on the shortlist or has a placement (any state, closed included) for
    one of the institution's needs."""
    return _has_placement_with(institution_id, profile, revealed=False)


def has_revealed_placement_with(institution_id: int, profile: Profile) -> bool:
    """A placement with the institution reached "accepted" (contact details are shared)."""
    return _has_placement_with(institution_id, profile, revealed=True)


profile_access.register_visibility_reason("placements", is_in_pipeline_of)
profile_access.register_contact_reason("placements", has_revealed_placement_with)
