"""Breach readiness: which members' data was touched, exported or viewed in a period.

Two sources: the audit log (views, exports, changes by staff, with the data category of each
action) and the `updated_at` stamps of every table that belongs to a member. The result is what
the supervisory authority must be told within 48 hours of a breach: who, which categories, when.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, func, select

from app.audit.actions import ACTION_CATEGORIES
from app.audit.models import AuditEntry
from app.extensions import db
from app.spreadsheets import spreadsheet_row

CSV_HEADER = ("member_id", "source", "category", "action", "first_at", "last_at", "events")


@dataclass(frozen=True)
class BreachRow:
    member_id: int
    source: str  # "audit" or "updated"
    category: str
    action: str
    first_at: datetime
    last_at: datetime
    events: int


def _audit_rows(since: datetime, until: datetime) -> Iterator[BreachRow]:
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.at >= since, AuditEntry.at < until)
        .order_by(AuditEntry.at)
    )
    grouped: dict[tuple[int, str], list[datetime]] = {}
    for entry in entries:
        members = set()
        if entry.subject_user_id is not None:
            members.add(entry.subject_user_id)
        # Bulk actions (a CSV export of many members) list the members in details["subject_ids"].
        for member_id in (entry.details or {}).get("subject_ids", []) or []:
            if isinstance(member_id, int):
                members.add(member_id)
        for member_id in members:
            grouped.setdefault((member_id, entry.action), []).append(entry.at)
    for (member_id, action), stamps in sorted(grouped.items()):
        yield BreachRow(
            member_id=member_id,
            source="audit",
            category=ACTION_CATEGORIES.get(action, action),
            action=action,
            first_at=min(stamps),
            last_at=max(stamps),
            events=len(stamps),
        )


def member_tables() -> dict[str, tuple[Table, str]]:
    """Return the tables with an updated_at stamp that belong to one member, and the column
    holding that member's id (`users.id` itself, or a `user_id` foreign key)."""
    found: dict[str, tuple[Table, str]] = {}
    for table in db.metadata.sorted_tables:
        if "updated_at" not in table.c:
            continue
        if table.name == "users":
            found[table.name] = (table, "id")
        elif "user_id" in table.c:
            found[table.name] = (table, "user_id")
    return found


def _updated_rows(
    since: datetime, until: datetime, tables: Iterable[str] | None
) -> Iterator[BreachRow]:
    wanted = set(tables) if tables else None
    for name, (table, member_column) in sorted(member_tables().items()):
        if wanted is not None and name not in wanted:
            continue
        member = table.c[member_column]
        stamp = table.c["updated_at"]
        rows = db.session.execute(
            select(member, func.min(stamp), func.max(stamp), func.count())
            .where(stamp >= since, stamp < until, member.is_not(None))
            .group_by(member)
            .order_by(member)
        )
        for member_id, first_at, last_at, count in rows:
            yield BreachRow(
                member_id=int(member_id),
                source="updated",
                category=name,
                action="row updated",
                first_at=first_at,
                last_at=last_at,
                events=int(count),
            )


def breach_report(
    since: datetime, until: datetime, *, tables: Iterable[str] | None = None
) -> list[BreachRow]:
    """Return, per member, what the audit log and the update stamps show for [since, until)."""
    rows = list(_updated_rows(since, until, tables))
    if not tables:
        rows.extend(_audit_rows(since, until))
    return sorted(rows, key=lambda row: (row.member_id, row.source, row.category))


def to_csv(rows: Iterable[BreachRow]) -> str:
    """Render the report as CSV (UTC ISO timestamps)."""
    buffer = io.StringIO()
    # The default (RFC 4180) line ending: with "\n" alone, a field holding a carriage return
    # was left unquoted and a spreadsheet started a new row (and a new first cell) there.
    writer = csv.writer(buffer)
    writer.writerow(spreadsheet_row(CSV_HEADER))
    for row in rows:
        writer.writerow(
            spreadsheet_row(
                (
                    row.member_id,
                    row.source,
                    row.category,
                    row.action,
                    _iso(row.first_at),
                    _iso(row.last_at),
                    row.events,
                )
            )
        )
    return buffer.getvalue()


def _iso(value: datetime | str) -> str:
    # Aggregates (min/max) come back untyped on SQLite: a string, not a datetime.
    return value.isoformat() if isinstance(value, datetime) else str(value)
