"""Reads of institutions and memberships used by several callers."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.institutions.models import Institution, InstitutionMembership, InstitutionStatus


def get_membership(user_id: int) -> InstitutionMembership | None:
    """Return the user's membership (a member belongs to one institution), if any."""
    return db.session.scalar(
        select(InstitutionMembership).where(InstitutionMembership.user_id == user_id)
    )


def get_institution_of(user_id: int) -> Institution | None:
    """Return the institution the user belongs to, if any."""
    membership = get_membership(user_id)
    return membership.institution if membership is not None else None


def list_pending_institutions() -> list[Institution]:
    """Return institutions awaiting verification, oldest first."""
    return list(
        db.session.scalars(
            select(Institution)
            .where(Institution.status == InstitutionStatus.PENDING)
            .options(selectinload(Institution.memberships).selectinload(InstitutionMembership.user))
            .order_by(Institution.created_at, Institution.id)
        )
    )


def count_pending_institutions() -> int:
    """Return how many institutions await verification."""
    return int(
        db.session.scalar(
            select(func.count(Institution.id)).where(
                Institution.status == InstitutionStatus.PENDING
            )
        )
        or 0
    )


def list_institutions(status: str | None = None) -> list[Institution]:
    """Return institutions (optionally of one status) by name."""
    query = select(Institution).order_by(Institution.name)
    if status:
        query = query.where(Institution.status == status)
    return list(db.session.scalars(query))


def list_members(institution: Institution) -> list[InstitutionMembership]:
    """Return the institution's memberships with their users, admins first."""
    return list(
        db.session.scalars(
            select(InstitutionMembership)
            .where(InstitutionMembership.institution_id == institution.id)
            .options(selectinload(InstitutionMembership.user))
            .order_by(InstitutionMembership.is_admin.desc(), InstitutionMembership.id)
        )
    )
