"""The transition table walked whole, staff marking evaluated, and who is told of a transition."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.database import utcnow
from app.errors import DomainError, InvalidTransition
from app.extensions import db
from app.outreach.models import InboxEntry
from app.placements import services
from app.placements.models import Placement, Respondent, Wave
from app.placements.states import (
    BY_ACTION,
    Actor,
    ClosedReason,
    PlacementStatus,
    action_label,
    find_transition,
)
from app.privacy.services import erase_member
from tests.conftest import login
from tests.placements.helpers import (
    World,
    answer_evaluation_survey,
    build_world,
    inbox_count,
    outbox_for,
)

S = PlacementStatus
P = Actor.PROFESSIONAL
SOURCES: list[PlacementStatus | None] = [None, *PlacementStatus]


def test_find_transition_allows_exactly_the_table(app_context: Flask) -> None:
    allowed = 0
    for action, transition in BY_ACTION.items():
        for source in SOURCES:
            for actor in Actor:
                if source in transition.sources and actor in transition.actors:
                    assert find_transition(action, source, actor).target == transition.target
                    allowed += 1
                    continue
                with pytest.raises(InvalidTransition) as info:
                    find_transition(action, source, actor)
                assert info.value.status_code == 409
                assert action_label(action) in info.value.message
    assert allowed > len(BY_ACTION)  # the loop really met allowed moves
    with pytest.raises(InvalidTransition, match="does not exist"):
        find_transition("fly", S.INTERESTED, Actor.STAFF)


def _plan() -> services.WorkPlan:
    start = date(2027, 1, 10)
    return services.WorkPlan(start, start + timedelta(days=30), "remote", "A training plan")


# Every table action with a service of its own. "evaluate" is reached only through the end-wave
# survey; "express_interest"/"shortlist" create placements (the table walk above covers them).
# close_placement picks "withdraw" for the professional and "close" for the other sides.
SERVICES: dict[str, Callable[[Placement, User], object]] = {
    "invite": lambda p, by: services.invite(p, by=by, message="Join us"),
    "accept": lambda p, by: services.accept_invitation(p, by=by),
    "decline": lambda p, by: services.decline_invitation(p, by=by, message="Busy"),
    "schedule_interview": lambda p, by: services.schedule_interview(
        p, by=by, at=utcnow() + timedelta(days=3)
    ),
    "agree_work_plan": lambda p, by: services.agree_work_plan(p, by=by, plan=_plan()),
    "start": lambda p, by: services.start_placement(p, by=by),
    "complete": lambda p, by: services.complete_placement(p, by=by),
    "mark_evaluated": lambda p, by: services.mark_evaluated(p, by=by, note="Left the network"),
    "close": lambda p, by: services.close_placement(p, by=by, reason=ClosedReason.NOT_A_FIT),
}


def _walk_services(w: World) -> tuple[int, int]:
    people = {
        Actor.PROFESSIONAL: w.profile.user,
        Actor.INSTITUTION: w.member,
        Actor.STAFF: w.staff,
    }
    done = refused = 0
    for action, call in SERVICES.items():
        for status in PlacementStatus:
            for actor, user in people.items():
                table_action = "withdraw" if action == "close" and actor == P else action
                transition = BY_ACTION[table_action]
                savepoint = db.session.begin_nested()
                placement = Placement(need=w.need, profile=w.profile, status=status)
                db.session.add(placement)
                db.session.flush()
                if status in transition.sources and actor in transition.actors:
                    call(placement, user)
                    assert placement.status == transition.target, (action, status, actor)
                    assert [e.action for e in placement.events] == [table_action]
                    done += 1
                else:
                    with pytest.raises(InvalidTransition) as info:
                        call(placement, user)
                    assert action_label(table_action) in info.value.message
                    assert placement.status == status and placement.events == []
                    refused += 1
                savepoint.rollback()
    return done, refused


def test_every_service_transition_follows_the_table(app_context: Flask) -> None:
    w = build_world(people_needed=100)  # never filled: each move is judged on its own
    done, refused = _walk_services(w)
    expected = sum(
        len(BY_ACTION[a].sources) * len(BY_ACTION[a].actors) for a in (*SERVICES, "withdraw")
    )
    assert done == expected
    assert done + refused == len(SERVICES) * len(PlacementStatus) * 3


def _completed(w: World) -> Placement:
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    services.invite(p, by=w.member)
    services.accept_invitation(p, by=w.profile.user)
    services.agree_work_plan(p, by=w.member, plan=_plan())
    services.start_placement(p, by=w.member)
    services.complete_placement(p, by=w.member)
    db.session.commit()
    return p


def test_staff_mark_evaluated_with_a_note(app_context: Flask) -> None:
    w = build_world()
    p = _completed(w)
    with pytest.raises(InvalidTransition):
        services.mark_evaluated(p, by=w.member, note="We are done")  # staff only
    with pytest.raises(DomainError) as info:
        services.mark_evaluated(p, by=w.staff, note="  ")
    assert info.value.field == "note" and p.status == S.COMPLETED
    services.mark_evaluated(p, by=w.staff, note="Three reminders unanswered")
    db.session.commit()
    assert p.status == S.EVALUATED
    last = p.events[-1]
    assert (last.action, last.actor_id, last.note) == (
        "mark_evaluated",
        w.staff.id,
        "Three reminders unanswered",
    )


def test_host_answer_evaluates_once_the_professional_erased_their_account(
    app_context: Flask,
) -> None:
    w = build_world()
    p = _completed(w)
    erase_member(w.profile.user)
    db.session.commit()
    db.session.refresh(p)
    assert p.profile_id is None and p.status == S.COMPLETED  # finished placements stay
    answer_evaluation_survey(p.id, "end", "host", w.member, rating=4, went_well="Good")
    db.session.commit()
    assert p.status == S.EVALUATED
    assert (p.events[-1].action, p.events[-1].actor_side) == ("evaluate", "system")


def test_host_answer_alone_does_not_evaluate_while_the_professional_can(
    app_context: Flask,
) -> None:
    w = build_world()
    p = _completed(w)
    services.record_evaluation_answered(p, Wave.END, Respondent.HOST, w.member, answers={})
    assert p.status == S.COMPLETED


def test_staff_mark_evaluated_through_the_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        w = build_world()
        p = _completed(w)
        pid, staff, member = p.id, w.staff.email, w.member.email
    login(client, member)
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert f"/placements/{pid}/act/mark_evaluated" not in page  # not offered to the host
    assert client.post(f"/placements/{pid}/act/mark_evaluated", data={"note": "x"}).status_code == (
        409
    )
    client.post("/auth/logout")
    login(client, staff)
    assert f"/placements/{pid}/act/mark_evaluated" in client.get(f"/placements/{pid}").get_data(
        as_text=True
    )
    assert client.post(f"/placements/{pid}/act/mark_evaluated").status_code == 400  # no note
    response = client.post(f"/placements/{pid}/act/mark_evaluated", data={"note": "No answer"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/placements/{pid}")
    with app.app_context():
        placement = db.session.get(Placement, pid)
        assert placement is not None and placement.status == S.EVALUATED


# --------------------------------------------------------------------------- notifications


def _inbox(user_id: int) -> list[InboxEntry]:
    return list(
        db.session.scalars(
            select(InboxEntry).where(InboxEntry.user_id == user_id).order_by(InboxEntry.id)
        )
    )


def test_decline_with_a_message_tells_the_institution(app_context: Flask) -> None:
    w = build_world()
    p = services.invite_professional(w.need, w.profile, by=w.member, message="Join us")
    db.session.commit()
    member_before, colleague_before = inbox_count(w.member.id), inbox_count(w.colleague.id)
    services.decline_invitation(p, by=w.profile.user, message="I start a new job in March.")
    db.session.commit()
    assert p.status == S.CLOSED and p.closed_reason == ClosedReason.CANDIDATE_WITHDREW
    assert p.response_message == "I start a new job in March."
    assert p.events[-1].note == "I start a new job in March."
    name = w.profile.display_name
    for member, before in ((w.member, member_before), (w.colleague, colleague_before)):
        assert inbox_count(member.id) == before + 1
        assert f"{name} declined your invitation" in _inbox(member.id)[-1].body
        assert "declined your invitation" in (outbox_for(member.id)[-1].text_body or "")
    # The professional, who acted, is not told about their own answer.
    assert all("declined" not in e.body for e in _inbox(w.profile.user_id))


def test_invite_and_accept_notify_the_other_side(app_context: Flask) -> None:
    w = build_world()
    pro = w.profile.user
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    db.session.commit()
    pro_before, colleague_before = inbox_count(pro.id), inbox_count(w.colleague.id)
    services.invite(p, by=w.member, message="Join us")
    db.session.commit()
    assert inbox_count(pro.id) == pro_before + 1
    assert "invites you to" in _inbox(pro.id)[-1].body
    assert "invites you to" in (outbox_for(pro.id)[-1].text_body or "")
    assert inbox_count(w.colleague.id) == colleague_before + 1  # colleagues follow the case
    member_before = inbox_count(w.member.id)
    services.accept_invitation(p, by=pro, message="Gladly")
    db.session.commit()
    assert inbox_count(w.member.id) == member_before + 1
    assert "accepted your invitation" in _inbox(w.member.id)[-1].body
    assert "accepted your invitation" in (outbox_for(w.member.id)[-1].text_body or "")
    assert inbox_count(pro.id) == pro_before + 1  # not told about their own answer


def test_end_wave_answered_before_completion_evaluates_on_completion(app_context: Flask) -> None:
    app_context.config["PLACEMENTS_END_WAVE_STATUS"] = "in_progress"
    w = build_world()
    p = services.invite_professional(w.need, w.profile, by=w.member)
    services.accept_invitation(p, by=w.profile.user)
    services.agree_work_plan(p, by=w.member, plan=_plan())
    services.start_placement(p, by=w.member)
    db.session.commit()
    answer_evaluation_survey(p.id, "end", "professional", w.profile.user, rating=5)
    db.session.commit()
    assert p.status == S.IN_PROGRESS  # answered early: nothing to evaluate yet
    services.complete_placement(p, by=w.member)
    db.session.commit()
    assert p.status == S.EVALUATED
    assert [e.action for e in p.events][-2:] == ["complete", "evaluate"]
