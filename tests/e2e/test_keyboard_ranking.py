"""An institution member invites a ranked candidate by keyboard alone.

With only Tab, typing and Enter, a member logs in, goes from the need to its ranked candidates,
reaches the candidate's "Invite" button past the filters and the explanation, and invites. Every
element that takes focus on the way shows a visible focus indicator; the placement is read in the
database.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import DESKTOP, log_in_by_keyboard, screenshot, tab_until

pytestmark = pytest.mark.browser

SKILL = "keyboard neonatal ventilation"


def _need_and_candidate(live: LiveServer, member_id: int) -> dict[str, int]:
    """An open need of the member's institution, and a candidate who has its must-have skill."""
    from app.institutions.models import Institution
    from app.ranking.services import embed_pending
    from tests.factories.institutions import add_institution_for
    from tests.factories.needs import NeedFactory
    from tests.factories.ranking import make_candidate

    with live.app.app_context():
        try:
            institution_id = add_institution_for(member_id, name="Butaro Hospital")
            need = NeedFactory(
                institution=db.session.get(Institution, institution_id),
                title="Keyboard-ranked need",
                skills=[(SKILL, "must")],
            )
            profile = make_candidate(skills=(SKILL, "paediatric nursing"))
            db.session.commit()
            embed_pending()  # what the worker does in the background
            db.session.commit()
            return {"need": need.id, "profile": profile.id}
        finally:
            db.session.remove()


def _placement_status(live: LiveServer, need_id: int, profile_id: int) -> str | None:
    from app.placements.models import Placement

    with live.app.app_context():
        try:
            status = db.session.scalar(
                select(Placement.status).where(
                    Placement.need_id == need_id, Placement.profile_id == profile_id
                )
            )
            return None if status is None else str(status)
        finally:
            db.session.remove()


def test_member_invites_ranked_candidate_with_keyboard_only(
    live_server: LiveServer, open_page: Any
) -> None:
    account = live_server.make_user(role="institution_member", email="keyboard.ranker@butaro.rw")
    ids = _need_and_candidate(live_server, account["id"])
    page = open_page(DESKTOP)

    page.goto("/auth/login")
    log_in_by_keyboard(page, account["email"], account["password"])
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))

    page.goto(f"/needs/{ids['need']}")
    tab_until(page, lambda f: f["href"].endswith(f"/matching/needs/{ids['need']}/candidates"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/matching/needs/{ids['need']}/candidates$"))
    candidate = page.locator(f"li#candidate-{ids['profile']}")
    expect(candidate).to_contain_text("must-have")

    # Past the filters, the gender-balance table and the explanation, to "Invite".
    invite = candidate.locator("form[action$='/invite'] button")
    tab_until(page, lambda f: f["tag"] == "button" and "btn--secondary" in f["cls"])
    expect(invite).to_be_focused()
    screenshot(page, "keyboard-ranking-invite", DESKTOP)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes .notice").last).to_be_visible()

    assert _placement_status(live_server, ids["need"], ids["profile"]) == "invited"
    assert not live_server.csp_errors, live_server.csp_errors
