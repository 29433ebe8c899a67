"""Institution journeys through the HTTP client, with mail read from the local SMTP server."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.extensions import db
from app.institutions.models import Institution, InstitutionMembership
from app.needs.models import Need
from app.placements.states import PlacementStatus
from app.ranking.services import embed_pending
from tests.conftest import login
from tests.factories.institutions import add_institution_for
from tests.factories.needs import NeedFactory
from tests.factories.placements import PlacementFactory
from tests.factories.ranking import make_candidate
from tests.needs.helpers import need_form
from tests.support.smtp import MailSink

REGISTRATION = {
    "name": "Butare University Teaching Hospital",
    "type": "public_hospital",
    "sector": "health",
    "district": "huye",
    "address": "Avenue de l'Université, Huye",
    "website": "https://chub.rw",
    "email_domain": "chub.rw",
}


def _link_path(text: str) -> str:
    match = re.search(r"https?://\S+", text)
    assert match, text
    return urlsplit(match.group(0)).path


def _staff_client(app: Flask, make_user: Callable[..., Any]) -> FlaskClient:
    staff = make_user("rca_staff")
    client = app.test_client()
    assert login(client, staff.email).status_code == 302
    return client


def test_register_pending_then_staff_approves_member_emailed_and_need_published(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
    mail_sink: MailSink,
) -> None:
    member = logged_in("institution_member", email="jean@chub.rw")
    # Without an organisation the dashboard sends the member to register one.
    assert (
        client.get("/institutions/dashboard").headers["Location"].endswith("/institutions/register")
    )
    form = client.get("/institutions/register").get_data(as_text=True)
    assert "<optgroup" in form and "Southern Province" in form

    response = client.post("/institutions/register", data=REGISTRATION)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/institutions/dashboard")
    with app.app_context():
        institution = db.session.scalar(select(Institution))
        assert institution is not None and institution.status == "pending"
        membership = db.session.scalar(select(InstitutionMembership))
        assert membership is not None
        assert membership.user_id == member.id and membership.is_admin
        institution_id = institution.id
    assert "Awaiting verification" in client.get("/institutions/dashboard").get_data(as_text=True)

    # A pending organisation drafts but cannot send a need out.
    created = client.post("/needs/new", data=need_form())
    assert created.status_code == 302
    need_path = urlsplit(created.headers["Location"]).path
    refused = client.post(need_path + "/submit")
    assert refused.status_code == 403
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None and need.status == "draft"

    staff = _staff_client(app, make_user)
    queue = staff.get("/institutions/staff").get_data(as_text=True)
    assert "Butare University Teaching Hospital" in queue
    approved = staff.post(f"/institutions/{institution_id}/approve")
    assert approved.status_code == 302
    mails = mail_sink.to("jean@chub.rw")
    assert len(mails) == 1 and "verified" in mails[0].subject
    assert _link_path(mails[0].text()) == "/institutions/dashboard"

    assert client.post(need_path + "/submit").status_code == 302
    assert staff.post(need_path + "/publish").status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None and need.status == "open" and need.published_at is not None
    listing = app.test_client().get("/needs/").get_data(as_text=True)
    assert "Paediatric nursing mentor" in listing


def test_staff_rejects_with_reason_and_member_is_emailed(
    app: Flask,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
    mail_sink: MailSink,
) -> None:
    member = logged_in("institution_member", email="eric@acme.rw")
    with app.app_context():
        institution_id = add_institution_for(member.id, status="pending", name="Acme Ltd")
    staff = _staff_client(app, make_user)
    page = staff.get(f"/institutions/{institution_id}")
    assert page.status_code == 200 and "Acme Ltd" in page.get_data(as_text=True)

    missing = staff.post(f"/institutions/{institution_id}/reject", data={"reason": ""})
    assert missing.status_code == 400
    assert "Say why the organisation is rejected." in missing.get_data(as_text=True)

    response = staff.post(
        f"/institutions/{institution_id}/reject",
        data={"reason": "The website does not belong to a Rwandan company."},
    )
    assert response.status_code == 302
    with app.app_context():
        institution = db.session.get(Institution, institution_id)
        assert institution is not None and institution.status == "rejected"
    mails = mail_sink.to("eric@acme.rw")
    assert len(mails) == 1
    assert "does not belong to a Rwandan company" in mails[0].text()


def test_member_cannot_open_the_staff_queue(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("institution_member")
    assert client.get("/institutions/staff").status_code == 403


def test_professional_cannot_register_an_organisation(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert client.post("/institutions/register", data=REGISTRATION).status_code == 403


def test_invalid_registration_is_400_with_field_errors_and_input_kept(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("institution_member")
    response = client.post(
        "/institutions/register",
        data={**REGISTRATION, "district": "atlantis", "email_domain": "not a domain"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter a domain like moh.gov.rw." in html
    assert 'value="Butare University Teaching Hospital"' in html


def test_invited_colleague_logs_in_and_joins(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
    mail_sink: MailSink,
) -> None:
    admin = logged_in("institution_member", email="admin@kfh.rw")
    with app.app_context():
        institution_id = add_institution_for(admin.id, name="King Faisal Hospital")
    response = client.post("/institutions/invite", data={"email": "Colleague@kfh.rw"})
    assert response.status_code == 302
    mails = mail_sink.to("colleague@kfh.rw")
    assert len(mails) == 1 and "King Faisal Hospital" in mails[0].subject
    join_path = _link_path(mails[0].text())
    assert join_path.startswith("/institutions/join/")

    # Anonymous: the page explains how to join and links to log in with the way back.
    anonymous = app.test_client().get(join_path)
    assert anonymous.status_code == 200
    assert "King Faisal Hospital" in anonymous.get_data(as_text=True)

    # Another account cannot use someone else's invitation.
    intruder = make_user("institution_member", email="intruder@kfh.rw")
    other = app.test_client()
    login(other, intruder.email)
    assert other.post(join_path).status_code == 302
    colleague = make_user("institution_member", email="colleague@kfh.rw")
    invitee = app.test_client()
    login(invitee, colleague.email)
    assert invitee.get(join_path).status_code == 200
    joined = invitee.post(join_path)
    assert joined.status_code == 302
    assert joined.headers["Location"].endswith("/institutions/dashboard")
    with app.app_context():
        rows = db.session.scalars(
            select(InstitutionMembership).where(
                InstitutionMembership.institution_id == institution_id
            )
        ).all()
        assert {row.user_id for row in rows} == {admin.id, colleague.id}
        assert not next(r for r in rows if r.user_id == colleague.id).is_admin
    assert "colleague@kfh.rw" in client.get("/institutions/dashboard").get_data(as_text=True)


def test_tampered_invitation_is_refused(client: FlaskClient) -> None:
    response = client.get("/institutions/join/not-a-token")
    assert response.status_code == 302


def test_admin_removes_a_member_but_a_plain_member_cannot(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    admin = logged_in("institution_member")
    colleague = make_user("institution_member")
    with app.app_context():
        from tests.factories.institutions import MembershipFactory

        institution_id = add_institution_for(admin.id)
        institution = db.session.get(Institution, institution_id)
        from app.auth.models import User

        row = MembershipFactory(
            institution=institution, user=db.session.get(User, colleague.id), is_admin=False
        )
        db.session.commit()
        colleague_membership = row.id
        admin_membership = db.session.scalar(
            select(InstitutionMembership.id).where(InstitutionMembership.user_id == admin.id)
        )

    plain = app.test_client()
    login(plain, colleague.email)
    assert plain.post(f"/institutions/members/{admin_membership}/remove").status_code == 404

    response = client.post(f"/institutions/members/{colleague_membership}/remove")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(InstitutionMembership, colleague_membership) is None
        assert db.session.get(InstitutionMembership, admin_membership) is not None


def test_admin_of_another_institution_cannot_remove_members(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    admin = logged_in("institution_member")
    stranger = make_user("institution_member")
    with app.app_context():
        add_institution_for(admin.id)
        add_institution_for(stranger.id)
        target = db.session.scalar(
            select(InstitutionMembership.id).where(InstitutionMembership.user_id == stranger.id)
        )
    assert client.post(f"/institutions/members/{target}/remove").status_code == 404


def test_staff_let_an_organisation_publish_directly_from_its_page(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
) -> None:
    member = logged_in("institution_member")
    with app.app_context():
        institution_id = add_institution_for(member.id, name="Rwanda Biomedical Centre")
    need_path = urlsplit(client.post("/needs/new", data=need_form()).headers["Location"]).path
    assert "Submit for review" in client.get(need_path).get_data(as_text=True)

    staff = _staff_client(app, make_user)
    page = staff.get(f"/institutions/{institution_id}").get_data(as_text=True)
    assert f'action="/institutions/{institution_id}/direct-publishing"' in page
    assert "After review by RCA staff" in page
    response = staff.post(
        f"/institutions/{institution_id}/direct-publishing", data={"can_publish_directly": "y"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/institutions/{institution_id}")
    with app.app_context():
        institution = db.session.get(Institution, institution_id)
        assert institution is not None and institution.can_publish_directly
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == actions.ORGANISATION_DIRECT_PUBLISHING)
        )
        assert entry is not None and entry.target_id == institution_id

    queue = staff.get("/institutions/staff?status=verified").get_data(as_text=True)
    assert "Directly, without review" in queue
    assert "Directly, without review" in staff.get(f"/institutions/{institution_id}").get_data(
        as_text=True
    )

    # The member's draft now opens at once.
    assert client.post(need_path + "/publish").status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None and need.status == "open"

    # An unticked box takes the permission back.
    assert staff.post(f"/institutions/{institution_id}/direct-publishing").status_code == 302
    with app.app_context():
        institution = db.session.get(Institution, institution_id)
        assert institution is not None and not institution.can_publish_directly


def test_members_cannot_allow_themselves_to_publish_directly(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    with app.app_context():
        institution_id = add_institution_for(member.id)
    page = client.get(f"/institutions/{institution_id}").get_data(as_text=True)
    assert "direct-publishing" not in page
    response = client.post(
        f"/institutions/{institution_id}/direct-publishing", data={"can_publish_directly": "y"}
    )
    assert response.status_code == 403
    with app.app_context():
        institution = db.session.get(Institution, institution_id)
        assert institution is not None and not institution.can_publish_directly
        assert (
            db.session.scalar(
                select(AuditEntry.id).where(
                    AuditEntry.action == actions.ORGANISATION_DIRECT_PUBLISHING
                )
            )
            is None
        )


def test_a_pending_organisation_cannot_be_allowed_to_publish_directly(
    app: Flask, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    with app.app_context():
        institution_id = add_institution_for(member.id, status="pending")
    staff = _staff_client(app, make_user)
    assert "direct-publishing" not in staff.get(f"/institutions/{institution_id}").get_data(
        as_text=True
    )
    response = staff.post(
        f"/institutions/{institution_id}/direct-publishing", data={"can_publish_directly": "y"}
    )
    assert response.status_code == 302
    with app.app_context():
        institution = db.session.get(Institution, institution_id)
        assert institution is not None and not institution.can_publish_directly


def _dashboard_rows(html: str) -> dict[str, list[str]]:
    """Return {need title: its cells as text} from the dashboard's needs table."""
    rows: dict[str, list[str]] = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL):
        cells = [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)
        ]
        if cells:
            rows[cells[0]] = cells
    return rows


def test_dashboard_shows_candidates_and_applications_per_need(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    member = logged_in("institution_member")
    with app.app_context():
        institution = db.session.get(Institution, add_institution_for(member.id))
        ranked_need = NeedFactory(institution=institution, title="Neonatal care mentor")
        # Two candidates pass the need's hard filters; one without matching consent does not.
        nurses = [make_candidate(), make_candidate()]
        make_candidate(consent=False)
        embed_pending()
        # Embedded before this need existed: it is still waiting for its vector.
        waiting_need = NeedFactory(institution=institution, title="Data systems adviser")
        for profile in nurses:
            PlacementFactory(need=ranked_need, profile=profile)
        PlacementFactory(need=ranked_need, status=PlacementStatus.CLOSED)
        PlacementFactory(need=waiting_need, status=PlacementStatus.SHORTLISTED)
        NeedFactory(title="Water quality survey")  # of another institution
        db.session.commit()

    response = client.get("/institutions/dashboard")
    assert response.status_code == 200
    rows = _dashboard_rows(response.get_data(as_text=True))
    assert "Water quality survey" not in rows
    # Columns: title, status, window, candidates ranked, applications and interest.
    assert rows["Neonatal care mentor"][3:] == ["2", "2"]  # the closed placement is left out
    assert rows["Data systems adviser"][3:] == ["Not ranked yet", "1"]
