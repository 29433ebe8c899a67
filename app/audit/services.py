"""Writing the audit log (one function) and keeping it append-only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEntry, AuditLogImmutable
from app.extensions import db

__all__ = ["AuditLogImmutable", "record_audit"]

Target = object | tuple[str, int | None] | None


def _describe_target(target: Target) -> tuple[str | None, int | None]:
    if target is None:
        return None, None
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), ident
    table = getattr(target, "__tablename__", None) or type(target).__name__
    return str(table), getattr(target, "id", None)


def record_audit(
    action: str,
    *,
    target: Target = None,
    subject: object | int | None = None,
    details: Mapping[str, Any] | None = None,
    actor: object | None = None,
) -> AuditEntry:
    """Append an audit entry (flushed, not committed: the caller's commit keeps it).

    The actor, IP address and user agent come from the current request when there is one.
    `target` is a model instance or a `(type, id)` pair; `subject` is the member (User or id)
    whose personal data was touched; it defaults to the target when the target is a User.
    `details` must hold ids, counts and codes only, never names, emails or phone numbers.
    """
    target_type, target_id = _describe_target(target)
    if subject is None and target_type == "users":
        subject = target_id
    subject_id = subject if isinstance(subject, int) or subject is None else subject.id  # type: ignore[attr-defined]
    actor_id: int | None = None
    ip = user_agent = None
    if actor is not None:
        actor_id = actor.id  # type: ignore[attr-defined]
    elif has_request_context() and current_user and current_user.is_authenticated:
        actor_id = current_user.id
    if has_request_context():
        ip = (request.remote_addr or "")[:45] or None
        user_agent = (request.user_agent.string or "")[:255] or None
    entry = AuditEntry(
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_user_id=subject_id,
        actor_id=actor_id,
        details=dict(details or {}),
        ip=ip,
        user_agent=user_agent,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
