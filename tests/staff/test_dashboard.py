"""The staff dashboard's worklist: each queue counted, linked, and silent when empty."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.database import utcnow
from app.extensions import db
from app.institutions.models import InstitutionStatus
from app.needs.models import NeedStatus
from app.placements.states import PlacementStatus
from app.profiles.models import DuplicateCandidate
from app.staff.services import get_staff_worklist
from tests.factories.institutions import InstitutionFactory
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import ProfileFactory


def _fill_queues(app: Flask) -> None:
    days = int(app.config["PLACEMENTS_RESPONSE_DAYS"])
    stuck_days = int(app.config["PLACEMENTS_STUCK_DAYS"])
    now = utcnow()
    InstitutionFactory(status=InstitutionStatus.PENDING)
    InstitutionFactory(status=InstitutionStatus.PENDING)
    InstitutionFactory()  # verified: nothing to do
    NeedFactory(status=NeedStatus.SUBMITTED)
    NeedFactory()  # open: nothing to review
    # Waiting past the response limit: overdue (and, past the stuck limit too, stuck).
    PlacementFactory(
        status=PlacementStatus.INTERESTED, status_changed_at=now - timedelta(days=days)
    )
    PlacementFactory(
        status=PlacementStatus.INVITED, status_changed_at=now - timedelta(days=stuck_days + 1)
    )
    PlacementFactory(status=PlacementStatus.INTERESTED)  # fresh: neither
    PlacementFactory(
        status=PlacementStatus.CLOSED, status_changed_at=now - timedelta(days=stuck_days + 9)
    )
    first, second = ProfileFactory(), ProfileFactory()
    db.session.add(
        DuplicateCandidate(profile_id=first.id, other_profile_id=second.id, reason="phone")
    )
    db.session.commit()


def test_worklist_counts_each_queue(app_context: Flask) -> None:
    assert get_staff_worklist().is_empty
    _fill_queues(app_context)
    worklist = get_staff_worklist()
    assert worklist.pending_institutions == 2
    assert worklist.needs_to_review == 1
    assert worklist.overdue_placements == 1
    assert worklist.stuck_placements == 1
    assert worklist.possible_duplicates == 1
    assert not worklist.is_empty


def test_dashboard_links_each_queue(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    empty = client.get("/staff/").get_data(as_text=True)
    assert 'id="worklist"' in empty and "Nothing waits for staff right now" in empty
    with app.app_context():
        _fill_queues(app)
    page = client.get("/staff/").get_data(as_text=True)
    assert "2 organisations to verify" in page and "/institutions/staff" in page
    assert "1 need to review" in page and "/needs/staff/review" in page
    assert "1 professional waiting too long for an answer" in page
    assert "1 placement stuck in the same step" in page
    assert "1 possible duplicate profile" in page and "/profile/staff/duplicates" in page
