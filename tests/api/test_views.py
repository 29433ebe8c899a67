"""The JSON API: access, pagination, filters, profile updates, errors and the rate limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.extensions import db
from app.institutions.models import Institution
from app.needs.models import NeedStatus
from app.profiles.models import Profile
from tests.conftest import login
from tests.factories.insights import add_members
from tests.factories.institutions import add_institution_for
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory


def _needs(app: Flask, count: int, **fields: Any) -> list[int]:
    with app.app_context():
        if "institution_id" in fields:
            fields["institution"] = db.session.get(Institution, fields.pop("institution_id"))
        ids = [NeedFactory(**fields).id for _ in range(count)]
        db.session.commit()
        return ids


def _professional_with_profile(app: Flask, make_user: Callable[..., Any]) -> Any:
    user = make_user("professional")
    with app.app_context():
        ProfileFactory(user_id=user.id, user=db.session.get(type(user), user.id), headline="Nurse")
        db.session.commit()
    return user


# --------------------------------------------------------------------------- errors & access


def test_anonymous_me_is_401_json_not_a_redirect(client: FlaskClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.is_json
    assert response.get_json()["error"]["code"] == 401
    patch = client.patch("/api/v1/me/profile", json={"headline": "x"})
    assert patch.status_code == 401 and patch.is_json


def test_summary_is_staff_only(client: FlaskClient, logged_in: Callable[..., Any]) -> None:
    assert client.get("/api/v1/insights/summary").status_code == 401
    logged_in("professional")
    refused = client.get("/api/v1/insights/summary")
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == 403


def test_unknown_route_and_wrong_method_are_json(client: FlaskClient) -> None:
    missing = client.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.is_json
    wrong = client.delete("/api/v1/needs")
    assert wrong.status_code == 405 and wrong.is_json


# --------------------------------------------------------------------------- needs


def test_needs_are_paginated_without_contact_details(app: Flask, client: FlaskClient) -> None:
    _needs(app, 5)
    _needs(app, 2, status=NeedStatus.DRAFT)

    first = client.get("/api/v1/needs?per_page=2").get_json()
    assert first["meta"] == {"page": 1, "per_page": 2, "total": 5, "pages": 3}
    assert len(first["data"]) == 2
    assert "contact" not in first["data"][0]
    assert first["data"][0]["language_mode"] == "all"  # the default: every language required
    assert "grace@example.rw" not in str(first)
    assert first["links"]["next"].endswith("page=2")
    last = client.get("/api/v1/needs?per_page=2&page=3").get_json()
    assert len(last["data"]) == 1 and last["links"]["next"] is None


def test_needs_per_page_above_100_is_400(client: FlaskClient) -> None:
    response = client.get("/api/v1/needs?per_page=101")
    assert response.status_code == 400
    assert "per_page" in response.get_json()["error"]["fields"]


def test_needs_filters_like_the_html_list(app: Flask, client: FlaskClient) -> None:
    _needs(app, 2, sector="health")
    (ict,) = _needs(app, 1, sector="ict", title="Cloud migration adviser")

    by_sector = client.get("/api/v1/needs?sector=ict").get_json()
    assert [n["id"] for n in by_sector["data"]] == [ict]
    by_text = client.get("/api/v1/needs?q=cloud").get_json()
    assert [n["id"] for n in by_text["data"]] == [ict]
    bad = client.get("/api/v1/needs?sector=astrology")
    assert bad.status_code == 400 and "sector" in bad.get_json()["error"]["fields"]


def test_open_need_is_public_and_contact_only_for_owner_and_staff(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    owner = make_user("institution_member")
    with app.app_context():
        institution_id = add_institution_for(owner.id)
    (need_id,) = _needs(app, 1, institution_id=institution_id)

    public = client.get(f"/api/v1/needs/{need_id}").get_json()["data"]
    assert public["id"] == need_id and "contact" not in public

    login(client, owner.email)
    own = client.get(f"/api/v1/needs/{need_id}").get_json()["data"]
    assert own["contact"]["email"] == "grace@example.rw"


def test_draft_need_is_404_for_another_organisation_and_visible_to_its_owner(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    owner = make_user("institution_member")
    other = make_user("institution_member")
    with app.app_context():
        institution_id = add_institution_for(owner.id)
        add_institution_for(other.id)
    (draft_id,) = _needs(app, 1, institution_id=institution_id, status=NeedStatus.DRAFT)

    assert client.get(f"/api/v1/needs/{draft_id}").status_code == 404
    login(client, other.email)
    hidden = client.get(f"/api/v1/needs/{draft_id}")
    assert hidden.status_code == 404 and hidden.is_json
    client.post("/auth/logout")
    login(client, owner.email)
    assert client.get(f"/api/v1/needs/{draft_id}").status_code == 200


def test_skill_suggestions(client: FlaskClient) -> None:
    response = client.get("/api/v1/skills/suggest?q=nurs")
    assert response.status_code == 200
    suggestions = response.get_json()["data"]
    assert suggestions and all("nurs" in s.lower() for s in suggestions[:3])
    assert client.get("/api/v1/skills/suggest?q=").get_json()["data"] == []


# --------------------------------------------------------------------------- me


def test_me_returns_account_and_own_profile(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = _professional_with_profile(app, make_user)
    login(client, user.email)

    body = client.get("/api/v1/me").get_json()

    assert body["data"]["account"]["email"] == user.email
    assert body["data"]["account"]["role"] == "professional"
    assert body["data"]["profile"]["headline"] == "Nurse"
    assert body["csrf_token"]
    assert "password_hash" not in str(body)


def test_patch_profile_updates_allowed_fields_and_ignores_the_rest(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = _professional_with_profile(app, make_user)
    login(client, user.email)

    response = client.patch(
        "/api/v1/me/profile",
        json={
            "headline": "Paediatric nurse educator",
            "mode": "remote",
            "hours_per_week": 6,
            "open_to_unpaid": True,
            "role": "admin",
            "is_verified": True,
            "user_id": 999,
            "institution_id": 1,
            "gender": "male",
        },
    )

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["data"]["headline"] == "Paediatric nurse educator"
    assert body["data"]["availability"]["hours_per_week"] == 6
    assert body["ignored_fields"] == ["gender", "institution_id", "is_verified", "role", "user_id"]
    with app.app_context():
        from app.auth.models import User

        stored = db.session.get(User, user.id)
        assert stored is not None and stored.role == "professional"
        profile = db.session.query(Profile).filter_by(user_id=user.id).one()
        assert profile.user_id == user.id and profile.gender is None
        assert profile.mode == "remote" and profile.open_to_unpaid is True


def test_patch_profile_validation_errors_are_json_per_field(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = _professional_with_profile(app, make_user)
    login(client, user.email)

    response = client.patch(
        "/api/v1/me/profile",
        json={"headline": "x" * 161, "mode": "teleport", "hours_per_week": 3},
    )

    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"headline", "mode"}
    typed = client.patch("/api/v1/me/profile", json={"hours_per_week": "ten", "bio": 5})
    assert set(typed.get_json()["error"]["fields"]) == {"hours_per_week", "bio"}
    with app.app_context():
        profile = db.session.query(Profile).filter_by(user_id=user.id).one()
        assert profile.headline == "Nurse" and profile.hours_per_week is None


def test_patch_malformed_json_is_400_and_wrong_type_is_415(
    app: Flask, client: FlaskClient, make_user: Callable[..., Any]
) -> None:
    user = _professional_with_profile(app, make_user)
    login(client, user.email)

    malformed = client.patch(
        "/api/v1/me/profile", data="{headline: oops", content_type="application/json"
    )
    assert malformed.status_code == 400 and malformed.is_json
    not_object = client.patch("/api/v1/me/profile", json=["headline"])
    assert not_object.status_code == 400
    form = client.patch("/api/v1/me/profile", data={"headline": "Form post"})
    assert form.status_code == 415
    assert form.get_json()["error"]["code"] == 415


def test_patch_profile_is_for_professionals(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("institution_member")
    response = client.patch("/api/v1/me/profile", json={"headline": "x"})
    assert response.status_code == 403 and response.is_json


def test_patch_needs_the_csrf_header_when_csrf_is_on(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        profile = ProfileFactory(headline="Nurse")
        db.session.commit()
        email = profile.user.email
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post(
        "/auth/login",
        data={
            "email": email,
            "password": "correct horse battery staple",
            "csrf_token": token.group(1),
        },
    )
    csrf = client.get("/api/v1/me").get_json()["csrf_token"]

    refused = client.patch("/api/v1/me/profile", json={"headline": "New"})
    assert refused.status_code == 400 and refused.is_json
    accepted = client.patch(
        "/api/v1/me/profile", json={"headline": "New"}, headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 200


# --------------------------------------------------------------------------- insights & limits


def test_insights_summary_by_gender(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    with app.app_context():
        add_members(3, "female")
        add_members(2, "male")
        db.session.commit()
    logged_in("rca_staff")

    body = client.get("/api/v1/insights/summary").get_json()["data"]

    assert body["members"]["by_gender"]["female"] == 3
    assert body["members"]["by_gender"]["male"] == 2
    assert body["members"]["total"] == 5
    bad = client.get("/api/v1/insights/summary?start=nope")
    assert bad.status_code == 400 and "start" in bad.get_json()["error"]["fields"]


def test_rate_limit_answers_429_json(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [client.get("/api/v1/skills/suggest?q=nurse").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/skills/suggest?q=nurse")
    assert limited.status_code == 429 and limited.is_json
    assert limited.get_json()["error"]["code"] == 429


def test_rate_limit_is_one_budget_for_the_whole_api(app_factory: Callable[..., Flask]) -> None:
    app = app_factory(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute")
    client = app.test_client()
    codes = [
        client.get("/api/v1/skills/suggest?q=nurse").status_code,
        client.get("/api/v1/needs").status_code,
        client.get("/api/v1/skills/suggest?q=data").status_code,
        client.get("/api/v1/needs").status_code,
    ]
    assert codes == [200, 200, 200, 429]
