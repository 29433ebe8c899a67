"""Demo institutions and needs: app/demo/generator.py's dataclasses turned into rows."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth.models import Role, User
from app.database import utcnow
from app.demo.generator import (
    DEFAULT_SEED,
    DemoInstitution,
    DemoNeed,
    generate_institutions,
    generate_needs,
)
from app.extensions import db
from app.institutions.models import (
    Institution,
    InstitutionMembership,
    InstitutionStatus,
    InstitutionType,
)
from app.needs.models import Need, NeedStatus
from app.needs.services import NeedData, create_need, refresh_content_hash

DEMO_HOST = "ur-cmhs"  # the demo institution login's organisation
PENDING_HOSTS = 2  # the last institutions of the generator wait in the staff queue
DIRECT_PUBLISH_EVERY = 5  # every fifth verified institution publishes without review (not the host)
NEEDS = 48
# Everything else is drawn with these weights (most needs open, a realistic rest).
STATUS_WEIGHTS: tuple[tuple[NeedStatus, float], ...] = (
    (NeedStatus.OPEN, 0.72),
    (NeedStatus.DRAFT, 0.08),
    (NeedStatus.SUBMITTED, 0.10),
    (NeedStatus.CLOSED, 0.05),
    (NeedStatus.FILLED, 0.05),
)
DEMO_HOST_STATUSES = (NeedStatus.OPEN, NeedStatus.OPEN, NeedStatus.SUBMITTED, NeedStatus.DRAFT)


def _user(email: str, name: str, password_hash: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(
            email=email,
            password_hash=password_hash,
            role=Role.INSTITUTION_MEMBER,
            full_name=name,
            email_verified_at=utcnow(),
            password_changed_at=utcnow(),
        )
        db.session.add(user)
        db.session.flush()
    return user


def _institution(spec: DemoInstitution, status: InstitutionStatus) -> Institution:
    institution = Institution(
        name=spec.name,
        type=InstitutionType(spec.type),
        sector=spec.sector,
        district=spec.district,
        address=spec.address,
        website=spec.website,
        email_domain=spec.email_domain,
        status=status,
        reviewed_at=utcnow() if status == InstitutionStatus.VERIFIED else None,
    )
    db.session.add(institution)
    db.session.flush()
    return institution


def _rehome(needs: list[DemoNeed], specs: list[DemoInstitution], host: int) -> None:
    """Give the demo host a few more needs of its sector, taken from busier institutions."""
    load = Counter(n.institution_index for n in needs)
    wanted = len(DEMO_HOST_STATUSES) - load[host]
    for need in needs:
        if wanted <= 0:
            break
        idx = need.institution_index
        sectors = {specs[host].sector, *specs[host].other_sectors}
        if idx != host and need.sector in sectors and load[idx] > 1:
            load[idx] -= 1
            need.institution_index = host
            wanted -= 1


def seed_institutions_and_needs(
    seed: int = DEFAULT_SEED,
    *,
    password_hash: str,
    demo_member_email: str,
    today: date | None = None,
) -> tuple[int, int]:
    """Create the demo institutions (a few pending), their members and needs; flush only.

    The account demo_member_email becomes the admin of the demo host institution. Return
    (institutions, needs) created.
    """
    today = today or utcnow().date()
    rng = random.Random(seed + 3)  # noqa: S311 (demo data, not security)
    specs = generate_institutions(seed)
    host = next(i for i, s in enumerate(specs) if s.short_name == DEMO_HOST)
    pending_from = len(specs) - PENDING_HOSTS
    demo_member = db.session.scalar(select(User).where(User.email == demo_member_email))

    institutions: list[Institution] = []
    admins: list[User] = []
    for i, spec in enumerate(specs):
        status = InstitutionStatus.PENDING if i >= pending_from else InstitutionStatus.VERIFIED
        institution = _institution(spec, status)
        # The demo host keeps staff review, so the demo shows both ways of publishing.
        institution.can_publish_directly = (
            status == InstitutionStatus.VERIFIED and i != host and i % DIRECT_PUBLISH_EVERY == 0
        )
        contact = _user(spec.contact.email, spec.contact.name, password_hash)
        admin = demo_member if (i == host and demo_member is not None) else contact
        db.session.add(
            InstitutionMembership(institution_id=institution.id, user_id=admin.id, is_admin=True)
        )
        if admin is not contact:
            db.session.add(
                InstitutionMembership(
                    institution_id=institution.id, user_id=contact.id, is_admin=False
                )
            )
        institutions.append(institution)
        admins.append(admin)
    db.session.flush()

    demo_needs = generate_needs(specs, n=NEEDS, seed=seed, today=today)
    _rehome(demo_needs, specs, host)
    host_statuses = list(DEMO_HOST_STATUSES)
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    for item in demo_needs:
        idx = item.institution_index
        spec = specs[idx]
        need = create_need(
            institutions[idx],
            NeedData(
                title=item.title,
                background=item.background,
                objectives=item.objectives,
                deliverables=list(item.deliverables),
                success_criteria=item.success_criteria,
                required_skills=list(item.required_skills),
                sector=item.sector,
                mode=item.mode,
                district=item.district,
                site=item.site or "",
                start_date=item.start,
                end_date=item.end,
                duration_weeks=item.duration_weeks,
                hours_per_week=item.hours_per_week,
                languages=[code for code, _level in item.languages],
                people_needed=item.people_needed,
                offers=list(item.offers),
                contact_name=item.contact_person,
                contact_email=spec.contact.email,
                contact_phone="",
                application_deadline=item.application_deadline,
            ),
            created_by=admins[idx],
        )
        if idx >= pending_from:
            status = NeedStatus.DRAFT  # unverified organisations only draft
        elif idx == host and host_statuses:
            status = host_statuses.pop(0)
        else:
            status = rng.choices(statuses, weights=weights)[0]
        _set_status(need, status, rng)
    db.session.flush()
    return len(institutions), len(demo_needs)


def _set_status(need: Need, status: NeedStatus, rng: random.Random) -> None:
    created = datetime.now(UTC) - timedelta(days=rng.randint(10, 120))
    need.created_at = created
    need.status = status
    if status != NeedStatus.DRAFT:
        need.submitted_at = created + timedelta(days=1)
    if status in (NeedStatus.OPEN, NeedStatus.FILLED, NeedStatus.CLOSED):
        need.published_at = created + timedelta(days=3)
    if status in (NeedStatus.FILLED, NeedStatus.CLOSED):
        need.closed_at = created + timedelta(days=rng.randint(5, 9))
    refresh_content_hash(need)
