"""Object-level access to ranked candidates: one predicate per rule (a refusal answers 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.needs.access import belongs_to_owner
from app.needs.models import Need
from app.profiles import access as profile_access
from app.profiles.models import Profile
from app.ranking.services import EMBEDDED_NEED_STATUSES, passes_hard_filters


def can_see_ranked_candidates(user: Any, need: Need) -> bool:
    """Staff, and the members of the need's institution once it is verified, see its ranked
    candidates (an unverified organisation sees no professional at all)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return belongs_to_owner(user, need) and need.institution.is_verified


def can_see_filtered_out(user: Any, need: Need) -> bool:
    """Only staff see who the hard filters removed, and why."""
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def can_shortlist_candidate(user: Any, need: Need, profile: Profile) -> bool:
    """Who sees the ranked list may shortlist or invite from it: members only a professional the
    list shows (passes the need's hard filters, consent included); staff anyone."""
    if not can_see_ranked_candidates(user, need):
        return False
    return bool(user.is_staff) or passes_hard_filters(profile, [need])


def is_ranked_candidate_of(institution_id: int, profile: Profile) -> bool:
    """The professional is among the ranked candidates of one of the institution's needs whose
    ranked list it can open (draft, submitted or open): they pass that need's hard filters with
    their consent to be matched, read from the database now.

    Checked on the documents rather than in the cached index, so it is exact the moment consent
    or the profile changes; it costs three queries for the needs (with their skills and
    languages) plus the profile's own rows.
    """
    needs = db.session.scalars(
        select(Need)
        .where(Need.institution_id == institution_id, Need.status.in_(EMBEDDED_NEED_STATUSES))
        .options(selectinload(Need.skills), selectinload(Need.languages))
    ).all()
    return passes_hard_filters(profile, needs)


profile_access.register_visibility_reason("ranking", is_ranked_candidate_of)
