"""Profile forms: every field error in one round, the time zone pre-filled from the country,
languages beyond the list, and no sensitive data asked for."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from markupsafe import escape
from sqlalchemy import select

from app.extensions import db
from app.profiles import forms, services
from app.profiles.models import Profile
from tests.profiles.helpers import IDENTITY, LOCATION, Login, load_profile


def _field_error(page: str, field_id: str) -> str:
    """The error shown next to one field (its id-error paragraph), or ''."""
    match = re.search(rf'<p class="error" id="{field_id}-error"[^>]*>(.*?)</p>', page, re.S)
    return match.group(1) if match else ""


# --------------------------------------------------------------------------- all errors at once


def test_identity_shows_every_service_error_in_one_round(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    client.get("/profile/")  # the (empty) profile exists
    response = client.post(
        "/profile/edit/identity", data={**IDENTITY, "birth_year": "1850", "phone": "12345"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "year of birth between" in _field_error(page, "birth_year")
    assert "international format" in _field_error(page, "phone")
    assert 'value="Amina Uwase"' in page and 'value="12345"' in page and 'value="1850"' in page
    saved = load_profile(app, me.id)
    assert saved.phone == "" and saved.birth_year is None  # nothing half-saved


def test_identity_mixes_form_and_service_errors(client: FlaskClient, logged_in: Login) -> None:
    logged_in("professional")
    # The form refuses the empty name; the service's phone rule is reported in the same round.
    response = client.post(
        "/profile/edit/identity", data={**IDENTITY, "full_name": "", "phone": "1"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter your full name" in _field_error(page, "full_name")
    assert "international format" in _field_error(page, "phone")


def test_location_shows_country_and_time_zone_errors_together(
    client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    response = client.post(
        "/profile/edit/location",
        data={**LOCATION, "country": "ZZ", "timezone": "Mars/Olympus_Mons", "city": "Gale"},
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert _field_error(page, "country")
    assert "time zone from the list" in _field_error(page, "timezone")
    assert 'value="Mars/Olympus_Mons"' in page and 'value="Gale"' in page


def test_experience_shows_title_and_date_errors_together(
    client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    response = client.post(
        "/profile/experience",
        data={
            "title": "",
            "employer": "CHUK",
            "start_date": "2020-05-01",
            "end_date": "2019-01-01",
        },
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter the job title" in _field_error(page, "title")
    assert "end date must be after" in _field_error(page, "end_date")
    assert 'value="CHUK"' in page


def test_services_report_every_problem(app_context: Flask) -> None:
    found = services.check_availability(mode="sometimes", hours_per_week=90, onsite_weeks=500)
    assert set(found) == {"mode", "hours_per_week", "onsite_weeks"}
    with pytest.raises(services.InvalidProfileData) as caught:
        services.save_education(
            services.get_or_create_profile(_user()), degree="", country="ZZ", year=1800
        )
    assert set(caught.value.errors) == {"degree", "country", "year"}
    assert caught.value.field == "degree"  # the first one, for callers that show one error


def _user() -> Any:
    from tests.factories.auth import ProfessionalUserFactory

    return ProfessionalUserFactory()


# --------------------------------------------------------------------------- time zone


def test_location_page_prefills_time_zone_from_known_country(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    client.get("/profile/")
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == me.id)).one()
        profile.country, profile.timezone = "BE", ""
        db.session.commit()
    page = client.get("/profile/edit/location").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="timezone"[^>]*value="Europe/Brussels"', page)
    assert 'id="timezone-hint">Suggested for your country: Europe/Brussels' in page
    assert 'data-zones="' in page and "America/Toronto" in page  # for profiles.js
    assert "js/profiles.js" in page


def test_location_page_keeps_a_chosen_time_zone(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    client.post("/profile/edit/location", data={**LOCATION, "timezone": "America/Vancouver"})
    page = client.get("/profile/edit/location").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="timezone"[^>]*value="America/Vancouver"', page)


def test_location_without_country_suggests_nothing(client: FlaskClient, logged_in: Login) -> None:
    logged_in("professional")
    page = client.get("/profile/edit/location").get_data(as_text=True)
    assert 'id="timezone-hint">Suggested' not in page
    assert not re.search(r'<input[^>]*id="timezone"[^>]*value="[^"]', page)


def test_location_error_page_suggests_zone_of_typed_country(
    client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    response = client.post("/profile/edit/location", data={**LOCATION, "country": "KE", "city": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'<input[^>]*id="timezone"[^>]*value="Africa/Nairobi"', page)


# --------------------------------------------------------------------------- languages


def test_member_adds_an_iso_639_3_language_by_name_or_code(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    r = client.post("/profile/languages", data={"code": "rw", "other": "Chiga", "level": "B2"})
    assert r.status_code == 302
    client.post("/profile/languages", data={"code": "rw", "other": "kin", "level": "native"})
    client.post("/profile/languages", data={"code": "fr", "level": "C1"})
    languages = {lang.code: lang.level for lang in load_profile(app, me.id).languages}
    assert languages == {"cgg": "B2", "rw": "native", "fr": "C1"}
    page = client.get("/profile/edit/languages").get_data(as_text=True)
    assert "Chiga" in page and "Kinyarwanda" in page


def test_unknown_typed_language_is_refused_next_to_its_field(
    client: FlaskClient, logged_in: Login
) -> None:
    logged_in("professional")
    response = client.post(
        "/profile/languages", data={"code": "en", "other": "Klingonese", "level": "Z9"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ISO 639-3" in _field_error(page, "other")
    assert "A1 to C2" in _field_error(page, "level")
    assert 'value="Klingonese"' in page


# --------------------------------------------------------------------------- sensitive data

PROFILE_FORMS = [
    forms.IdentityForm,
    forms.LocationForm,
    forms.LanguageForm,
    forms.EducationForm,
    forms.ExperienceForm,
    forms.SkillForm,
    forms.InterestsForm,
    forms.AvailabilityForm,
    forms.WindowForm,
    forms.ConsentForm,
]
SENSITIVE_WORDS = (
    "ethnic",
    "race",
    "tribe",
    "clan",
    "religio",
    "faith",
    "health",
    "disab",
    "medical",
    "politic",
    "party",
    "marital",
    "married",
    "spouse",
    "children",
    "family",
    "origin_social",
    "social_origin",
)
# Structured text fields checked against a list or a format, not free text.
NOT_FREE_TEXT = {"full_name", "phone", "timezone", "other"}


def _fields(form_class: type[FlaskForm]) -> dict[str, Any]:
    return {
        name: value
        for name, value in vars(form_class).items()
        if hasattr(value, "field_class") and name != "csrf_token"
    }


@pytest.mark.parametrize("form_class", PROFILE_FORMS, ids=lambda f: f.__name__)
def test_profile_forms_ask_for_no_sensitive_data(form_class: type[FlaskForm]) -> None:
    names = [name.lower() for name in _fields(form_class)]
    assert names
    assert not [n for n in names if any(word in n for word in SENSITIVE_WORDS)]


@pytest.mark.parametrize("form_class", PROFILE_FORMS, ids=lambda f: f.__name__)
def test_every_free_text_field_carries_the_sensitive_hint(
    app_context: Flask, form_class: type[FlaskForm]
) -> None:
    with app_context.test_request_context():
        form = form_class(meta={"csrf": False})
        for field in form:
            if field.type in ("StringField", "TextAreaField") and field.name not in NOT_FREE_TEXT:
                assert str(forms.SENSITIVE_HINT) in str(field.description), field.name


@pytest.mark.parametrize(
    "url",
    [
        "/profile/edit/identity",
        "/profile/edit/location",
        "/profile/edit/background",
        "/profile/edit/skills",
        "/profile/edit/interests",
    ],
)
def test_profile_pages_show_the_sensitive_hint(
    app: Flask, client: FlaskClient, logged_in: Login, url: str
) -> None:
    logged_in("professional")
    page = client.get(url).get_data(as_text=True)
    with app.test_request_context():
        hint = str(escape(str(forms.SENSITIVE_HINT)))
    assert hint in page
