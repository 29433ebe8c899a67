"""Data-subject rights: the export ZIP, erasure that leaves no trace, aggregates kept true."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import JSON, String, Text, select

from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.privacy.models import ConsentKind, ErasedMemberStat
from app.privacy.queries import count_members_by
from app.privacy.registry import NOT_PERSONAL_TABLES, covered_tables, load_sections
from app.privacy.services import erase_member, export_personal_data, record_consent
from app.profiles.models import CVDocument, Profile
from tests.conftest import login
from tests.factories.profiles import ProfileFactory, ProfileLanguageFactory, ProfileSkillFactory

NAME = "Immaculée Zephyrine Nyirahabimana"
EMAIL = "zephyrine.member@example.org"
PHONE = "+14165550199"


def _member_with_everything(app: Flask) -> int:
    """A professional with a profile, skills, a CV file on disk, a photo and consents."""
    with app.app_context():
        profile = ProfileFactory(
            user__email=EMAIL,
            user__full_name=NAME,
            full_name=NAME,
            preferred_name="Zephyrine",
            phone=PHONE,
            gender="female",
            country="CA",
            bio=f"Contact me at {EMAIL} or {PHONE}.",
            photo_file="a1b2c3d4.jpg",
            photo_content_type="image/jpeg",
        )
        ProfileSkillFactory(profile=profile)
        ProfileLanguageFactory(profile=profile)
        upload_dir = Path(app.config["UPLOAD_DIR"])
        (upload_dir / "cvs").mkdir(parents=True, exist_ok=True)
        (upload_dir / "photos").mkdir(parents=True, exist_ok=True)
        (upload_dir / "cvs" / "f00dcafe.pdf").write_bytes(b"%PDF-1.4 CV of " + NAME.encode())
        (upload_dir / "photos" / "a1b2c3d4.jpg").write_bytes(b"\xff\xd8\xff photo")
        db.session.add(
            CVDocument(
                profile_id=profile.id,
                stored_name="f00dcafe.pdf",
                original_name=f"../../{NAME} CV.pdf",
                content_type="application/pdf",
                size=20,
                text=f"{NAME} {EMAIL} {PHONE} nurse",
                suggestions={"skills": ["nursing"], "titles": [NAME]},
            )
        )
        record_consent(profile.user, ConsentKind.PRIVACY_NOTICE, True, source="signup")
        db.session.commit()
        return profile.user_id


def _text_columns_containing(needles: list[str]) -> list[str]:
    """Scan every string/text/JSON column of every table for any of the needles."""
    hits = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                text = (
                    json.dumps(value, ensure_ascii=False)
                    if column.type.__class__ is JSON
                    else str(value or "")
                )
                for needle in needles:
                    if needle.lower() in text.lower():
                        hits.append(f"{table.name}.{column.name} contains {needle!r}")
    return hits


# Tables of features still being built whose owners have not registered their section yet.
PENDING_FEATURE_TABLES: set[str] = set()


def test_every_table_pointing_at_users_is_covered_by_the_registry(app_context: Flask) -> None:
    covered = covered_tables() | set(NOT_PERSONAL_TABLES) | PENDING_FEATURE_TABLES
    missing = sorted(
        {
            table.name
            for table in db.metadata.sorted_tables
            for fk in table.foreign_keys
            if fk.column.table.name == "users"
        }
        - covered
    )
    assert missing == [], (
        "These tables hold rows linked to a user but no personal-data section exports/erases "
        "them (register one in app/<feature>/privacy.py, see app/privacy/registry.py): "
        + ", ".join(missing)
    )


def test_export_contains_every_section(app: Flask) -> None:
    user_id = _member_with_everything(app)
    with app.app_context():
        user = db.session.get(User, user_id)
        data = export_personal_data(user)
        names = {section.name for section in load_sections()}
        assert names <= set(data)
        assert data["account"]["email"] == EMAIL
        assert "password_hash" not in data["account"] and "totp_secret" not in data["account"]
        assert data["profile"]["profile"]["phone"] == PHONE
        assert data["profile"]["skills"][0]["name"] == "paediatric nursing"
        assert data["consents"]["history"][0]["kind"] == "privacy_notice"
        json.dumps(data)  # serialisable


def test_member_downloads_a_zip_with_json_and_cv(app: Flask, client: FlaskClient) -> None:
    _member_with_everything(app)
    login(client, EMAIL)
    page = client.get("/privacy-centre/")
    assert page.status_code == 200
    response = client.post("/privacy-centre/export")
    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "data.json" in names
    cv_names = [n for n in names if n.startswith("cv/")]
    assert len(cv_names) == 1 and ".." not in cv_names[0] and "/" not in cv_names[0][3:]
    assert json.loads(archive.read("data.json"))["account"]["email"] == EMAIL
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "privacy.export_downloaded")
        )
        assert entry is not None and entry.subject_user_id is not None


def test_member_deletes_account_and_nothing_identifying_remains(
    app: Flask, client: FlaskClient
) -> None:
    user_id = _member_with_everything(app)
    login(client, EMAIL)
    refused = client.post("/privacy-centre/delete", data={"current_password": "nope nope nope"})
    assert refused.status_code == 400
    response = client.post(
        "/privacy-centre/delete",
        data={"current_password": "correct horse battery staple", "confirm": "y"},
    )
    assert response.status_code == 302
    assert client.get("/auth/account").status_code == 302  # logged out
    assert login(client, EMAIL).status_code == 401

    with app.app_context():
        hits = _text_columns_containing([NAME, EMAIL, PHONE, "Zephyrine"])
        assert hits == []
        user = db.session.get(User, user_id)
        assert user is not None
        assert user.email == f"deleted-{user_id}@invalid" and not user.is_enabled
        assert db.session.scalar(select(Profile).where(Profile.user_id == user_id)) is None
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "privacy.account_erased")
        )
        assert entry is not None and entry.target_id == user_id
    upload_dir = Path(app.config["UPLOAD_DIR"])
    assert not (upload_dir / "cvs" / "f00dcafe.pdf").exists()
    assert not (upload_dir / "photos" / "a1b2c3d4.jpg").exists()


def test_erasure_keeps_aggregate_counts(app: Flask) -> None:
    user_id = _member_with_everything(app)
    with app.app_context():
        ProfileFactory(gender="male", country="BE")
        ProfileFactory(gender="female", country="CA")
        db.session.commit()
        before = {attr: count_members_by(attr) for attr in ("gender", "country")}
        erase_member(db.session.get(User, user_id))
        db.session.commit()
        after = {attr: count_members_by(attr) for attr in ("gender", "country")}
        assert after == before
        assert before["gender"]["female"] == 2
        stat = db.session.scalars(select(ErasedMemberStat)).one()
        assert stat.gender == "female" and stat.country == "CA" and stat.had_profile


def test_staff_erases_on_behalf_of_a_member(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user_id = _member_with_everything(app)
    staff = logged_in("rca_staff")
    form = client.get(f"/privacy-centre/requests/{user_id}/erase")
    assert form.status_code == 200
    unconfirmed = client.post(f"/privacy-centre/requests/{user_id}/erase", data={})
    assert unconfirmed.status_code == 400
    named = client.post(
        f"/privacy-centre/requests/{user_id}/erase", data={"confirm": "y", "reference": NAME}
    )
    assert named.status_code == 400  # a name is not a reference: the log would keep it
    response = client.post(
        f"/privacy-centre/requests/{user_id}/erase",
        data={"confirm": "y", "reference": "DSR-2026/14"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert _text_columns_containing([NAME, EMAIL, PHONE]) == []
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == "privacy.account_erased")
        )
        assert entry is not None and entry.actor_id == staff.id
        assert entry.details["on_behalf"] is True
        assert entry.details["request_reference"] == "DSR-2026/14"


def test_staff_accounts_are_not_erased(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    other = make_user("admin")
    logged_in("rca_staff")
    response = client.post(f"/privacy-centre/requests/{other.id}/erase", data={"confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, other.id).is_enabled  # type: ignore[union-attr]


def test_members_cannot_use_staff_erasure(
    client: FlaskClient, logged_in: Callable[..., Any], make_user: Callable[..., Any]
) -> None:
    victim = make_user("professional")
    logged_in("professional")
    assert (
        client.post(
            f"/privacy-centre/requests/{victim.id}/erase", data={"confirm": "y"}
        ).status_code
        == 403
    )
    assert client.post(f"/privacy-centre/requests/{victim.id}/export").status_code == 403


@pytest.mark.parametrize("role", ["professional", "institution_member"])
def test_erasing_twice_is_refused(app: Flask, make_user: Callable[..., Any], role: str) -> None:
    member = make_user(role)
    with app.app_context():
        user = db.session.get(User, member.id)
        erase_member(user)
        db.session.commit()
        from app.errors import DomainError

        with pytest.raises(DomainError):
            erase_member(user)
