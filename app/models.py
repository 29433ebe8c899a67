"""Imports every feature's models so the metadata (and Alembic autogenerate) sees all tables."""

from app.auth.models import User
from app.privacy.models import ConsentRecord

__all__ = ["ConsentRecord", "User"]
