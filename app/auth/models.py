"""User accounts and their roles."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.database import Base, TimestampMixin, utcnow


class Role(StrEnum):
    PROFESSIONAL = "professional"
    INSTITUTION_MEMBER = "institution_member"
    RCA_STAFF = "rca_staff"
    ADMIN = "admin"


STAFF_ROLES = frozenset({Role.RCA_STAFF, Role.ADMIN})

ROLE_LABELS = {
    Role.PROFESSIONAL: _l("Diaspora professional"),
    Role.INSTITUTION_MEMBER: _l("Institution member"),
    Role.RCA_STAFF: _l("RCA staff"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role: str) -> str:
    """The translated name of a role."""
    return str(ROLE_LABELS.get(Role(role), role))


class User(UserMixin, TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(String(32), index=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    locale: Mapped[str | None] = mapped_column(String(8))
    is_enabled: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]
    # Bumped on log-out, password change and disabling: every older session of the account dies.
    session_version: Mapped[int] = mapped_column(default=1)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Two-factor log-in (app/auth/twofactor.py): the TOTP secret, set at enrolment and active once
    # a first code confirmed it; the last accepted time step, so a code works only once.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.is_enabled

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def display_name(self) -> str:
        return self.full_name or self.email.split("@", 1)[0]

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    def has_role(self, *roles: Role) -> bool:
        """Return True when the user holds one of the roles (admin counts as staff)."""
        if self.role in roles:
            return True
        return self.role == Role.ADMIN and Role.RCA_STAFF in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class RecoveryCode(Base):
    """A single-use two-factor recovery code, stored as a SHA-256 hash (the code is random)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
