"""Need pages through the HTTP client: forms, access between organisations, browsing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.needs.models import Need, NeedRevision, NeedStatus
from tests.conftest import login
from tests.factories.institutions import InstitutionFactory, add_institution_for
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileSkillFactory
from tests.needs.helpers import need_form
from tests.support.smtp import MailSink


def _member(app: Flask, logged_in: Callable[..., Any], **institution: Any) -> tuple[Any, int]:
    user = logged_in("institution_member")
    with app.app_context():
        institution_id = add_institution_for(user.id, **institution)
    return user, institution_id


def _need(app: Flask, **fields: Any) -> int:
    with app.app_context():
        need = NeedFactory(**fields)
        db.session.commit()
        return int(need.id)


def test_professional_cannot_create_a_need(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert client.get("/needs/new").status_code == 403
    assert client.post("/needs/new", data=need_form()).status_code == 403


def test_member_creates_a_draft_with_canonical_skills(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user, institution_id = _member(app, logged_in)
    form = client.get("/needs/new").get_data(as_text=True)
    assert "<optgroup" in form and 'name="deliverables-0"' in form
    response = client.post("/needs/new", data=need_form())
    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None
        assert response.headers["Location"].endswith(f"/needs/{need.id}")
        assert need.status == NeedStatus.DRAFT and need.institution_id == institution_id
        assert [(s.name, s.importance) for s in need.skills] == [
            ("paediatric nursing", "must"),
            ("public health", "nice"),
        ]
        assert need.deliverables == ["A mentoring plan", "Ten bedside sessions"]
        assert sorted(need.language_codes) == ["en", "rw"]
        assert need.offers == ["travel", "accommodation"]
        assert need.district == "huye" and need.created_by_id == user.id
        assert need.content_hash


def test_invalid_need_gets_field_errors_400_and_input_kept(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    response = client.post(
        "/needs/new",
        data=need_form(
            title="x" * 201,
            start_date="2027-05-01",
            end_date="2027-04-01",
            application_deadline="2027-06-01",
            district="",
            **{"required_skills-0-name": "", "required_skills-1-name": ""},
        ),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Field cannot be longer than 200 characters." in html
    assert "The end date must be on or after the start date." in html
    assert "Add at least one required skill." in html
    assert "Choose the district where the work takes place." in html
    assert 'value="Grace Mukamana"' in html
    assert "The neonatal unit has doubled its beds." in html
    with app.app_context():
        assert db.session.scalar(select(Need)) is None


def test_deadline_after_end_and_none_with_other_offers_are_refused(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    response = client.post(
        "/needs/new",
        data=need_form(application_deadline="2027-05-15", offers=["none", "travel"]),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The application deadline must be on or before the end date." in html
    assert "cannot be combined with other offers" in html


def test_remote_need_needs_no_district(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    response = client.post("/needs/new", data=need_form(mode="remote", district=""))
    assert response.status_code == 302


def test_add_and_remove_rows_without_javascript(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    added = client.post("/needs/new", data=need_form(action="add_deliverable"))
    assert added.status_code == 200
    html = added.get_data(as_text=True)
    assert 'name="deliverables-2"' in html and "Ten bedside sessions" in html
    removed = client.post("/needs/new", data=need_form(action="remove_deliverable:0"))
    html = removed.get_data(as_text=True)
    assert "A mentoring plan" not in html and "Ten bedside sessions" in html
    skill = client.post("/needs/new", data=need_form(action="add_skill"))
    assert 'name="required_skills-2-name"' in skill.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Need)) is None


def test_member_of_another_organisation_cannot_see_or_edit(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    draft = _need(app, status=NeedStatus.DRAFT)
    open_need = _need(app, status=NeedStatus.OPEN)
    assert client.get(f"/needs/{draft}").status_code == 404
    assert client.get(f"/needs/{draft}/edit").status_code == 404
    assert client.post(f"/needs/{draft}/edit", data=need_form()).status_code == 404
    assert client.post(f"/needs/{draft}/submit").status_code == 404
    assert client.get(f"/needs/{open_need}").status_code == 200
    assert client.get(f"/needs/{open_need}/edit").status_code == 404
    assert client.post(f"/needs/{open_need}/close").status_code == 404
    with app.app_context():
        need = db.session.get(Need, open_need)
        assert need is not None and need.status == NeedStatus.OPEN


def test_anonymous_need_page_hides_contact_details(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    need_id = _need(app, contact_email="secret.contact@example.rw", contact_phone="+250788999111")
    anonymous = app.test_client().get(f"/needs/{need_id}")
    assert anonymous.status_code == 200
    html = anonymous.get_data(as_text=True)
    assert "secret.contact@example.rw" not in html and "+250788999111" not in html
    logged_in("professional")
    assert "secret.contact@example.rw" not in client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert app.test_client().get(f"/needs/{_need(app, status=NeedStatus.DRAFT)}").status_code == 404


def test_owner_and_staff_see_contact_details(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    _user, institution_id = _member(app, logged_in)
    with app.app_context():
        from app.institutions.models import Institution

        need = NeedFactory(
            institution=db.session.get(Institution, institution_id),
            contact_email="secret.contact@example.rw",
        )
        db.session.commit()
        need_id = need.id
    assert "secret.contact@example.rw" in client.get(f"/needs/{need_id}").get_data(as_text=True)
    staff = make_user("rca_staff")
    staff_client = app.test_client()
    login(staff_client, staff.email)
    assert "secret.contact@example.rw" in staff_client.get(f"/needs/{need_id}").get_data(
        as_text=True
    )


def test_editing_an_open_need_records_a_revision_shown_to_the_owner(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user, _institution_id = _member(app, logged_in)
    client.post("/needs/new", data=need_form())
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None
        need.status = NeedStatus.OPEN
        db.session.commit()
        need_id = need.id
    form = client.get(f"/needs/{need_id}/edit")
    assert form.status_code == 200 and "Paediatric nursing mentor" in form.get_data(as_text=True)
    response = client.post(
        f"/needs/{need_id}/edit",
        data=need_form(title="Neonatal nursing mentor", hours_per_week="20"),
    )
    assert response.status_code == 302
    with app.app_context():
        revisions = db.session.scalars(select(NeedRevision)).all()
        assert len(revisions) == 1
        assert revisions[0].user_id == user.id
        assert revisions[0].changes["title"] == [
            "Paediatric nursing mentor",
            "Neonatal nursing mentor",
        ]
        assert revisions[0].changes["hours_per_week"] == [30, 20]
    page = client.get(f"/needs/{need_id}").get_data(as_text=True)
    assert "History of changes" in page
    assert "History of changes" not in app.test_client().get(f"/needs/{need_id}").get_data(
        as_text=True
    )


def test_staff_returns_a_submitted_need_with_a_comment_emailed(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    make_user: Callable[..., Any],
    mail_sink: MailSink,
) -> None:
    user, _institution_id = _member(app, logged_in)
    client.post("/needs/new", data=need_form())
    with app.app_context():
        need_id = db.session.scalar(select(Need.id))
    assert client.post(f"/needs/{need_id}/submit").status_code == 302
    staff = make_user("rca_staff")
    staff_client = app.test_client()
    login(staff_client, staff.email)
    assert "Paediatric nursing mentor" in staff_client.get("/needs/staff/review").get_data(
        as_text=True
    )
    empty = staff_client.post(f"/needs/{need_id}/return", data={"comment": ""})
    assert empty.status_code == 400
    response = staff_client.post(
        f"/needs/{need_id}/return", data={"comment": "Please add the site's address."}
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need is not None and need.status == NeedStatus.DRAFT
    mails = mail_sink.to(user.email)
    assert any("Please add the site's address." in m.text() for m in mails)


def test_staff_list_filters_by_status(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    institution = {"name": "Rwanda Biomedical Centre"}
    with app.app_context():
        inst = InstitutionFactory(**institution)
        NeedFactory(title="Open one", institution=inst)
        NeedFactory(title="Draft one", status=NeedStatus.DRAFT, institution=inst)
        db.session.commit()
    everything = client.get("/needs/staff").get_data(as_text=True)
    assert "Open one" in everything and "Draft one" in everything
    assert "Rwanda Biomedical Centre" in everything
    drafts = client.get("/needs/staff?status=draft").get_data(as_text=True)
    assert "Draft one" in drafts and "Open one" not in drafts


def test_professional_cannot_open_staff_pages(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert client.get("/needs/staff").status_code == 403
    assert client.get("/needs/staff/review").status_code == 403


def test_browse_filters_and_pagination_keep_the_query_string(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        institution = InstitutionFactory()
        for n in range(23):
            NeedFactory(title=f"Remote mentor {n:02d}", mode="remote", institution=institution)
        NeedFactory(
            title="Surgeon in Huye",
            mode="onsite",
            district="huye",
            start_date=date(2027, 1, 1),
            institution=institution,
        )
        db.session.commit()
    first = client.get("/needs/?mode=remote")
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "23 open needs" in html
    assert html.count('<article class="card">') == 20
    assert "Surgeon in Huye" not in html
    assert "mode=remote" in html and "page=2" in html
    second = client.get("/needs/?mode=remote&page=2").get_data(as_text=True)
    assert second.count('<article class="card">') == 3
    filtered = client.get("/needs/?district=huye&q=surgeon").get_data(as_text=True)
    assert "Surgeon in Huye" in filtered and "Remote mentor" not in filtered
    assert client.get("/needs/?available_from=not-a-date&page=99").status_code == 200


def test_skill_suggestions_use_the_shared_vocabulary(client: FlaskClient) -> None:
    response = client.get("/needs/skills/suggest?q=pyth")
    assert response.status_code == 200
    assert "python programming" in response.get_json()["suggestions"]


def _member_and_need_skills(app: Flask) -> None:
    with app.app_context():
        ProfileSkillFactory(name="kinyarwanda sign language")
        NeedFactory(skills=["borehole drilling"])
        NeedFactory(skills=["drone mapping"], status=NeedStatus.DRAFT)
        db.session.commit()


def test_skill_suggestions_add_members_skills_for_signed_in_users(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member_and_need_skills(app)
    logged_in("institution_member")
    data = client.get("/needs/skills/suggest?q=kinyarwanda+si").get_json()
    assert data["suggestions"][0] == "kinyarwanda sign language"
    # Skills of open needs are suggested too; a draft's skills stay private.
    assert (
        "borehole drilling" in client.get("/needs/skills/suggest?q=boreh").get_json()["suggestions"]
    )
    # (ESCO's public labels, such as "roofing drones", may still be offered.)
    drone = client.get("/needs/skills/suggest?q=drone").get_json()["suggestions"]
    assert "drone mapping" not in drone


def test_anonymous_skill_suggestions_leave_members_skills_out(
    app: Flask, client: FlaskClient
) -> None:
    _member_and_need_skills(app)
    suggestions = client.get("/needs/skills/suggest?q=kinyarwanda+si").get_json()["suggestions"]
    assert "kinyarwanda sign language" not in suggestions
    # Nor does a member's spelling come back as the stored one.
    data = client.get("/needs/skills/suggest?q=Kinyarwanda-Sign-Language").get_json()
    assert data["canonical"] == ""
    assert (
        "borehole drilling" in client.get("/needs/skills/suggest?q=boreh").get_json()["suggestions"]
    )


def test_skill_suggestions_give_the_spelling_that_will_be_stored(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member_and_need_skills(app)
    logged_in("institution_member")

    def canonical(query: str) -> str:
        return str(
            client.get("/needs/skills/suggest", query_string={"q": query}).get_json()["canonical"]
        )

    assert canonical("Pediatric nurse") == "paediatric nursing"
    assert canonical("Kinyarwanda Sign-Language") == "kinyarwanda sign language"
    assert canonical("  Water   Treatment ") == "water treatment"
    assert canonical("") == ""


def test_need_skills_reuse_the_spelling_members_already_use(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member_and_need_skills(app)
    _member(app, logged_in)
    response = client.post(
        "/needs/new",
        data=need_form(**{"required_skills-1-name": "Kinyarwanda Sign-Language"}),
    )
    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need).where(Need.title == "Paediatric nursing mentor"))
        assert need is not None
        assert [s.name for s in need.skills] == ["paediatric nursing", "kinyarwanda sign language"]


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("background", 5000),
        ("objectives", 5000),
        ("success_criteria", 5000),
        ("title", 200),
        ("site", 200),
        ("deliverables-0", 500),
        ("required_skills-0-name", 120),
        ("contact_name", 200),
        ("contact_phone", 40),
    ],
)
def test_over_long_text_gets_a_field_error_not_a_500(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], field: str, limit: int
) -> None:
    _member(app, logged_in)
    response = client.post("/needs/new", data=need_form(**{field: "x" * (limit + 1)}))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'id="{field}-error"' in html
    assert f"longer than {limit} characters" in html
    with app.app_context():
        assert db.session.scalar(select(Need.id)) is None


def test_text_at_the_limit_is_accepted_and_an_edit_over_it_is_refused(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    response = client.post("/needs/new", data=need_form(background="b" * 5000))
    assert response.status_code == 302
    edit_path = response.headers["Location"] + "/edit"
    refused = client.post(edit_path, data=need_form(objectives="o" * 5001))
    assert refused.status_code == 400
    assert 'id="objectives-error"' in refused.get_data(as_text=True)
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None
        assert len(need.background) == 5000
        assert need.objectives == "Mentor nurses in neonatal intensive care."


def test_need_form_asks_all_or_any_languages_and_the_need_page_says_which(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    form = client.get("/needs/new").get_data(as_text=True)
    assert 'name="language_mode"' in form and "At least one of these languages" in form
    assert "data-language-picker" in form  # the plain select the script enhances
    response = client.post("/needs/new", data=need_form(language_mode="any"))
    assert response.status_code == 302
    with app.app_context():
        need = db.session.scalar(select(Need))
        assert need is not None and need.language_mode == "any"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "any one is enough" in page


def test_need_dates_wholly_in_the_past_get_a_message_on_the_end_date_400_input_kept(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    _member(app, logged_in)
    response = client.post(
        "/needs/new",
        data=need_form(start_date="2020-01-01", end_date="2020-02-01", application_deadline=None),
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The dates lie wholly in the past" in html
    assert 'value="2020-02-01"' in html and 'value="Grace Mukamana"' in html
    with app.app_context():
        assert db.session.scalar(select(Need)) is None
