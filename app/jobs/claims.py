"""Claim due rows for one worker, safely when several workers (or a crashed one) share the table.

PostgreSQL: `UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED) RETURNING id`, so concurrent
workers take disjoint rows without waiting. SQLite has no row locks (SQLAlchemy silently drops
SKIP LOCKED there): the claim runs inside `BEGIN IMMEDIATE`, which takes the database's write lock
before reading, so two processes can never select the same rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, select, text, update

from app.extensions import db


def claim_ids(
    model: Any,
    *,
    due: ColumnElement[bool],
    limit: int,
    values: dict[str, Any],
) -> list[int]:
    """Apply `values` to up to `limit` due rows (oldest first), commit, return their ids."""
    session = db.session
    session.rollback()  # the claim must be the first statement of its own transaction
    dialect = session.get_bind().dialect.name
    candidates = select(model.id).where(due).order_by(model.id).limit(limit)
    if dialect == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    elif dialect == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
    chosen = candidates.cte("chosen")
    statement = (
        update(model)
        .where(model.id.in_(select(chosen.c.id)))
        .values(**values)
        .returning(model.id)
        .execution_options(synchronize_session=False)
    )
    try:
        ids = sorted(session.scalars(statement).all())
        session.commit()
    except Exception:
        session.rollback()
        raise
    return ids
