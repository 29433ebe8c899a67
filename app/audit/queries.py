"""Reading the audit log: the admin's filtered, paginated search."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.database import utcnow
from app.extensions import db


@dataclass(frozen=True)
class AuditFilters:
    actor_email: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AuditEntry, str | None]]
    page: int
    pages: int
    total: int


def _filtered(filters: AuditFilters) -> Select[tuple[AuditEntry, str | None]]:
    query = select(AuditEntry, User.email).outerjoin(User, User.id == AuditEntry.actor_id)
    if filters.actor_email:
        query = query.where(func.lower(User.email).contains(filters.actor_email.strip().lower()))
    if filters.action:
        query = query.where(AuditEntry.action.startswith(filters.action.strip()))
    if filters.target_type:
        query = query.where(AuditEntry.target_type == filters.target_type.strip())
    if filters.target_id is not None:
        query = query.where(AuditEntry.target_id == filters.target_id)
    tz = utcnow().tzinfo
    if filters.date_from:
        query = query.where(AuditEntry.at >= datetime.combine(filters.date_from, time(), tz))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), tz)
        query = query.where(AuditEntry.at < end)
    return query


def search_audit(filters: AuditFilters, *, page: int = 1, per_page: int = 50) -> AuditPage:
    """Return one page of matching entries (newest first) with each actor's email."""
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    rows = db.session.execute(
        query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return AuditPage(
        entries=[(entry, email) for entry, email in rows], page=page, pages=pages, total=total
    )
