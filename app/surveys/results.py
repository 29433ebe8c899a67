"""Survey results: response rate over time, per-question counts, cross-tabs, CSV/XLSX exports."""

from __future__ import annotations

import csv
import io
import math
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from babel.numbers import format_decimal
from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from sqlalchemy import select

from app.extensions import db
from app.spreadsheets import spreadsheet_row
from app.surveys import charts
from app.surveys.models import (
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from app.surveys.services import OTHER, count_invited, ordered_questions

SMALL_CELL = 5
CROSSTAB_ATTRIBUTES = ("country", "sector", "gender")
BAR_KINDS = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.RATING,
    QuestionKind.YES_NO,
    QuestionKind.COUNTRY,
)


def submitted_responses(survey: Survey) -> list[SurveyResponse]:
    """The real submitted responses: by id, or in a random order for an anonymous survey (the
    order of the rows ids would follow could be matched with the tokens' use times)."""
    responses = list(
        db.session.scalars(
            select(SurveyResponse)
            .where(
                SurveyResponse.survey_id == survey.id,
                SurveyResponse.status == ResponseStatus.SUBMITTED,
                SurveyResponse.is_test.is_(False),
            )
            .order_by(SurveyResponse.id)
        )
    )
    if survey.is_anonymous:
        secrets.SystemRandom().shuffle(responses)
    return responses


@dataclass
class Rate:
    invited: int
    submitted: int
    points: list[tuple[str, float, int]]  # day, percent, cumulative count
    chart: Markup

    @property
    def percent(self) -> float:
        return round(100 * self.submitted / self.invited, 1) if self.invited else 0.0


def response_rate(survey: Survey, responses: list[SurveyResponse]) -> Rate:
    """Cumulative share of the invited audience that has answered, day by day."""
    invited = count_invited(survey)
    per_day = Counter(r.submitted_at.date() for r in responses if r.submitted_at)
    points: list[tuple[str, float, int]] = []
    if per_day:
        start = min(per_day)
        if survey.opened_at:
            start = min(start, survey.opened_at.date())
        end = max(per_day)
        total, day = 0, start
        while day <= end and len(points) < 366:
            total += per_day.get(day, 0)
            pct = round(100 * total / invited, 1) if invited else 0.0
            points.append((day.isoformat(), pct, total))
            day += timedelta(days=1)
    chart = charts.line_chart(
        _("Response rate over time"),
        _(
            "%(submitted)s of %(invited)s invited members have answered (%(percent)s%%).",
            submitted=len(responses),
            invited=invited,
            percent=round(100 * len(responses) / invited, 1) if invited else 0,
        ),
        [(d, p) for d, p, _c in points],
    )
    return Rate(invited=invited, submitted=len(responses), points=points, chart=chart)


def _labels(question: SurveyQuestion, locale: str | None) -> list[tuple[str, str]]:

    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        labels = [(c["key"], question.choice_label(c["key"], locale)) for c in question.choices]
        if question.allow_other:
            labels.append((OTHER, _("Other")))
        return labels
    if question.kind == QuestionKind.RATING:
        return [(str(i), str(i)) for i in range(1, 6)]
    if question.kind == QuestionKind.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    if question.kind == QuestionKind.COUNTRY:
        return []  # filled from the answers
    return []


def _counts(question: SurveyQuestion, values: list[Any]) -> Counter[str]:
    counter: Counter[str] = Counter()
    for value in values:
        if isinstance(value, list):
            counter.update(str(v) for v in value)
        elif value is not None:
            counter[str(value)] += 1
    return counter


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int
    display: str  # "bars", "histogram", "table"
    items: list[tuple[str, int]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)  # (answer, other text)
    chart: Markup | None = None
    search: str = ""


def nice_step(raw: float) -> Decimal:
    """The smallest step of the form 1, 2 or 5 × 10^k that is at least raw (raw > 0)."""
    exponent = math.floor(math.log10(raw))
    for mantissa in (1, 2, 5, 10):
        step = Decimal(mantissa).scaleb(exponent)
        if step >= Decimal(str(raw)) * Decimal("0.999999"):
            return step.normalize()
    return Decimal(10).scaleb(exponent)  # pragma: no cover (10 × 10^k always fits)


def histogram_bins(numbers: list[float], target: int = 6) -> list[tuple[Decimal, Decimal, int]]:
    """Numbers binned at round boundaries: (low, high, count) per bin, lows a multiple of a
    1/2/5×10^k step, about `target` bins from the data's range.

    Whole-number answers (counts, years) get whole-number bins, and each bin's high is its last
    value (1995–1999, 2000–2004); decimal answers get half-open bins [low, high). One distinct
    value is one bin (low == high); no answer, no bin.
    """
    if not numbers:
        return []
    values = [Decimal(str(x)) for x in numbers]
    low, high = min(values), max(values)
    if low == high:
        return [(low, high, len(values))]
    whole = all(v == v.to_integral_value() for v in values)
    step = nice_step(float(high - low) / target)
    if whole:
        step = max(step.to_integral_value(rounding=ROUND_CEILING), Decimal(1))
    start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    count = int(((high - start) / step).to_integral_value(rounding=ROUND_FLOOR)) + 1
    counts = [0] * count
    for v in values:
        counts[min(int((v - start) / step), count - 1)] += 1
    last = Decimal(1) if whole else Decimal(0)  # a whole bin's high is its last value
    return [(start + i * step, start + (i + 1) * step - last, n) for i, n in enumerate(counts)]


def _histogram(numbers: list[float], locale: str | None = None) -> list[tuple[str, int]]:
    """Labelled bins: "1995–1999", "0–4", "2.5–5"; a bin of one value is labelled by it."""
    items = []
    for low, high, n in histogram_bins(numbers):
        label = _num(low, locale) if low == high else f"{_num(low, locale)}–{_num(high, locale)}"
        items.append((label, n))
    return items


def _num(value: Decimal | float, locale: str | None = None) -> str:
    """A number as people write it in the locale, without thousands separators (years)."""
    value = Decimal(str(value)).normalize()
    if value == value.to_integral_value():
        return str(int(value))
    return format_decimal(value, locale=locale or "en", group_separator=False)


def question_results(
    survey: Survey,
    responses: list[SurveyResponse],
    locale: str | None = None,
    searches: dict[int, str] | None = None,
) -> list[QuestionResult]:
    from app.reference.countries import country_name

    searches = searches or {}
    by_question: dict[int, list[Any]] = {}
    others: dict[int, list[str]] = {}
    for response in responses:
        for answer in response.answers:
            by_question.setdefault(answer.question_id, []).append(answer.value)
            if answer.other_text:
                others.setdefault(answer.question_id, []).append(answer.other_text)
    results = []
    for q in ordered_questions(survey):
        values = [v for v in by_question.get(q.id, []) if v not in (None, "", [])]
        text = q.localized("text", locale)
        if q.kind in BAR_KINDS:
            counter = _counts(q, values)
            labels = _labels(q, locale)
            if q.kind == QuestionKind.COUNTRY:
                labels = [(code, country_name(code)) for code, _n in counter.most_common()]
            items = [(label, counter.get(key, 0)) for key, label in labels]
            chart = charts.bar_chart(
                text,
                ngettext(
                    "Answers per option; %(num)s member answered.",
                    "Answers per option; %(num)s members answered.",
                    len(values),
                ),
                items,
            )
            result = QuestionResult(q, len(values), "bars", items=items, chart=chart)
            result.texts = [(o, "") for o in others.get(q.id, [])]
            if survey.is_anonymous:
                result.texts.sort(key=lambda t: t[0].casefold())
        elif q.kind == QuestionKind.NUMBER:
            items = _histogram([float(v) for v in values], locale)
            chart = charts.bar_chart(
                text,
                ngettext(
                    "Histogram of the numbers given; %(num)s answer.",
                    "Histogram of the numbers given; %(num)s answers.",
                    len(values),
                ),
                items,
            )
            result = QuestionResult(q, len(values), "histogram", items=items, chart=chart)
        else:
            needle = (searches.get(q.id) or "").strip().lower()
            texts = [(str(v), "") for v in values if not needle or needle in str(v).lower()]
            if survey.is_anonymous:
                texts.sort(key=lambda t: t[0].casefold())  # no order to match with anything
            result = QuestionResult(q, len(values), "table", texts=texts, search=needle)
        results.append(result)
    return results


# --------------------------------------------------------------------------- cross-tab


@dataclass
class CrossTab:
    columns: list[tuple[str, str]]  # (attribute value, label)
    rows: list[tuple[str, list[str]]]  # (answer label, cells: a count or "<5")


def _attribute_values(attribute: str, profile: Any) -> list[str]:
    if profile is None:
        return ["unknown"]
    if attribute == "country":
        return [profile.country or "unknown"]
    if attribute == "gender":
        return [str(profile.gender or "unknown")]
    return list(profile.sectors or []) or ["unknown"]


def _attribute_label(attribute: str, value: str) -> str:
    from app.reference.countries import country_name

    if value == "unknown":
        return _("Not given")
    if attribute == "country":
        return country_name(value)
    if attribute == "sector":
        from app.reference.sectors import SECTOR_LABELS, Sector

        try:
            return str(SECTOR_LABELS[Sector(value)])
        except (ValueError, KeyError):
            return value
    labels = {"female": _("Female"), "male": _("Male"), "prefer_not_to_say": _("Prefer not to say")}
    return labels.get(value, value)


def crosstab(
    survey: Survey,
    question: SurveyQuestion,
    attribute: str,
    responses: list[SurveyResponse],
    locale: str | None = None,
) -> CrossTab:
    """Answers of one question by a profile attribute; cells under 5 respondents show "<5"."""
    from app.errors import DomainError
    from app.profiles.models import Profile

    if survey.is_anonymous:
        raise DomainError(_("Anonymous surveys cannot be cross-tabulated."))
    if attribute not in CROSSTAB_ATTRIBUTES:
        raise DomainError(_("Choose country, sector or gender."), field="by")
    if question.kind not in BAR_KINDS:
        raise DomainError(_("Choose a question with options."), field="question")
    user_ids = [r.user_id for r in responses if r.user_id]
    profiles = {
        p.user_id: p
        for p in db.session.scalars(select(Profile).where(Profile.user_id.in_(user_ids)))
    }
    table: dict[tuple[str, str], int] = Counter()
    attr_values: set[str] = set()
    for response in responses:
        value = response.answer_map().get(question.id)
        if value in (None, "", []):
            continue
        answers = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        for attr in _attribute_values(attribute, profiles.get(response.user_id or 0)):
            attr_values.add(attr)
            for answer in answers:
                table[(answer, attr)] += 1
    labels = _labels(question, locale)
    if question.kind == QuestionKind.COUNTRY:
        from app.reference.countries import country_name

        labels = [(k, country_name(k)) for k in sorted({a for a, _b in table})]
    columns = [(v, _attribute_label(attribute, v)) for v in sorted(attr_values)]
    small = int(current_app.config.get("SURVEYS_SMALL_CELL", SMALL_CELL))
    counts = [[table.get((key, attr), 0) for attr, _label in columns] for key, _l in labels]
    shown = suppress_cells(counts, small)
    rows = [(label, cells) for (_key, label), cells in zip(labels, shown, strict=True)]
    return CrossTab(columns=columns, rows=rows)


PRIMARY = "<5"
SECONDARY = "*"


def suppress_cells(counts: list[list[int]], small: int = SMALL_CELL) -> list[list[str]]:
    """The cells as shown: counts under `small` (but not 0) become "<5" (primary suppression).

    The per-answer totals are public (the results page shows them) and a column's total may be
    learnt elsewhere, so a row or column with a single hidden cell would give it away by
    subtraction. Secondary suppression hides one more cell ("*") in every such row or column,
    the smallest non-zero one (a zero when there is no other), until no line has exactly one.
    """
    height = len(counts)
    width = len(counts[0]) if counts else 0
    hidden = [[0 < n < small for n in row] for row in counts]
    secondary: set[tuple[int, int]] = set()
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    lines += [[(i, j) for i in range(height)] for j in range(width)]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(hidden[i][j] for i, j in line) != 1:
                continue
            candidates = [(i, j) for i, j in line if not hidden[i][j]]
            if not candidates:
                continue  # a single cell in its line: its total is the cell itself anyway
            i, j = min(candidates, key=lambda c: (counts[c[0]][c[1]] == 0, counts[c[0]][c[1]]))
            hidden[i][j] = True
            secondary.add((i, j))
            changed = True
    return [
        [
            (SECONDARY if (i, j) in secondary else PRIMARY) if hidden[i][j] else str(n)
            for j, n in enumerate(row)
        ]
        for i, row in enumerate(counts)
    ]


# --------------------------------------------------------------------------- exports


def export_table(
    survey: Survey, responses: list[SurveyResponse]
) -> tuple[list[str], list[list[Any]]]:
    """One row per submitted response, one column per question (multiple choice joined).

    Anonymous surveys: the first column is a row number (in the responses' random order), not
    the response's database id, and the submission is given to the day only.
    """
    questions = ordered_questions(survey)
    header = [_("Response"), _("Submitted")]
    if not survey.is_anonymous:
        header.append(_("Member id"))
    header += [f"Q{i}. {q.text}" for i, q in enumerate(questions, start=1)]
    rows: list[list[Any]] = []
    for number, response in enumerate(responses, start=1):
        answers = {a.question_id: a for a in response.answers}
        submitted = response.submitted_at
        row: list[Any] = [
            number if survey.is_anonymous else response.id,
            (submitted.date().isoformat() if survey.is_anonymous else submitted.isoformat())
            if submitted
            else "",
        ]
        if not survey.is_anonymous:
            row.append(response.user_id or "")
        for q in questions:
            answer = answers.get(q.id)
            row.append(_cell(q, answer.value, answer.other_text) if answer else "")
        rows.append(row)
    return header, rows


def _cell(question: SurveyQuestion, value: Any, other: str) -> Any:
    def label(key: str) -> str:
        if key == OTHER:
            return f"{_('Other')}: {other}" if other else _("Other")
        return question.choice_label(key)

    if question.kind == QuestionKind.MULTIPLE and isinstance(value, list):
        return "; ".join(label(str(v)) for v in value)
    if question.kind == QuestionKind.SINGLE:
        return label(str(value))
    return value


def to_csv(header: list[str], rows: list[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spreadsheet_row(header))
    for row in rows:
        writer.writerow(spreadsheet_row(row))
    return buffer.getvalue()


def to_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (title or "Responses")[:31].translate(str.maketrans("", "", "[]:*?/\\"))
    sheet.append(spreadsheet_row(header))
    for row in rows:
        sheet.append(spreadsheet_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def audit_export(survey: Survey, responses: list[SurveyResponse], fmt: str) -> None:
    """Record the export in the audit log when the audit feature is present."""
    try:
        from app.audit import actions
        from app.audit.services import record_audit
    except ImportError:  # pragma: no cover
        return
    record_audit(
        actions.CSV_EXPORTED,
        target=("surveys", survey.id),
        details={
            "export": "survey_responses",
            "format": fmt,
            "survey_id": survey.id,
            "rows": len(responses),
            "subject_ids": [r.user_id for r in responses if r.user_id],
        },
    )


def day(value: date) -> str:
    return value.isoformat()
