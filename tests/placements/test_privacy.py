"""Placements in the "Your data" export and in erasure: texts go, statistics stay."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.placements import services
from app.placements.models import EvaluationResponse, Placement, PlacementNote
from app.privacy.services import erase_member, export_personal_data
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory
from tests.placements.helpers import World, answer_evaluation_survey, build_world
from tests.privacy.test_erasure import _text_columns_containing

NAME = "Immaculée Zephyrine Nyirahabimana"
EMAIL = "zephyrine.member@example.org"
PHONE = "+14165550199"
NEEDLES = [NAME, EMAIL, PHONE, "Zephyrine"]
STAFF_NOTE = "Staff only: reliable but slow to answer"


def _plan() -> services.WorkPlan:
    start = utcnow().date() + timedelta(days=10)
    return services.WorkPlan(
        start_date=start,
        end_date=start + timedelta(days=30),
        mode="remote",
        deliverables=f"Training plan by {NAME}",
    )


def _history(world: World) -> int:
    """The member: one evaluated placement, one declined invitation, one open interest."""
    profile = ProfileFactory(
        user__email=EMAIL,
        user__full_name=NAME,
        full_name=NAME,
        preferred_name="Zephyrine",
        phone=PHONE,
    )
    user = profile.user
    done = services.express_interest(
        world.need, profile, by=user, message=f"I am {NAME}, call me on {PHONE}."
    )
    services.invite(done, by=world.member, message=f"Dear {NAME}, please join us.")
    services.accept_invitation(done, by=user, message=f"Yes! Write to {EMAIL}.")
    services.add_internal_note(done, by=world.staff, body=f"{STAFF_NOTE} ({NAME})")
    services.agree_work_plan(done, by=world.member, plan=_plan())
    services.start_placement(done, by=world.member)
    services.complete_placement(done, by=world.member)
    answer_evaluation_survey(
        done.id,
        "end",
        "professional",
        user,
        rating=4,
        went_well=f"Great team. {NAME}",
        deliverables_achieved="yes",
    )
    answer_evaluation_survey(
        done.id, "end", "host", world.member, rating=5, went_well=f"{NAME} was excellent"
    )

    other_need = NeedFactory(institution=world.need.institution, created_by=world.member)
    declined = services.invite_professional(
        other_need, profile, by=world.member, message=f"Hello {NAME}"
    )
    services.decline_invitation(declined, by=user, message=f"Sorry, {NAME} is busy.")
    third_need = NeedFactory(institution=world.need.institution, created_by=world.member)
    services.express_interest(third_need, profile, by=user, message=f"Reach {EMAIL}")
    db.session.commit()
    return user.id


def _counts() -> dict[str, int]:
    return dict(
        db.session.execute(select(Placement.status, func.count()).group_by(Placement.status)).all()
    )


def test_export_holds_the_members_placements_without_staff_notes(app_context: Flask) -> None:
    world = build_world(people_needed=1)
    user_id = _history(world)
    data = export_personal_data(db.session.get(User, user_id))["placements"]
    statuses = sorted(p["status"] for p in data["placements"])
    assert statuses == ["closed", "evaluated", "interested"]
    evaluated = next(p for p in data["placements"] if p["status"] == "evaluated")
    assert evaluated["your_interest_message"].startswith(f"I am {NAME}")
    assert evaluated["your_response_message"] == f"Yes! Write to {EMAIL}."
    actions = [e["action"] for e in evaluated["events"]]
    assert actions[:3] == ["express_interest", "invite", "accept"]
    assert [e["your_note"] for e in evaluated["events"]][2] == f"Yes! Write to {EMAIL}."
    # The other side's notes are not the member's: only what they wrote is exported.
    assert evaluated["events"][1]["your_note"] == ""
    (answer,) = [e for e in data["evaluations"] if e["wave"] == "end"]
    assert answer["rating"] == 4 and answer["answers"]["deliverables_achieved"] is True
    assert answer["comment"] == f"Great team. {NAME}"
    assert STAFF_NOTE not in repr(data)


def test_erasure_leaves_no_personal_text_in_any_table(app_context: Flask) -> None:
    world = build_world(people_needed=1)
    user_id = _history(world)
    assert _text_columns_containing(NEEDLES)  # the set-up really wrote them everywhere
    erase_member(db.session.get(User, user_id))
    db.session.commit()
    assert _text_columns_containing(NEEDLES) == []
    assert db.session.scalar(select(func.count()).select_from(PlacementNote)) == 0
    # The host's answer about the member keeps its number, loses its text.
    host = db.session.scalars(
        select(EvaluationResponse).where(EvaluationResponse.user_id == world.member.id)
    ).all()
    assert all(h.comment == "" for h in host)


def test_erasure_keeps_placements_and_ends_the_open_ones(app_context: Flask) -> None:
    world = build_world(people_needed=1)
    user_id = _history(world)
    before = _counts()
    ratings = sorted(r for r in db.session.scalars(select(EvaluationResponse.rating)) if r)
    erase_member(db.session.get(User, user_id))
    db.session.commit()
    after = _counts()
    # Every placement stays (anonymised); finished ones keep their state, and one still under
    # way ends as "candidate withdrew" because nobody is left to act on it.
    assert sum(after.values()) == sum(before.values())
    assert after.get("evaluated") == before.get("evaluated")
    assert after["closed"] == before.get("closed", 0) + before.get("interested", 0)
    withdrawn = db.session.scalars(
        select(Placement).where(Placement.closed_reason == "candidate_withdrew")
    ).all()
    assert withdrawn and all(p.profile_id is None for p in withdrawn)
    assert sorted(r for r in db.session.scalars(select(EvaluationResponse.rating)) if r) == ratings


def test_erasing_an_institution_member_unlinks_them(app_context: Flask) -> None:
    world = build_world(people_needed=2)
    profile = ProfileFactory()
    placement = services.invite_professional(
        world.need, profile, by=world.member, message="Welcome from the team"
    )
    services.accept_invitation(placement, by=profile.user)
    services.agree_work_plan(placement, by=world.member, plan=_plan())
    db.session.commit()
    member_email = world.member.email
    before = _counts()
    erase_member(db.session.get(User, world.member.id))
    db.session.commit()
    assert _counts() == before
    placement = db.session.get(Placement, placement.id)
    assert placement.supervisor_id is None and placement.created_by_id is None
    assert all(e.actor_id != world.member.id for e in placement.events)
    assert _text_columns_containing([member_email]) == []
