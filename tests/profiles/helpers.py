"""Shared by the profile tests: the identity and location a member types, and reading a profile."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.profiles.models import Profile

Login = Callable[..., Any]
IDENTITY = {"full_name": "Amina Uwase", "phone": "+1 514 555 0199", "birth_year": "1988"}
LOCATION = {"country": "CA", "city": "Montreal", "timezone": "", "tie_to_rwanda": "citizen"}


def load_profile(app: Flask, user_id: int) -> Profile:
    """The member's profile with its entries loaded, detached to be read outside the context."""
    with app.app_context():
        profile = db.session.scalar(select(Profile).where(Profile.user_id == user_id))
        assert profile is not None
        for rel in ("languages", "skills", "education", "experience", "windows"):
            getattr(profile, rel)
        db.session.expunge_all()
        return profile
