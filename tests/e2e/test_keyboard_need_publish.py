"""A need goes from an institution's draft to the public list, every step by keyboard alone.

With only Tab, Enter and typing: an institution member logs in, opens the draft from the
organisation's dashboard and submits it for review; then RCA staff log in, reach the review queue
from the header's "All needs" and its "Review queue" button, open the need and publish it; last,
a visitor finds it in the public list of needs and opens it. Every element that takes focus on
the way shows a visible focus indicator; the outcome is read in the database and the mail sink.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    assert_focus_ring,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
    wait_for_mail,
)
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

TITLE = "Keyboard-published need: a theatre nurse educator"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"


def _draft_need(live: LiveServer, member_id: int) -> int:
    """A verified organisation with the member in it, and a complete draft need of theirs."""
    from app.auth.models import User
    from app.institutions.models import Institution
    from app.needs.models import NeedStatus
    from tests.factories.institutions import add_institution_for
    from tests.factories.needs import NeedFactory

    with live.app.app_context():
        try:
            institution_id = add_institution_for(member_id, name="CHU Butare")
            need = NeedFactory(
                institution=db.session.get(Institution, institution_id),
                created_by=db.session.get(User, member_id),
                status=NeedStatus.DRAFT,
                title=TITLE,
                skills=["theatre nursing"],
            )
            db.session.commit()
            return int(need.id)
        finally:
            db.session.remove()


def _need(live: LiveServer, need_id: int) -> dict[str, Any]:
    from app.needs.models import Need

    with live.app.app_context():
        try:
            need = db.session.scalar(select(Need).where(Need.id == need_id))
            assert need is not None
            return {
                "status": str(need.status),
                "submitted": need.submitted_at is not None,
                "published": need.published_at is not None,
            }
        finally:
            db.session.remove()


def _follow_link(page: Page, path: str) -> None:
    """Tab to the link whose address ends with the path, press Enter, land on that path."""
    tab_until(page, lambda f: f["tag"] == "a" and f["href"].endswith(path), limit=80)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def _press_primary(page: Page, label: str) -> None:
    """Tab to the page's primary button, check its text and focus ring, press Enter."""
    tab_until(page, primary_button)
    expect(page.locator("button:focus")).to_have_text(label)
    assert_focus_ring(page)
    page.keyboard.press("Enter")


def test_staff_publish_a_submitted_need_with_keyboard_only(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer
) -> None:
    member = live_server.make_user(role="institution_member", email="keyboard.author@chub.rw")
    staff = live_server.make_user(role="rca_staff", email="keyboard.reviewer@rca.rw")
    need_id = _draft_need(live_server, member["id"])
    detail = f"/needs/{need_id}"

    # The member submits the draft for review, from the organisation's dashboard.
    page = open_page(DESKTOP)
    page.goto("/auth/login")
    log_in_by_keyboard(page, member["email"], member["password"])
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))
    _follow_link(page, detail)
    _press_primary(page, "Submit for review")
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator(".flashes .notice--success")).to_contain_text("sent to RCA staff")
    assert _need(live_server, need_id) == {
        "status": "submitted",
        "submitted": True,
        "published": False,
    }

    # Staff: the header's "All needs", its "Review queue", the need, then "Publish".
    page = open_page(DESKTOP)
    page.goto("/auth/login")
    log_in_by_keyboard(page, staff["email"], staff["password"])
    expect(page.locator(LOGOUT)).to_be_visible()
    _follow_link(page, "/needs/staff")
    _follow_link(page, "/needs/staff/review")
    expect(page.locator("main article h2")).to_have_text([TITLE])
    _follow_link(page, detail)
    expect(page.locator("h1")).to_contain_text(TITLE)
    tab_until(page, primary_button)
    screenshot(page, "keyboard-need-publish", DESKTOP)
    expect(page.locator("button:focus")).to_have_text("Publish")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(detail) + "$"))
    expect(page.locator(".flashes .notice--success")).to_have_text("The need is published.")
    assert _need(live_server, need_id) == {"status": "open", "submitted": True, "published": True}
    mail = wait_for_mail(smtp_server.sink, member["email"])
    assert "Your need is published on Umuhuza" in mail.subject, mail.subject
    # The review queue is empty now.
    _follow_link(page, "/needs/staff")
    _follow_link(page, "/needs/staff/review")
    expect(page.locator("main .empty__title")).to_have_text("Nothing to review")

    # A visitor finds the need in the public list and opens it.
    page = open_page(DESKTOP)
    page.goto("/needs/")
    expect(page.locator("#needs-results article h3")).to_have_text([TITLE])
    _follow_link(page, detail)
    expect(page.locator("h1")).to_contain_text(TITLE)
    assert not live_server.csp_errors, live_server.csp_errors
