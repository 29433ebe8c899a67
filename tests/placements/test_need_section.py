"""The placements section of a need's page: interest after the deadline, and the gender balance
of its shortlist against the candidate pool (issue 5, fairness)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from app.database import utcnow
from app.extensions import db
from app.placements import queries
from app.placements.states import PlacementStatus
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import Profile
from tests.conftest import login
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import ProfileFactory
from tests.placements.helpers import build_world

S = PlacementStatus


def _need_page(app: Flask, client: FlaskClient, **need: object) -> tuple[int, str]:
    with app.app_context():
        w = build_world(**need)
        need_id, email = w.need.id, w.profile.user.email
    login(client, email)
    response = client.get(f"/needs/{need_id}")
    assert response.status_code == 200
    return need_id, response.get_data(as_text=True)


def test_interest_form_hidden_after_the_deadline(app: Flask, client: FlaskClient) -> None:
    yesterday = utcnow().date() - timedelta(days=1)
    need_id, page = _need_page(app, client, application_deadline=yesterday)
    assert 'id="applications-closed"' in page and "Applications closed on" in page
    assert f"/placements/need/{need_id}/interest" not in page


def test_interest_form_shown_until_the_deadline(app: Flask, client: FlaskClient) -> None:
    need_id, page = _need_page(app, client, application_deadline=utcnow().date())
    assert f"/placements/need/{need_id}/interest" in page
    assert 'id="applications-closed"' not in page


def test_professional_in_the_pipeline_sees_their_placement_not_the_form(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        w = build_world()
        placement = PlacementFactory(need=w.need, profile=w.profile, status=S.INVITED)
        closed_elsewhere = PlacementFactory(profile=w.profile, status=S.CLOSED)
        db.session.commit()
        need_id, other_need_id, email = w.need.id, closed_elsewhere.need_id, w.profile.user.email
        placement_id = placement.id
    login(client, email)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert 'id="already-in-pipeline"' in page
    assert f"/placements/{placement_id}" in page
    assert f"/placements/need/{need_id}/interest" not in page
    # A closed placement on another need does not stand in the way of that need's form.
    other = client.get(f"/needs/{other_need_id}").get_data(as_text=True)
    assert 'id="already-in-pipeline"' not in other
    assert f"/placements/need/{other_need_id}/interest" in other


def _pool_member(gender: str | None, *, consent: bool = True) -> Profile:
    profile = ProfileFactory(gender=gender)
    db.session.add(
        ConsentRecord(
            user_id=profile.user_id, kind=ConsentKind.MATCHING, granted=consent, notice_version="t"
        )
    )
    return profile


def _shortlist_world() -> tuple[int, str, str]:
    """A need with two women and a man in its shortlist (and a closed woman, not counted)."""
    w = build_world(people_needed=5)
    women = [_pool_member("female") for _ in range(3)]
    men = [_pool_member("male") for _ in range(2)]
    _pool_member("prefer_not_to_say")
    _pool_member("male", consent=False)  # not matched: out of the pool
    withdrawn = _pool_member("male")
    db.session.flush()
    db.session.add(
        ConsentRecord(
            user_id=withdrawn.user_id, kind=ConsentKind.MATCHING, granted=False, notice_version="t"
        )
    )  # the latest decision counts
    PlacementFactory(need=w.need, profile=women[0], status=S.SHORTLISTED)
    PlacementFactory(need=w.need, profile=women[1], status=S.INVITED)
    PlacementFactory(need=w.need, profile=men[0], status=S.INTERESTED)
    PlacementFactory(need=w.need, profile=women[2], status=S.CLOSED, closed_reason="not_a_fit")
    db.session.commit()
    return w.need.id, w.member.email, w.outsider.email


def test_shortlist_gender_balance_against_the_pool(app_context: Flask) -> None:
    need_id, _, _ = _shortlist_world()
    rows = {r.group: r for r in queries.shortlist_gender_balance(need_id)}
    assert set(rows) == {"female", "male", None}
    assert (rows["female"].shortlist, rows["male"].shortlist, rows[None].shortlist) == (2, 1, 0)
    assert (rows["female"].pool, rows["male"].pool, rows[None].pool) == (3, 2, 1)
    assert rows["female"].shortlist_share == 2 / 3 and rows["male"].pool_share == 2 / 6


def test_shortlist_balance_on_the_need_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        need_id, member, outsider = _shortlist_world()
    login(client, member)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert 'id="shortlist-balance"' in page
    assert 'data-group="female" data-shortlist="2" data-pool="3"' in page
    assert 'data-group="male" data-shortlist="1" data-pool="2"' in page
    client.post("/auth/logout")
    login(client, outsider)
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert 'id="shortlist-balance"' not in page  # another organisation's shortlist stays hidden
