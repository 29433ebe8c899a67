"""Reviewing a CV's suggestions: pre-filled rows, pre-ticked when confident, editable in place,
accepted through the profile services, without JavaScript (plain form posts)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.profiles import cv_review
from app.profiles.models import CVDocument, Profile
from tests.factories.profiles import CVDocumentFactory, ProfileFactory, ProfileSkillFactory

FRENCH_CV = """Marie Uwase
Ingénieure hydraulicienne
marie.cv@example.org | +32 470 12 34 56 | linkedin.com/in/marie-uwase
EXPÉRIENCE PROFESSIONNELLE
Ingénieure hydraulicienne — Tractebel, Bruxelles (Belgique)
janv. 2019 – présent
- Modélisation hydraulique des digues, gestion de projet
Chargée d'études, Bureau Greisch, Liège (Belgique)
03/2015 - 12/2018
- Alimentation en eau potable de communes rurales
FORMATION
Master en génie civil, Université libre de Bruxelles, 2014
COMPÉTENCES
Gestion de projet, hydrologie, AutoCAD
LANGUES
Français : langue maternelle ; Anglais : courant ; Swahili
"""


def _cv_for(app: Flask, user_id: int, text: str = FRENCH_CV) -> int:
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user_id)).first()
        if profile is None:
            profile = ProfileFactory(user=db.session.get(User, user_id))
        document = CVDocumentFactory(profile=profile, text=text)
        db.session.commit()
        return document.id


def _profile(app: Flask, user_id: int) -> dict[str, Any]:
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user_id)).one()
        return {
            "experience": [
                (e.title, e.employer, e.country, e.start_date, e.end_date)
                for e in profile.experience
            ],
            "education": [(e.degree, e.field, e.institution, e.year) for e in profile.education],
            "languages": sorted((lang.code, lang.level) for lang in profile.languages),
            "skills": sorted((s.name, s.level, s.years) for s in profile.skills),
        }


def _form(page: str) -> dict[str, Any]:
    """What a browser without JavaScript would send back untouched: every input's value, the
    selected options and the ticked boxes."""
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or ('type="checkbox"' in tag and " checked" not in tag):
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body)
        data[name] = chosen.group(1) if chosen else ""
    return {k: v.replace("&#39;", "'").replace("&amp;", "&") for k, v in data.items()}


def _row_index(page: str, kind: str, key: str, value: str) -> int:
    shown = value.replace("&", "&amp;").replace("'", "&#39;")
    match = re.search(rf'name="{kind}-(\d+)-{key}" value="{re.escape(shown)}"', page)
    assert match, f"no {kind} row with {key}={value}"
    return int(match.group(1))


def test_review_prefills_every_suggestion_and_ticks_the_confident_ones(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    response = client.get(f"/profile/cv/{cv_id}/review")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    form = _form(page)
    first = _row_index(page, "experience", "title", "Ingénieure hydraulicienne")
    assert form[f"experience-{first}-employer"] == "Tractebel"
    assert form[f"experience-{first}-country"] == "BE"
    assert (form[f"experience-{first}-start"], form[f"experience-{first}-end"]) == ("2019-01", "")
    assert form[f"experience-{first}-accept"] == "1"
    school = _row_index(page, "education", "degree", "Master")
    assert form[f"education-{school}-institution"] == "Université libre de Bruxelles"
    assert form[f"education-{school}-year"] == "2014"
    skill = _row_index(page, "skill", "name", "project management")
    assert form[f"skill-{skill}-level"] == "advanced"  # seven years in the 2019 entry
    assert int(form[f"skill-{skill}-years"]) >= 7
    # A language the CV names without a level is offered but not ticked.
    swahili = [k for k, v in form.items() if k.endswith("-code") and v == "sw"]
    assert swahili and f"{swahili[0][:-5]}-accept" not in form
    french = next(k for k, v in form.items() if k.endswith("-code") and v == "fr")[:-5]
    assert form[f"{french}-level"] == "native" and form[f"{french}-accept"] == "1"
    # Contact details are shown for checking; the account's e-mail is not touched.
    assert "marie.cv@example.org" in page and "+32 470 12 34 56" in page


def test_accepting_edited_rows_saves_them_through_the_profile_services(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    page = client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True)
    form = _form(page)
    # Keep only the first job (edited) and one skill (edited); untick everything else.
    for key in [k for k in form if k.endswith("-accept")]:
        del form[key]
    job = _row_index(page, "experience", "title", "Ingénieure hydraulicienne")
    form[f"experience-{job}-accept"] = "1"
    form[f"experience-{job}-title"] = "Senior hydraulic engineer"
    form[f"experience-{job}-start"] = "2019-02"
    skill = _row_index(page, "skill", "name", "hydrology")
    form[f"skill-{skill}-accept"] = "1"
    form[f"skill-{skill}-level"] = "expert"
    form[f"skill-{skill}-years"] = "12"
    response = client.post(f"/profile/cv/{cv_id}/review", data=form)
    assert response.status_code == 302
    saved = _profile(app, user.id)
    assert saved["experience"] == [
        ("Senior hydraulic engineer", "Tractebel", "BE", date(2019, 2, 1), None)
    ]
    assert saved["skills"] == [("hydrology", "expert", 12)]
    assert saved["education"] == [] and saved["languages"] == []
    with app.app_context():
        assert db.session.get(CVDocument, cv_id).reviewed_at is not None
        assert (
            db.session.get(Profile, db.session.scalars(select(Profile.id)).first()).user.email
            == user.email
        )


def test_accepting_the_prefilled_form_as_is_fills_the_profile(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    form = _form(client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True))
    assert client.post(f"/profile/cv/{cv_id}/review", data=form).status_code == 302
    saved = _profile(app, user.id)
    assert {e[0] for e in saved["experience"]} == {"Ingénieure hydraulicienne", "Chargée d'études"}
    assert saved["education"] == [("Master", "génie civil", "Université libre de Bruxelles", 2014)]
    assert saved["languages"] == [("en", "C1"), ("fr", "native")]
    assert {"project management", "hydrology", "water supply engineering"} <= {
        s[0] for s in saved["skills"]
    }
    # Read again, the same CV offers nothing that is now on the profile.
    page = client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True)
    assert 'value="Ingénieure hydraulicienne"' not in page
    assert 'value="project management"' not in page


def test_a_wrong_value_shows_its_message_next_to_the_field_and_saves_nothing(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    page = client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True)
    form = _form(page)
    job = _row_index(page, "experience", "title", "Chargée d'études")
    form[f"experience-{job}-start"] = "March 2015"
    form[f"experience-{job}-title"] = ""
    swahili = next(k for k, v in form.items() if k.endswith("-code") and v == "sw")[:-5]
    form[f"{swahili}-accept"] = "1"  # ticked without choosing a level
    response = client.post(f"/profile/cv/{cv_id}/review", data=form)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="experience-{job}-start-error"' in body
    assert f'id="experience-{job}-title-error"' in body
    assert f'id="{swahili}-level-error"' in body
    # What the member typed is kept on the page.
    assert f'name="experience-{job}-start" value="March 2015"' in body
    assert _profile(app, user.id) == {
        "experience": [],
        "education": [],
        "languages": [],
        "skills": [],
    }


def test_suggestions_already_on_the_profile_are_not_offered(
    app: Flask, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    with app.app_context():
        document = db.session.get(CVDocument, cv_id)
        profile = db.session.get(Profile, document.profile_id)
        ProfileSkillFactory(profile=profile, name="hydrology")
        db.session.flush()
        review = cv_review.build_review(profile, document, today=date(2026, 6, 1))
        names = {row.values["name"] for row in review.rows["skill"]}
        assert "hydrology" not in names and "project management" in names
        db.session.rollback()


def test_another_members_cv_review_is_not_found(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    owner = make_user("professional")
    cv_id = _cv_for(app, owner.id)
    logged_in("professional")
    assert client.get(f"/profile/cv/{cv_id}/review").status_code == 404
    assert client.post(f"/profile/cv/{cv_id}/review", data={}).status_code == 404


def test_the_cvs_phone_is_offered_unticked_and_saved_only_when_ticked_and_valid(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    cv_id = _cv_for(app, user.id)
    page = client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True)
    form = _form(page)
    assert form["contact-0-phone"] == "+32 470 12 34 56"
    assert "contact-0-accept" not in form
    # Sent untouched: the phone stays off the profile.
    client.post(f"/profile/cv/{cv_id}/review", data={**form})
    with app.app_context():
        assert (
            db.session.scalars(select(Profile).where(Profile.user_id == user.id)).one().phone == ""
        )

    cv_id = _cv_for(app, user.id)
    form = _form(client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True))
    form.update({"contact-0-accept": "1", "contact-0-phone": "0470 12 34 56"})
    refused = client.post(f"/profile/cv/{cv_id}/review", data=form)
    assert refused.status_code == 400
    assert 'id="contact-0-phone-error"' in refused.get_data(as_text=True)
    form["contact-0-phone"] = "+32 470 12 34 56"
    assert client.post(f"/profile/cv/{cv_id}/review", data=form).status_code == 302
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user.id)).one()
        assert profile.phone == "+32470123456"
        assert db.session.get(User, user.id).email == user.email
