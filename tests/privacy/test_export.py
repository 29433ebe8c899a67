"""The data export holds every kind of record a member owns, whoever downloads it for them."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.audit import actions
from app.audit.models import AuditEntry
from app.auth.models import User
from app.extensions import db
from app.outreach.models import (
    AlertFrequency,
    Channel,
    DeliveryPreference,
    DirectMessage,
    OpportunityAlert,
    OutboxEmail,
    OutboxStatus,
    Topic,
)
from app.placements.models import EvaluationResponse, PlacementEvent
from app.privacy.models import ConsentKind
from app.privacy.registry import load_sections
from app.privacy.services import record_consent
from tests.conftest import login
from tests.factories import matrix as sample
from tests.factories.matrix import World, build_world

# Records the member wrote themselves, on top of the sample world's profile, CV, placement,
# inbox, conversation and survey answer.
REPLY = "My reply to the hospital 8812"
EVALUATION_COMMENT = "The team was welcoming 4410"
EVENT_NOTE = "I can start in January 3307"
ALERT_TITLE = "Paediatric nurse trainer 5150"
EMAIL_SUBJECT = "Your Umuhuza digest 2718"


@pytest.fixture()
def world(app: Flask) -> World:
    """The access matrix's sample world, with one more record of every remaining kind."""
    world = build_world(app)
    member_id = world.user_ids[sample.PROFESSIONAL]
    with app.app_context():
        member = db.session.get(User, member_id)
        assert member is not None
        record_consent(member, ConsentKind.PRIVACY_NOTICE, True, source="signup")
        record_consent(member, ConsentKind.STATISTICS, False)
        db.session.add_all(
            [
                DirectMessage(
                    conversation_id=world.ids["conversation_id"], sender_id=member_id, body=REPLY
                ),
                PlacementEvent(
                    placement_id=world.ids["placement_id"],
                    actor_id=member_id,
                    actor_side="professional",
                    action="express_interest",
                    to_status="interested",
                    note=EVENT_NOTE,
                ),
                DeliveryPreference(
                    user_id=member_id, topic=Topic.NEWS, channel=Channel.EMAIL, is_enabled=False
                ),
                OpportunityAlert(
                    user_id=member_id,
                    need_id=world.ids["open_need_id"],
                    title=ALERT_TITLE,
                    frequency=AlertFrequency.WEEKLY,
                ),
                OutboxEmail(
                    idempotency_key="export-test-digest",
                    user_id=member_id,
                    to_address=sample.SECRET_EMAIL,
                    subject=EMAIL_SUBJECT,
                    text_body="Digest",
                    status=OutboxStatus.SENT,
                ),
            ]
        )
        evaluation = db.session.get(EvaluationResponse, world.ids["response_id"])
        assert evaluation is not None
        evaluation.rating = 5
        evaluation.comment = EVALUATION_COMMENT
        db.session.commit()
    return world


def _unzip(body: bytes) -> tuple[dict[str, Any], dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(body))
    files = {name: archive.read(name) for name in archive.namelist() if name.startswith("cv/")}
    return json.loads(archive.read("data.json")), files


def _assert_holds_everything(data: dict[str, Any], files: dict[str, bytes], world: World) -> None:
    ids = world.ids
    assert data["format"] == "umuhuza-personal-data/1"
    assert data["account"]["email"] == sample.SECRET_EMAIL
    assert not {"password_hash", "totp_secret", "session_version"} & set(data["account"])

    profile = data["profile"]
    assert profile["profile"]["phone"] == sample.SECRET_PHONE
    assert [s["id"] for s in profile["skills"]] == [ids["skill_id"]]
    assert [x["id"] for x in profile["languages"]] == [ids["language_id"]]
    assert [x["degree"] for x in profile["education"]] == ["MSc Nursing"]
    assert [x["title"] for x in profile["experience"]] == [sample.SECRET_JOB_TITLE]
    assert [x["id"] for x in profile["availability"]] == [ids["window_id"]]
    assert [cv["text"] for cv in profile["cv_documents"]] == [sample.SECRET_CV_TEXT]
    assert list(files.values()) == [sample.CV_BYTES]  # the CV file itself, byte for byte

    consents = [(c["kind"], c["granted"]) for c in data["consents"]["history"]]
    assert consents == [("privacy_notice", True), ("statistics", False)]
    assert all(c["notice_version"] for c in data["consents"]["history"])

    placements = data["placements"]
    assert [p["id"] for p in placements["placements"]] == [ids["placement_id"]]
    notes = [e["your_note"] for e in placements["placements"][0]["events"]]
    assert EVENT_NOTE in notes
    evaluations = placements["evaluations"]
    assert [(e["rating"], e["comment"]) for e in evaluations] == [(5, EVALUATION_COMMENT)]

    outreach = data["outreach"]
    subjects = {entry["subject"] for entry in outreach["inbox"]}
    assert {sample.SECRET_INBOX_SUBJECT, sample.SECRET_DM_SUBJECT} <= subjects
    (conversation,) = outreach["conversations"]
    assert conversation["subject"] == sample.SECRET_DM_SUBJECT
    messages = [(m["from_you"], m["body"]) for m in conversation["messages"]]
    assert (False, sample.SECRET_DM_BODY) in messages and (True, REPLY) in messages
    assert [(p["topic"], p["enabled"]) for p in outreach["delivery_preferences"]] == [
        ("news", False)
    ]
    assert [a["title"] for a in outreach["opportunity_alerts"]] == [ALERT_TITLE]
    assert [e["subject"] for e in outreach["emails"]] == [EMAIL_SUBJECT]

    surveys = data["surveys"]
    assert [i["survey"] for i in surveys["invitations"]] == ["Member survey"]
    (response,) = surveys["responses"]
    assert response["survey_id"] == ids["survey_id"]
    assert response["answers"] == {str(ids["question_id"]): sample.SECRET_SURVEY_ANSWER}
    assert response["survey"] == "Member survey"
    (answered,) = response["answered_questions"]
    assert answered["question_id"] == ids["question_id"]
    assert answered["question"] and answered["answer"] == sample.SECRET_SURVEY_ANSWER


def test_member_export_contains_every_kind_of_record(
    app: Flask, client: FlaskClient, world: World
) -> None:
    assert login(client, world.emails[sample.PROFESSIONAL]).status_code == 302
    response = client.post("/privacy-centre/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data, files = _unzip(response.data)
    _assert_holds_everything(data, files, world)
    # Every registered section is there, and each one that concerns a professional holds data.
    sections = {section.name for section in load_sections()}
    assert sections <= set(data)
    empty = sorted(name for name in sections if not data[name])
    assert empty == ["institution_membership"]  # a professional belongs to no institution


def test_export_holds_nothing_of_other_members(
    app: Flask, client: FlaskClient, world: World
) -> None:
    login(client, world.emails[sample.OTHER_PROFESSIONAL])
    data, files = _unzip(client.post("/privacy-centre/export").data)
    text = json.dumps(data)
    for secret in (sample.SECRET_EMAIL, sample.SECRET_PHONE, sample.SECRET_DM_BODY, REPLY):
        assert secret not in text
    assert files == {}
    assert data["surveys"] == {"invitations": [], "responses": []}


def test_staff_export_on_behalf_holds_the_member_data_and_is_audited(
    app: Flask, client: FlaskClient, world: World, logged_in: Callable[..., Any]
) -> None:
    member_id = world.user_ids[sample.PROFESSIONAL]
    staff = logged_in("rca_staff")
    response = client.post(f"/privacy-centre/requests/{member_id}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"umuhuza-data-{member_id}-" in response.headers["Content-Disposition"]
    data, files = _unzip(response.data)
    _assert_holds_everything(data, files, world)  # the member's data, not the staff member's
    with app.app_context():
        entry = db.session.scalar(
            select(AuditEntry).where(AuditEntry.action == actions.PRIVACY_EXPORT)
        )
        assert entry is not None
        assert (entry.actor_id, entry.subject_user_id) == (staff.id, member_id)
        assert entry.details["on_behalf"] is True


def test_staff_export_of_an_unknown_member_is_404(
    client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("rca_staff")
    assert client.post("/privacy-centre/requests/999999/export").status_code == 404
