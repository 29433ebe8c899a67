"""Dates and numbers follow the reader's language (the account's choice), not the server's."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from app.auth.models import User
from app.extensions import db
from tests.conftest import login
from tests.factories.outreach import create_members

MEMBERS = 1234


def _staff_reader(app: Flask, make_user: Callable[..., Any], locale: str) -> FlaskClient:
    reader = make_user("rca_staff", locale=locale)
    client = app.test_client()
    assert login(client, reader.email).status_code == 302
    return client


def test_dates_follow_the_reader_language(app: Flask, make_user: Callable[..., Any]) -> None:
    member = make_user("professional")
    with app.app_context():
        stored = db.session.get(User, member.id)
        assert stored is not None
        stored.last_login_at = datetime(2026, 3, 5, 10, 30, tzinfo=UTC)
        db.session.commit()
    path = f"/staff/users/{member.id}"
    english = _staff_reader(app, make_user, "en").get(path).get_data(as_text=True)
    french = _staff_reader(app, make_user, "fr").get(path).get_data(as_text=True)
    assert "Mar 5, 2026" in english and "mars" not in english
    assert "5 mars 2026" in french and "Mar 5, 2026" not in french


def test_numbers_follow_the_reader_language(app: Flask, make_user: Callable[..., Any]) -> None:
    with app.app_context():
        create_members(MEMBERS)
        db.session.commit()
    english = _staff_reader(app, make_user, "en").get("/staff/").get_data(as_text=True)
    french = _staff_reader(app, make_user, "fr").get("/staff/").get_data(as_text=True)
    assert "1,234" in english
    # French groups thousands with a (narrow) no-break space, never a comma.
    assert re.search("1[\u202f\u00a0 ]234", french) and "1,234" not in french
