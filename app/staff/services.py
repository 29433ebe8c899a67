"""Staff-area reads."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.extensions import db


def count_users_by_role() -> dict[str, int]:
    """Return the number of accounts per role."""
    rows = db.session.execute(select(User.role, func.count()).group_by(User.role))
    counts = {role.value: 0 for role in Role}
    counts.update({str(role): int(count) for role, count in rows})
    return counts


def list_staff_accounts() -> list[User]:
    """Return RCA staff and admin accounts, newest first."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_([Role.RCA_STAFF, Role.ADMIN]))
            .order_by(User.created_at.desc())
        )
    )
