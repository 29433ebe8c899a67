"""Placement services: the state machine by role, notifications, the need's count, reminders."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, text

from app.database import utcnow
from app.errors import Conflict, DomainError, InvalidTransition, NotFound
from app.extensions import db
from app.needs.models import NeedStatus
from app.outreach.delivery import deliver_outbox_batch
from app.placements import queries, services
from app.placements.models import EvaluationResponse, Placement, Respondent, Wave
from app.placements.states import ClosedReason, PlacementStatus
from app.profiles.access import can_see_contact_details
from tests.factories.profiles import ProfileFactory
from tests.placements.helpers import (
    answer_evaluation_survey,
    build_world,
    inbox_count,
    outbox_for,
)
from tests.support.smtp import MailSink

S = PlacementStatus


def _plan() -> services.WorkPlan:
    return services.WorkPlan(
        start_date=date(2027, 1, 10),
        end_date=date(2027, 2, 10),
        mode="remote",
        deliverables="A training plan",
        logistics="Laptop provided",
    )


def test_whole_path_from_interest_to_evaluated(app_context: Flask) -> None:
    w = build_world()
    pro = w.profile.user
    p = services.express_interest(w.need, w.profile, by=pro, message="I trained nurses")
    services.invite(p, by=w.member, message="Join us")
    services.accept_invitation(p, by=pro, message="Gladly")
    services.schedule_interview(p, by=w.member, at=utcnow() + timedelta(days=3))
    services.record_interview_outcome(p, by=w.member, outcome="Great fit")
    services.agree_work_plan(p, by=w.member, plan=_plan())
    assert w.need.status == NeedStatus.FILLED  # people_needed = 1
    services.start_placement(p, by=w.member)
    services.complete_placement(p, by=w.staff)
    services.record_outcome(
        p,
        by=w.member,
        outcome=services.Outcome(40, 12, "Protocols written", "Nurses now run the unit."),
    )
    db.session.commit()
    waves = {(r.wave, r.respondent) for r in p.evaluations}
    assert waves == {
        (Wave.BASELINE, Respondent.PROFESSIONAL),
        (Wave.BASELINE, Respondent.HOST),
        (Wave.END, Respondent.PROFESSIONAL),
        (Wave.END, Respondent.HOST),
    }
    host_end = next(r for r in p.evaluations if r.wave == Wave.END and r.respondent == "host")
    assert host_end.user_id == w.member.id
    # The waves are surveys now: answering the end-wave survey is what evaluates.
    answer_evaluation_survey(
        p.id, "end", "host", w.member, rating=5, went_well="Excellent", people_trained=12
    )
    assert p.status == S.COMPLETED  # the host's answer alone does not evaluate
    assert host_end.rating == 5 and host_end.answers["people_trained"] == 12
    answer_evaluation_survey(p.id, "end", "professional", pro, rating=4, improve="Well organised")
    db.session.commit()
    assert p.status == S.EVALUATED
    pro_end = next(r for r in p.evaluations if r.wave == Wave.END and r.respondent != "host")
    assert pro_end.rating == 4 and pro_end.comment == "Well organised"
    assert pro_end.answered_at is not None
    timeline = [(e.action, e.from_status, e.to_status) for e in p.events]
    assert timeline == [
        ("express_interest", None, "interested"),
        ("invite", "interested", "invited"),
        ("accept", "invited", "accepted"),
        ("schedule_interview", "accepted", "interview"),
        ("interview_outcome", "interview", "interview"),
        ("agree_work_plan", "interview", "work_plan_agreed"),
        ("start", "work_plan_agreed", "in_progress"),
        ("complete", "in_progress", "completed"),
        ("record_outcome", "completed", "completed"),
        ("evaluate", "completed", "evaluated"),
    ]
    assert [e.actor_id for e in p.events][:3] == [pro.id, w.member.id, pro.id]
    assert p.events[1].note == "Join us"


def test_illegal_transitions_are_refused_with_a_message(app_context: Flask) -> None:
    w = build_world()
    pro = w.profile.user
    p = services.express_interest(w.need, w.profile, by=pro)
    with pytest.raises(InvalidTransition, match="interested"):
        services.accept_invitation(p, by=pro)  # not invited yet
    with pytest.raises(InvalidTransition):
        services.invite(p, by=pro)  # professionals do not invite
    with pytest.raises(InvalidTransition):
        services.start_placement(p, by=w.member)
    services.close_placement(p, by=w.member, reason=ClosedReason.NOT_A_FIT)
    with pytest.raises(InvalidTransition, match="closed"):
        services.invite(p, by=w.staff)
    with pytest.raises(NotFound):
        services.invite(p, by=w.outsider)
    other = ProfileFactory()
    with pytest.raises(NotFound):
        services.express_interest(w.need, other, by=pro)  # someone else's profile


def test_one_open_placement_per_need_and_professional(app_context: Flask) -> None:
    w = build_world()
    p = services.express_interest(w.need, w.profile, by=w.profile.user)
    with pytest.raises(Conflict):
        services.shortlist_professional(w.need, w.profile, by=w.member)
    services.close_placement(p, by=w.member, reason=ClosedReason.DATES_DONT_FIT)
    again = services.shortlist_professional(w.need, w.profile, by=w.member)
    assert again.id != p.id and again.status == S.SHORTLISTED


def test_interest_refused_after_the_deadline(app_context: Flask) -> None:
    w = build_world(application_deadline=utcnow().date() - timedelta(days=1))
    with pytest.raises(Conflict, match="deadline"):
        services.express_interest(w.need, w.profile, by=w.profile.user)


def test_close_other_requires_a_text(app_context: Flask) -> None:
    w = build_world()
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    with pytest.raises(DomainError) as info:
        services.close_placement(p, by=w.member, reason="other")
    assert getattr(info.value, "field", None) == "note"


def test_bulk_shortlist_sends_one_message_per_person(app_context: Flask) -> None:
    w = build_world()
    profiles = [ProfileFactory() for _ in range(5)]
    db.session.commit()
    services.shortlist_professionals(w.need, profiles, by=w.member)
    db.session.commit()
    for profile in profiles:
        assert inbox_count(profile.user_id) == 1
        assert len(outbox_for(profile.user_id)) == 1
    assert inbox_count(w.colleague.id) == 1  # one digest, not five
    digest = outbox_for(w.colleague.id)
    assert len(digest) == 1 and "5 updates" in (digest[0].subject or "")
    assert inbox_count(w.member.id) == 0  # the actor is not told about their own action


def test_not_selected_message_names_the_reason(app_context: Flask, mail_sink: MailSink) -> None:
    w = build_world()
    p = services.express_interest(w.need, w.profile, by=w.profile.user)
    db.session.commit()
    services.close_placement(p, by=w.member, reason=ClosedReason.DATES_DONT_FIT)
    db.session.commit()
    while deliver_outbox_batch("test"):
        pass
    received = mail_sink.to(w.profile.user.email)
    assert len(received) == 1
    body = received[0].text()
    assert "the dates don't fit" in body
    assert "your profile stays active" in body


def test_contact_details_revealed_from_acceptance(app_context: Flask) -> None:
    w = build_world()
    pro = w.profile.user
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    services.invite(p, by=w.member)
    assert not can_see_contact_details(w.member, w.profile)
    services.accept_invitation(p, by=pro)
    db.session.commit()
    assert can_see_contact_details(w.member, w.profile)
    assert can_see_contact_details(w.colleague, w.profile)
    assert not can_see_contact_details(w.outsider, w.profile)


def test_need_fills_and_reopens(app_context: Flask) -> None:
    w = build_world(people_needed=1)
    waiting = services.express_interest(w.need, w.other_profile, by=w.other_profile.user)
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    services.invite(p, by=w.member)
    services.accept_invitation(p, by=w.profile.user)
    services.agree_work_plan(p, by=w.member, plan=_plan())
    db.session.commit()
    assert w.need.status == NeedStatus.FILLED
    assert waiting.status == S.CLOSED and waiting.closed_reason == ClosedReason.NEED_FILLED
    note = outbox_for(w.other_profile.user_id)[-1]
    assert "filled by other professionals" in (note.text_body or "")
    services.close_placement(p, by=w.staff, reason=ClosedReason.CANDIDATE_UNREACHABLE)
    db.session.commit()
    assert w.need.status == NeedStatus.OPEN


def test_reminders_then_overdue(app_context: Flask) -> None:
    w = build_world()
    p = services.express_interest(w.need, w.profile, by=w.profile.user)
    db.session.commit()
    start = p.status_changed_at
    before = inbox_count(w.member.id)
    assert services.send_response_reminders(start + timedelta(days=4)) == 0
    assert services.send_response_reminders(start + timedelta(days=5)) == 1
    assert services.send_response_reminders(start + timedelta(days=6)) == 0
    assert not queries.is_overdue(p, start + timedelta(days=9))
    assert services.send_response_reminders(start + timedelta(days=10)) == 1
    db.session.commit()
    assert queries.is_overdue(p, start + timedelta(days=10))
    assert inbox_count(w.member.id) == before + 2
    assert "Overdue" in (outbox_for(w.member.id)[-1].text_body or "")


def test_followup_wave_after_configured_months(app_context: Flask) -> None:
    w = build_world()
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    for step in ("invite", "accept"):
        getattr(services, {"invite": "invite", "accept": "accept_invitation"}[step])(
            p, by=w.member if step == "invite" else w.profile.user
        )
    services.agree_work_plan(p, by=w.member, plan=_plan())
    services.start_placement(p, by=w.member)
    services.complete_placement(p, by=w.member)
    db.session.commit()
    assert p.completed_at is not None
    assert services.send_due_followups(p.completed_at + timedelta(days=300)) == 0
    assert services.send_due_followups(p.completed_at + timedelta(days=370)) == 1
    waves = db.session.scalars(
        select(EvaluationResponse.wave).where(EvaluationResponse.placement_id == p.id)
    ).all()
    assert waves.count(Wave.FOLLOWUP) == 2


def test_stale_version_is_a_conflict(app_context: Flask) -> None:
    w = build_world()
    p = services.shortlist_professional(w.need, w.profile, by=w.member)
    db.session.commit()
    with pytest.raises(Conflict):
        services.invite(p, by=w.member, expected_version=p.version - 1)
    # Another connection changes the row behind this session's back: the UPDATE finds no row.
    placement_id, version = p.id, p.version
    with db.engine.begin() as other:
        other.execute(
            text("UPDATE placements SET version = :v WHERE id = :id"),
            {"v": version + 1, "id": placement_id},
        )
    with pytest.raises(Conflict, match="same moment"):
        services.invite(p, by=w.staff)


def test_two_concurrent_transitions_have_one_winner(app: Flask) -> None:
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks need PostgreSQL (SQLite serialises writers per database)")
        w = build_world()
        p = services.shortlist_professional(w.need, w.profile, by=w.member)
        db.session.commit()
        placement_id, staff_ids = p.id, [w.staff.id, w.member.id]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(user_id: int) -> None:
        from app.auth.models import User

        with app.app_context():
            user = db.session.get(User, user_id)
            barrier.wait()
            try:
                placement = services.lock_placement(placement_id)
                services.invite(placement, by=user)
                db.session.commit()
                outcomes.append("won")
            except Conflict:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=act, args=(uid,)) for uid in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "won"]
    with app.app_context():
        placement = db.session.get(Placement, placement_id)
        assert placement is not None and placement.status == S.INVITED
        assert [e.action for e in placement.events].count("invite") == 1


def test_withdrawn_need_closes_its_placements(app_context: Flask) -> None:
    w = build_world()
    a = services.express_interest(w.need, w.profile, by=w.profile.user)
    b = services.shortlist_professional(w.need, w.other_profile, by=w.member)
    assert services.close_placements_of_need(w.need, by=w.member) == 2
    assert {a.closed_reason, b.closed_reason} == {ClosedReason.NEED_WITHDRAWN}
    assert "withdrew the need" in (outbox_for(w.profile.user_id)[-1].text_body or "")
