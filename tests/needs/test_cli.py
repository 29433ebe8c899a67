"""`flask needs expire`."""

from __future__ import annotations

from datetime import date

from flask import Flask

from app.extensions import db
from app.needs.models import Need, NeedStatus
from tests.factories.needs import NeedFactory


def test_flask_needs_expire_marks_past_needs(app: Flask) -> None:
    with app.app_context():
        past = NeedFactory(end_date=date(2020, 1, 31)).id
        future = NeedFactory(end_date=date(2099, 1, 31)).id
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["needs", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 need(s) expired." in result.output
    with app.app_context():
        assert db.session.get(Need, past).status == NeedStatus.EXPIRED  # type: ignore[union-attr]
        assert db.session.get(Need, future).status == NeedStatus.OPEN  # type: ignore[union-attr]
