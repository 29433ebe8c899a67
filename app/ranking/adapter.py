"""The one adapter between ORM rows and the matcher's plain documents.

Profiles and needs call it to compute the content hash of the text the matcher reads, so a
change to that text (and only such a change) marks the row for re-embedding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db

if TYPE_CHECKING:
    from sqlalchemy import Select

    from app.matching import CandidateDocument, NeedDocument
    from app.needs.models import Need
    from app.profiles.models import Profile


def _candidate(profile: Profile, has_matching_consent: bool) -> CandidateDocument:
    from app.matching import CandidateDocument, CandidateSkill

    return CandidateDocument(
        id=str(profile.id),
        headline=profile.headline or "",
        summary=profile.bio or "",
        skills=tuple(
            CandidateSkill(name=s.name, level=str(s.level), years=float(s.years or 0))
            for s in profile.skills
        ),
        languages=tuple(lang.code for lang in profile.languages),
        mode=str(profile.mode or "both"),
        availability=tuple((w.start, w.end) for w in profile.windows),
        sectors=tuple(profile.sectors or ()),
        has_matching_consent=has_matching_consent,
        is_confirmed=profile.is_confirmed,
        gender=str(profile.gender) if profile.gender else None,
        country=profile.country or None,
    )


def candidate_document(profile: Profile) -> CandidateDocument:
    """Map a profile to the matcher's CandidateDocument (no contact data: phone, email, photo)."""
    from app.privacy.models import ConsentKind
    from app.privacy.services import current_consents

    consent = current_consents(profile.user).get(ConsentKind.MATCHING)
    return _candidate(profile, bool(consent and consent.granted))


def matching_consents(user_ids: Iterable[int]) -> dict[int, bool]:
    """Return {user id: latest matching-consent decision} in one query (absent: no decision)."""
    from app.privacy.models import ConsentKind, ConsentRecord

    ids = sorted(set(user_ids))
    latest: dict[int, bool] = {}
    for start in range(0, len(ids), 900):  # stays under SQLite's bound-parameter limit
        rows = db.session.execute(
            select(ConsentRecord.user_id, ConsentRecord.granted)
            .where(
                ConsentRecord.user_id.in_(ids[start : start + 900]),
                ConsentRecord.kind == ConsentKind.MATCHING,
            )
            .order_by(ConsentRecord.recorded_at, ConsentRecord.id)
        )
        for user_id, granted in rows:
            latest[user_id] = bool(granted)
    return latest


def candidate_profiles_query() -> Select[tuple[Profile]]:
    """Profiles that take part in matching (not merged away), with their entries eager-loaded."""
    from app.profiles.models import Profile

    return (
        select(Profile)
        .where(Profile.merged_into_id.is_(None))
        .options(
            selectinload(Profile.skills),
            selectinload(Profile.languages),
            selectinload(Profile.windows),
        )
        .order_by(Profile.id)
    )


def candidate_documents(profiles: Sequence[Profile]) -> list[CandidateDocument]:
    """Documents of many profiles: consents in one query, entries loaded with selectinload."""
    from app.profiles.models import Profile

    unloaded = [p.id for p in profiles if "skills" not in p.__dict__]
    if unloaded:
        # Populates the identity map's collections in three queries instead of 3 per profile.
        db.session.scalars(
            select(Profile)
            .where(Profile.id.in_(unloaded))
            .options(
                selectinload(Profile.skills),
                selectinload(Profile.languages),
                selectinload(Profile.windows),
            )
        ).all()
    consents = matching_consents(p.user_id for p in profiles)
    return [_candidate(p, consents.get(p.user_id, False)) for p in profiles]


def need_document(need: Need) -> NeedDocument:
    """Map a need to the matcher's NeedDocument (no contact person, no institution data)."""
    from app.matching import NeedDocument, RequiredSkill

    description = "\n\n".join(
        part
        for part in (
            need.background or "",
            need.objectives or "",
            "\n".join(f"- {item}" for item in need.deliverables or ()),
            need.success_criteria or "",
        )
        if part.strip()
    )
    return NeedDocument(
        id=str(need.id),
        title=need.title or "",
        description=description,
        required_skills=tuple(
            RequiredSkill(name=s.name, importance=str(s.importance)) for s in need.skills
        ),
        languages=tuple(sorted(lang.code for lang in need.languages)),
        language_mode=need.language_mode or "all",
        mode=str(need.mode or "any"),
        start=need.start_date,
        end=need.end_date,
        sector=need.sector or None,
    )
