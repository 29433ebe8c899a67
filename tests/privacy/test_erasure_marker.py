"""Erasure is complete: a member writes a marker into every personal-data place they can reach,
is erased, and the marker is found nowhere: not in any column of any table, not in any file.

The scan iterates the whole metadata (every text, JSON and binary column) and every file under
the instance and upload folders, so a table or field added later is searched too. A hit names
the place (`table.column` or file path); fix it in that feature's `privacy.py` eraser.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import JSON, LargeBinary, String, Text, func, select

from app.auth.models import User
from app.database import utcnow
from app.extensions import db
from app.outreach import direct
from app.outreach.models import OutboxEmail, OutboxStatus
from app.placements import services as placement_services
from app.placements.models import EvaluationResponse
from app.privacy.models import ConsentKind
from app.privacy.services import erase_member, record_consent
from app.profiles.models import CVDocument, Education, Experience, ProfileSkill
from app.surveys import services as survey_services
from app.surveys.models import AudienceKind, SurveyAnswer
from tests.conftest import login
from tests.factories.auth import InstitutionUserFactory, StaffUserFactory
from tests.factories.institutions import InstitutionFactory, MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory
from tests.factories.surveys import SurveyFactory, add_all_question_types
from tests.surveys.helpers import answers

MARK = "Qzv7MarkerWord"  # appears nowhere else in the code or the fixtures
EMAIL = "marker.member@example.org"


def mark(place: str) -> str:
    """The marker, tagged with the place it was written to (a hit tells where it came from)."""
    return f"{MARK}-{place}"


def rows_containing(needle: str) -> list[str]:
    """Every table, every text/JSON/binary column: where does the needle still appear?"""
    hits = []
    low = needle.lower()
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.c if isinstance(c.type, String | Text | JSON | LargeBinary)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                if isinstance(value, bytes | bytearray | memoryview):
                    text = bytes(value).decode("latin-1")
                elif isinstance(value, str):
                    text = value
                else:
                    text = json.dumps(value, ensure_ascii=False)
                if low in text.lower():
                    hits.append(f"{table.name}.{column.name}: {text[:120]!r}")
    return hits


def files_containing(needle: str, *folders: Path) -> list[str]:
    hits = []
    raw = needle.lower().encode()
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else []:
            if path.is_file() and (
                raw in path.read_bytes().lower() or raw in str(path).lower().encode()
            ):
                hits.append(str(path))
    return hits


def _docx(n: int) -> bytes:
    from docx import Document

    document = Document()
    for line in (
        "Marker Member",
        f"Paediatric nurse {mark(f'cv-upload-{n}')}",
        "Experience: Montreal Children's Hospital, 2015-2024, paediatric nursing",
        "Skills: neonatal resuscitation, quality improvement",
    ):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _read_queued_cvs(app: Flask) -> None:
    """Run only the CV-reading jobs (the worker's full pass would also send the queued emails)."""
    from app.jobs.models import Job, JobStatus
    from app.jobs.registry import HANDLERS, load_worker_modules
    from app.profiles.cv import READ_JOB

    load_worker_modules()
    with app.app_context():
        for job in db.session.scalars(
            select(Job).where(Job.kind == READ_JOB, Job.status == JobStatus.PENDING)
        ).all():
            HANDLERS[READ_JOB](dict(job.payload))
            job.status = JobStatus.DONE
        db.session.commit()


def _fill_every_place(app: Flask, client: FlaskClient) -> tuple[int, int]:
    """The member writes the marker everywhere they can; returns (member id, host id)."""
    upload_dir = Path(app.config["UPLOAD_DIR"])
    for folder in ("cvs", "photos"):
        (upload_dir / folder).mkdir(parents=True, exist_ok=True)
    with app.app_context():
        staff = StaffUserFactory()
        host = InstitutionUserFactory(full_name="Host Umutoni")
        institution = InstitutionFactory()
        MembershipFactory(institution=institution, user=host)
        need = NeedFactory(institution=institution)
        # Profile: every free-text field, experience, education, skills, photo, CV and its text.
        profile = ProfileFactory(
            user__email=EMAIL,
            user__full_name="Marker Member",
            preferred_name="Markie",
            headline=mark("headline"),
            bio=mark("bio"),
            tie_note=mark("tie-note"),
            city=mark("city")[:60],
            photo_file="5eed5eed.jpg",
            photo_content_type="image/jpeg",
        )
        user = profile.user
        db.session.add_all(
            [
                Experience(
                    profile=profile,
                    title=mark("job-title"),
                    employer=mark("employer"),
                    description=mark("experience"),
                ),
                Education(
                    profile=profile,
                    degree=mark("degree"),
                    field=mark("field"),
                    institution=mark("school"),
                ),
                ProfileSkill(profile=profile, name=mark("skill")[:80], level="expert"),
                CVDocument(
                    profile_id=profile.id,
                    stored_name="c0ffee00.pdf",
                    original_name=f"{mark('cv-name')}.pdf",
                    content_type="application/pdf",
                    size=64,
                    text=mark("cv-text"),
                    suggestions={"skills": [mark("cv-suggestion")]},
                ),
            ]
        )
        (upload_dir / "cvs" / "c0ffee00.pdf").write_bytes(b"%PDF-1.4 " + mark("cv-file").encode())
        (upload_dir / "photos" / "5eed5eed.jpg").write_bytes(
            b"\xff\xd8\xff" + mark("photo").encode()
        )
        for kind in (ConsentKind.PRIVACY_NOTICE, ConsentKind.MATCHING, ConsentKind.NEWSLETTERS):
            record_consent(user, kind, True, source="signup")
        # Placement: their interest message (announced to the host), then the texts of the
        # placement and an evaluation they answered, and a staff note about them.
        placement = placement_services.express_interest(
            need, profile, by=user, message=mark("interest")
        )
        placement.response_message = mark("response")
        placement.plan_logistics = mark("logistics")
        placement.outcome_story = mark("story")
        placement_services.add_internal_note(placement, by=staff, body=mark("staff-note"))
        db.session.add(
            EvaluationResponse(
                placement_id=placement.id,
                wave="end",
                respondent="professional",
                user_id=user.id,
                answered_at=utcnow(),
                rating=5,
                comment=mark("evaluation"),
                answers={"useful": 4, "advice": mark("evaluation-answer")},
            )
        )
        # Direct messages: the host writes; the member replies twice (an email quoting the
        # reply is queued for the host, an inbox entry quotes it too).
        conversation = direct.start_conversation(
            host, user, subject="About your application", body="Hello!", need_id=need.id
        )
        direct.reply(conversation, user, mark("reply-1"))
        direct.reply(conversation, host, "Thank you, noted.")
        direct.reply(conversation, user, mark("reply-2"))
        # A staff thread too (staff write to anyone).
        staff_thread = direct.start_conversation(staff, user, subject="Check-in", body="Hi")
        direct.reply(staff_thread, user, mark("reply-to-staff"))
        # An identified survey to everyone.
        survey = SurveyFactory(audience_kind=AudienceKind.ALL)
        questions = {name: q.id for name, q in add_all_question_types(survey).items()}
        survey_services.open_survey(survey)
        db.session.commit()
        ids = (user.id, host.id, survey.id)
    login(client, EMAIL)
    # Two CVs through the upload page: the worker reads the first (its text and suggestions are
    # stored); the second is still queued when the member is erased.
    for n in (1, 2):
        uploaded = client.post(
            "/profile/cv",
            data={"cv": (io.BytesIO(_docx(n)), f"{mark('upload-name')}-{n}.docx")},
            content_type="multipart/form-data",
        )
        assert uploaded.status_code == 302, uploaded.get_data(True)
        if n == 1:
            _read_queued_cvs(app)
    # Survey answers through the answering page, including an "other" text.
    sent = client.post(
        f"/surveys/{ids[2]}/answer",
        data=answers(
            questions,
            short=mark("survey-short"),
            conditional=mark("survey-long"),
            **{f"q{questions['multiple']}_other": mark("survey-other")},
        ),
    )
    assert sent.status_code == 303, sent.get_data(True)
    client.post("/auth/logout")
    return ids[0], ids[1]


def test_erased_member_leaves_no_marker_in_any_table_or_file(
    app: Flask, client: FlaskClient
) -> None:
    member_id, host_id = _fill_every_place(app, client)
    folders = (Path(app.config["UPLOAD_DIR"]), Path(app.config["INSTANCE_DIR"]))
    with app.app_context():
        # The marker really reached every kind of place before erasure (the test is not empty).
        before = rows_containing(MARK)
        for place in (
            "profiles.bio",
            "profile_experience.description",
            "profile_education.degree",
            "profile_skills.name",
            "cv_documents.text",
            "direct_messages.body",
            "outbox_emails.text_body",
            "inbox_entries.body",
            "survey_answers.value",
            "survey_answers.other_text",
            "placements.interest_message",
            "placement_notes.body",
            "evaluation_responses.answers",
        ):
            assert any(hit.startswith(place + ":") for hit in before), place
        queued_for_host = db.session.scalar(
            select(func.count()).where(
                OutboxEmail.user_id == host_id,
                OutboxEmail.status == OutboxStatus.QUEUED,
                OutboxEmail.text_body.contains(MARK),
            )
        )
        assert queued_for_host == 2  # the two replies, quoted in the host's notifications
        assert files_containing(MARK, *folders)

        assert any(mark("cv-upload-1") in hit for hit in before), "the worker read the CV"

        erase_member(db.session.get(User, member_id))
        db.session.commit()
    # The second CV's read job was still queued: it finds nothing to read and brings nothing back.
    _read_queued_cvs(app)
    upload_dir = Path(app.config["UPLOAD_DIR"])
    assert [p for p in upload_dir.rglob("*") if p.is_file()] == []  # CVs (zipped too), photo
    with app.app_context():
        left = rows_containing(MARK)
        assert left == [], "\n".join(left)
        assert rows_containing(EMAIL) == []
        assert files_containing(MARK, *folders) == []
        # The host's notifications quoting the member are withdrawn, not sent later.
        assert (
            db.session.scalar(
                select(func.count()).where(
                    OutboxEmail.user_id == host_id,
                    OutboxEmail.status.in_([OutboxStatus.QUEUED, OutboxStatus.SENDING]),
                    OutboxEmail.idempotency_key.like("dm%"),
                )
            )
            == 0
        )
        # Survey statistics stay true: the choice and number answers are kept, unlinked.
        assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) > 0
