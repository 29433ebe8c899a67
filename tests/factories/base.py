"""The factory base class bound to the app's database session."""

from __future__ import annotations

from factory.alchemy import SQLAlchemyModelFactory

from app.extensions import db


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"
