"""Profile journeys through the HTTP client: wizard, sections, validation, access, consent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord
from tests.profiles.helpers import IDENTITY, LOCATION, Login, load_profile


def test_full_wizard_run(app: Flask, client: FlaskClient, logged_in: Login) -> None:
    user = logged_in("professional")
    start = client.get("/profile/wizard")
    assert start.headers["Location"].endswith("/profile/edit/identity?wizard=1")
    r = client.post("/profile/edit/identity?wizard=1", data=IDENTITY)
    assert r.headers["Location"].endswith("/profile/edit/location?wizard=1")
    r = client.post("/profile/edit/location?wizard=1", data=LOCATION)
    assert r.headers["Location"].endswith("/profile/edit/languages?wizard=1")
    assert client.post("/profile/languages?wizard=1", data={"code": "rw", "level": "native"})
    assert client.post("/profile/languages?wizard=1", data={"code": "fr", "level": "C1"})
    client.post(
        "/profile/education?wizard=1",
        data={"degree": "BSc", "field_of_study": "Nursing", "country": "CA", "year": "2010"},
    )
    client.post(
        "/profile/experience?wizard=1",
        data={
            "title": "Paediatric Nurse",
            "employer": "CHU Sainte-Justine",
            "start_date": "2012-01-01",
        },
    )
    r = client.post(
        "/profile/skills?wizard=1",
        data={"name": "Paediatric-Nursing", "level": "expert", "years": "12"},
    )
    assert r.status_code == 302
    r = client.post(
        "/profile/edit/interests?wizard=1",
        data={
            "sectors": ["health", "education"],
            "headline": "Paediatric nurse",
            "bio": "Neonatal care.",
        },
    )
    assert r.headers["Location"].endswith("/profile/edit/availability?wizard=1")
    client.post("/profile/windows?wizard=1", data={"start": "2027-06-01", "end": "2027-08-31"})
    r = client.post(
        "/profile/edit/availability?wizard=1",
        data={
            "mode": "both",
            "hours_per_week": "10",
            "onsite_weeks": "6",
            "willing_to_mentor": "y",
            "open_to_unpaid": "y",
        },
    )
    assert r.headers["Location"].endswith("/profile/edit/consent?wizard=1")
    r = client.post("/profile/edit/consent?wizard=1", data={"matching": "y", "statistics": "y"})
    assert r.headers["Location"].endswith("/profile/")

    profile = load_profile(app, user.id)
    assert profile.phone == "+15145550199"
    assert profile.timezone == "America/Toronto"  # pre-filled from the country
    assert {lang.code for lang in profile.languages} == {"rw", "fr"}
    assert [s.name for s in profile.skills] == ["paediatric nursing"]
    assert profile.windows[0].start.isoformat() == "2027-06-01"
    assert profile.mode == "both" and profile.willing_to_mentor and not profile.open_to_paid
    dashboard = client.get("/profile/")
    assert dashboard.status_code == 200
    assert "100% complete" in dashboard.get_data(as_text=True)
    assert client.get("/dashboard").headers["Location"].endswith("/profile/")


def test_half_finished_profile_resumes_at_first_missing_section(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    client.post("/profile/edit/identity?wizard=1", data=IDENTITY)
    client.post("/profile/edit/location?wizard=1", data=LOCATION)
    # The member leaves; later the dashboard shows what is missing and the wizard resumes.
    page = client.get("/profile/").get_data(as_text=True)
    assert "25% complete" in page
    assert "/profile/edit/languages?wizard=1" in page
    assert (
        client.get("/profile/wizard")
        .headers["Location"]
        .endswith("/profile/edit/languages?wizard=1")
    )


def _error_of(response: Any) -> str:
    assert response.status_code == 400, response.status_code
    return response.get_data(as_text=True)


def test_identity_validation_keeps_input(client: FlaskClient, logged_in: Login) -> None:
    logged_in("professional")
    page = _error_of(client.post("/profile/edit/identity", data={**IDENTITY, "phone": "12345"}))
    assert "international format" in page
    assert 'value="Amina Uwase"' in page  # what was typed is kept
    page = _error_of(client.post("/profile/edit/identity", data={**IDENTITY, "birth_year": "1850"}))
    assert "year of birth between" in page
    page = _error_of(client.post("/profile/edit/identity", data={**IDENTITY, "birth_year": "abc"}))
    assert 'value="+1 514 555 0199"' in page
    _error_of(client.post("/profile/edit/identity", data={**IDENTITY, "full_name": "x" * 201}))


def test_entry_validation_errors(client: FlaskClient, logged_in: Login) -> None:
    logged_in("professional")
    page = _error_of(
        client.post(
            "/profile/experience",
            data={"title": "Nurse", "start_date": "2020-05-01", "end_date": "2019-01-01"},
        )
    )
    assert "end date must be after the start date" in page
    page = _error_of(
        client.post("/profile/windows", data={"start": "2027-05-01", "end": "2027-04-01"})
    )
    assert "end date must be after the start date" in page
    _error_of(client.post("/profile/windows", data={"start": "not a date", "end": "2027-04-01"}))
    page = _error_of(client.post("/profile/languages", data={"code": "xx", "level": "B2"}))
    assert "Choose a language from the list" in page
    page = _error_of(client.post("/profile/languages", data={"code": "en", "level": "D4"}))
    assert "A1 to C2" in page
    _error_of(client.post("/profile/edit/interests", data={"headline": "h" * 161}))
    _error_of(client.post("/profile/skills", data={"name": "python", "level": "guru"}))
    _error_of(client.post("/profile/edit/location", data={**LOCATION, "country": "ZZ"}))


def test_skill_is_saved_in_canonical_form(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    user = logged_in("professional")
    r = client.post(
        "/profile/skills",
        data={"name": "Machine-Learning", "level": "advanced"},
        follow_redirects=True,
    )
    assert "saved as “machine learning”" in r.get_data(as_text=True)
    client.post("/profile/skills", data={"name": "ML", "level": "expert", "years": "3"})
    profile = load_profile(app, user.id)
    assert [(s.name, s.level, s.years) for s in profile.skills] == [
        ("machine learning", "expert", 3)
    ]
    suggest = client.get("/profile/skills/suggest?q=machine")
    assert "machine learning" in suggest.get_json()["suggestions"]


def test_entries_edit_and_remove_without_js(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    user = logged_in("professional")
    client.post("/profile/education", data={"degree": "BSc", "field_of_study": "Nursing"})
    entry_id = load_profile(app, user.id).education[0].id
    assert client.get(f"/profile/education/{entry_id}/edit").status_code == 200
    client.post(
        f"/profile/education/{entry_id}/edit", data={"degree": "MSc", "field_of_study": "Nursing"}
    )
    assert load_profile(app, user.id).education[0].degree == "MSc"
    client.post(f"/profile/education/{entry_id}/remove")
    assert load_profile(app, user.id).education == []


def test_other_member_cannot_read_edit_or_download(
    app: Flask, client: FlaskClient, logged_in: Login, make_user: Callable[..., Any]
) -> None:
    owner = logged_in("professional")
    client.post("/profile/education", data={"degree": "BSc"})
    profile = load_profile(app, owner.id)
    client.post("/auth/logout")

    logged_in("professional")
    assert client.get(f"/profile/{profile.id}").status_code == 404
    assert (
        client.post(
            f"/profile/education/{profile.education[0].id}/edit", data={"degree": "Hacked"}
        ).status_code
        == 404
    )
    assert client.post(f"/profile/education/{profile.education[0].id}/remove").status_code == 404
    assert load_profile(app, owner.id).education[0].degree == "BSc"


def test_institution_member_sees_card_without_contact_details(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    owner = logged_in("professional")
    client.post("/profile/edit/identity", data=IDENTITY)
    client.post(
        "/profile/edit/interests", data={"sectors": ["health"], "headline": "Paediatric nurse"}
    )
    profile = load_profile(app, owner.id)
    client.post("/auth/logout")
    member = logged_in("institution_member")
    # Only through a verified institution with a reason (here: the professional is on its
    # shortlist); before that, the profile answers 404 (tests/security/test_object_access.py).
    assert client.get(f"/profile/{profile.id}").status_code == 404
    with app.app_context():
        from app.institutions.models import Institution
        from tests.factories.institutions import add_institution_for
        from tests.factories.needs import NeedFactory
        from tests.factories.placements import PlacementFactory

        institution = db.session.get(Institution, add_institution_for(member.id))
        need = NeedFactory(institution=institution)
        PlacementFactory(need=need, profile=db.session.merge(profile), status="shortlisted")
        db.session.commit()
    page = client.get(f"/profile/{profile.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Paediatric nurse" in text
    assert owner.email not in text and "+15145550199" not in text
    # Institutions cannot edit: professional-only pages refuse them.
    assert client.get("/profile/edit/identity").status_code == 403


def test_staff_see_contact_details_but_cannot_edit(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    owner = logged_in("professional")
    client.post("/profile/edit/identity", data=IDENTITY)
    profile = load_profile(app, owner.id)
    client.post("/auth/logout")
    logged_in("rca_staff")
    text = client.get(f"/profile/{profile.id}").get_data(as_text=True)
    assert owner.email in text and "+15145550199" in text
    assert client.post("/profile/edit/identity", data=IDENTITY).status_code == 403


def test_consent_changes_recorded_with_date_and_version(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    user = logged_in("professional")
    client.post("/profile/edit/consent", data={"matching": "y", "newsletters": "y"})
    client.post("/profile/edit/consent", data={"newsletters": "y"})  # withdraws matching
    with app.app_context():
        records = db.session.scalars(
            select(ConsentRecord).where(ConsentRecord.user_id == user.id).order_by(ConsentRecord.id)
        ).all()
        decisions = [(r.kind, r.granted) for r in records]
        assert decisions == [
            (ConsentKind.MATCHING, True),
            (ConsentKind.NEWSLETTERS, True),
            (ConsentKind.STATISTICS, False),
            (ConsentKind.MATCHING, False),
        ]
        assert all(r.notice_version == app.config["PRIVACY_NOTICE_VERSION"] for r in records)
        assert all(r.recorded_at is not None for r in records)
    page = client.get("/profile/edit/consent").get_data(as_text=True)
    assert "Withdrawn" in page and app.config["PRIVACY_NOTICE_VERSION"] in page


def test_photo_is_checked_by_content_and_served_to_allowed_viewers(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    import io

    from PIL import Image

    owner = logged_in("professional")
    fake = {**IDENTITY, "photo": (io.BytesIO(b"MZ\x90\x00not an image"), "me.jpg")}
    page = _error_of(
        client.post("/profile/edit/identity", data=fake, content_type="multipart/form-data")
    )
    assert "JPEG or PNG" in page
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    buffer.seek(0)
    r = client.post(
        "/profile/edit/identity",
        data={**IDENTITY, "photo": (buffer, "me.png")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 302
    profile = load_profile(app, owner.id)
    photo = client.get(f"/profile/{profile.id}/photo")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    client.post("/auth/logout")
    logged_in("professional")
    assert client.get(f"/profile/{profile.id}/photo").status_code == 404


def test_availability_window_in_the_past_gets_a_message_400_and_input_kept(
    client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    page = _error_of(
        client.post("/profile/windows", data={"start": "2020-01-01", "end": "2020-02-01"})
    )
    assert "These dates lie wholly in the past" in page
    assert 'value="2020-02-01"' in page
