"""Reads of needs: browsing with text search and filters, per-institution lists, counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.needs.models import Need, NeedLanguage, NeedSkill, NeedStatus
from app.reference.skills import canonical_for


@dataclass(slots=True)
class NeedFilters:
    """What a visitor asked for on /needs/ (all optional)."""

    q: str = ""
    sector: str = ""
    mode: str = ""
    district: str = ""
    available_from: date | None = None
    available_to: date | None = None
    languages: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=lambda: [NeedStatus.OPEN.value])
    institution_id: int | None = None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_needs(filters: NeedFilters) -> Select[tuple[Need]]:
    """Return the query of needs matching the filters, newest first (same on SQLite/PostgreSQL).

    Text search: every word must appear in the need's search column (title, background,
    objectives, deliverables and skills, lower-cased); LIKE with escaping works on both backends.
    Dates: the need's window overlaps [available_from, available_to].
    Languages and skills: the need asks for at least one of those chosen.
    """
    query = select(Need).options(
        selectinload(Need.skills), selectinload(Need.languages), selectinload(Need.institution)
    )
    if filters.statuses:
        query = query.where(Need.status.in_(filters.statuses))
    if filters.institution_id is not None:
        query = query.where(Need.institution_id == filters.institution_id)
    for word in filters.q.lower().split()[:10]:
        query = query.where(Need.search_text.like(f"%{_like_escape(word)}%", escape="\\"))
    if filters.sector:
        query = query.where(Need.sector == filters.sector)
    if filters.mode:
        query = query.where(Need.mode == filters.mode)
    if filters.district:
        query = query.where(Need.district == filters.district)
    if filters.available_from:
        query = query.where(Need.end_date >= filters.available_from)
    if filters.available_to:
        query = query.where(Need.start_date <= filters.available_to)
    if filters.languages:
        query = query.where(
            exists().where(
                and_(NeedLanguage.need_id == Need.id, NeedLanguage.code.in_(filters.languages))
            )
        )
    if filters.skills:
        names = _skill_keys(filters.skills)
        query = query.where(
            exists().where(
                and_(NeedSkill.need_id == Need.id, func.lower(NeedSkill.name).in_(names))
            )
        )
    return query.order_by(func.coalesce(Need.published_at, Need.created_at).desc(), Need.id.desc())


def _skill_keys(skills: Iterable[str]) -> list[str]:
    keys: list[str] = []
    for skill in skills:
        text = " ".join(skill.split()).lower()
        if not text:
            continue
        keys.append(text)
        canonical = canonical_for(text)
        if canonical:
            keys.append(canonical.lower())
    return keys


def list_needs_of_institution(institution_id: int) -> list[Need]:
    """Return every need of an institution (all statuses), newest first."""
    return list(
        db.session.scalars(
            select(Need)
            .where(Need.institution_id == institution_id)
            .options(selectinload(Need.skills))
            .order_by(Need.created_at.desc(), Need.id.desc())
        )
    )


def count_needs_by_status(institution_id: int | None = None) -> dict[str, int]:
    """Return {status: count}, for one institution or all."""
    query = select(Need.status, func.count()).group_by(Need.status)
    if institution_id is not None:
        query = query.where(Need.institution_id == institution_id)
    counts = {str(status): 0 for status in NeedStatus}
    for status, count in db.session.execute(query):
        counts[str(status)] = int(count)
    return counts


def count_applications(need_ids: Iterable[int]) -> dict[int, int]:
    """Return {need id: professionals in its pipeline (interested, shortlisted and on)}.

    Closed placements are left out: the count answers "how many people are we dealing with".
    """
    # Imported here: placements build on needs, so needs may only reach back at call time.
    from app.placements.models import Placement
    from app.placements.states import PlacementStatus

    ids = list(need_ids)
    counts = dict.fromkeys(ids, 0)
    if not ids:
        return counts
    rows = db.session.execute(
        select(Placement.need_id, func.count(Placement.id))
        .where(Placement.need_id.in_(ids), Placement.status != PlacementStatus.CLOSED)
        .group_by(Placement.need_id)
    )
    counts.update({int(need_id): int(n) for need_id, n in rows})
    return counts


def count_ranked_candidates(need_ids: Iterable[int]) -> dict[int, int | None]:
    """Return {need id: candidates passing its hard filters}, None while it is being embedded."""
    from app.ranking.services import count_ranked_candidates as count_from_index

    return count_from_index(need_ids)


def list_open_need_skills(limit: int = 2000) -> list[str]:
    """Return the skill names open needs ask for, most asked first (for autocomplete)."""
    return list(
        db.session.scalars(
            select(NeedSkill.name)
            .join(Need, Need.id == NeedSkill.need_id)
            .where(Need.status == NeedStatus.OPEN)
            .group_by(NeedSkill.name)
            .order_by(func.count().desc(), NeedSkill.name)
            .limit(limit)
        )
    )


def list_submitted_needs() -> list[Need]:
    """Return the staff review queue: submitted needs, oldest first."""
    return list(
        db.session.scalars(
            select(Need)
            .where(Need.status == NeedStatus.SUBMITTED)
            .options(selectinload(Need.institution), selectinload(Need.skills))
            .order_by(Need.submitted_at, Need.id)
        )
    )


def staff_filters(status: str, q: str = "") -> NeedFilters:
    """Return filters for the staff list: one status, or every status."""
    statuses = [status] if status in set(NeedStatus) else []
    return NeedFilters(q=q, statuses=statuses)
