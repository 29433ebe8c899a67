"""The institution's and the staff's journeys with JavaScript off: the site works as plain HTML.

1. A member registers an organisation, staff verify it, the member writes a need and submits it,
   staff publish it, the member opens the ranked candidates (the progress page's "refresh" is a
   plain reload) and invites the candidate.
2. Staff preview and save a segment, write a message to it and send it now; the member's inbox
   entry exists.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import DESKTOP, PHONE, Viewport, screenshot

pytestmark = pytest.mark.browser

SUBMIT = "main form[method=post] button[type=submit]"
FLASH = ".flashes .notice"
SKILL = "no-script hospital logistics"


def _log_in(open_page: Any, account: dict[str, Any], viewport: Viewport = PHONE) -> Page:
    """A JavaScript-off page, logged in through the plain form."""
    page: Page = open_page(viewport, javascript=False)
    page.goto("/auth/login")
    page.locator("#email").fill(account["email"])
    page.locator("#password").fill(account["password"])
    page.locator(SUBMIT).click()
    expect(page.locator("header form[action$='/auth/logout']")).to_be_attached()
    return page


def test_institution_journey_works_with_javascript_off(
    live_server: LiveServer, open_page: Any
) -> None:
    from app.institutions.models import Institution
    from app.needs.models import Need
    from app.placements.models import Placement

    member = live_server.make_user(role="institution_member", email="nojs.member@kabgayi.rw")
    staff = live_server.make_user(role="rca_staff", email="nojs.staff@rca.rw")

    def candidate() -> int:
        from tests.factories.ranking import make_candidate

        return int(make_candidate(skills=(SKILL, "supply chains")).id)

    profile_id = live_server.in_app(candidate)

    page = _log_in(open_page, member)
    expect(page).to_have_url(re.compile(r"/institutions/register$"))
    page.locator("#name").fill("Kabgayi No-Script Hospital")
    page.locator("#type").select_option(index=1)
    page.locator("#sector").select_option("health")
    page.locator("#district").select_option("gasabo")
    page.locator("#email_domain").fill("kabgayi.rw")
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))
    institution_id = live_server.in_app(
        lambda: db.session.scalar(
            select(Institution.id).where(Institution.name == "Kabgayi No-Script Hospital")
        ),
    )

    staff_page = _log_in(open_page, staff)
    staff_page.goto("/institutions/staff")
    staff_page.locator(
        f"main form[action$='/institutions/{institution_id}/approve'] button"
    ).click()
    expect(staff_page.locator(FLASH).last).to_be_visible()

    page.goto("/institutions/dashboard")
    page.locator("main a[href$='/needs/new']").first.click()
    expect(page).to_have_url(re.compile(r"/needs/new$"))
    page.locator("#title").fill("No-script logistics mentor")
    page.locator("#background").fill("The pharmacy store moved.")
    page.locator("#objectives").fill("Train four storekeepers.")
    page.locator("#deliverables-0").fill("A stock plan")
    page.locator("#required_skills-0-name").fill(SKILL)
    page.locator("#required_skills-0-importance").select_option("must")
    page.locator("#sector").select_option("health")
    page.locator("#mode-0").check()
    page.locator("#start_date").fill("2027-02-01")
    page.locator("#end_date").fill("2027-04-30")
    page.locator(f"{SUBMIT}:not([name])").last.click()
    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    need_id = int(page.url.rsplit("/", 1)[1])
    page.locator(f"main form[action$='/needs/{need_id}/submit'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()

    staff_page.goto("/needs/staff/review")
    staff_page.locator(f"main form[action$='/needs/{need_id}/publish'] button").click()
    expect(staff_page.locator(FLASH).last).to_be_visible()
    status = live_server.in_app(lambda: str(db.session.get(Need, need_id).status))
    assert status == "open"

    def embed() -> None:
        from app.ranking.services import embed_pending

        embed_pending()

    live_server.in_app(embed)
    page.goto(f"/needs/{need_id}")
    page.locator(f"main a[href$='/matching/needs/{need_id}/candidates']").first.click()
    candidate_row = page.locator(f"li#candidate-{profile_id}")
    if page.locator("#ranking-progress").count():  # without JavaScript: reload by hand
        page.reload()
    expect(candidate_row).to_contain_text("must-have")
    candidate_row.locator("form[action$='/invite'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()
    screenshot(page, "nojs-candidate-invited", PHONE)

    placement = live_server.in_app(
        lambda: db.session.scalar(
            select(Placement.status).where(
                Placement.need_id == need_id, Placement.profile_id == profile_id
            )
        ),
    )
    assert str(placement) == "invited"
    assert not live_server.csp_errors, live_server.csp_errors


def test_staff_message_works_with_javascript_off(live_server: LiveServer, open_page: Any) -> None:
    from app.outreach.models import InboxEntry, OutreachMessage
    from tests.factories.outreach import create_members

    staff = live_server.make_user(role="rca_staff", email="nojs.sender@rca.rw")
    (member_id,) = live_server.in_app(
        lambda: create_members(1, prefix="nojsmsg", profile={"city": "Nojscity"})
    )

    page = _log_in(open_page, staff, DESKTOP)

    page.goto("/outreach/segments/new")
    page.locator("#name").fill("No-script segment")
    page.locator("#cities").fill("Nojscity")
    page.locator("main button[name=preview]").click()
    expect(page.locator("main table tbody tr")).to_have_count(1)
    page.locator("main button[name=save]").click()
    expect(page.locator(FLASH).last).to_be_visible()

    page.goto("/outreach/messages/new")
    page.locator("#topic").select_option("news")
    page.locator("#segment_id").select_option(label="No-script segment")
    page.locator("#subject").fill("No-script news")
    page.locator("#body").fill("Muraho {first_name}.")
    page.locator(SUBMIT).last.click()
    expect(page).to_have_url(re.compile(r"/outreach/messages/\d+$"))
    page.locator("#mode-0").check()
    page.locator("main form[action$='/send'] button[type=submit]").click()
    expect(page.locator(FLASH).last).to_contain_text("Sent to 1 members")

    def inbox() -> int:
        message_id = db.session.scalar(
            select(OutreachMessage.id).where(OutreachMessage.subject == "No-script news")
        )
        return len(
            db.session.scalars(
                select(InboxEntry).where(
                    InboxEntry.message_id == message_id, InboxEntry.user_id == member_id
                )
            ).all()
        )

    assert live_server.in_app(inbox) == 1
    assert not live_server.csp_errors, live_server.csp_errors
