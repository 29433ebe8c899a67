"""The staff insights page and its audited CSV exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.extensions import db
from tests.factories.insights import add_members


def _seed(app: Flask) -> None:
    with app.app_context():
        add_members(6, "female", country="CA")
        add_members(2, "male", country="CA")
        db.session.commit()


def test_staff_see_the_page_with_charts_and_tables(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _seed(app)
    logged_in("rca_staff")

    response = client.get("/insights/")

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<svg" in html and "<title" in html
    assert "<td>&lt;5</td>" in html  # 2 men in Canada
    assert "/insights/export/members_by_country.csv" in html
    assert 'href="/insights/"' in html  # the nav link


def test_professionals_are_refused_and_anonymous_sent_to_log_in(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    anonymous = client.get("/insights/")
    assert anonymous.status_code == 302
    assert "/auth/login" in anonymous.headers["Location"]
    assert client.get("/insights/export/members_by_gender.csv").status_code == 302

    logged_in("professional")
    assert client.get("/insights/").status_code == 403
    assert client.get("/insights/export/members_by_gender.csv").status_code == 403


def test_bad_date_range_answers_400_with_the_form(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    response = client.get("/insights/?start=2025-05-01&end=2025-01-01")
    assert response.status_code == 400
    assert "The end date must be on or after the start date." in response.get_data(as_text=True)


def test_csv_export_content_and_audit_entry(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _seed(app)
    staff = logged_in("rca_staff")

    response = client.get("/insights/export/members_by_country.csv?start=2000-01-01")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Country,Female,Male")
    assert lines[1] == "Canada,6,<5,0,0,0,8"
    assert lines[-1] == "Total,6,2,0,0,0,8"
    with app.app_context():
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == actions.CSV_EXPORTED)
        ).one()
        assert entry.actor_id == staff.id
        assert entry.details["export"] == "insights.members_by_country"
        assert entry.details["from"] == "2000-01-01"
        assert entry.details["rows"] == 1


def test_unknown_export_is_404(client: FlaskClient, logged_in: Callable[..., Any]) -> None:
    logged_in("rca_staff")
    assert client.get("/insights/export/passwords.csv").status_code == 404
