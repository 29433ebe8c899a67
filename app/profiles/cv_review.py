"""Reviewing what the CV reader found: rows pre-filled from the reading, edited by the member,
and the ticked ones saved through the profile services (which hold every validation rule).

The rows are rebuilt from the CV's stored text on each visit: reading is pure and takes
milliseconds, and the profile may have changed since the upload (a suggestion already on the
profile is not offered again).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _

from app.database import utcnow
from app.profiles import services
from app.profiles.cv_reader import CONFIDENT, CVReading, fold, read_cv
from app.profiles.models import CVDocument, Profile

KINDS = ("experience", "education", "language", "skill", "contact")
# Enough for any CV; a form claiming more rows is cut here.
MAX_ROWS = 60
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*$")


@dataclass(slots=True)
class Row:
    """One suggestion as the review form shows it: its inputs' values, whether it is ticked,
    how sure the reader was, and the problems of what the member submitted."""

    kind: str
    index: int
    values: dict[str, str]
    checked: bool
    confidence: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)

    def name(self, key: str) -> str:
        return f"{self.kind}-{self.index}-{key}"


@dataclass(slots=True)
class Review:
    rows: dict[str, list[Row]]
    contacts: dict[str, str]
    language: str

    @property
    def is_empty(self) -> bool:
        return not any(self.rows.values())

    @property
    def has_errors(self) -> bool:
        return any(row.errors for rows in self.rows.values() for row in rows)


def _month(value: date | None) -> str:
    return f"{value.year:04d}-{value.month:02d}" if value else ""


def _known(profile: Profile) -> dict[str, set[object]]:
    return {
        "experience": {
            (fold(e.title), e.start_date.year if e.start_date else None) for e in profile.experience
        },
        "education": {(fold(e.degree), e.year) for e in profile.education},
        "language": {(lang.code, lang.level) for lang in profile.languages},
        "skill": {s.name for s in profile.skills},
    }


def build_review(profile: Profile, cv: CVDocument, today: date | None = None) -> Review:
    """The suggestions of a CV the profile does not hold yet, ready for the review form."""
    reading: CVReading = read_cv(cv.text or "", today=today)
    known = _known(profile)
    rows: dict[str, list[Row]] = {kind: [] for kind in KINDS}
    for entry in reading.experience:
        if (fold(entry.title), entry.start.year if entry.start else None) in known["experience"]:
            continue
        rows["experience"].append(
            Row(
                "experience",
                len(rows["experience"]),
                {
                    "title": entry.title,
                    "employer": entry.employer,
                    "country": entry.country,
                    "start": _month(entry.start),
                    "end": _month(entry.end),
                    "description": entry.description,
                },
                entry.confidence >= CONFIDENT,
                entry.confidence,
            )
        )
    for school in reading.education:
        if (fold(school.degree), school.year) in known["education"]:
            continue
        rows["education"].append(
            Row(
                "education",
                len(rows["education"]),
                {
                    "degree": school.degree,
                    "field": school.field,
                    "institution": school.institution,
                    "year": str(school.year or ""),
                },
                school.confidence >= CONFIDENT,
                school.confidence,
            )
        )
    for language in reading.languages:
        if (language.code, language.level) in known["language"]:
            continue
        rows["language"].append(
            Row(
                "language",
                len(rows["language"]),
                {"code": language.code, "level": language.level or ""},
                language.confidence >= CONFIDENT and language.level is not None,
                language.confidence,
            )
        )
    for skill in reading.skills:
        if skill.name in known["skill"]:
            continue
        rows["skill"].append(
            Row(
                "skill",
                len(rows["skill"]),
                {"name": skill.name, "level": skill.level, "years": str(skill.years)},
                skill.confidence >= CONFIDENT,
                skill.confidence,
            )
        )
    contacts = {
        "email": reading.contacts.email,
        "phone": reading.contacts.phone,
        "linkedin": reading.contacts.linkedin,
    }
    if reading.contacts.phone and not profile.phone:
        # Offered, never ticked: a contact detail is the member's to confirm.
        rows["contact"].append(Row("contact", 0, {"phone": reading.contacts.phone}, False, 0.5))
    return Review(rows, contacts, reading.language)


def _submitted_rows(form: Mapping[str, str], kind: str, keys: tuple[str, ...]) -> list[Row]:
    rows = []
    for index in range(MAX_ROWS):
        prefix = f"{kind}-{index}-"
        if not any(f"{prefix}{key}" in form for key in (*keys, "accept")):
            continue
        values = {key: (form.get(f"{prefix}{key}") or "").strip() for key in keys}
        rows.append(Row(kind, index, values, bool(form.get(f"{prefix}accept"))))
    return rows


def _parse_month(value: str, row: Row, key: str) -> date | None:
    if not value:
        return None
    match = _MONTH.match(value)
    if match and 1 <= int(match.group(2)) <= 12 and 1940 <= int(match.group(1)) <= 2100:
        return date(int(match.group(1)), int(match.group(2)), 1)
    row.errors[key] = _("Enter a month as YYYY-MM, e.g. 2019-03.")
    return None


def _parse_int(value: str, row: Row, key: str) -> int | None:
    if not value:
        return None
    if value.isdigit() and len(value) <= 4:
        return int(value)
    row.errors[key] = _("Enter a whole number.")
    return None


def read_submission(form: Mapping[str, str]) -> dict[str, list[Row]]:
    """The review form's rows as submitted (ticked or not), every value as typed."""
    return {
        "experience": _submitted_rows(
            form, "experience", ("title", "employer", "country", "start", "end", "description")
        ),
        "education": _submitted_rows(form, "education", ("degree", "field", "institution", "year")),
        "language": _submitted_rows(form, "language", ("code", "level")),
        "skill": _submitted_rows(form, "skill", ("name", "level", "years")),
        "contact": _submitted_rows(form, "contact", ("phone",))[:1],
    }


def accept_rows(profile: Profile, cv: CVDocument, rows: dict[str, list[Row]]) -> int:
    """Check every ticked row with the profile services' own rules; when all pass, save them
    and return how many were added. When one fails nothing is saved: the rows come back with
    their `errors` filled, and the caller shows the form again."""
    ticked = {kind: [row for row in rows.get(kind, []) if row.checked] for kind in KINDS}
    parsed: list[tuple[str, Row, dict[str, object]]] = []
    for row in ticked["experience"]:
        start = _parse_month(row.values["start"], row, "start")
        end = _parse_month(row.values["end"], row, "end")
        values: dict[str, object] = {
            "title": row.values["title"],
            "employer": row.values["employer"],
            "country": row.values["country"],
            "start_date": start,
            "end_date": end,
            "description": row.values["description"],
        }
        problems = services.check_experience(**values)  # type: ignore[arg-type]
        row.errors.update(_renamed(problems, {"start_date": "start", "end_date": "end"}))
        parsed.append(("experience", row, values))
    for row in ticked["education"]:
        year = _parse_int(row.values["year"], row, "year")
        values = {
            "degree": row.values["degree"],
            "field_of_study": row.values["field"],
            "institution": row.values["institution"],
            "year": year,
        }
        problems = services.check_education(**values)  # type: ignore[arg-type]
        row.errors.update(_renamed(problems, {"field_of_study": "field"}))
        parsed.append(("education", row, values))
    for row in ticked["language"]:
        row.errors.update(services.check_language(row.values["code"], row.values["level"]))
        parsed.append(("language", row, {}))
    for row in ticked["skill"]:
        years = _parse_int(row.values["years"], row, "years")
        row.errors.update(services.check_skill(row.values["name"], row.values["level"], years))
        parsed.append(("skill", row, {"years": years}))
    identity: dict[str, object] = {
        "full_name": profile.full_name or profile.user.full_name,
        "preferred_name": profile.preferred_name,
        "gender": profile.gender,
        "birth_year": profile.birth_year,
    }
    for row in ticked["contact"]:
        values = {**identity, "phone": row.values["phone"]}
        problems = services.check_identity(**values)  # type: ignore[arg-type]
        if problems:
            # Only the phone is the member's to fix here; another identity problem is named
            # on the phone row so the save never half-happens.
            row.errors["phone"] = problems.get("phone") or next(iter(problems.values()))
        parsed.append(("contact", row, values))
    if any(row.errors for _kind, row, _values in parsed):
        return 0
    for kind, row, values in parsed:
        if kind == "experience":
            services.save_experience(profile, **values)  # type: ignore[arg-type]
        elif kind == "education":
            services.save_education(profile, **values)  # type: ignore[arg-type]
        elif kind == "language":
            services.add_language(profile, row.values["code"], row.values["level"])
        elif kind == "contact":
            services.save_identity(profile, **values)  # type: ignore[arg-type]
        else:
            services.add_skill(profile, row.values["name"], row.values["level"], values["years"])  # type: ignore[arg-type]
    cv.reviewed_at = utcnow()
    return len(parsed)


def _renamed(problems: Mapping[str, str], names: Mapping[str, str]) -> dict[str, str]:
    return {names.get(key, key): message for key, message in problems.items()}


def form_choices() -> dict[str, list[tuple[str, str]]]:
    """The select options of the review form, in the viewer's language."""
    from app.reference.countries import country_choices
    from app.reference.languages import language_choices, level_choices

    return {
        "country_choices": list(country_choices()),
        "language_choices": list(language_choices()),
        "level_choices": [(value, str(label)) for value, label in level_choices()],
        "skill_levels": [
            ("beginner", _("Beginner")),
            ("intermediate", _("Intermediate")),
            ("advanced", _("Advanced")),
            ("expert", _("Expert")),
        ],
    }
