"""A sample world for the route × role access matrix: one account per role and one object of
each kind, with private details that must never leak to the wrong account."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask

from app.audit import actions
from app.audit.services import record_audit
from app.database import utcnow
from app.extensions import db
from app.needs.models import NeedStatus
from app.outreach.models import (
    Conversation,
    DirectMessage,
    InboxEntry,
    InboxKind,
    MessageStatus,
)
from app.placements.models import EvaluationResponse, Respondent, Wave
from app.profiles.models import (
    AvailabilityWindow,
    CVDocument,
    DuplicateCandidate,
    Education,
    Experience,
)
from app.surveys import services as survey_services
from app.surveys.models import ResponseStatus, SurveyInvitation, SurveyResponse, SurveyStatus
from tests.factories.auth import (
    AdminUserFactory,
    InstitutionUserFactory,
    ProfessionalUserFactory,
    StaffUserFactory,
)
from tests.factories.institutions import InstitutionFactory, MembershipFactory
from tests.factories.needs import NeedFactory
from tests.factories.outreach import make_message, make_segment
from tests.factories.placements import PlacementFactory
from tests.factories.profiles import (
    ProfileFactory,
    ProfileLanguageFactory,
    ProfileSkillFactory,
)
from tests.factories.surveys import SurveyFactory

# The roles of the matrix, in column order.
ANONYMOUS = "anonymous"
PROFESSIONAL = "professional"
OTHER_PROFESSIONAL = "other_professional"
MEMBER_A = "member_a"
MEMBER_B = "member_b"
STAFF = "rca_staff"
ADMIN = "admin"
ROLES = (ANONYMOUS, PROFESSIONAL, OTHER_PROFESSIONAL, MEMBER_A, MEMBER_B, STAFF, ADMIN)

# Private details of the sample professional and of A's draft need (absent from denials).
SECRET_EMAIL = "amahoro.secret@example.org"
SECRET_PHONE = "+250788123987"
SECRET_JOB_TITLE = "Chief Cardiothoracic Perfusionist"
SECRET_CV_TEXT = "CONFIDENTIAL-CV-BODY-7731"
SECRET_NEED_TITLE = "Confidential draft need 4471"
SECRET_NEED_CONTACT = "draft.contact@hospital-a.rw"
SECRET_INBOX_SUBJECT = "Private broadcast subject 5521"
SECRET_DM_SUBJECT = "Private thread subject 9043"
SECRET_DM_BODY = "Private direct message body 9043"
SECRET_SURVEY_ANSWER = "Private survey answer 6610"
CV_BYTES = b"%PDF-1.4\n% " + SECRET_CV_TEXT.encode() + b"\n%%EOF\n"
PHOTO_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@dataclass
class World:
    """Ids of the sample objects and the e-mail address of each role's account."""

    emails: dict[str, str] = field(default_factory=dict)
    user_ids: dict[str, int] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)  # ints, and the profile's public_id


def build_world(app: Flask) -> World:
    """Create (and commit) the sample world; return its ids."""
    world = World()
    with app.app_context():
        upload_dir = Path(app.config["UPLOAD_DIR"])
        professional = ProfessionalUserFactory(email=SECRET_EMAIL, full_name="Amahoro Uwase")
        other = ProfessionalUserFactory(email="other.pro@example.org")
        member_a = InstitutionUserFactory(email="member.a@hospital-a.rw")
        colleague_a = InstitutionUserFactory(email="colleague.a@hospital-a.rw")
        member_b = InstitutionUserFactory(email="member.b@school-b.rw")
        staff = StaffUserFactory(email="staff@rca.gov.rw")
        admin = AdminUserFactory(email="admin@rca.gov.rw")
        target = ProfessionalUserFactory(email="target@example.org")
        for role, user in (
            (PROFESSIONAL, professional),
            (OTHER_PROFESSIONAL, other),
            (MEMBER_A, member_a),
            (MEMBER_B, member_b),
            (STAFF, staff),
            (ADMIN, admin),
        ):
            world.emails[role] = user.email
            world.user_ids[role] = user.id

        # The professional's profile and everything hanging off it.
        (upload_dir / "photos").mkdir(parents=True, exist_ok=True)
        (upload_dir / "photos" / "matrix-photo.png").write_bytes(PHOTO_BYTES)
        profile = ProfileFactory(
            user=professional,
            phone=SECRET_PHONE,
            photo_file="matrix-photo.png",
            photo_content_type="image/png",
        )
        other_profile = ProfileFactory(user=other)
        target_profile = ProfileFactory(user=target)
        skill = ProfileSkillFactory(profile=profile)
        language = ProfileLanguageFactory(profile=profile)
        education = Education(profile=profile, degree="MSc Nursing", year=2015)
        experience = Experience(profile=profile, title=SECRET_JOB_TITLE, employer="CHU Montreal")
        window = AvailabilityWindow(profile=profile, start=date(2027, 1, 1), end=date(2027, 2, 1))
        db.session.add_all([education, experience, window])
        (upload_dir / "cvs").mkdir(parents=True, exist_ok=True)
        (upload_dir / "cvs" / "matrix-cv.pdf").write_bytes(CV_BYTES)
        db.session.flush()
        cv = CVDocument(
            profile_id=profile.id,
            stored_name="matrix-cv.pdf",
            original_name="amahoro-cv.pdf",
            content_type="application/pdf",
            size=len(CV_BYTES),
            text=SECRET_CV_TEXT,
            suggestions={"skills": [], "titles": [SECRET_JOB_TITLE], "education": []},
        )
        duplicate = DuplicateCandidate(
            profile=other_profile, other_profile=target_profile, reason="phone"
        )
        db.session.add_all([cv, duplicate])

        # Institutions A (with a draft and an open need) and B (with its own draft need).
        institution_a = InstitutionFactory(name="Hospital A")
        institution_b = InstitutionFactory(name="School B")
        MembershipFactory(institution=institution_a, user=member_a, is_admin=True)
        colleague_membership = MembershipFactory(
            institution=institution_a, user=colleague_a, is_admin=False
        )
        MembershipFactory(institution=institution_b, user=member_b, is_admin=True)
        pending = InstitutionFactory(name="Pending C", status="pending")
        draft_need = NeedFactory(
            institution=institution_a,
            status=NeedStatus.DRAFT,
            title=SECRET_NEED_TITLE,
            contact_email=SECRET_NEED_CONTACT,
        )
        open_need = NeedFactory(institution=institution_a, status=NeedStatus.OPEN)
        draft_need_b = NeedFactory(institution=institution_b, status=NeedStatus.DRAFT)

        placement = PlacementFactory(need=open_need, profile=profile, created_by=professional)
        evaluation = EvaluationResponse(
            placement=placement,
            wave=Wave.END,
            respondent=Respondent.PROFESSIONAL,
            user_id=professional.id,
        )
        db.session.add(evaluation)

        # Outreach: a sent broadcast in the professional's inbox, a direct-message thread.
        segment = make_segment({"sectors": ["health"]}, name="Health professionals")
        message = make_message(
            staff.id,
            subject=SECRET_INBOX_SUBJECT,
            segment_id=segment.id,
            status=MessageStatus.SENT,
            sent_at=utcnow(),
        )
        conversation = Conversation(
            professional_id=professional.id,
            started_by_id=member_a.id,
            subject=SECRET_DM_SUBJECT,
            need_id=open_need.id,
        )
        db.session.add(conversation)
        db.session.flush()
        db.session.add(
            DirectMessage(conversation=conversation, sender_id=member_a.id, body=SECRET_DM_BODY)
        )
        inbox_entry = InboxEntry(
            user_id=professional.id, kind=InboxKind.BROADCAST, message_id=message.id
        )
        dm_entry = InboxEntry(
            user_id=professional.id,
            kind=InboxKind.DIRECT,
            conversation_id=conversation.id,
            subject=SECRET_DM_SUBJECT,
            body=SECRET_DM_BODY,
        )
        db.session.add_all([inbox_entry, dm_entry])

        # An open identified survey the professional was invited to, with a draft response.
        survey = SurveyFactory(
            title="Member survey",
            status=SurveyStatus.OPEN,
            opened_at=utcnow(),
            is_anonymous=False,
        )
        db.session.flush()
        question = survey_services.save_question(
            survey, None, kind="short_text", text="Your job title"
        )
        db.session.add(SurveyInvitation(survey_id=survey.id, user_id=professional.id))
        response = SurveyResponse(
            survey_id=survey.id, user_id=professional.id, status=ResponseStatus.DRAFT
        )
        db.session.add(response)
        db.session.flush()
        from app.surveys.models import SurveyAnswer

        db.session.add(
            SurveyAnswer(
                response_id=response.id, question_id=question.id, value=SECRET_SURVEY_ANSWER
            )
        )
        db.session.flush()
        record_audit(actions.PROFILE_VIEWED, target=profile, subject=professional.id, actor=staff)
        db.session.commit()

        world.ids = {
            "user_id": target.id,  # a spare account the admin actions may change
            "professional_id": professional.id,
            "profile_id": profile.id,
            "public_id": profile.public_id,
            "other_profile_id": other_profile.id,
            "cv_id": cv.id,
            "entry_id": experience.id,
            "education_id": education.id,
            "experience_id": experience.id,
            "language_id": language.id,
            "skill_id": skill.id,
            "window_id": window.id,
            "candidate_id": duplicate.id,
            "institution_id": institution_a.id,
            "institution_b_id": institution_b.id,
            "pending_institution_id": pending.id,
            "membership_id": colleague_membership.id,
            "need_id": draft_need.id,
            "open_need_id": open_need.id,
            "need_b_id": draft_need_b.id,
            "placement_id": placement.id,
            "response_id": evaluation.id,
            "segment_id": segment.id,
            "message_id": message.id,
            "conversation_id": conversation.id,
            "inbox_entry_id": inbox_entry.id,
            "dm_entry_id": dm_entry.id,
            "survey_id": survey.id,
            "question_id": question.id,
            "survey_response_id": response.id,
        }
    return world
