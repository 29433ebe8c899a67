"""The professional's journey without JavaScript, and by keyboard alone.

1. With JavaScript off, a professional signs up through the real form, confirms the email, logs in,
   fills identity, location and skills (a skill with its level) and sees the profile completeness
   on the dashboard: the site works as plain HTML forms.
2. With only the keyboard (Tab, Shift+Tab, arrows, Space, typing, Enter), a professional goes from
   the landing page to sign-up, signs up, opens the emailed link, logs in and fills the wizard's
   identity step; every element that takes focus on the way shows a visible focus indicator.
3. With only the keyboard, an institution member logs in, opens the need form from the dashboard,
   fills it (the skill field suggesting while typing, a select, radios, dates, a checkbox) and
   saves the draft.
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
    assert_focus_ring,
    by_id,
    link_in,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
    wait_for_mail,
)
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

PASSWORD = "umugezi w'amahoro 2026"
SUBMIT = "main form[method=post] button[type=submit]"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"


def _profile_state(live: LiveServer, email: str) -> dict[str, Any]:
    """What the live app's database holds for the professional's profile."""
    from app.auth.models import User
    from app.profiles.models import Profile

    with live.app.app_context():
        try:
            profile = db.session.scalar(
                select(Profile).join(User, Profile.user_id == User.id).where(User.email == email)
            )
            user = db.session.scalar(select(User).where(User.email == email))
            assert profile is not None and user is not None
            return {
                "preferred_name": profile.preferred_name,
                "phone": profile.phone,
                "city": profile.city,
                "country": getattr(profile, "country", None),
                "birth_year": profile.birth_year,
                "gender": str(profile.gender) if profile.gender else "",
                "skills": [(s.name, str(s.level), s.years) for s in profile.skills],
            }
        finally:
            db.session.remove()


# --- 1. JavaScript off --------------------------------------------------------------------------


def test_professional_journey_works_with_javascript_off(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer
) -> None:
    email = "nojs.professional@example.org"
    page = open_page(DESKTOP, javascript=False)

    page.goto("/")
    page.locator(".hero__actions a.btn--primary").click()
    expect(page).to_have_url(re.compile(r"/auth/signup\?as=professional$"))
    expect(page.locator("input[name=account_type][value=professional]")).to_be_checked()
    page.locator("#full_name").fill("Aline Nojs")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#accept_privacy").check()
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/auth/check-email$"))

    mail = wait_for_mail(smtp_server.sink, email)
    page.goto(link_in(mail.text(), live_server.url))
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.locator(".notice--success")).to_be_visible()

    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.locator(LOGOUT)).to_be_visible()
    expect(page.locator("label[for=completeness]")).to_contain_text("complete")
    start = int(page.locator("#completeness").get_attribute("value") or "0")

    page.locator("main a[href$='/profile/wizard']").first.click()
    expect(page).to_have_url(re.compile(r"/profile/edit/identity\?wizard=1$"))
    page.locator("#preferred_name").fill("Aline")
    page.locator("#gender").select_option("female")
    page.locator("#birth_year").fill("1988")
    page.locator("#phone").fill("+32 470 12 34 56")
    page.locator(SUBMIT).last.click()

    expect(page).to_have_url(re.compile(r"/profile/edit/location\?wizard=1$"))
    page.locator("#country").select_option("BE")
    page.locator("#city").fill("Liège")
    page.locator("#tie_to_rwanda-0").check()
    page.locator(SUBMIT).last.click()
    expect(page).to_have_url(re.compile(r"/profile/edit/languages\?wizard=1$"))

    # Languages and background are left for later: on to the skills step.
    page.goto("/profile/edit/skills?wizard=1")
    expect(page.locator("h1")).to_contain_text("Skills")
    page.locator("#name").fill("paediatric nursing")
    page.locator("#level").select_option("expert")
    page.locator("#years").fill("9")
    page.locator("main form[action$='/profile/skills?wizard=1'] button").click()
    expect(page).to_have_url(re.compile(r"/profile/edit/skills\?wizard=1$"))
    row = page.locator("main table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("paediatric nursing")
    expect(row).to_contain_text("Expert")
    expect(row).to_contain_text("9")
    screenshot(page, "nojs-skills-added", DESKTOP)

    page.goto("/profile/")
    expect(page.locator("h1")).to_contain_text("Aline")
    label = page.locator("label[for=completeness]")
    expect(label).to_be_visible()
    expect(label).to_have_text(re.compile(r"Profile \d+% complete"))
    percent = int(page.locator("#completeness").get_attribute("value") or "0")
    assert percent > start, (start, percent)
    expect(label).to_contain_text(f"{percent}%")
    screenshot(page, "nojs-dashboard", DESKTOP)

    state = _profile_state(live_server, email)
    assert state["preferred_name"] == "Aline"
    assert state["phone"] == "+32470123456"  # stored in E.164
    assert state["birth_year"] == 1988
    assert state["gender"] == "female"
    assert state["city"] == "Liège"
    assert state["country"] == "BE"
    assert state["skills"] == [("paediatric nursing", "expert", 9)]
    assert not live_server.csp_errors, live_server.csp_errors


# --- 2. Keyboard only ---------------------------------------------------------------------------


def test_professional_signs_up_and_fills_identity_with_keyboard_only(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer
) -> None:
    email = "keyboard.signup@example.org"
    page = open_page(DESKTOP)
    page.goto("/")

    # From the landing page to the sign-up form, by the institution's call to action: the radio
    # group then has to be changed with the arrow keys.
    tab_until(page, lambda f: "as=institution_member" in f["href"])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/auth/signup\?as=institution_member$"))

    # Tab enters the radio group on its checked radio; an arrow key moves to (and checks) the other.
    focused = tab_until(page, lambda f: f["name"] == "account_type")
    assert focused["value"] == "institution_member", focused
    page.keyboard.press("ArrowUp")
    focused = assert_focus_ring(page)
    assert focused["value"] == "professional", focused
    page.keyboard.press("Space")
    expect(page.locator("input[name=account_type][value=professional]")).to_be_checked()
    expect(page.locator("input[name=account_type][value=institution_member]")).not_to_be_checked()

    tab_until(page, by_id("full_name"))
    page.keyboard.type("Aline Keyboard")
    tab_until(page, by_id("email"))
    page.keyboard.type(email)
    tab_until(page, by_id("password"))
    page.keyboard.type(PASSWORD)
    tab_until(page, by_id("confirm"))
    page.keyboard.type("a typo")
    # Back one stop with Shift+Tab, then forward again, and fix the confirmation.
    tab_until(page, by_id("password"), key="Shift+Tab")
    tab_until(page, by_id("confirm"))
    for _ in range(len("a typo")):
        page.keyboard.press("Backspace")
    page.keyboard.type(PASSWORD)
    tab_until(page, by_id("accept_privacy"))
    page.keyboard.press("Space")
    expect(page.locator("#accept_privacy")).to_be_checked()
    tab_until(page, primary_button)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/auth/check-email$"))

    mail = wait_for_mail(smtp_server.sink, email)
    page.goto(link_in(mail.text(), live_server.url))  # opening the emailed link
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.locator(".notice--success")).to_be_visible()

    log_in_by_keyboard(page, email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.locator(LOGOUT)).to_be_visible()

    # The dashboard's "Continue my profile" starts the wizard.
    tab_until(page, lambda f: f["href"].endswith("/profile/wizard"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/profile/edit/identity\?wizard=1$"))

    tab_until(page, by_id("preferred_name"))
    page.keyboard.type("Aline")
    tab_until(page, by_id("gender"))
    page.keyboard.type("F")  # a closed select picks the first option starting with the letter
    expect(page.locator("#gender")).to_have_value("female")
    tab_until(page, by_id("birth_year"))
    page.keyboard.type("1988")
    tab_until(page, by_id("phone"))
    page.keyboard.type("+32 470 12 34 56")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-wizard-identity", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/profile/edit/location\?wizard=1$"))

    state = _profile_state(live_server, email)
    assert state["preferred_name"] == "Aline"
    assert state["gender"] == "female"
    assert state["birth_year"] == 1988
    assert state["phone"] == "+32470123456"  # stored in E.164
    assert not live_server.csp_errors, live_server.csp_errors


# --- 3. Keyboard only: an institution member writes a need ---------------------------------------


def _need_state(live: LiveServer, title: str) -> dict[str, Any]:
    from app.needs.models import Need

    with live.app.app_context():
        try:
            need = db.session.scalar(select(Need).where(Need.title == title))
            assert need is not None, f"no need titled {title!r}"
            return {
                "id": need.id,
                "status": str(need.status),
                "objectives": need.objectives,
                "deliverables": list(need.deliverables),
                "skills": [(s.name, str(s.importance)) for s in need.skills],
                "sector": need.sector,
                "mode": str(need.mode),
                "start": need.start_date.isoformat(),
                "end": need.end_date.isoformat(),
                "offers": sorted(need.offers),
            }
        finally:
            db.session.remove()


def test_member_writes_a_need_with_keyboard_only(live_server: LiveServer, open_page: Any) -> None:
    from tests.factories.institutions import add_institution_for

    account = live_server.make_user(role="institution_member", email="keyboard.member@chuk.rw")
    with live_server.app.app_context():
        add_institution_for(account["id"], name="CHU Kigali")
        db.session.remove()
    title = "Keyboard-written need for a neonatal nurse mentor"
    page = open_page(DESKTOP)

    page.goto("/auth/login")
    log_in_by_keyboard(page, account["email"], account["password"])
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))

    # The dashboard's call to action opens the need form.
    tab_until(page, lambda f: f["href"].endswith("/needs/new"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/needs/new$"))

    tab_until(page, by_id("title"))
    page.keyboard.type(title)
    tab_until(page, by_id("background"))
    page.keyboard.type("The neonatal unit opened a second ward.")
    tab_until(page, by_id("objectives"))
    page.keyboard.type("Train six nurses in neonatal resuscitation.")
    tab_until(page, by_id("deliverables-0"))
    page.keyboard.type("A training plan")

    # The skill field suggests from the vocabulary while typing; the choice is typed in full.
    tab_until(page, by_id("required_skills-0-name"))
    page.keyboard.type("neonat", delay=30)
    expect(page.locator("#skill-suggestions option").first).to_have_attribute(
        "value", re.compile("neonat", re.IGNORECASE)
    )
    for _ in range(len("neonat")):
        page.keyboard.press("Backspace")
    page.keyboard.type("neonatal care")
    tab_until(page, by_id("required_skills-0-importance"))  # "Must have" is the default

    tab_until(page, by_id("sector"))
    page.keyboard.type("Health")  # a closed select picks the option starting with the text
    expect(page.locator("#sector")).to_have_value("health")
    # The mode radios: Tab enters the group, Space checks the first (remote).
    focused = tab_until(page, lambda f: f["name"] == "mode")
    page.keyboard.press("Space")
    expect(page.locator(f"input[name=mode][value={focused['value']}]")).to_be_checked()
    assert focused["value"] == "remote", focused

    # Dates: the browser's date field takes the digits in its own locale's order (day and month
    # swap between en-GB and en-US), so the days typed equal their months.
    tab_until(page, by_id("start_date"))
    page.keyboard.type("02022027")
    expect(page.locator("#start_date")).to_have_value("2027-02-02")
    tab_until(page, by_id("end_date"))
    page.keyboard.type("04042027")
    expect(page.locator("#end_date")).to_have_value("2027-04-04")

    focused = tab_until(page, lambda f: f["name"] == "offers")
    page.keyboard.press("Space")  # the first offer: travel
    assert focused["value"] == "travel", focused

    tab_until(page, primary_button)
    screenshot(page, "keyboard-need-form", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    expect(page.locator(".flashes .notice--success")).to_be_visible()

    state = _need_state(live_server, title)
    assert page.url.endswith(f"/needs/{state['id']}")
    assert state["status"] == "draft"
    assert state["objectives"] == "Train six nurses in neonatal resuscitation."
    assert state["deliverables"] == ["A training plan"]
    assert state["skills"] == [("neonatal care", "must")]
    assert (state["sector"], state["mode"]) == ("health", "remote")
    assert (state["start"], state["end"]) == ("2027-02-02", "2027-04-04")
    assert state["offers"] == ["travel"]
    assert not live_server.csp_errors, live_server.csp_errors
