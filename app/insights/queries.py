"""Aggregate reads for the insights reports: every figure is a GROUP BY in SQL.

Statistics consent (decision): ConsentKind.STATISTICS reads "be counted in anonymous
statistics", and members can refuse it on their profile. Counting members by gender, country,
sector or sign-up month *is* that anonymous statistic, so member figures count only members whose
latest STATISTICS decision is a grant (plus erased members' ErasedMemberStat rows, which keep
totals true after an erasure). Placements are the programme's own activity records, so every
placement is counted, but the professional's gender is only used when they consented; otherwise
it is reported as "not given". Flip STATISTICS_CONSENT_REQUIRED to count every member.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.institutions.models import Institution
from app.needs.models import Need
from app.privacy.models import ConsentKind, ConsentRecord, ErasedMemberStat
from app.profiles.models import Gender, Profile

STATISTICS_CONSENT_REQUIRED = True

# Report buckets for gender, in display order. "another" gathers any other stored value.
GENDER_BUCKETS: tuple[str, ...] = ("female", "male", "another", "prefer_not_to_say", "not_given")
_KNOWN = (Gender.FEMALE.value, Gender.MALE.value, Gender.PREFER_NOT_TO_SAY.value)


@dataclass(frozen=True, slots=True)
class DateRange:
    """Registered/created between start and end (both inclusive, either open)."""

    start: date | None = None
    end: date | None = None

    def clause(self, column: Any) -> list[ColumnElement[bool]]:
        clauses: list[ColumnElement[bool]] = []
        if self.start:
            clauses.append(column >= datetime.combine(self.start, time.min, tzinfo=UTC))
        if self.end:
            clauses.append(
                column < datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=UTC)
            )
        return clauses

    def year_clause(self, column: Any) -> list[ColumnElement[bool]]:
        # Erased members keep only the year they joined: the range is applied by year.
        clauses: list[ColumnElement[bool]] = []
        if self.start:
            clauses.append(column >= self.start.year)
        if self.end:
            clauses.append(column <= self.end.year)
        return clauses


ANY_TIME = DateRange()


def gender_bucket(column: Any) -> ColumnElement[str]:
    """SQL expression mapping a stored gender to its report bucket."""
    return case(
        (or_(column.is_(None), column == ""), literal("not_given")),
        (column.in_(_KNOWN), column),
        else_=literal("another"),
    )


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def statistics_consented(user_id: Any) -> ColumnElement[bool]:
    """True when the user's latest STATISTICS consent decision is a grant (correlated EXISTS)."""
    record = aliased(ConsentRecord)
    later = aliased(ConsentRecord)
    newer = select(later.id).where(
        later.user_id == record.user_id,
        later.kind == record.kind,
        or_(
            later.recorded_at > record.recorded_at,
            and_(later.recorded_at == record.recorded_at, later.id > record.id),
        ),
    )
    return exists(
        select(record.id).where(
            record.user_id == user_id,
            record.kind == ConsentKind.STATISTICS.value,
            record.granted.is_(True),
            ~exists(newer),
        )
    )


def _member_filters(period: DateRange) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [Profile.merged_into_id.is_(None)]
    if STATISTICS_CONSENT_REQUIRED:
        clauses.append(statistics_consented(Profile.user_id))
    clauses.extend(period.clause(User.created_at))
    return clauses


def _live(columns: list[Any], period: DateRange) -> Select[Any]:
    return (
        select(*columns, func.count(Profile.id))
        .select_from(Profile)
        .join(User, User.id == Profile.user_id)
        .where(*_member_filters(period))
        .group_by(*columns)
    )


def _erased(columns: list[Any], period: DateRange) -> Select[Any]:
    return (
        select(*columns, func.count(ErasedMemberStat.id))
        .where(
            ErasedMemberStat.had_profile.is_(True),
            *period.year_clause(ErasedMemberStat.joined_year),
            *(
                [ErasedMemberStat.counted_in_statistics.is_(True)]
                if STATISTICS_CONSENT_REQUIRED
                else []
            ),
        )
        .group_by(*columns)
    )


def _merge(*queries: Select[Any]) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for query in queries:
        for *keys, count in db.session.execute(query):
            counts[tuple("" if k is None else str(k) for k in keys)] += int(count)
    return counts


# --------------------------------------------------------------------------- members


def members_by_gender(period: DateRange = ANY_TIME) -> dict[str, int]:
    """Members per gender bucket, erased members included."""
    live = gender_bucket(Profile.gender)
    erased = gender_bucket(ErasedMemberStat.gender)
    counts = _merge(_live([live], period), _erased([erased], period))
    return {bucket: counts.get((bucket,), 0) for bucket in GENDER_BUCKETS}


def members_by_gender_and_country(period: DateRange = ANY_TIME) -> Counter[tuple[str, str]]:
    """{(country, gender bucket): members}, erased members included ("" = not given)."""
    counts = _merge(
        _live([Profile.country, gender_bucket(Profile.gender)], period),
        _erased([ErasedMemberStat.country, gender_bucket(ErasedMemberStat.gender)], period),
    )
    return Counter({(k[0], k[1]): v for k, v in counts.items()})


def _json_elements(column: Any) -> Any:
    if _dialect() == "postgresql":
        return func.json_array_elements_text(column).table_valued("value").alias("sector")
    return func.json_each(column).table_valued("value").alias("sector")


def members_by_gender_and_sector(period: DateRange = ANY_TIME) -> Counter[tuple[str, str]]:
    """{(sector, gender bucket): members interested in it}; a member counts once per sector."""
    # One expression object per query: PostgreSQL matches GROUP BY by identical bound parameters.
    live_gender = gender_bucket(Profile.gender)
    live_sector = _json_elements(Profile.sectors)
    live = (
        select(live_sector.c.value, live_gender, func.count(Profile.id))
        .select_from(Profile)
        .join(User, User.id == Profile.user_id)
        .join(live_sector, literal(True))
        .where(*_member_filters(period))
        .group_by(live_sector.c.value, live_gender)
    )
    erased_gender = gender_bucket(ErasedMemberStat.gender)
    erased_sector = _json_elements(ErasedMemberStat.sectors)
    erased = (
        select(
            erased_sector.c.value,
            erased_gender,
            func.count(ErasedMemberStat.id),
        )
        .select_from(ErasedMemberStat)
        .join(erased_sector, literal(True))
        .where(
            ErasedMemberStat.had_profile.is_(True),
            *period.year_clause(ErasedMemberStat.joined_year),
        )
        .group_by(erased_sector.c.value, erased_gender)
    )
    counts = _merge(live, erased)
    return Counter({(k[0], k[1]): v for k, v in counts.items()})


def _month(column: Any) -> Any:
    if _dialect() == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def last_months(today: date, n: int = 12) -> list[str]:
    """The n months ending with today's, oldest first, as "YYYY-MM"."""
    year, month = today.year, today.month
    months = []
    for _ in range(n):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def signups_by_month_and_gender(
    period: DateRange = ANY_TIME, *, today: date | None = None
) -> tuple[list[str], Counter[tuple[str, str]]]:
    """Sign-ups of live members per month (last 12 months) and gender bucket.

    Erased members are not in this table: their statistics row keeps only the year they joined.
    """
    months = last_months(today or utcnow().date())
    first = date.fromisoformat(months[0] + "-01")
    start = max(first, period.start) if period.start else first
    month = _month(User.created_at)
    counts = _merge(_live([month, gender_bucket(Profile.gender)], DateRange(start, period.end)))
    return months, Counter({(k[0], k[1]): v for k, v in counts.items() if k[0] in months})


# --------------------------------------------------------------------------- institutions & needs


def institutions_by_type_and_status(period: DateRange = ANY_TIME) -> Counter[tuple[str, str]]:
    query = (
        select(Institution.type, Institution.status, func.count(Institution.id))
        .where(*period.clause(Institution.created_at))
        .group_by(Institution.type, Institution.status)
    )
    counts = _merge(query)
    return Counter({(k[0], k[1]): v for k, v in counts.items()})


def needs_by_sector_and_status(period: DateRange = ANY_TIME) -> Counter[tuple[str, str]]:
    query = (
        select(Need.sector, Need.status, func.count(Need.id))
        .where(*period.clause(Need.created_at))
        .group_by(Need.sector, Need.status)
    )
    counts = _merge(query)
    return Counter({(k[0], k[1]): v for k, v in counts.items()})


# --------------------------------------------------------------------------- placements
# TODO(placements): the placements model is being finished; each function below returns empty
# results while the model or a column it reads is missing, so the page never breaks.


def _placement_models() -> tuple[Any, Any] | None:
    try:
        from app.placements.models import EvaluationResponse, Placement
    except ImportError:
        return None
    needed = ("status", "profile_id", "hours_delivered", "people_trained", "created_at")
    if not all(hasattr(Placement, name) for name in needed):
        return None
    return Placement, EvaluationResponse


def _professional_gender(placement: Any) -> tuple[Any, list[ColumnElement[bool]]]:
    """The gender bucket of a placement's professional, "not_given" without statistics consent."""
    gender: Any = Profile.gender
    if STATISTICS_CONSENT_REQUIRED:
        gender = case((statistics_consented(Profile.user_id), Profile.gender), else_=None)
    return gender_bucket(gender), [Profile.id == placement.profile_id]


def placements_by_status_and_gender(period: DateRange = ANY_TIME) -> Counter[tuple[str, str]]:
    models = _placement_models()
    if models is None:
        return Counter()
    placement = models[0]
    bucket, join = _professional_gender(placement)
    query = (
        select(placement.status, bucket, func.count(placement.id))
        .select_from(placement)
        .outerjoin(Profile, and_(*join))
        .where(*period.clause(placement.created_at))
        .group_by(placement.status, bucket)
    )
    counts = _merge(query)
    return Counter({(k[0], k[1]): v for k, v in counts.items()})


COMPLETED_STATES = ("completed", "evaluated")


@dataclass(frozen=True, slots=True)
class Outcome:
    placements: int
    hours_delivered: int
    people_trained: int


def completed_outcomes_by_gender(period: DateRange = ANY_TIME) -> dict[str, Outcome]:
    """Completed placements, hours delivered and people trained per gender bucket."""
    models = _placement_models()
    if models is None:
        return {}
    placement = models[0]
    bucket, join = _professional_gender(placement)
    query = (
        select(
            bucket,
            func.count(placement.id),
            func.coalesce(func.sum(placement.hours_delivered), 0),
            func.coalesce(func.sum(placement.people_trained), 0),
        )
        .select_from(placement)
        .outerjoin(Profile, and_(*join))
        .where(placement.status.in_(COMPLETED_STATES), *period.clause(placement.created_at))
        .group_by(bucket)
    )
    return {
        str(key): Outcome(int(n), int(hours), int(people))
        for key, n, hours, people in db.session.execute(query)
    }


@dataclass(frozen=True, slots=True)
class Rating:
    answers: int
    average: float


def average_ratings_by_respondent_and_gender(
    period: DateRange = ANY_TIME,
) -> dict[tuple[str, str], Rating]:
    """{(respondent, professional's gender bucket): answered evaluations and average rating}."""
    models = _placement_models()
    if models is None:
        return {}
    placement, evaluation = models
    if not all(hasattr(evaluation, n) for n in ("rating", "respondent", "placement_id")):
        return {}
    bucket, join = _professional_gender(placement)
    query = (
        select(
            evaluation.respondent,
            bucket,
            func.count(evaluation.id),
            func.avg(evaluation.rating),
        )
        .select_from(evaluation)
        .join(placement, placement.id == evaluation.placement_id)
        .outerjoin(Profile, and_(*join))
        .where(evaluation.rating.is_not(None), *period.clause(placement.created_at))
        .group_by(evaluation.respondent, bucket)
    )
    return {
        (str(respondent), str(key)): Rating(int(n), round(float(avg), 2))
        for respondent, key, n, avg in db.session.execute(query)
    }
