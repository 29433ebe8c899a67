"""Shared set-up for placement tests: an institution with two members, a need, professionals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.needs.models import Need
from app.outreach.models import InboxEntry, OutboxEmail
from app.profiles.models import Profile
from tests.factories.auth import StaffUserFactory
from tests.factories.institutions import InstitutionFactory, MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory


@dataclass
class World:
    need: Need
    member: User
    colleague: User
    staff: User
    outsider: User  # member of another organisation
    profile: Profile
    other_profile: Profile


def build_world(**need_fields: Any) -> World:
    institution = InstitutionFactory()
    member = MembershipFactory(institution=institution).user
    colleague = MembershipFactory(institution=institution, is_admin=False).user
    outsider = MembershipFactory().user
    need = NeedFactory(institution=institution, created_by=member, **need_fields)
    world = World(
        need=need,
        member=member,
        colleague=colleague,
        staff=StaffUserFactory(),
        outsider=outsider,
        profile=ProfileFactory(phone="+14165550100"),
        other_profile=ProfileFactory(),
    )
    db.session.commit()
    return world


def inbox_count(user_id: int) -> int:
    return int(
        db.session.scalar(select(func.count(InboxEntry.id)).where(InboxEntry.user_id == user_id))
        or 0
    )


def outbox_for(user_id: int) -> list[OutboxEmail]:
    return list(db.session.scalars(select(OutboxEmail).where(OutboxEmail.user_id == user_id)))
