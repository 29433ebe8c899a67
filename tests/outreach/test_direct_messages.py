"""Starting a direct conversation: where the link is, what an institution must name, the audit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.errors import DomainError
from app.extensions import db
from app.outreach import direct
from app.outreach.models import Conversation
from tests.conftest import login
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.institutions import MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory
from tests.factories.ranking import make_candidate


def _writer_link(html: str) -> str | None:
    start = html.find('href="/outreach/conversations/new/')
    if start < 0:
        return None
    return html[start + 6 : html.index('"', start + 6)].replace("&amp;", "&")


def test_profile_card_links_staff_and_institutions_to_a_new_conversation(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    with app.app_context():
        # A ranked candidate of the member's open need: the member has a reason to see them.
        profile = make_candidate()
        db.session.commit()
        profile_id, professional_id, pro_email = profile.id, profile.user_id, profile.user.email
        member = InstitutionUserFactory()
        NeedFactory(institution=MembershipFactory(user=member).institution)
        db.session.commit()
        member_email = member.email
    staff = make_user("rca_staff")
    for email in (staff.email, member_email):
        login(client, email)
        page = client.get(f"/profile/{profile_id}")
        assert page.status_code == 200
        link = _writer_link(page.get_data(as_text=True))
        assert link is not None and urlsplit(link).path == (
            f"/outreach/conversations/new/{professional_id}"
        )
        assert client.get(link).status_code == 200
        client.post("/auth/logout")
    # The professional's own profile does not offer to write to themself.
    login(client, pro_email)
    assert _writer_link(client.get(f"/profile/{profile_id}").get_data(as_text=True)) is None


def test_ranked_candidate_card_link_names_the_need(app: Flask) -> None:
    with app.app_context():
        profile = ProfileFactory()
        need = NeedFactory()
        db.session.flush()
        staff = StaffUserFactory()
        db.session.flush()
        from flask_login import login_user

        with app.test_request_context():
            login_user(staff)
            html = render_template(
                "profiles/_card.html",
                profile=profile,
                need=need,
                skill_levels={},
                mode_labels={},
                sector_label=str,
            )
        link = _writer_link(html)
        assert link is not None
        assert parse_qs(urlsplit(link).query) == {"need_id": [str(need.id)]}


def test_institution_member_must_name_one_of_their_needs(app_context: Flask) -> None:
    professional = make_candidate().user
    member = InstitutionUserFactory()
    membership = MembershipFactory(user=member)
    own_need = NeedFactory(institution=membership.institution)
    other_need = NeedFactory()
    db.session.flush()
    with pytest.raises(DomainError) as nothing_named:
        direct.start_conversation(member, professional, subject="Hello", body="Are you free?")
    assert nothing_named.value.field == "need_id"
    with pytest.raises(DomainError) as not_theirs:
        direct.start_conversation(
            member, professional, subject="Hello", body="Free?", need_id=other_need.id
        )
    assert not_theirs.value.field == "need_id"
    assert direct.list_needs_to_write_about(member) == [own_need]
    thread = direct.start_conversation(
        member, professional, subject="Hello", body="Free?", need_id=own_need.id
    )
    assert thread.need_id == own_need.id
    # Staff may write without naming anything.
    staff = StaffUserFactory()
    assert direct.start_conversation(staff, professional, subject="Hi", body="News").need_id is None


def test_institution_member_chooses_the_need_on_the_page(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        professional_id = make_candidate().user_id
        member = InstitutionUserFactory()
        membership = MembershipFactory(user=member)
        need = NeedFactory(institution=membership.institution, title="Cardiology mentor")
        db.session.commit()
        member_email, need_id = member.email, need.id
    login(client, member_email)
    url = f"/outreach/conversations/new/{professional_id}"
    form = client.get(url).get_data(as_text=True)
    assert f'<option value="{need_id}">Cardiology mentor</option>' in form
    refused = client.post(url, data={"need_id": "", "subject": "Hello", "body": "Free?"})
    assert refused.status_code == 400
    assert "Name the need or placement this message is about." in refused.get_data(as_text=True)
    sent = client.post(url, data={"need_id": str(need_id), "subject": "Hello", "body": "Free?"})
    assert sent.status_code == 302
    with app.app_context():
        thread = db.session.scalar(select(Conversation))
        assert (thread.need_id, thread.subject) == (need_id, "Hello")


def test_direct_messages_by_staff_are_audited(app_context: Flask) -> None:
    professional = make_candidate().user
    staff = StaffUserFactory()
    member = InstitutionUserFactory()
    need = NeedFactory(institution=MembershipFactory(user=member).institution)
    db.session.flush()
    thread = direct.start_conversation(staff, professional, subject="Mission", body="Free?")
    reply = direct.reply(thread, staff, "Any news?")
    direct.reply(thread, professional, "Yes")  # not staff: not audited
    direct.start_conversation(member, professional, subject="Hi", body="Hi", need_id=need.id)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == actions.MESSAGE_SENT)
    ).all()
    assert [
        (e.actor_id, e.target_type, e.target_id, e.subject_user_id, e.details) for e in entries
    ] == [
        (
            staff.id,
            "conversations",
            thread.id,
            professional.id,
            {"kind": "direct", "direct_message_id": thread.messages[0].id},
        ),
        (
            staff.id,
            "conversations",
            thread.id,
            professional.id,
            {"kind": "direct", "direct_message_id": reply.id},
        ),
    ]
