"""Staff area: reads, and the admin's account actions (disable, role, two-factor reset)."""

from __future__ import annotations

from dataclasses import astuple, dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.audit import actions
from app.audit.services import record_audit
from app.auth.models import Role, User
from app.auth.services import end_all_sessions
from app.auth.twofactor import remove_two_factor
from app.errors import DomainError
from app.extensions import db
from app.institutions.queries import count_pending_institutions
from app.needs.models import NeedStatus
from app.needs.queries import count_needs_by_status
from app.placements.queries import count_overdue_and_stuck
from app.profiles.queries import count_open_duplicates


@dataclass(frozen=True, slots=True)
class StaffWorklist:
    """What waits for RCA staff, each with the page that resolves it."""

    pending_institutions: int
    needs_to_review: int
    overdue_placements: int
    stuck_placements: int
    possible_duplicates: int

    @property
    def is_empty(self) -> bool:
        return not any(astuple(self))


def get_staff_worklist() -> StaffWorklist:
    """Count the staff's queues: verification, need review, late placements, duplicates."""
    overdue, stuck = count_overdue_and_stuck()
    return StaffWorklist(
        pending_institutions=count_pending_institutions(),
        needs_to_review=count_needs_by_status().get(NeedStatus.SUBMITTED, 0),
        overdue_placements=overdue,
        stuck_placements=stuck,
        possible_duplicates=count_open_duplicates(),
    )


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


class SelfAdministration(DomainError):
    status_code = 409


def search_users(
    query: str = "", role: str = "", *, page: int = 1, per_page: int = 50
) -> tuple[list[User], int]:
    """Return one page of accounts whose email or name contains the query, and the page count."""
    statement = select(User)
    text = query.strip().lower()
    if text:
        pattern = f"%{_escape_like(text)}%"
        statement = statement.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.full_name).like(pattern, escape="\\"),
            )
        )
    if role in {r.value for r in Role}:
        statement = statement.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = db.session.scalars(
        statement.order_by(User.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return list(users), pages


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _refuse_self(user: User, admin: User) -> None:
    if user.id == admin.id:
        raise SelfAdministration(_("You cannot do this to your own account."))


def disable_user(user: User, *, by: User) -> None:
    """Disable an account and end all its sessions (audited)."""
    _refuse_self(user, by)
    user.is_enabled = False
    end_all_sessions(user)
    record_audit(actions.USER_DISABLED, target=user, actor=by)


def enable_user(user: User, *, by: User) -> None:
    """Re-enable a disabled account (audited)."""
    if user.email == f"deleted-{user.id}@invalid":
        raise SelfAdministration(_("An erased account cannot be enabled again."))
    user.is_enabled = True
    user.failed_login_count = 0
    user.locked_until = None
    record_audit(actions.USER_ENABLED, target=user, actor=by)


def change_role(user: User, role: Role, *, by: User) -> None:
    """Give the account another role; its sessions end so the new rights apply at once."""
    _refuse_self(user, by)
    old = user.role
    if old == role:
        return
    if role in {Role.RCA_STAFF, Role.ADMIN} and user.email_verified_at is None:
        raise DomainError(_("Only accounts with a confirmed email can become staff."))
    user.role = role
    end_all_sessions(user)
    record_audit(
        actions.USER_ROLE_CHANGED,
        target=user,
        actor=by,
        details={"from": str(old), "to": str(role)},
    )


def reset_two_factor(user: User, *, by: User) -> None:
    """Remove the account's second factor (lost phone); it must enrol again at next log-in."""
    remove_two_factor(user)
    record_audit(actions.TWO_FACTOR_RESET, target=user, actor=by)
