"""Imports every feature's models so the metadata (and Alembic autogenerate) sees all tables."""

from app.audit.models import AuditEntry
from app.auth.models import RecoveryCode, User
from app.institutions.models import Institution, InstitutionMembership
from app.jobs.models import Job
from app.needs.models import Need, NeedLanguage, NeedRevision, NeedSkill
from app.outreach.models import (
    Conversation,
    DeliveryPreference,
    DirectMessage,
    InboxEntry,
    MessageRecipient,
    OpportunityAlert,
    OutboxEmail,
    OutreachMessage,
    Segment,
)
from app.placements.models import EvaluationResponse, Placement, PlacementEvent, PlacementNote
from app.privacy.models import ConsentRecord, ErasedMemberStat
from app.profiles.models import (
    AvailabilityWindow,
    CVDocument,
    DuplicateCandidate,
    Education,
    Experience,
    Profile,
    ProfileLanguage,
    ProfileSkill,
)
from app.ranking.models import DocumentVector, NeedAlertRun, SkillPhraseVector
from app.surveys.models import (
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
    SurveyToken,
)

__all__ = [
    "AuditEntry",
    "AvailabilityWindow",
    "CVDocument",
    "ConsentRecord",
    "Conversation",
    "DeliveryPreference",
    "DirectMessage",
    "DocumentVector",
    "DuplicateCandidate",
    "Education",
    "ErasedMemberStat",
    "EvaluationResponse",
    "Experience",
    "InboxEntry",
    "Institution",
    "InstitutionMembership",
    "Job",
    "MessageRecipient",
    "Need",
    "NeedAlertRun",
    "NeedLanguage",
    "NeedRevision",
    "NeedSkill",
    "OpportunityAlert",
    "OutboxEmail",
    "OutreachMessage",
    "Placement",
    "PlacementEvent",
    "PlacementNote",
    "Profile",
    "ProfileLanguage",
    "ProfileSkill",
    "RecoveryCode",
    "Segment",
    "SkillPhraseVector",
    "Survey",
    "SurveyAnswer",
    "SurveyInvitation",
    "SurveyQuestion",
    "SurveyResponse",
    "SurveyToken",
    "User",
]
