"""The audit log: one append-only row per security-relevant action or access to personal data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Delete, ForeignKey, Index, String, Update, event
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from app.database import Base, utcnow


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit entry."""


class AuditEntry(Base):
    """Who did what to which object, from where and when. Rows are never updated or deleted.

    `details` holds ids, counts and codes only, never names, emails or phone numbers: the log
    outlives a member's erasure (it is the accountability record the law asks for), so it must not
    hold what erasure removes.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (
        Index("ix_audit_entries_target", "target_type", "target_id"),
        Index("ix_audit_entries_action_at", "action", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64))
    target_type: Mapped[str | None] = mapped_column(String(64))
    target_id: Mapped[int | None]
    # The member whose personal data the action touched, when there is one (breach reports).
    subject_user_id: Mapped[int | None] = mapped_column(index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))

    def __repr__(self) -> str:
        return f"<AuditEntry {self.id} {self.action} {self.target_type}:{self.target_id}>"


# --- The append-only guard -------------------------------------------------------------------
# The ORM refuses to update or delete an AuditEntry, whether through a loaded object (flush) or a
# bulk `update(AuditEntry)`/`delete(AuditEntry)` statement. No route edits or deletes entries.
# (Database-level protection — a role without UPDATE/DELETE on the table — is in docs/security.md.)


@event.listens_for(Session, "before_flush")
def _refuse_audit_changes(session: Session, flush_context: object, instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEntry):
            raise AuditLogImmutable("Audit entries cannot be deleted.")
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) and session.is_modified(obj, include_collections=False):
            raise AuditLogImmutable("Audit entries cannot be changed.")


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(mapper: object, connection: object, target: AuditEntry) -> None:
    raise AuditLogImmutable("Audit entries cannot be changed.")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(mapper: object, connection: object, target: AuditEntry) -> None:
    raise AuditLogImmutable("Audit entries cannot be deleted.")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, Update | Delete):
        table = getattr(statement, "table", None)
        if table is not None and getattr(table, "name", None) == AuditEntry.__tablename__:
            raise AuditLogImmutable("Audit entries cannot be changed or deleted.")
