"""Segment filters over profile data: placement history (never placed, placed, completed) and
profile completeness."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.outreach import segments
from app.placements.states import PlacementStatus as S
from tests.factories.needs import NeedFactory
from tests.factories.outreach import create_members
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import ProfileFactory


def test_placement_history_filters(app_context: Flask) -> None:
    need, other_need = NeedFactory(), NeedFactory()
    nobody = ProfileFactory()  # no placement at all
    interested = ProfileFactory()  # only an early-stage placement: never placed
    closed = ProfileFactory()  # accepted, then closed: never placed
    accepted = ProfileFactory()
    in_progress = ProfileFactory()
    completed = ProfileFactory()
    evaluated = ProfileFactory()
    PlacementFactory(need=need, profile=interested, status=S.INTERESTED)
    PlacementFactory(need=need, profile=closed, status=S.CLOSED, closed_reason="not_a_fit")
    PlacementFactory(need=need, profile=accepted, status=S.ACCEPTED)
    PlacementFactory(need=need, profile=in_progress, status=S.IN_PROGRESS)
    PlacementFactory(need=need, profile=completed, status=S.COMPLETED)
    PlacementFactory(need=other_need, profile=completed, status=S.INVITED)  # a second one
    PlacementFactory(need=need, profile=evaluated, status=S.EVALUATED)
    db.session.commit()

    def ids(*profiles: object) -> list[int]:
        return sorted(p.user_id for p in profiles)  # type: ignore[attr-defined]

    assert segments.evaluate_filters({"placement": "never"}) == ids(nobody, interested, closed)
    assert segments.evaluate_filters({"placement": "placed"}) == ids(
        accepted, in_progress, completed, evaluated
    )
    assert segments.evaluate_filters({"placement": "completed"}) == ids(completed, evaluated)
    everyone = segments.evaluate_filters({})
    assert len(everyone) == 7
    assert segments.placement_user_ids("any") is None
    # Combined with another filter (AND).
    assert segments.evaluate_filters(
        {"placement": "completed", "countries": [evaluated.country]}
    ) == sorted(p.user_id for p in (completed, evaluated) if p.country == evaluated.country)


def test_profile_completeness_filter(app_context: Flask) -> None:
    from app.profiles.models import Profile, ProfileLanguage, ProfileSkill
    from app.profiles.services import completeness

    sparse, rich = create_members(2, prefix="complete")
    profiles = {
        p.user_id: p
        for p in db.session.scalars(select(Profile).where(Profile.user_id.in_([sparse, rich])))
    }
    filled = profiles[rich]
    filled.sectors = ["health"]
    filled.mode = "remote"
    filled.hours_per_week = 10
    db.session.add_all(
        [
            ProfileSkill(profile_id=filled.id, name="nursing"),
            ProfileLanguage(profile_id=filled.id, code="en", level="C2"),
        ]
    )
    db.session.flush()
    db.session.expire_all()
    low = completeness(db.session.get(Profile, profiles[sparse].id))
    high = completeness(db.session.get(Profile, filled.id))
    assert low < high
    assert segments.evaluate_filters({"min_completeness": high}) == [rich]
    assert segments.evaluate_filters({"min_completeness": low}) == [sparse, rich]
    # The form's 0 or empty value means "no minimum".
    assert segments.clean_filters({"min_completeness": 0}) == {}
    assert segments.clean_filters({"min_completeness": "40"}) == {"min_completeness": 40}
