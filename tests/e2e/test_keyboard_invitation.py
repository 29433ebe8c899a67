"""A professional answers an invitation by keyboard alone.

With only Tab, Space, typing and Enter, an invited professional logs in, follows the invitation
from the dashboard, opens "Accept the invitation", writes a note and accepts. Every element that
takes focus on the way shows a visible focus indicator; the outcome is read in the database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    PHONE,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
)

pytestmark = pytest.mark.browser

NEED = "Keyboard invitation: theatre nurse mentor"


def _invite(live: LiveServer, user_id: int) -> int:
    """An open need, and an invitation to it for the user's profile."""
    from app.auth.models import User
    from app.placements.states import PlacementStatus
    from tests.factories.needs import NeedFactory
    from tests.factories.placements import PlacementFactory
    from tests.factories.profiles import ProfileFactory

    with live.app.app_context():
        try:
            profile = ProfileFactory(user=db.session.get(User, user_id))
            need = NeedFactory(title=NEED)
            placement = PlacementFactory(need=need, profile=profile, status=PlacementStatus.INVITED)
            db.session.commit()
            return int(placement.id)
        finally:
            db.session.remove()


def _status(live: LiveServer, placement_id: int) -> str:
    from app.placements.models import Placement

    with live.app.app_context():
        try:
            status = db.session.scalar(select(Placement.status).where(Placement.id == placement_id))
            return str(status)
        finally:
            db.session.remove()


def test_professional_accepts_invitation_with_keyboard_only(
    live_server: LiveServer, open_page: Any
) -> None:
    account = live_server.make_user(email="keyboard.invited@example.org")
    placement_id = _invite(live_server, account["id"])
    page = open_page(PHONE)

    page.goto("/auth/login")
    log_in_by_keyboard(page, account["email"], account["password"])
    expect(page).to_have_url(re.compile(r"/profile/$"))

    # The dashboard lists the invitation: its link opens the placement.
    tab_until(page, lambda f: f["href"].endswith(f"/placements/{placement_id}"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/placements/{placement_id}$"))

    # The first action is "Accept the invitation", in a closed <details>: Space opens it.
    # (The header's own summary, the phone's "Menu" button, comes first and is passed.)
    tab_until(page, lambda f: f["tag"] == "summary" and "menu__toggle" not in f["cls"])
    expect(page.locator("summary:focus")).to_have_text("Accept the invitation")
    page.keyboard.press("Space")
    expect(page.locator("details:has(summary:focus)")).to_have_attribute("open", "")
    tab_until(page, lambda f: f["tag"] == "textarea")
    page.keyboard.type("Murakoze, I look forward to it.")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-accept-invitation", PHONE)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/placements/{placement_id}$"))
    expect(page.locator(".flashes .notice").last).to_be_visible()
    expect(page.locator("main")).to_contain_text("Murakoze, I look forward to it.")

    assert _status(live_server, placement_id) == "accepted"
    assert not live_server.csp_errors, live_server.csp_errors
