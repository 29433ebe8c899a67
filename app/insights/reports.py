"""Report tables built from the aggregate queries, with small-cell suppression and CSV output.

Small cells: in a table broken down by gender × another attribute, a cell counting fewer than
SMALL_CELL people shows "<5" (one helper, `suppress`, used by every table). Row and column totals
stay the true sums, so partners' totals reconcile with other reports.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.insights import queries
from app.insights.queries import ANY_TIME, GENDER_BUCKETS, DateRange
from app.institutions.models import InstitutionStatus, InstitutionType
from app.needs.forms import STATUS_LABELS as NEED_STATUS_LABELS
from app.needs.models import NeedStatus
from app.placements.states import PlacementStatus, status_label
from app.reference.countries import country_name
from app.reference.sectors import SECTOR_LABELS
from app.spreadsheets import spreadsheet_row

SMALL_CELL = 5
SUPPRESSED = "<5"
TOP_COUNTRIES = 15

Cell = int | float | str

GENDER_LABELS = {
    "female": _l("Female"),
    "male": _l("Male"),
    "another": _l("Another gender"),
    "prefer_not_to_say": _l("Prefer not to say"),
    "not_given": _l("Not given"),
}

INSTITUTION_TYPE_LABELS = {
    InstitutionType.MINISTRY_AGENCY: _l("Ministry or agency"),
    InstitutionType.DISTRICT_AUTHORITY: _l("District authority"),
    InstitutionType.PUBLIC_HOSPITAL: _l("Public hospital"),
    InstitutionType.UNIVERSITY_TVET: _l("University or TVET"),
    InstitutionType.RESEARCH_INSTITUTE: _l("Research institute"),
    InstitutionType.PRIVATE_COMPANY: _l("Private company"),
    InstitutionType.COOPERATIVE: _l("Cooperative"),
    InstitutionType.NGO: _l("NGO"),
}
INSTITUTION_STATUS_LABELS = {
    InstitutionStatus.PENDING: _l("Pending"),
    InstitutionStatus.VERIFIED: _l("Verified"),
    InstitutionStatus.REJECTED: _l("Rejected"),
}
RESPONDENT_LABELS = {"professional": _l("Professionals"), "host": _l("Host supervisors")}


def suppress(count: int) -> int | str:
    """The one small-cell rule: fewer than SMALL_CELL people (but some) shows as "<5"."""
    return SUPPRESSED if 0 < count < SMALL_CELL else count


@dataclass(slots=True)
class Row:
    label: str
    cells: list[Cell]
    total: Cell


@dataclass(slots=True)
class Table:
    key: str
    title: str
    row_header: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    grand_total: Cell = 0
    note: str = ""
    # (label, value) pairs for the bar chart next to the table (true totals only).
    chart: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _gender_columns() -> list[str]:
    return [str(GENDER_LABELS[g]) for g in GENDER_BUCKETS]


def _cross_tab(
    key: str,
    title: str,
    row_header: str,
    counts: Counter[tuple[str, str]],
    columns: Iterable[str],
    column_labels: list[str],
    label: Callable[[str], str],
    *,
    small_cells: bool,
    rows: Iterable[str] | None = None,
    note: str = "",
) -> Table:
    columns = list(columns)
    row_keys = list(rows) if rows is not None else sorted({r for r, _c in counts})
    table = Table(key, title, row_header, column_labels, note=note)
    for row_key in row_keys:
        values = [counts.get((row_key, c), 0) for c in columns]
        total = sum(values)
        if total == 0 and rows is None:
            continue
        cells: list[Cell] = [suppress(v) if small_cells else v for v in values]
        table.rows.append(Row(label(row_key), cells, total))
    table.totals = [sum(counts.get((r, c), 0) for r in row_keys) for c in columns]
    table.grand_total = sum(int(t) for t in table.totals)
    return table


def _sector_label(slug: str) -> str:
    return str(SECTOR_LABELS.get(slug, slug)) if slug else _("Not given")  # type: ignore[call-overload]


def _country_label(code: str) -> str:
    if not code:
        return _("Not given")
    return country_name(code) or code


SMALL_CELL_NOTE = _l("Cells with fewer than 5 people show “<5”; totals are exact.")


def members_by_gender(period: DateRange = ANY_TIME) -> Table:
    counts = queries.members_by_gender(period)
    table = Table(
        "members_by_gender",
        _("Members by gender"),
        _("Gender"),
        [_("Members")],
    )
    for bucket in GENDER_BUCKETS:
        table.rows.append(Row(str(GENDER_LABELS[bucket]), [counts[bucket]], counts[bucket]))
        table.chart.append((str(GENDER_LABELS[bucket]), counts[bucket]))
    table.totals = [sum(counts.values())]
    table.grand_total = sum(counts.values())
    return table


def members_by_country(period: DateRange = ANY_TIME) -> Table:
    counts = queries.members_by_gender_and_country(period)
    per_country: Counter[str] = Counter()
    for (country, _g), n in counts.items():
        per_country[country] += n
    top = [c for c, _n in sorted(per_country.items(), key=lambda kv: (-kv[1], kv[0]))]
    top = top[:TOP_COUNTRIES]
    grouped: Counter[tuple[str, str]] = Counter()
    for (country, gender), n in counts.items():
        grouped[(country if country in top else "__other__", gender)] += n
    rows = top + (["__other__"] if any(k[0] == "__other__" for k in grouped) else [])
    table = _cross_tab(
        "members_by_country",
        _("Members by country of residence and gender"),
        _("Country"),
        grouped,
        GENDER_BUCKETS,
        _gender_columns(),
        lambda c: _("Other countries") if c == "__other__" else _country_label(c),
        small_cells=True,
        rows=rows,
        note=str(SMALL_CELL_NOTE),
    )
    table.chart = [(row.label, int(row.total)) for row in table.rows]
    return table


def members_by_sector(period: DateRange = ANY_TIME) -> Table:
    counts = queries.members_by_gender_and_sector(period)
    table = _cross_tab(
        "members_by_sector",
        _("Members by sector of interest and gender"),
        _("Sector"),
        counts,
        GENDER_BUCKETS,
        _gender_columns(),
        _sector_label,
        small_cells=True,
        note=str(SMALL_CELL_NOTE)
        + " "
        + _("A member interested in several sectors is counted in each."),
    )
    table.rows.sort(key=lambda r: -int(r.total))
    table.chart = [(row.label, int(row.total)) for row in table.rows]
    return table


def signups_by_month(period: DateRange = ANY_TIME) -> Table:
    months, counts = queries.signups_by_month_and_gender(period)
    table = _cross_tab(
        "signups_by_month",
        _("New sign-ups per month and gender (last 12 months)"),
        _("Month"),
        counts,
        GENDER_BUCKETS,
        _gender_columns(),
        lambda m: m,
        small_cells=True,
        rows=months,
        note=str(SMALL_CELL_NOTE)
        + " "
        + _("Members who deleted their account are not in this table."),
    )
    table.chart = [(row.label, int(row.total)) for row in table.rows]
    return table


def institutions_by_type(period: DateRange = ANY_TIME) -> Table:
    counts = queries.institutions_by_type_and_status(period)
    statuses = [s.value for s in InstitutionStatus]
    table = _cross_tab(
        "institutions_by_type",
        _("Organisations by type and verification status"),
        _("Type"),
        counts,
        statuses,
        [str(INSTITUTION_STATUS_LABELS[InstitutionStatus(s)]) for s in statuses],
        lambda t: str(INSTITUTION_TYPE_LABELS.get(t, t)),  # type: ignore[call-overload]
        small_cells=False,
    )
    table.chart = [(row.label, int(row.total)) for row in table.rows]
    return table


def needs_by_sector(period: DateRange = ANY_TIME) -> Table:
    counts = queries.needs_by_sector_and_status(period)
    statuses = [s.value for s in NeedStatus]
    table = _cross_tab(
        "needs_by_sector",
        _("Needs by sector and status"),
        _("Sector"),
        counts,
        statuses,
        [str(NEED_STATUS_LABELS.get(s, s)) for s in statuses],
        _sector_label,
        small_cells=False,
    )
    table.chart = [
        (str(NEED_STATUS_LABELS.get(s, s)), int(total))
        for s, total in zip(statuses, table.totals, strict=True)
    ]
    return table


def placements_by_status(period: DateRange = ANY_TIME) -> Table:
    counts = queries.placements_by_status_and_gender(period)
    table = _cross_tab(
        "placements_by_status",
        _("Placements by state and gender of the professional"),
        _("State"),
        counts,
        GENDER_BUCKETS,
        _gender_columns(),
        status_label,
        small_cells=True,
        rows=[s.value for s in PlacementStatus] if counts else [],
        note=str(SMALL_CELL_NOTE)
        + " "
        + _("Gender is used only for professionals who consented to anonymous statistics."),
    )
    table.rows = [row for row in table.rows if row.total]
    table.chart = [(row.label, int(row.total)) for row in table.rows]
    return table


def placement_outcomes(period: DateRange = ANY_TIME) -> Table:
    outcomes = queries.completed_outcomes_by_gender(period)
    table = Table(
        "placement_outcomes",
        _("Completed placements: hours delivered and people trained, by gender"),
        _("Gender"),
        [_("Completed placements"), _("Hours delivered"), _("People trained")],
        note=_("Rows with fewer than 5 completed placements show “<5”; totals are exact."),
    )
    if not outcomes:
        return table
    for bucket in GENDER_BUCKETS:
        outcome = outcomes.get(bucket, queries.Outcome(0, 0, 0))
        if not outcome.placements:
            continue
        small = outcome.placements < SMALL_CELL
        values = [outcome.placements, outcome.hours_delivered, outcome.people_trained]
        cells: list[Cell] = [SUPPRESSED] * 3 if small else list(values)
        table.rows.append(Row(str(GENDER_LABELS[bucket]), cells, outcome.placements))
    table.totals = [
        sum(o.placements for o in outcomes.values()),
        sum(o.hours_delivered for o in outcomes.values()),
        sum(o.people_trained for o in outcomes.values()),
    ]
    table.grand_total = table.totals[0]
    return table


def average_ratings(period: DateRange = ANY_TIME) -> Table:
    ratings = queries.average_ratings_by_respondent_and_gender(period)
    table = Table(
        "average_ratings",
        _("Average evaluation rating (1–5) by respondent and gender of the professional"),
        _("Respondent"),
        _gender_columns(),
        note=_("Averages over fewer than 5 answers show “<5”; the total column is exact."),
    )
    for respondent in ("professional", "host"):
        cells: list[Cell] = []
        answers = total = 0.0
        for bucket in GENDER_BUCKETS:
            rating = ratings.get((respondent, bucket))
            if rating is None:
                cells.append("")
                continue
            cells.append(rating.average if rating.answers >= SMALL_CELL else SUPPRESSED)
            answers += rating.answers
            total += rating.average * rating.answers
        if answers:
            label = str(RESPONDENT_LABELS[respondent])
            table.rows.append(Row(label, cells, round(total / answers, 2)))
    return table


# The tables of the page, in order; the keys are the CSV export names.
BUILDERS: dict[str, Callable[[DateRange], Table]] = {
    "members_by_gender": members_by_gender,
    "members_by_country": members_by_country,
    "members_by_sector": members_by_sector,
    "signups_by_month": signups_by_month,
    "institutions_by_type": institutions_by_type,
    "needs_by_sector": needs_by_sector,
    "placements_by_status": placements_by_status,
    "placement_outcomes": placement_outcomes,
    "average_ratings": average_ratings,
}


def build_all(period: DateRange = ANY_TIME) -> list[Table]:
    return [build(period) for build in BUILDERS.values()]


def to_csv(table: Table) -> str:
    """The table as CSV, exactly as shown (suppressed cells stay "<5")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Labels can carry stored text (a sector or country code shown as given): the shared guard.
    writer.writerow(spreadsheet_row([table.row_header, *table.columns, _("Total")]))
    for row in table.rows:
        writer.writerow(spreadsheet_row([row.label, *row.cells, row.total]))
    if table.totals:
        total = table.grand_total if len(table.columns) > 1 else ""
        writer.writerow(spreadsheet_row([_("Total"), *table.totals, total]))
    return buffer.getvalue()


def summary(period: DateRange = ANY_TIME) -> dict[str, object]:
    """The headline figures by gender (members, placements, completed outcomes) for the API."""
    members = queries.members_by_gender(period)
    placements: Counter[str] = Counter()
    for (_status, gender), n in queries.placements_by_status_and_gender(period).items():
        placements[gender] += n
    outcomes = queries.completed_outcomes_by_gender(period)

    def outcome(bucket: str) -> dict[str, Cell]:
        o = outcomes.get(bucket, queries.Outcome(0, 0, 0))
        if 0 < o.placements < SMALL_CELL:
            return {
                "placements": SUPPRESSED,
                "hours_delivered": SUPPRESSED,
                "people_trained": SUPPRESSED,
            }
        return {
            "placements": o.placements,
            "hours_delivered": o.hours_delivered,
            "people_trained": o.people_trained,
        }

    return {
        "period": {
            "from": period.start.isoformat() if period.start else None,
            "to": period.end.isoformat() if period.end else None,
        },
        "genders": list(GENDER_BUCKETS),
        "members": {"by_gender": members, "total": sum(members.values())},
        "placements": {
            "by_gender": {g: placements.get(g, 0) for g in GENDER_BUCKETS},
            "total": sum(placements.values()),
        },
        "completed_placements": {
            "by_gender": {g: outcome(g) for g in GENDER_BUCKETS},
            "total": {
                "placements": sum(o.placements for o in outcomes.values()),
                "hours_delivered": sum(o.hours_delivered for o in outcomes.values()),
                "people_trained": sum(o.people_trained for o in outcomes.values()),
            },
        },
        "small_cell_threshold": SMALL_CELL,
    }
