"""Demo data for `make run`: the three demo logins and, as features land, realistic content."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.database import utcnow
from app.extensions import db

DEMO_PROFESSIONAL = "amina.uwase@demo.umuhuza.rw"
DEMO_INSTITUTION = "jean.habimana@demo.umuhuza.rw"
DEMO_STAFF = "staff@demo.umuhuza.rw"
DEMO_ADMIN = "admin@demo.umuhuza.rw"
DEMO_LOGINS = (
    ("Diaspora professional", DEMO_PROFESSIONAL),
    ("Institution member", DEMO_INSTITUTION),
    ("RCA staff", DEMO_STAFF),
    ("Administrator", DEMO_ADMIN),
)


def demo_password() -> str:
    """Return the password shared by the demo accounts."""
    return str(current_app.config["DEMO_PASSWORD"])


def database_is_empty() -> bool:
    """Return True when no account exists yet."""
    return (db.session.scalar(select(func.count()).select_from(User)) or 0) == 0


def _account(email: str, role: Role, name: str, password_hash: str) -> User:
    user = User(
        email=email,
        password_hash=password_hash,
        role=role,
        full_name=name,
        email_verified_at=utcnow(),
        password_changed_at=utcnow(),
    )
    db.session.add(user)
    return user


def load_demo_data(*, professionals: int, seed: int, echo: Callable[[str], object]) -> None:
    """Create the demo logins and content, then commit once."""
    password_hash = hash_password(demo_password())
    _account(DEMO_PROFESSIONAL, Role.PROFESSIONAL, "Amina Uwase", password_hash)
    _account(DEMO_INSTITUTION, Role.INSTITUTION_MEMBER, "Jean Habimana", password_hash)
    _account(DEMO_STAFF, Role.RCA_STAFF, "Claudine Mukamana", password_hash)
    _account(DEMO_ADMIN, Role.ADMIN, "Eric Niyonzima", password_hash)
    db.session.flush()
    echo("Created the demo accounts.")
    from app.profiles.demo import seed_professionals

    seed_professionals(professionals, seed, password_hash=password_hash)
    echo(f"Created {professionals} professionals with full profiles.")
    from app.needs.demo import seed_institutions_and_needs

    institutions, needs = seed_institutions_and_needs(
        seed, password_hash=password_hash, demo_member_email=DEMO_INSTITUTION
    )
    echo(f"Created {institutions} institutions and {needs} needs.")
    from app.placements.demo import seed_placements

    placements = seed_placements(
        seed,
        demo_professional_email=DEMO_PROFESSIONAL,
        demo_member_email=DEMO_INSTITUTION,
        staff_email=DEMO_STAFF,
    )
    echo(f"Created {placements} placements.")
    from app.outreach.demo import seed_outreach

    reached = seed_outreach(
        demo_professional_email=DEMO_PROFESSIONAL,
        demo_member_email=DEMO_INSTITUTION,
        staff_email=DEMO_STAFF,
    )
    echo(f"Created 2 segments, 2 messages ({reached} recipients) and a direct thread.")
    from app.surveys.demo import seed_surveys

    responses = seed_surveys(seed, staff_email=DEMO_STAFF)
    echo(f"Created 3 surveys with {responses} responses.")
    db.session.commit()
