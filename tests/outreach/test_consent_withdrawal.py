"""A professional who withdraws the consent "to be matched and contacted by institutions" can no
longer be written to by institutions (new threads and replies are refused with a clear message),
except about a placement they accepted; giving it again opens messaging again. Staff and the
professional themself are not bound by it."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.errors import DomainError
from app.extensions import db
from app.outreach import direct
from app.outreach.models import Conversation, DirectMessage
from app.privacy.models import ConsentKind
from app.privacy.services import record_consent
from tests.conftest import login
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.institutions import MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory
from tests.factories.ranking import make_candidate

REFUSED = "has not given, or has withdrawn, their consent to be contacted by institutions"


def _world(app: Flask) -> dict[str, Any]:
    """A member of a verified institution with an open need, and a ranked candidate of it who
    has answered the member's thread (so the member keeps a reason to see them)."""
    with app.app_context():
        member = InstitutionUserFactory()
        need = NeedFactory(institution=MembershipFactory(user=member).institution)
        other_need = NeedFactory(institution=need.institution, title="Another need")
        profile = make_candidate(full_name="Claire Consent")
        professional = profile.user
        db.session.flush()
        thread = direct.start_conversation(
            member, professional, subject="Mission", body="Are you free?", need_id=need.id
        )
        direct.reply(thread, professional, "Yes, tell me more.")
        db.session.commit()
        return {
            "member": member.email,
            "professional": professional.email,
            "professional_id": professional.id,
            "profile_id": profile.id,
            "need": need.id,
            "other_need": other_need.id,
            "thread": thread.id,
        }


def _consent(app: Flask, world: dict[str, Any], granted: bool) -> None:
    with app.app_context():
        from app.auth.models import User

        user = db.session.get(User, world["professional_id"])
        assert user is not None
        record_consent(user, ConsentKind.MATCHING, granted)
        db.session.commit()


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def _messages(app: Flask, thread_id: int | None = None) -> int:
    with app.app_context():
        query = select(func.count(DirectMessage.id))
        if thread_id is not None:
            query = query.where(DirectMessage.conversation_id == thread_id)
        return int(db.session.scalar(query) or 0)


def test_withdrawal_refuses_new_threads_and_replies_regrant_allows_them(app: Flask) -> None:
    world = _world(app)
    member = _client(app, world["member"])
    thread_url = f"/outreach/conversations/{world['thread']}"
    new_url = f"/outreach/conversations/new/{world['professional_id']}?need_id={world['need']}"
    assert member.post(thread_url, data={"body": "Before: fine"}).status_code == 302

    _consent(app, world, granted=False)
    before = _messages(app)
    page = member.get(thread_url).get_data(as_text=True)
    assert 'id="consent-withdrawn"' in page and REFUSED in page
    reply = member.post(thread_url, data={"body": "Still there?"})
    assert reply.status_code == 400 and REFUSED in reply.get_data(as_text=True)
    assert 'id="consent-withdrawn"' in member.get(new_url).get_data(as_text=True)
    new = member.post(new_url, data={"subject": "Another idea", "body": "Interested?"})
    assert new.status_code == 400 and REFUSED in new.get_data(as_text=True)
    assert _messages(app) == before

    # The professional may still write (it is their choice), and is told why no answer comes.
    professional = _client(app, world["professional"])
    own = professional.get(thread_url).get_data(as_text=True)
    assert "You withdrew your consent to be contacted by institutions" in own
    assert professional.post(thread_url, data={"body": "Just to say thanks"}).status_code == 302
    assert _messages(app) == before + 1
    assert member.post(thread_url, data={"body": "Still refused"}).status_code == 400

    _consent(app, world, granted=True)
    assert 'id="consent-withdrawn"' not in member.get(thread_url).get_data(as_text=True)
    assert member.post(thread_url, data={"body": "Welcome back"}).status_code == 302
    assert member.post(new_url, data={"subject": "Next", "body": "Free?"}).status_code == 302
    assert _messages(app) == before + 3


def test_accepted_placement_keeps_its_messaging(app: Flask) -> None:
    world = _world(app)
    with app.app_context():
        from app.needs.models import Need
        from app.profiles.models import Profile

        placement = PlacementFactory(
            need=db.session.get(Need, world["need"]),
            profile=db.session.get(Profile, world["profile_id"]),
            status="accepted",
        )
        db.session.commit()
        placement_id = placement.id
    _consent(app, world, granted=False)
    member = _client(app, world["member"])

    about_placement = (
        f"/outreach/conversations/new/{world['professional_id']}?placement_id={placement_id}"
    )
    page = member.get(about_placement).get_data(as_text=True)
    assert 'id="consent-withdrawn"' not in page
    started = member.post(about_placement, data={"subject": "Work plan", "body": "Monday?"})
    assert started.status_code == 302
    with app.app_context():
        thread_id = db.session.scalar(
            select(Conversation.id).where(Conversation.placement_id == placement_id)
        )
    answer = member.post(f"/outreach/conversations/{thread_id}", data={"body": "9am"})
    assert answer.status_code == 302
    assert _messages(app, thread_id) == 2
    # The thread about the same need (the placement's) goes on too.
    assert (
        member.post(f"/outreach/conversations/{world['thread']}", data={"body": "ok"}).status_code
        == 302
    )

    # Another need of the same institution is not the accepted placement: refused.
    other = f"/outreach/conversations/new/{world['professional_id']}?need_id={world['other_need']}"
    refused = member.post(other, data={"subject": "Other", "body": "And this?"})
    assert refused.status_code == 400 and REFUSED in refused.get_data(as_text=True)


def test_services_refuse_institutions_but_not_staff(app_context: Flask) -> None:
    member = InstitutionUserFactory()
    need = NeedFactory(institution=MembershipFactory(user=member).institution)
    profile = make_candidate(consent=False)
    staff = StaffUserFactory()
    db.session.flush()
    with pytest.raises(DomainError) as refused:
        direct.start_conversation(member, profile.user, subject="Hi", body="Free?", need_id=need.id)
    assert refused.value.field == "body" and REFUSED in refused.value.message
    thread = direct.start_conversation(staff, profile.user, subject="RCA", body="News")
    assert direct.reply(thread, staff, "More news").body == "More news"
