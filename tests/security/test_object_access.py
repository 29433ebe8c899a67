"""Object-level access: someone else's profile, CV, draft need, placement, inbox entry, thread and
survey response answer 404 and show none of the object's private details; the owner (positive
control) does see them, so an absence is meaningful."""

from __future__ import annotations

from pathlib import Path
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
from tests.factories.auth import InstitutionUserFactory
from tests.factories.institutions import InstitutionFactory, MembershipFactory
from tests.factories.matrix import World, build_world
from tests.factories.needs import NeedFactory

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


def test_institutions_see_the_card_without_contact_details(app: Flask, world: World) -> None:
    # A sees the professional through their placement, which is only "interested": contact
    # details are not revealed yet. B, verified but with no reason, sees nothing.
    for url in (f"/profile/{world.ids['profile_id']}", f"/profile/p/{world.ids['public_id']}"):
        status, body = get(app, world, sample.MEMBER_A, url)
        assert status == 200
        assert sample.SECRET_EMAIL not in body
        assert sample.SECRET_PHONE not in body
        assert_hidden(*get(app, world, sample.MEMBER_B, url), *PERSON)


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


# ------------------------------------------------------------------- who may see a professional

# URL arguments that name a professional (or their CV): every route taking one is walked, so a
# route added later is covered without touching this test.
PERSON_ARGS = ("profile_id", "public_id", "cv_id", "professional_id")
MISSING = {"profile_id": 987654, "public_id": "A" * 22, "cv_id": 987654, "professional_id": 987654}
# The routes an institution member may enter at all: these must answer 404, not 403.
MEMBER_ROUTES = (
    "profiles.view",
    "profiles.photo",
    "profiles.card",
    "profiles.card_photo",
    "profiles.download_cv",
    "outreach.new_conversation",
)


def _person_routes(app: Flask) -> list[Any]:
    rules = [r for r in app.url_map.iter_rules() if set(r.arguments) & set(PERSON_ARGS)]
    assert {r.endpoint for r in rules} >= set(MEMBER_ROUTES)
    return sorted(rules, key=lambda r: r.rule)


def _fill(rule: Any, world: World, *, missing: bool) -> str:
    values: dict[str, Any] = {}
    for name in rule.arguments:
        if name in PERSON_ARGS:
            values[name] = MISSING[name] if missing else world.ids[name]
        elif name == "action":
            values[name] = "shortlist"
        elif name == "need_id":
            values[name] = world.ids["open_need_id"]
        else:
            values[name] = world.ids[name]
    return str(rule.build(values, append_unknown=False)[1])


def _member_without_verified_institution(app: Flask, *, pending: bool) -> str:
    """An institution member with no organisation, or with one still pending verification."""
    with app.app_context():
        member = InstitutionUserFactory()
        if pending:
            institution = InstitutionFactory(status="pending")
            MembershipFactory(institution=institution, user=member)
            # A draft need of its own, which the professional would pass: still no access.
            NeedFactory(institution=institution, status="draft", mode="remote", languages=[])
        db.session.commit()
        return str(member.email)


@pytest.mark.parametrize("pending", [True, False], ids=["unverified", "no_organisation"])
def test_member_without_a_verified_institution_sees_no_professional(
    app: Flask, world: World, pending: bool
) -> None:
    """Every profile, photo, CV and write-to route (web and API), real ids and random ones: 404
    for the routes a member may enter, the same answer for an existing and a missing id, and no
    private detail anywhere."""
    with app.app_context():
        # The professional is even rankable: consent to be matched, remote, no dates.
        from app.privacy.models import ConsentKind
        from app.privacy.services import record_consent
        from app.profiles.models import Profile

        profile = db.session.get(Profile, world.ids["profile_id"])
        assert profile is not None
        record_consent(profile.user, ConsentKind.MATCHING, True)
        profile.mode = "both"
        db.session.commit()
    client = app.test_client()
    assert login(client, _member_without_verified_institution(app, pending=pending)).status_code
    secrets = (*PERSON, sample.SECRET_CV_TEXT, "Amahoro")
    walked = []
    for rule in _person_routes(app):
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            found = client.open(_fill(rule, world, missing=False), method=method)
            absent = client.open(_fill(rule, world, missing=True), method=method)
            body = found.get_data(as_text=True)
            assert found.status_code == absent.status_code, (rule.rule, method)
            expected = (404,) if rule.endpoint in MEMBER_ROUTES else (403, 404)
            assert found.status_code in expected, (rule.rule, method, found.status_code)
            assert [s for s in secrets if s in body] == [], (rule.rule, method)
            walked.append(rule.endpoint)
    assert set(MEMBER_ROUTES) <= set(walked)
    # The API serialises no other member's profile: nothing of the professional's shows there.
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") and "GET" in (rule.methods or ()) and not rule.arguments:
            body = client.get(rule.rule).get_data(as_text=True)
            assert [s for s in secrets if s in body] == [], rule.rule


def _reasons_world(app: Flask, *, verified: bool = True) -> dict[str, Any]:
    """One institution with an open need (remote, French) and one member, and professionals
    who each have one reason (or none) to be seen by it; every one has a photo."""
    from app.outreach.models import Conversation, DirectMessage
    from tests.factories.placements import PlacementFactory
    from tests.factories.ranking import make_candidate

    with app.app_context():
        photos = Path(app.config["UPLOAD_DIR"]) / "photos"
        photos.mkdir(parents=True, exist_ok=True)
        institution = InstitutionFactory(status="verified" if verified else "pending")
        member = InstitutionUserFactory()
        MembershipFactory(institution=institution, user=member)
        need = NeedFactory(institution=institution, mode="remote", languages=["fr"])
        other_need = NeedFactory(mode="remote", languages=["fr"])  # another institution's

        def person(key: str, **fields: Any) -> Any:
            name = f"{key}.png"
            (photos / name).write_bytes(sample.PHOTO_BYTES)
            fields.setdefault("languages", ["fr"])
            return make_candidate(
                full_name=f"Person {key}", photo_file=name, photo_content_type="image/png", **fields
            )

        people = {
            "ranked": person("ranked"),  # passes the need's hard filters, consents
            "no_consent": person("no_consent", consent=False),
            "filtered": person("filtered", languages=["en"]),  # fails the language filter
            "shortlisted": person("shortlisted", consent=False),
            "placed_elsewhere": person("placed_elsewhere", consent=False),
            "wrote": person("wrote", consent=False),
            "written_to": person("written_to", consent=False),
            "stranger": person("stranger", consent=False),
        }
        PlacementFactory(need=need, profile=people["shortlisted"], status="shortlisted")
        PlacementFactory(need=other_need, profile=people["placed_elsewhere"], status="accepted")
        for key, replied in (("wrote", True), ("written_to", False)):
            thread = Conversation(
                professional_id=people[key].user_id, started_by_id=member.id, subject="Hello"
            )
            db.session.add(thread)
            db.session.flush()
            db.session.add(DirectMessage(conversation=thread, sender_id=member.id, body="Hi"))
            if replied:
                db.session.add(
                    DirectMessage(conversation=thread, sender_id=people[key].user_id, body="Yes")
                )
        db.session.commit()
        return {
            "email": member.email,
            "ids": {k: (p.id, p.public_id) for k, p in people.items()},
        }


SEEN = {"ranked", "shortlisted", "wrote"}


def test_verified_member_sees_only_professionals_with_a_reason(app: Flask) -> None:
    """In the ranked list, on the shortlist or in a placement, or wrote to us: 200; anyone else
    (no consent, filtered out, placed with another institution, written to without an answer,
    a stranger): 404, on every profile and photo URL."""
    world = _reasons_world(app)
    client = app.test_client()
    login(client, world["email"])
    seen = set()
    for key, (profile_id, public_id) in world["ids"].items():
        urls = (
            f"/profile/{profile_id}",
            f"/profile/{profile_id}/photo",
            f"/profile/p/{public_id}",
            f"/profile/p/{public_id}/photo",
        )
        codes = {client.get(url).status_code for url in urls}
        assert len(codes) == 1, (key, codes)
        if codes == {200}:
            seen.add(key)
        else:
            assert codes == {404}, (key, codes)
    assert seen == SEEN


def test_the_same_reasons_count_for_nothing_before_verification(app: Flask) -> None:
    world = _reasons_world(app, verified=False)
    client = app.test_client()
    login(client, world["email"])
    for key, (profile_id, public_id) in world["ids"].items():
        for url in (f"/profile/{profile_id}", f"/profile/p/{public_id}/photo"):
            assert client.get(url).status_code == 404, (key, url)


def test_every_feature_registered_its_reason(app: Flask) -> None:
    from app.profiles.access import visibility_reasons

    assert set(visibility_reasons()) == {"ranking", "placements", "outreach"}


def test_institution_links_carry_the_public_id(app: Flask, world: World) -> None:
    """What institutions are shown links to the random public id, never the row id."""
    status, body = get(app, world, sample.MEMBER_A, f"/placements/{world.ids['placement_id']}")
    assert status == 200
    assert f"/profile/p/{world.ids['public_id']}" in body
    assert f'/profile/{world.ids["profile_id"]}"' not in body
