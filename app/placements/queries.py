"""Reads of placements used by several callers (pages, the export)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.database import utcnow
from app.extensions import db
from app.needs.models import Need
from app.placements.models import Placement
from app.placements.states import FILLING, OPEN, UNDECIDED, PlacementStatus
from app.profiles.models import Profile
from app.ranking.services import GENDER_GROUPS, fairness_group

S = PlacementStatus


def get_profile_of(user_id: int) -> Profile | None:
    return db.session.scalar(select(Profile).where(Profile.user_id == user_id))


def get_open_placement(need_id: int, profile_id: int) -> Placement | None:
    """Return the placement of this professional on this need that is not closed, if any."""
    return db.session.scalar(
        select(Placement).where(
            Placement.need_id == need_id,
            Placement.profile_id == profile_id,
            Placement.status != S.CLOSED,
        )
    )


def _with_parties(query: Select[tuple[Placement]]) -> Select[tuple[Placement]]:
    return query.options(
        joinedload(Placement.need).joinedload(Need.institution),
        # The CSV export reads the professional's account email: load it with the row.
        joinedload(Placement.profile).joinedload(Profile.user),
    )


def list_for_need(need_id: int) -> list[Placement]:
    """Placements of one need, newest change first."""
    return list(
        db.session.scalars(
            _with_parties(select(Placement))
            .where(Placement.need_id == need_id)
            .order_by(Placement.status_changed_at.desc(), Placement.id.desc())
        ).unique()
    )


def list_for_professional(profile_id: int) -> list[Placement]:
    """A professional's placements, open ones first, newest change first."""
    rows = db.session.scalars(
        _with_parties(select(Placement))
        .where(Placement.profile_id == profile_id)
        .order_by(Placement.status_changed_at.desc(), Placement.id.desc())
    ).unique()
    return sorted(rows, key=lambda p: p.status == S.CLOSED)


def list_invitations(profile_id: int) -> list[Placement]:
    """Invitations waiting for the professional's answer."""
    return [p for p in list_for_professional(profile_id) if p.status == S.INVITED]


def list_for_institution(institution_id: int) -> list[Placement]:
    return list(
        db.session.scalars(
            _with_parties(select(Placement))
            .where(Need.institution_id == institution_id)
            .join(Placement.need)
            .order_by(Placement.status_changed_at.desc(), Placement.id.desc())
        ).unique()
    )


def count_filling(need_id: int) -> int:
    """How many placements of the need count towards its people needed."""
    return int(
        db.session.scalar(
            select(func.count(Placement.id)).where(
                Placement.need_id == need_id, Placement.status.in_(FILLING)
            )
        )
        or 0
    )


def list_undecided(need_id: int) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement).where(Placement.need_id == need_id, Placement.status.in_(UNDECIDED))
        )
    )


# --------------------------------------------------------------------------- timing


def days_in_state(placement: Placement, now: datetime | None = None) -> int:
    return max(0, ((now or utcnow()) - placement.status_changed_at).days)


def _overdue_cutoff(now: datetime) -> datetime:
    # Interest older than PLACEMENTS_RESPONSE_DAYS whole days is overdue.
    return now - timedelta(days=int(current_app.config["PLACEMENTS_RESPONSE_DAYS"]))


def _stuck_cutoff(now: datetime) -> datetime:
    # More than PLACEMENTS_STUCK_DAYS whole days in one state is stuck.
    return now - timedelta(days=int(current_app.config["PLACEMENTS_STUCK_DAYS"]) + 1)


def is_overdue(placement: Placement, now: datetime | None = None) -> bool:
    """An "interested" professional waited more than PLACEMENTS_RESPONSE_DAYS for an answer."""
    cutoff = _overdue_cutoff(now or utcnow())
    return placement.status == S.INTERESTED and placement.status_changed_at <= cutoff


def is_stuck(placement: Placement, now: datetime | None = None) -> bool:
    """An open placement in the same state for more than PLACEMENTS_STUCK_DAYS."""
    cutoff = _stuck_cutoff(now or utcnow())
    return placement.status in OPEN and placement.status_changed_at <= cutoff


def count_overdue_and_stuck(now: datetime | None = None) -> tuple[int, int]:
    """Return how many placements are overdue and how many are stuck, by the same cut-offs as
    is_overdue and is_stuck."""
    now = now or utcnow()
    overdue = db.session.scalar(
        select(func.count(Placement.id)).where(
            Placement.status == S.INTERESTED, Placement.status_changed_at <= _overdue_cutoff(now)
        )
    )
    stuck = db.session.scalar(
        select(func.count(Placement.id)).where(
            Placement.status.in_(OPEN), Placement.status_changed_at <= _stuck_cutoff(now)
        )
    )
    return int(overdue or 0), int(stuck or 0)


def list_awaiting_response(before: datetime) -> list[Placement]:
    """ "Interested" placements whose interest is older than `before`, with need and institution."""
    return list(
        db.session.scalars(
            _with_parties(select(Placement)).where(
                Placement.status == S.INTERESTED, Placement.status_changed_at <= before
            )
        ).unique()
    )


# --------------------------------------------------------------------------- staff pipeline


@dataclass(frozen=True, slots=True)
class PipelineFilters:
    sector: str = ""
    country: str = ""
    institution_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    status: str = ""


def pipeline_query(filters: PipelineFilters) -> Select[tuple[Placement]]:
    """Placements matching the filters (dates bound the placement's creation), with parties.

    The professional is an OUTER join: a placement whose professional erased their account
    (profile_id NULL) stays on the board, in the counts and in the CSV, anonymised.
    """
    query = (
        _with_parties(select(Placement))
        .join(Need, Placement.need_id == Need.id)
        .outerjoin(Profile, Placement.profile_id == Profile.id)
    )
    if filters.sector:
        query = query.where(Need.sector == filters.sector)
    if filters.country:
        query = query.where(Profile.country == filters.country.upper())
    if filters.institution_id:
        query = query.where(Need.institution_id == filters.institution_id)
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min).replace(tzinfo=utcnow().tzinfo)
        query = query.where(Placement.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to, time.min).replace(tzinfo=utcnow().tzinfo)
        query = query.where(Placement.created_at < end + timedelta(days=1))
    if filters.status:
        query = query.where(Placement.status == filters.status)
    return query.order_by(Placement.status_changed_at, Placement.id)


@dataclass(slots=True)
class Pipeline:
    by_status: dict[str, list[Placement]]
    counts: dict[str, int]
    closed_reasons: Counter[str]


def staff_pipeline(filters: PipelineFilters) -> Pipeline:
    rows = list(db.session.scalars(pipeline_query(filters)).unique())
    by_status: dict[str, list[Placement]] = {str(s): [] for s in PlacementStatus}
    for row in rows:
        by_status[str(row.status)].append(row)
    return Pipeline(
        by_status=by_status,
        counts={name: len(items) for name, items in by_status.items()},
        closed_reasons=Counter(
            str(p.closed_reason) for p in by_status[str(S.CLOSED)] if p.closed_reason
        ),
    )


# --------------------------------------------------------------------------- shortlist fairness


@dataclass(frozen=True, slots=True)
class GroupShare:
    """One gender group: count and share in a need's shortlist and in the candidate pool
    (the same figures app.matching.fairness.composition gives the ranking page)."""

    group: str | None  # None: not stated
    shortlist: int
    shortlist_share: float
    pool: int
    pool_share: float


def _counts_by_group(rows: list[tuple[str | None, int]]) -> Counter[str | None]:
    counts: Counter[str | None] = Counter()
    for gender, n in rows:
        counts[fairness_group(gender)] += int(n)
    return counts


def count_candidate_pool_by_gender() -> Counter[str | None]:
    """Professionals who take part in matching (not merged, latest matching consent granted),
    per gender group: counted in SQL, so a page never loads the whole pool."""
    from app.privacy.models import ConsentKind, ConsentRecord

    consent = (
        select(ConsentRecord.granted)
        .where(ConsentRecord.user_id == Profile.user_id, ConsentRecord.kind == ConsentKind.MATCHING)
        .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        .limit(1)
        .correlate(Profile)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Profile.gender, func.count(Profile.id))
        .where(Profile.merged_into_id.is_(None), consent.is_(True))
        .group_by(Profile.gender)
    ).all()
    return _counts_by_group([(g, n) for g, n in rows])


def shortlist_gender_balance(need_id: int) -> list[GroupShare]:
    """Gender composition of the need's shortlist (its placements not closed) against the
    candidate pool; an erased professional counts as "not stated"."""
    rows = db.session.execute(
        select(Profile.gender, func.count(Placement.id))
        .select_from(Placement)
        .outerjoin(Profile, Placement.profile_id == Profile.id)
        .where(Placement.need_id == need_id, Placement.status != S.CLOSED)
        .group_by(Profile.gender)
    ).all()
    shortlist = _counts_by_group([(g, n) for g, n in rows])
    pool = count_candidate_pool_by_gender()
    in_shortlist, in_pool = sum(shortlist.values()) or 1, sum(pool.values()) or 1
    groups: list[str | None] = [*GENDER_GROUPS, None]
    return [
        GroupShare(g, shortlist[g], shortlist[g] / in_shortlist, pool[g], pool[g] / in_pool)
        for g in groups
        if shortlist[g] or pool[g] or g is not None
    ]


def with_history(placement_id: int) -> Placement | None:
    return db.session.scalar(
        select(Placement)
        .where(Placement.id == placement_id)
        .options(selectinload(Placement.events), selectinload(Placement.evaluations))
    )
