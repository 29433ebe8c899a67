"""Object-level access: someone else's profile, CV, draft need, placement, inbox entry, thread and
survey response answer 404 and show none of the object's private details; the owner (positive
control) does see them, so an absence is meaningful."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.needs.models import Need
from app.outreach.models import Conversation, DirectMessage
from app.placements.models import Placement
from app.profiles.models import Experience
from app.surveys.models import SurveyAnswer
from tests.conftest import login
from tests.factories import matrix as sample
from tests.factories.matrix import World, build_world

OPEN_NEED_CONTACT = "grace@example.rw"  # NeedFactory's contact e-mail (A's open need)


@pytest.fixture()
def world(app: Flask) -> World:
    return build_world(app)


def client_as(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role != sample.ANONYMOUS:
        assert login(client, world.emails[role]).status_code == 302
    return client


def get(app: Flask, world: World, role: str, url: str) -> tuple[int, str]:
    response = client_as(app, world, role).get(url)
    return response.status_code, response.get_data(as_text=True)


def assert_hidden(status: int, body: str, *secrets: str) -> None:
    assert status == 404
    leaked = [secret for secret in secrets if secret in body]
    assert leaked == []


PERSON = (sample.SECRET_EMAIL, sample.SECRET_PHONE, sample.SECRET_JOB_TITLE)


# --------------------------------------------------------------------------- profiles and CVs


def test_profile_is_hidden_from_another_professional(app: Flask, world: World) -> None:
    url = f"/profile/{world.ids['profile_id']}"
    status, body = get(app, world, sample.PROFESSIONAL, url)
    assert status == 200 and sample.SECRET_JOB_TITLE in body and sample.SECRET_PHONE in body

    assert_hidden(*get(app, world, sample.OTHER_PROFESSIONAL, url), *PERSON)
    assert_hidden(*get(app, world, sample.OTHER_PROFESSIONAL, f"{url}/photo"), *PERSON)


@pytest.mark.parametrize("role", [sample.MEMBER_A, sample.MEMBER_B])
def test_institutions_see_the_card_without_contact_details(
    app: Flask, world: World, role: str
) -> None:
    # The placement is only "interested": contact details are not revealed yet.
    status, body = get(app, world, role, f"/profile/{world.ids['profile_id']}")
    assert status == 200
    assert sample.SECRET_EMAIL not in body
    assert sample.SECRET_PHONE not in body


def test_staff_see_contact_details(app: Flask, world: World) -> None:
    status, body = get(app, world, sample.STAFF, f"/profile/{world.ids['profile_id']}")
    assert status == 200 and sample.SECRET_PHONE in body


@pytest.mark.parametrize("role", [sample.OTHER_PROFESSIONAL, sample.MEMBER_A, sample.MEMBER_B])
def test_cv_download_is_for_the_owner_and_staff(app: Flask, world: World, role: str) -> None:
    url = f"/profile/cv/{world.ids['cv_id']}/download"
    owner = client_as(app, world, sample.PROFESSIONAL).get(url)
    assert owner.status_code == 200 and owner.data == sample.CV_BYTES
    assert client_as(app, world, sample.STAFF).get(url).status_code == 200

    response = client_as(app, world, role).get(url)
    assert response.status_code == 404
    assert sample.SECRET_CV_TEXT.encode() not in response.data
    review = client_as(app, world, role).get(f"/profile/cv/{world.ids['cv_id']}/review")
    assert review.status_code in (403, 404)
    assert sample.SECRET_CV_TEXT.encode() not in review.data


def test_another_professional_cannot_remove_an_experience(app: Flask, world: World) -> None:
    client = client_as(app, world, sample.OTHER_PROFESSIONAL)
    response = client.post(f"/profile/experience/{world.ids['experience_id']}/remove")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Experience, world.ids["experience_id"]) is not None


# --------------------------------------------------------------------------- needs


@pytest.mark.parametrize(
    "role", [sample.ANONYMOUS, sample.PROFESSIONAL, sample.OTHER_PROFESSIONAL, sample.MEMBER_B]
)
def test_draft_need_is_hidden_outside_its_institution(app: Flask, world: World, role: str) -> None:
    need_id = world.ids["need_id"]
    secrets = (sample.SECRET_NEED_TITLE, sample.SECRET_NEED_CONTACT)
    assert_hidden(*get(app, world, role, f"/needs/{need_id}"), *secrets)
    assert_hidden(*get(app, world, role, f"/api/v1/needs/{need_id}"), *secrets)
    status, body = get(app, world, role, "/needs/")
    assert status == 200 and sample.SECRET_NEED_TITLE not in body
    status, body = get(app, world, role, "/api/v1/needs")
    assert status == 200 and sample.SECRET_NEED_TITLE not in body


def test_draft_need_is_visible_to_its_institution(app: Flask, world: World) -> None:
    status, body = get(app, world, sample.MEMBER_A, f"/needs/{world.ids['need_id']}")
    assert status == 200 and sample.SECRET_NEED_TITLE in body


def test_member_of_another_institution_cannot_edit_a_draft(app: Flask, world: World) -> None:
    client = client_as(app, world, sample.MEMBER_B)
    need_id = world.ids["need_id"]
    assert_hidden(*get(app, world, sample.MEMBER_B, f"/needs/{need_id}/edit"), *PERSON)
    response = client.post(f"/needs/{need_id}/edit", data={"title": "Hijacked"})
    assert response.status_code == 404
    for action in ("submit", "close", "fill", "publish"):
        assert client.post(f"/needs/{need_id}/{action}").status_code == 404, action
    with app.app_context():
        need = db.session.get(Need, need_id)
        assert need is not None
        assert (need.title, need.status) == (sample.SECRET_NEED_TITLE, "draft")


@pytest.mark.parametrize("role", [sample.ANONYMOUS, sample.PROFESSIONAL, sample.MEMBER_B])
def test_open_need_contact_only_for_its_institution(app: Flask, world: World, role: str) -> None:
    need_id = world.ids["open_need_id"]
    status, body = get(app, world, sample.MEMBER_A, f"/needs/{need_id}")
    assert status == 200 and OPEN_NEED_CONTACT in body
    for url in (f"/needs/{need_id}", f"/api/v1/needs/{need_id}"):
        status, body = get(app, world, role, url)
        assert status == 200 and OPEN_NEED_CONTACT not in body, url


# --------------------------------------------------------------------------- placements


@pytest.mark.parametrize("role", [sample.OTHER_PROFESSIONAL, sample.MEMBER_B])
def test_placement_is_hidden_from_non_parties(app: Flask, world: World, role: str) -> None:
    placement_id = world.ids["placement_id"]
    assert_hidden(*get(app, world, role, f"/placements/{placement_id}"), *PERSON)
    status, body = get(app, world, role, "/placements/")
    assert status == 200 and sample.SECRET_EMAIL not in body
    client = client_as(app, world, role)
    assert client.post(f"/placements/{placement_id}/act/decline").status_code == 404
    with app.app_context():
        placement = db.session.get(Placement, placement_id)
        assert placement is not None and placement.status == "interested"


def test_host_sees_placement_without_contact_before_acceptance(app: Flask, world: World) -> None:
    status, body = get(app, world, sample.MEMBER_A, f"/placements/{world.ids['placement_id']}")
    assert status == 200
    assert sample.SECRET_EMAIL not in body and sample.SECRET_PHONE not in body


# --------------------------------------------------------------------------- inbox and threads


@pytest.mark.parametrize("role", [sample.OTHER_PROFESSIONAL, sample.MEMBER_A, sample.STAFF])
def test_inbox_entries_are_for_their_owner(app: Flask, world: World, role: str) -> None:
    for key, secret in (
        ("inbox_entry_id", sample.SECRET_INBOX_SUBJECT),
        ("dm_entry_id", sample.SECRET_DM_BODY),
    ):
        url = f"/outreach/inbox/{world.ids[key]}"
        status, body = get(app, world, sample.PROFESSIONAL, url)
        assert status == 200 and secret in body
        assert_hidden(*get(app, world, role, url), secret, sample.SECRET_EMAIL)


@pytest.mark.parametrize("role", [sample.OTHER_PROFESSIONAL, sample.MEMBER_B])
def test_conversation_is_hidden_from_outsiders(app: Flask, world: World, role: str) -> None:
    url = f"/outreach/conversations/{world.ids['conversation_id']}"
    status, body = get(app, world, sample.PROFESSIONAL, url)
    assert status == 200 and sample.SECRET_DM_BODY in body
    secrets = (sample.SECRET_DM_SUBJECT, sample.SECRET_DM_BODY, sample.SECRET_EMAIL)
    assert_hidden(*get(app, world, role, url), *secrets)
    status, body = get(app, world, role, "/outreach/conversations")
    assert status == 200 and sample.SECRET_DM_SUBJECT not in body
    response = client_as(app, world, role).post(url, data={"body": "Injected reply"})
    assert response.status_code == 404
    with app.app_context():
        count = db.session.scalar(
            select(func.count(DirectMessage.id)).where(
                DirectMessage.conversation_id == world.ids["conversation_id"]
            )
        )
        assert count == 1


def test_member_cannot_attach_a_thread_to_another_institutions_need(
    app: Flask, world: World
) -> None:
    """Member B may write to a professional, but not about A's (draft) need or placement."""
    client = client_as(app, world, sample.MEMBER_B)
    url = (
        f"/outreach/conversations/new/{world.ids['professional_id']}"
        f"?need_id={world.ids['need_id']}&placement_id={world.ids['placement_id']}"
    )
    response = client.post(url, data={"subject": "About your mission", "body": "Hello"})
    assert response.status_code == 404
    with app.app_context():
        linked: Any = db.session.scalars(
            select(Conversation).where(
                Conversation.started_by_id == world.user_ids[sample.MEMBER_B]
            )
        ).all()
        assert [(c.need_id, c.placement_id) for c in linked] == []


# --------------------------------------------------------------------------- survey responses


@pytest.mark.parametrize(
    "role", [sample.OTHER_PROFESSIONAL, sample.MEMBER_A, sample.STAFF, sample.ADMIN]
)
def test_survey_draft_response_is_the_members_own(app: Flask, world: World, role: str) -> None:
    url = f"/surveys/{world.ids['survey_id']}/answer"
    status, body = get(app, world, sample.PROFESSIONAL, url)
    assert status == 200 and sample.SECRET_SURVEY_ANSWER in body
    assert_hidden(*get(app, world, role, url), sample.SECRET_SURVEY_ANSWER)
    question = f"q{world.ids['question_id']}"
    response = client_as(app, world, role).post(url, data={question: "Overwritten"})
    assert response.status_code == 404
    with app.app_context():
        answer = db.session.scalar(
            select(SurveyAnswer).where(SurveyAnswer.response_id == world.ids["survey_response_id"])
        )
        assert answer is not None and answer.value == sample.SECRET_SURVEY_ANSWER
