"""Object-level access rules of outreach (a denied object answers 404)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from app.auth.models import Role, User
from app.extensions import db
from app.institutions.models import InstitutionMembership
from app.needs.access import can_manage_need
from app.needs.models import Need
from app.outreach.models import Conversation, DirectMessage, InboxEntry
from app.placements.models import Placement
from app.placements.states import CONTACT_REVEALED
from app.privacy.models import ConsentKind
from app.privacy.services import has_consent
from app.profiles import access as profile_access
from app.profiles.models import Profile


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


# --------------------------------------------------------------------------- who may be written to


def _profile_of(user_id: int) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user_id))


def can_write_to(user: Any, professional: User) -> bool:
    """Staff write to any professional; an institution member only to one they may see (the
    profile rule of app/profiles/access.py): a user id reveals nothing otherwise."""
    if not getattr(user, "is_authenticated", False) or professional.role != Role.PROFESSIONAL:
        return False
    if user.is_staff:
        return True
    profile = _profile_of(professional.id)
    return profile is not None and profile_access.can_view_profile(user, profile)


def about_accepted_placement(
    professional: User, need_id: int | None, placement_id: int | None
) -> bool:
    """The thread is about a placement of this professional that reached "accepted" (named, or
    on the named need): its messaging goes on whatever the consent says."""
    if placement_id is None and need_id is None:
        return False
    query = (
        select(Placement.id)
        .join(Profile, Placement.profile_id == Profile.id)
        .where(Profile.user_id == professional.id, Placement.status.in_(CONTACT_REVEALED))
    )
    if placement_id is not None:
        query = query.where(Placement.id == placement_id)
    else:
        query = query.where(Placement.need_id == need_id)
    return db.session.scalar(query.limit(1)) is not None


def institutions_may_contact(
    sender: Any, professional: User, need_id: int | None, placement_id: int | None
) -> bool:
    """Staff always; institution members while the professional consents "to be matched and
    contacted by institutions", or about an accepted placement (docs/security.md)."""
    if getattr(sender, "is_staff", False):
        return True
    if has_consent(professional, ConsentKind.MATCHING):
        return True
    return about_accepted_placement(professional, need_id, placement_id)


def has_written_to(institution_id: int, profile: Profile) -> bool:
    """The professional wrote in a thread opened by a member of the institution or about one of
    its needs."""
    members = select(InstitutionMembership.user_id).where(
        InstitutionMembership.institution_id == institution_id
    )
    needs = select(Need.id).where(Need.institution_id == institution_id)
    query = (
        exists()
        .where(DirectMessage.sender_id == profile.user_id)
        .where(DirectMessage.conversation_id == Conversation.id)
        .where(Conversation.professional_id == profile.user_id)
        .where(or_(Conversation.started_by_id.in_(members), Conversation.need_id.in_(needs)))
    )
    return bool(db.session.scalar(select(query)))


profile_access.register_visibility_reason("outreach", has_written_to)
