"""An organisation registered and verified by keyboard alone.

With only Tab, the arrows, typing and Enter, an institution member fills the organisation's
registration form (three closed selects among the fields) and sends it; then RCA staff verify the
organisation from their list. Every element that takes focus on the way shows a visible focus
indicator; the organisation's status is read in the database.
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
    DESKTOP,
    by_id,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
)

pytestmark = pytest.mark.browser

NAME = "Keyboard District Hospital"


def _institution(live: LiveServer) -> tuple[int, str] | None:
    from app.institutions.models import Institution

    with live.app.app_context():
        try:
            row = db.session.execute(
                select(Institution.id, Institution.status).where(Institution.name == NAME)
            ).first()
            return None if row is None else (int(row.id), str(row.status))
        finally:
            db.session.remove()


def test_organisation_registered_and_verified_with_keyboard_only(
    live_server: LiveServer, open_page: Any
) -> None:
    member = live_server.make_user(role="institution_member", email="keyboard.org@kdh.rw")
    staff = live_server.make_user(role="rca_staff", email="keyboard.verifier@rca.rw")

    page = open_page(DESKTOP)
    page.goto("/auth/login")
    log_in_by_keyboard(page, member["email"], member["password"])
    expect(page).to_have_url(re.compile(r"/institutions/register$"))

    tab_until(page, by_id("name"))
    page.keyboard.type(NAME)
    tab_until(page, by_id("type"))
    page.keyboard.press("ArrowDown")  # a closed select: the arrow picks the next option
    expect(page.locator("#type")).not_to_have_value("")
    tab_until(page, by_id("sector"))
    page.keyboard.type("Health")
    expect(page.locator("#sector")).to_have_value("health")
    tab_until(page, by_id("district"))
    page.keyboard.type("Gasabo")
    expect(page.locator("#district")).to_have_value("gasabo")
    tab_until(page, by_id("email_domain"))
    page.keyboard.type("kdh.rw")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-org-register", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))
    registered = _institution(live_server)
    assert registered is not None and registered[1] == "pending", registered
    institution_id = registered[0]

    staff_page = open_page(DESKTOP)
    staff_page.goto("/auth/login")
    log_in_by_keyboard(staff_page, staff["email"], staff["password"])
    expect(staff_page.locator("header form[action$='/auth/logout'] button")).to_be_visible()
    staff_page.goto("/institutions/staff")
    verify = staff_page.locator(
        f"main form[action$='/institutions/{institution_id}/approve'] button"
    )
    tab_until(staff_page, primary_button)
    expect(verify).to_be_focused()
    staff_page.keyboard.press("Enter")
    expect(staff_page.locator(".flashes .notice").last).to_be_visible()

    assert _institution(live_server) == (institution_id, "verified")
    assert not live_server.csp_errors, live_server.csp_errors
