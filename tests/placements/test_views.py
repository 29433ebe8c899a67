"""Placement pages through the HTTP client: roles, 404s, 409s, contact reveal, pipeline, CSV."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.needs.models import Need
from app.placements.models import Placement
from app.placements.states import PlacementStatus
from app.surveys.evaluations import surveys_of_placement
from tests.conftest import login
from tests.factories.placements import PlacementFactory
from tests.placements.helpers import build_world

S = PlacementStatus


def _world(app: Flask, **need: Any) -> dict[str, Any]:
    with app.app_context():
        w = build_world(**need)
        return {
            "need_id": w.need.id,
            "member": w.member.email,
            "colleague": w.colleague.email,
            "staff": w.staff.email,
            "outsider": w.outsider.email,
            "pro": w.profile.user.email,
            "pro_phone": w.profile.phone,
            "profile_id": w.profile.id,
            "other_pro": w.other_profile.user.email,
            "other_profile_id": w.other_profile.id,
        }


def _placement(app: Flask) -> Placement:
    with app.app_context():
        placement = db.session.scalar(select(Placement).order_by(Placement.id.desc()))
        assert placement is not None
        db.session.expunge(placement)
        return placement


def _as(client: FlaskClient, email: str) -> None:
    client.post("/auth/logout")
    assert login(client, email).status_code == 302


def test_whole_path_through_the_pages(app: Flask, client: FlaskClient) -> None:
    w = _world(app)
    _as(client, w["pro"])
    response = client.post(f"/placements/need/{w['need_id']}/interest", data={"note": "Keen"})
    assert response.status_code == 302
    pid = _placement(app).id
    assert response.headers["Location"].endswith(f"/placements/{pid}")
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert "Status and next step" in page and "grace@example.rw" not in page
    assert "You told the institution you are interested." in page  # the professional's next step

    _as(client, w["member"])
    assert client.post(f"/placements/{pid}/act/invite", data={"note": "Welcome"}).status_code == 302
    _as(client, w["pro"])
    assert client.post(f"/placements/{pid}/act/accept", data={"note": "Yes"}).status_code == 302
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert "grace@example.rw" in page  # the institution's contact person, from "accepted" on
    assert "You accepted. The institution will propose an interview or the work plan" in page

    _as(client, w["member"])
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert w["pro"] in page
    plan = {
        "start_date": "2027-01-10",
        "end_date": "2027-02-10",
        "mode": "remote",
        "deliverables": "A plan",
        "logistics": "",
    }
    bad = client.post(f"/placements/{pid}/act/agree_work_plan", data={**plan, "deliverables": ""})
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    for action, data in (("agree_work_plan", plan), ("start", {}), ("complete", {})):
        assert client.post(f"/placements/{pid}/act/{action}", data=data).status_code == 302
    outcome = {
        "hours_delivered": "40",
        "people_trained": "12",
        "deliverables_achieved": "Protocols",
        "outcome_story": "The unit runs alone.",
    }
    assert client.post(f"/placements/{pid}/outcome", data=outcome).status_code == 302

    _as(client, w["pro"])
    with app.app_context():
        surveys = surveys_of_placement(pid)
        assert set(surveys) == {
            (wave, role) for wave in ("baseline", "end") for role in ("professional", "host")
        }
        end = surveys[("end", "professional")]
        survey_id, rating_id = end.id, end.questions[0].id
    # The placement page links to the evaluation survey; answering it there evaluates.
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert f"/surveys/{survey_id}/answer" in page and "Answer the evaluation survey" in page
    url = f"/surveys/{survey_id}/answer"
    assert client.post(url, data={f"q{rating_id}": ""}).status_code == 400  # rating required
    assert client.post(url, data={f"q{rating_id}": "5"}).status_code == 303
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert 'id="timeline"' in page
    with app.app_context():
        placement = db.session.get(Placement, pid)
        assert placement is not None and placement.status == S.EVALUATED
        assert len(placement.events) == 8


def test_illegal_transition_answers_409_with_the_message(app: Flask, client: FlaskClient) -> None:
    w = _world(app)
    _as(client, w["pro"])
    client.post(f"/placements/need/{w['need_id']}/interest")
    pid = _placement(app).id
    response = client.post(f"/placements/{pid}/act/accept")
    assert response.status_code == 409
    assert "cannot be moved" in response.get_data(as_text=True)
    assert client.post(f"/placements/{pid}/act/invite").status_code == 409
    assert client.post(f"/placements/{pid}/act/fly").status_code == 404


def test_stale_page_is_a_conflict(app: Flask, client: FlaskClient) -> None:
    w = _world(app)
    _as(client, w["member"])
    with app.app_context():
        placement = PlacementFactory(status=S.SHORTLISTED, need=db.session.get(Need, w["need_id"]))
        db.session.commit()
        pid, version = placement.id, placement.version
    assert (
        client.post(f"/placements/{pid}/act/invite", data={"version": version}).status_code == 302
    )
    response = client.post(
        f"/placements/{pid}/act/close", data={"version": version, "reason": "not_a_fit"}
    )
    assert response.status_code == 409


def test_other_parties_get_404(app: Flask, client: FlaskClient) -> None:
    w = _world(app)
    _as(client, w["pro"])
    client.post(f"/placements/need/{w['need_id']}/interest")
    pid = _placement(app).id
    _as(client, w["other_pro"])
    assert client.get(f"/placements/{pid}").status_code == 404
    assert client.post(f"/placements/{pid}/act/withdraw").status_code == 404
    _as(client, w["outsider"])
    assert client.get(f"/placements/{pid}").status_code == 404
    assert client.post(f"/placements/{pid}/act/invite").status_code == 404
    assert (
        client.post(
            f"/placements/need/{w['need_id']}/shortlist", data={"profile_ids": [w["profile_id"]]}
        ).status_code
        == 404
    )


def _rank(app: Flask, *profile_ids: int) -> None:
    """Make the professionals ranked candidates of the need (consent, its language): the
    institution may then see and shortlist them (docs/security.md)."""
    from app.privacy.models import ConsentKind
    from app.privacy.services import record_consent
    from app.profiles.models import Profile, ProfileLanguage

    with app.app_context():
        for profile_id in profile_ids:
            profile = db.session.get(Profile, profile_id)
            assert profile is not None
            profile.languages.append(ProfileLanguage(code="en", level="C1"))
            record_consent(profile.user, ConsentKind.MATCHING, True)
        db.session.commit()


def test_contact_details_on_the_profile_card_after_acceptance(
    app: Flask, client: FlaskClient
) -> None:
    w = _world(app)
    _rank(app, w["profile_id"], w["other_profile_id"])
    _as(client, w["member"])
    assert (
        client.post(
            f"/placements/need/{w['need_id']}/shortlist",
            data={"profile_ids": [w["profile_id"], w["other_profile_id"]]},
        ).status_code
        == 302
    )
    pid = _placement(app).id
    with app.app_context():
        placement = db.session.scalar(
            select(Placement).where(Placement.profile_id == w["profile_id"])
        )
        assert placement is not None
        pid = placement.id
    client.post(f"/placements/{pid}/act/invite")
    assert w["pro"] not in client.get(f"/placements/{pid}").get_data(as_text=True)
    assert w["pro_phone"] not in client.get(f"/profile/{w['profile_id']}").get_data(as_text=True)
    _as(client, w["pro"])
    client.post(f"/placements/{pid}/act/accept")
    dashboard = client.get("/profile/")
    assert dashboard.status_code == 200
    assert "My placements and invitations" in dashboard.get_data(as_text=True)
    assert f"/placements/{pid}" in dashboard.get_data(as_text=True)
    _as(client, w["member"])
    assert w["pro"] in client.get(f"/placements/{pid}").get_data(as_text=True)
    card = client.get(f"/profile/{w['profile_id']}")
    assert card.status_code == 200 and w["pro"] in card.get_data(as_text=True)


def test_host_side_can_write_to_the_professional_from_the_placement(
    app: Flask, client: FlaskClient
) -> None:
    w = _world(app)
    with app.app_context():
        need = db.session.get(Need, w["need_id"])
        placement = PlacementFactory(need=need, profile_id=w["profile_id"], status=S.SHORTLISTED)
        db.session.commit()
        pid = placement.id
    _as(client, w["member"])
    page = client.get(f"/placements/{pid}").get_data(as_text=True)
    assert 'id="write-to-professional"' in page
    link = "/outreach/conversations/new/"
    assert link in page and f"placement_id={pid}" in page
    start = page.index(link)
    href = page[start : page.index('"', start)].replace("&amp;", "&")
    form = client.get(href)
    assert form.status_code == 200
    # The professional's own view offers no such link (they answer in their inbox).
    _as(client, w["pro"])
    assert 'id="write-to-professional"' not in client.get(f"/placements/{pid}").get_data(
        as_text=True
    )


def test_staff_pipeline_shows_overdue_and_notes_stay_internal(
    app: Flask, client: FlaskClient
) -> None:
    w = _world(app)
    with app.app_context():
        placement = PlacementFactory(need=db.session.get(Need, w["need_id"]))
        placement.status_changed_at = placement.status_changed_at - timedelta(days=11)
        db.session.commit()
        pid = placement.id
    _as(client, w["staff"])
    page = client.get("/placements/staff").get_data(as_text=True)
    assert "overdue" in page
    assert client.post(f"/placements/{pid}/notes", data={"body": "Called twice"}).status_code == 302
    assert "Called twice" in client.get(f"/placements/{pid}").get_data(as_text=True)
    _as(client, w["member"])
    page = client.get(f"/placements/{pid}")
    assert page.status_code == 200 and "Called twice" not in page.get_data(as_text=True)
    assert client.get("/placements/staff").status_code == 403
    assert client.get("/placements/staff/export.csv").status_code == 403


def test_csv_export_rows_and_contact_only_when_accepted(app: Flask, client: FlaskClient) -> None:
    w = _world(app)
    with app.app_context():
        from app.profiles.models import Profile

        accepted = PlacementFactory(
            need=db.session.get(Need, w["need_id"]),
            profile=db.session.get(Profile, w["profile_id"]),
            status=S.ACCEPTED,
        )
        interested = PlacementFactory(
            need=db.session.get(Need, w["need_id"]),
            profile=db.session.get(Profile, w["other_profile_id"]),
        )
        elsewhere = PlacementFactory(need__sector="education")
        db.session.commit()
        ids = (accepted.id, interested.id, elsewhere.id)
    _as(client, w["staff"])
    response = client.get("/placements/staff/export.csv?sector=health")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    lines = response.get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("placement_id,status")
    rows = {int(line.split(",")[0]): line for line in lines[1:]}
    assert set(rows) == {ids[0], ids[1]}
    assert w["pro"] in rows[ids[0]]
    assert w["other_pro"] not in rows[ids[1]]
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "export.csv"))
        assert entry is not None and entry.details["rows"] == 2
