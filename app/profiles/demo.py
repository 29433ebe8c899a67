"""Demo professionals: app/demo/generator.py's plain records turned into accounts and profiles."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.database import utcnow
from app.demo.generator import DemoProfessional, generate_professionals
from app.extensions import db
from app.privacy.models import ConsentKind, ConsentRecord
from app.profiles.models import (
    AvailabilityWindow,
    Education,
    Experience,
    Profile,
    ProfileLanguage,
    ProfileSkill,
    SkillLevel,
)
from app.ranking.adapter import candidate_document
from app.reference.languages import is_language, is_level
from app.reference.skills import canonical_for

_LEVELS = {"basic": SkillLevel.BEGINNER, "beginner": SkillLevel.BEGINNER}
DEMO_PROFESSIONAL_EMAIL = "amina.uwase@demo.umuhuza.rw"


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC)


def _profile_from(demo: DemoProfessional, user: User) -> Profile:
    """Build (without flushing) a complete profile from a generated professional."""
    availability = demo.availability
    registered = _at(demo.registered_at)
    profile = Profile(
        user=user,
        full_name=demo.full_name,
        preferred_name=demo.preferred_name if demo.preferred_name != demo.full_name else "",
        gender=demo.gender,
        birth_year=demo.birth_year,
        phone=demo.phone,
        country=demo.country,
        city=demo.city,
        timezone=demo.timezone,
        tie_to_rwanda=demo.tie_to_rwanda,
        headline=demo.headline[:160],
        bio=demo.bio[:2000],
        sectors=list(dict.fromkeys(demo.sectors)),
        mode=availability.mode,
        hours_per_week=availability.hours_per_week,
        onsite_weeks=availability.onsite_weeks if availability.mode != "remote" else None,
        willing_to_mentor=availability.willing_to_mentor,
        open_to_paid=availability.open_to_paid,
        open_to_unpaid=availability.open_to_unpaid,
        availability_saved=True,
        consents_saved=True,
        created_at=registered,
        last_updated_at=registered,
        last_confirmed_at=utcnow(),
    )
    seen_languages: set[str] = set()
    for code, level in demo.languages:
        if is_language(code) and code not in seen_languages:
            seen_languages.add(code)
            profile.languages.append(
                ProfileLanguage(code=code, level=level if is_level(level) else "B2")
            )
    seen_skills: set[str] = set()
    for name, level, years in demo.skills:
        canonical = canonical_for(name) or name.lower()
        if canonical in seen_skills:
            continue
        seen_skills.add(canonical)
        stored_level = _LEVELS.get(level) or SkillLevel(level)
        profile.skills.append(ProfileSkill(name=canonical, level=stored_level, years=years))
    for edu in demo.education:
        profile.education.append(
            Education(
                degree=edu.degree,
                field=edu.field,
                institution=edu.institution,
                country=edu.country,
                year=edu.graduation_year,
            )
        )
    for job in demo.experience:
        profile.experience.append(
            Experience(
                title=job.title[:160],
                employer=job.employer[:200],
                country=job.country,
                start_date=job.start,
                end_date=job.end,
                description=job.description[:2000],
            )
        )
    for start, end in availability.windows:
        profile.windows.append(AvailabilityWindow(start=start, end=end))
    return profile


def _consents(user_id: int, demo: DemoProfessional, version: str) -> list[ConsentRecord]:
    # Built directly (not via record_consent, which flushes each row) so 220 members load in
    # one batched insert; the rows are exactly what record_consent would write.
    at = _at(demo.registered_at)
    choices = {
        ConsentKind.PRIVACY_NOTICE: True,
        ConsentKind.MATCHING: demo.consents.matching,
        ConsentKind.NEWSLETTERS: demo.consents.newsletters,
        ConsentKind.STATISTICS: demo.consents.statistics,
    }
    return [
        ConsentRecord(
            user_id=user_id,
            kind=kind,
            granted=granted,
            notice_version=version,
            recorded_at=at,
            source="demo",
        )
        for kind, granted in choices.items()
    ]


def _amina(demo: DemoProfessional) -> DemoProfessional:
    """Turn one generated nurse into the demo login's profile: Amina Uwase, Montreal."""
    demo.full_name, demo.preferred_name, demo.gender = "Amina Uwase", "Amina", "female"
    demo.email, demo.country, demo.city = DEMO_PROFESSIONAL_EMAIL, "CA", "Montreal"
    demo.timezone, demo.phone, demo.tie_to_rwanda = "America/Toronto", "+15145550142", "citizen"
    demo.birth_year = 1987
    demo.headline = "Paediatric nurse and clinical educator, neonatal intensive care"
    demo.bio = (
        "Paediatric nurse with twelve years in neonatal and paediatric intensive care in "
        "Montreal. I precept new nurses, lead resuscitation drills and would like to help "
        "Rwandan hospitals strengthen neonatal care and nurse training."
    )
    demo.languages = [("rw", "native"), ("fr", "C2"), ("en", "C1"), ("sw", "B1")]
    # Twelve years of practice read as such, and an open calendar, so the demo login is shown
    # recommended needs and ranks near the top of the demo host's neonatal need.
    demo.skills = [
        ("paediatric nursing", "expert", 12),
        ("neonatal intensive care", "expert", 10),
        ("neonatal resuscitation", "expert", 10),
        ("critical care nursing", "advanced", 8),
        ("medical education", "advanced", 6),
        ("training of trainers", "advanced", 5),
        ("mentoring and coaching", "advanced", 8),
        ("electronic medical records", "intermediate", 4),
    ]
    today = utcnow().date()
    demo.availability.mode = "both"
    demo.availability.windows = [(today + timedelta(days=14), today + timedelta(days=730))]
    demo.availability.hours_per_week = 8
    demo.availability.onsite_weeks = 6
    demo.consents.matching = demo.consents.statistics = demo.consents.newsletters = True
    return demo


def seed_professionals(count: int, seed: int, *, password_hash: str | None = None) -> list[Profile]:
    """Create count verified professional accounts with full profiles and consents.

    The demo professional login (DEMO_PROFESSIONAL_EMAIL), when it already exists, gets a
    complete paediatric nurse profile in Montreal. Flushes once; the caller commits.
    """
    password_hash = password_hash or hash_password(str(current_app.config["DEMO_PASSWORD"]))
    version = str(current_app.config["PRIVACY_NOTICE_VERSION"])
    generated = generate_professionals(count + 40, seed)
    amina_user = db.session.scalar(select(User).where(User.email == DEMO_PROFESSIONAL_EMAIL))
    taken = set(db.session.scalars(select(User.email)))
    rows: list[object] = []
    profiles: list[Profile] = []
    consents: list[tuple[User, DemoProfessional]] = []
    if amina_user is not None and amina_user.id is not None:
        nurse = next((d for d in generated if d.occupation == "paediatric_nurse"), generated[0])
        generated.remove(nurse)
        demo = _amina(nurse)
        profile = _profile_from(demo, amina_user)
        profiles.append(profile)
        rows.append(profile)
        consents.append((amina_user, demo))
    now = utcnow()
    for demo in generated:
        if len(profiles) >= count + (1 if amina_user is not None else 0):
            break
        if demo.email.lower() in taken:
            continue
        taken.add(demo.email.lower())
        user = User(
            email=demo.email.lower(),
            password_hash=password_hash,
            role=Role.PROFESSIONAL,
            full_name=demo.full_name,
            email_verified_at=now,
            password_changed_at=now,
        )
        profile = _profile_from(demo, user)
        profiles.append(profile)
        rows += [user, profile]
        consents.append((user, demo))
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all([r for u, d in consents for r in _consents(u.id, d, version)])
    db.session.flush()
    for profile in profiles:
        profile.content_hash = candidate_document(profile).content_hash()
    db.session.flush()
    return profiles
