"""The professional dashboard: messages panel, reconfirmation banner, "last updated"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.outreach import direct
from app.outreach.models import InboxEntry
from app.profiles import services
from app.profiles.models import Profile

Login = Callable[..., Any]


def _messages_panel(client: FlaskClient) -> str:
    page = client.get("/profile/").get_data(as_text=True)
    start = page.index('id="messages"')
    return page[start : page.index("</section>", start)]


def _write_to(app: Flask, professional_id: int, staff_id: int, subject: str) -> None:
    with app.app_context():
        staff = db.session.get(User, staff_id)
        professional = db.session.get(User, professional_id)
        direct.start_conversation(staff, professional, subject=subject, body="Are you free?")
        db.session.commit()


def test_messages_panel_is_empty_without_messages(client: FlaskClient, logged_in: Login) -> None:
    logged_in("professional")
    panel = _messages_panel(client)
    assert "You have no message" in panel
    assert "/outreach/inbox" not in panel


def test_messages_panel_lists_latest_entries_with_unread_count(
    app: Flask, client: FlaskClient, logged_in: Login, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    me = logged_in("professional")
    _write_to(app, me.id, staff.id, "Mentoring at CHUK")
    _write_to(app, me.id, staff.id, "Data course in Huye")

    panel = _messages_panel(client)
    assert "Mentoring at CHUK" in panel and "Data course in Huye" in panel
    assert panel.index("Data course in Huye") < panel.index("Mentoring at CHUK")  # newest first
    assert "2 unread messages" in panel
    assert 'href="/outreach/inbox"' in panel
    assert "You have no message" not in panel

    with app.app_context():
        first = db.session.scalars(
            select(InboxEntry).where(InboxEntry.user_id == me.id).order_by(InboxEntry.id)
        ).first()
        assert first is not None
        entry_id = first.id
    assert f'href="/outreach/inbox/{entry_id}"' in panel
    assert client.get(f"/outreach/inbox/{entry_id}").status_code == 200  # reading it
    assert "1 unread message" in _messages_panel(client)


def test_messages_panel_shows_only_own_entries(
    app: Flask, client: FlaskClient, logged_in: Login, make_user: Callable[..., Any]
) -> None:
    staff = make_user("rca_staff")
    other = make_user("professional")
    _write_to(app, other.id, staff.id, "For someone else")
    logged_in("professional")
    panel = _messages_panel(client)
    assert "For someone else" not in panel and "You have no message" in panel


def _age_confirmation(app: Flask, user_id: int, days: int) -> None:
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user_id)).one()
        profile.last_confirmed_at -= timedelta(days=days)
        db.session.commit()


BANNER = "Is your availability still right?"


def test_reconfirmation_banner_and_one_click_confirm(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    assert BANNER not in client.get("/profile/").get_data(as_text=True)  # fresh profile
    _age_confirmation(app, me.id, days=31 * int(app.config["PROFILE_RECONFIRM_MONTHS"]))
    assert BANNER in client.get("/profile/").get_data(as_text=True)

    response = client.post("/profile/confirm")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profile/")
    page = client.get("/profile/").get_data(as_text=True)
    assert BANNER not in page
    assert "your availability is confirmed" in page
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == me.id)).one()
        assert profile.is_confirmed
        assert not services.reconfirmation_due(profile)


def test_unconfirmed_member_sees_banner_until_confirming(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    client.get("/profile/")
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == me.id)).one()
        profile.is_confirmed = False
        db.session.commit()
    page = client.get("/profile/").get_data(as_text=True)
    assert BANNER in page and "Unconfirmed" in page
    client.post("/profile/confirm")
    page = client.get("/profile/").get_data(as_text=True)
    assert BANNER not in page and "Unconfirmed" not in page


def test_last_updated_on_dashboard_and_card(
    app: Flask, client: FlaskClient, logged_in: Login
) -> None:
    me = logged_in("professional")
    assert "Last updated" in client.get("/profile/").get_data(as_text=True)
    with app.app_context():
        profile_id = db.session.scalars(select(Profile.id).where(Profile.user_id == me.id)).one()
    card = client.get(f"/profile/{profile_id}")
    assert card.status_code == 200 and "Last updated" in card.get_data(as_text=True)
