"""The staff pipeline: filters, counts per state, stuck and overdue, closed reasons, erased
professionals (their placements stay on the board and in the CSV, anonymised)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.database import utcnow
from app.extensions import db
from app.placements import queries
from app.placements.models import Placement
from app.placements.queries import PipelineFilters
from app.placements.states import ClosedReason, PlacementStatus
from app.privacy.services import erase_member
from tests.conftest import login
from tests.factories.auth import StaffUserFactory
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import ProfileFactory

S = PlacementStatus


def _ids(filters: PipelineFilters) -> set[int]:
    return {p.id for p in db.session.scalars(queries.pipeline_query(filters)).unique()}


def _board() -> dict[str, Any]:
    """Two institutions, professionals in Canada and Belgium, placements of different ages."""
    now = utcnow()
    first, second = InstitutionFactory(), InstitutionFactory()
    health = NeedFactory(institution=first, sector="health")
    education = NeedFactory(institution=second, sector="education")
    canada, belgium = ProfileFactory(country="CA"), ProfileFactory(country="BE")
    old = PlacementFactory(need=health, profile=canada, created_at=now - timedelta(days=40))
    recent = PlacementFactory(need=education, profile=belgium, created_at=now)
    middle = PlacementFactory(need=health, profile=belgium, created_at=now - timedelta(days=10))
    db.session.commit()
    return {
        "first": first.id,
        "second": second.id,
        "old": old.id,
        "recent": recent.id,
        "middle": middle.id,
        "today": now.date(),
    }


def test_pipeline_filters_by_country_institution_and_dates(app_context: Flask) -> None:
    b = _board()
    today = b["today"]
    assert _ids(PipelineFilters()) == {b["old"], b["recent"], b["middle"]}
    assert _ids(PipelineFilters(country="BE")) == {b["recent"], b["middle"]}
    assert _ids(PipelineFilters(country="be")) == {b["recent"], b["middle"]}
    assert _ids(PipelineFilters(institution_id=b["first"])) == {b["old"], b["middle"]}
    assert _ids(PipelineFilters(sector="education")) == {b["recent"]}
    assert _ids(PipelineFilters(date_from=today - timedelta(days=15))) == {
        b["recent"],
        b["middle"],
    }
    assert _ids(PipelineFilters(date_to=today - timedelta(days=20))) == {b["old"]}
    day = today - timedelta(days=10)
    assert _ids(PipelineFilters(date_from=day, date_to=day)) == {b["middle"]}  # both inclusive
    assert _ids(PipelineFilters(country="BE", institution_id=b["first"])) == {b["middle"]}


def test_pipeline_counts_per_state_and_closed_reasons(app_context: Flask) -> None:
    need = NeedFactory(people_needed=10)
    for status in (S.INTERESTED, S.INTERESTED, S.INVITED, S.IN_PROGRESS):
        PlacementFactory(need=need, status=status)
    for reason in (ClosedReason.NOT_A_FIT, ClosedReason.NOT_A_FIT, ClosedReason.DATES_DONT_FIT):
        PlacementFactory(need=need, status=S.CLOSED, closed_reason=reason)
    db.session.commit()
    pipeline = queries.staff_pipeline(PipelineFilters())
    assert {k: v for k, v in pipeline.counts.items() if v} == {
        "interested": 2,
        "invited": 1,
        "in_progress": 1,
        "closed": 3,
    }
    assert set(pipeline.counts) == {str(s) for s in PlacementStatus}  # every state, even empty
    assert pipeline.closed_reasons == {"not_a_fit": 2, "dates_dont_fit": 1}
    assert all(p.status == S.INVITED for p in pipeline.by_status["invited"])


def test_erased_professional_stays_on_the_board(app_context: Flask) -> None:
    profile = ProfileFactory(country="BE")
    done = PlacementFactory(profile=profile, status=S.COMPLETED)
    waiting = PlacementFactory(profile=profile, status=S.INVITED)
    db.session.commit()
    erase_member(profile.user)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Placement, done.id).profile_id is None  # type: ignore[union-attr]
    pipeline = queries.staff_pipeline(PipelineFilters())
    assert [p.id for p in pipeline.by_status["completed"]] == [done.id]
    assert [p.id for p in pipeline.by_status["closed"]] == [waiting.id]  # erasure ended it
    assert pipeline.counts["completed"] == 1 and pipeline.counts["closed"] == 1
    assert pipeline.closed_reasons == {"candidate_withdrew": 1}
    assert _ids(PipelineFilters(country="BE")) == set()  # no country left to match


def test_board_page_flags_counts_reasons_and_erased_rows(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        now = utcnow()
        need = NeedFactory(people_needed=10)
        stuck = PlacementFactory(
            need=need, status=S.INVITED, status_changed_at=now - timedelta(days=30)
        )
        fresh = PlacementFactory(
            need=need, status=S.INVITED, status_changed_at=now - timedelta(days=3)
        )
        overdue = PlacementFactory(need=need, status_changed_at=now - timedelta(days=11))
        closed = PlacementFactory(need=need, status=S.CLOSED, closed_reason=ClosedReason.NOT_A_FIT)
        erased = ProfileFactory()
        gone = PlacementFactory(need=need, profile=erased, status=S.COMPLETED)
        staff = StaffUserFactory()
        db.session.commit()
        erase_member(erased.user)
        db.session.commit()
        ids = {
            "stuck": stuck.id,
            "fresh": fresh.id,
            "overdue": overdue.id,
            "closed": closed.id,
            "gone": gone.id,
        }
        email = staff.email
    login(client, email)
    page = client.get("/placements/staff").get_data(as_text=True)
    assert f'id="placement-{ids["stuck"]}" data-flag="stuck"' in page
    assert f'id="placement-{ids["fresh"]}" data-flag=""' in page
    assert f'id="placement-{ids["overdue"]}" data-flag="overdue"' in page
    assert f'id="placement-{ids["gone"]}"' in page and "Deleted member" in page
    assert 'data-state="invited" data-count="2"' in page
    assert 'data-state="completed" data-count="1"' in page
    assert 'data-reason="not_a_fit" data-count="1"' in page
    export = client.get("/placements/staff/export.csv").get_data(as_text=True)
    rows = {row[0]: row for row in list(csv.reader(io.StringIO(export)))[1:]}
    assert set(rows) == {str(i) for i in ids.values()}
    anonymised = rows[str(ids["gone"])]
    assert anonymised[1] == "completed" and anonymised[7] == "Deleted member"
    assert anonymised[8:11] == ["", "", ""]  # no country, email or phone
    # Its page opens, and staff can close the evaluation nobody is left to give.
    detail = client.get(f"/placements/{ids['gone']}")
    assert detail.status_code == 200
    assert f"/placements/{ids['gone']}/act/mark_evaluated" in detail.get_data(as_text=True)
    done = client.post(f"/placements/{ids['gone']}/act/mark_evaluated", data={"note": "Erased"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Placement, ids["gone"]).status == S.EVALUATED  # type: ignore[union-attr]


def test_board_page_applies_the_filters(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        b = _board()
        email = StaffUserFactory().email
        db.session.commit()
    login(client, email)
    day = (b["today"] - timedelta(days=10)).isoformat()
    query = f"country=BE&institution_id={b['first']}&date_from={day}&date_to={day}"
    page = client.get(f"/placements/staff?{query}").get_data(as_text=True)
    assert f'id="placement-{b["middle"]}"' in page
    assert f'id="placement-{b["old"]}"' not in page
    assert f'id="placement-{b["recent"]}"' not in page
    export = client.get(f"/placements/staff/export.csv?{query}").get_data(as_text=True)
    assert [row[0] for row in list(csv.reader(io.StringIO(export)))[1:]] == [str(b["middle"])]
