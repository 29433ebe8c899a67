"""A professional completes the profile wizard by keyboard alone, after the identity step.

The identity step is covered in test_keyboard_and_no_js.py. Here a verified professional whose
identity is filled logs in and, with only Tab, Shift+Tab, arrows, Space, Enter and typing, goes
through every later step of the wizard: where they live (a country select, a city, a radio group),
languages (two added), education and work experience (dates typed into date fields), skills (the
field suggests from the vocabulary while typing, and announces the stored spelling), sectors,
headline and bio, availability (a window of dates, a work mode, hours, checkboxes) and consent,
which finishes the wizard on the dashboard at 100 %. Every element that takes focus on the way
shows a visible focus indicator; every value typed is then read back in the database.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    PHONE,
    Viewport,
    assert_focus_ring,
    by_id,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
)

pytestmark = pytest.mark.browser


def _make_professional(live: LiveServer, email: str) -> dict[str, Any]:
    """A verified professional whose identity step is done and every later step is empty."""
    from app.auth.models import User
    from tests.factories.profiles import ProfileFactory

    account = live.make_user(email=email, full_name="Aline Wizard")
    with live.app.app_context():
        try:
            ProfileFactory(
                user=db.session.get(User, account["id"]),
                full_name="Aline Wizard",
                phone="+32470123456",
                country="",
                city="",
                timezone="",
                headline="",
                sectors=[],
            )
            db.session.commit()
        finally:
            db.session.remove()
    return account


def _saved(live: LiveServer, email: str) -> dict[str, Any]:
    """What the live app's database holds for the professional after the wizard."""
    from app.auth.models import User
    from app.privacy.models import ConsentRecord
    from app.profiles.models import Profile

    with live.app.app_context():
        try:
            user = db.session.scalar(select(User).where(User.email == email))
            assert user is not None
            profile = db.session.scalar(select(Profile).where(Profile.user_id == user.id))
            assert profile is not None
            consents = db.session.scalars(
                select(ConsentRecord)
                .where(ConsentRecord.user_id == user.id)
                .order_by(ConsentRecord.id)
            ).all()
            return {
                "location": (
                    profile.country,
                    profile.city,
                    profile.timezone,
                    str(profile.tie_to_rwanda),
                    profile.tie_note,
                ),
                "languages": sorted((lang.code, lang.level) for lang in profile.languages),
                "education": [
                    (e.degree, e.field, e.institution, e.country, e.year) for e in profile.education
                ],
                "experience": [
                    (x.title, x.employer, x.country, x.start_date, x.end_date, x.description)
                    for x in profile.experience
                ],
                "skills": sorted((s.name, str(s.level), s.years) for s in profile.skills),
                "interests": (sorted(profile.sectors), profile.headline, profile.bio),
                "availability": (
                    str(profile.mode),
                    profile.hours_per_week,
                    profile.onsite_weeks,
                    profile.willing_to_mentor,
                    profile.open_to_paid,
                    profile.open_to_unpaid,
                    profile.availability_saved,
                ),
                "windows": [(w.start, w.end) for w in profile.windows],
                "consents": [
                    (str(c.kind), c.granted, c.notice_version, c.source) for c in consents
                ],
                "consents_saved": profile.consents_saved,
                "notice_version": live.app.config["PRIVACY_NOTICE_VERSION"],
            }
        finally:
            db.session.remove()


def _type_in(page: Page, element_id: str, text: str) -> None:
    """Tab to the field, then type into it."""
    tab_until(page, by_id(element_id))
    page.keyboard.type(text)


def _press_button(page: Page, label: str) -> None:
    """Tab to the next secondary button (each form's "Add ..."), check its text, press Enter."""
    tab_until(page, lambda f: f["tag"] == "button" and "btn--secondary" in f["cls"])
    expect(page.locator("button:focus")).to_have_text(label)
    page.keyboard.press("Enter")


def _step(page: Page, section: str) -> None:
    expect(page).to_have_url(re.compile(rf"/profile/edit/{section}\?wizard=1$"))


def _continue_link(focused: dict[str, Any]) -> bool:
    """A tab_until matcher: the wizard's "Continue" link of a multi-entry step."""
    return (
        focused["tag"] == "a" and "btn--primary" in focused["cls"] and "wizard=1" in focused["href"]
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=lambda v: v.name)
def test_professional_completes_the_wizard_with_keyboard_only(
    live_server: LiveServer, open_page: Any, viewport: Viewport
) -> None:
    email = f"keyboard.wizard.{viewport.name}@example.org"
    account = _make_professional(live_server, email)
    page = open_page(viewport)

    page.goto("/auth/login")
    log_in_by_keyboard(page, email, account["password"])
    expect(page).to_have_url(re.compile(r"/profile/$"))
    # "Continue my profile" opens the first unfinished step: identity is done, so location.
    tab_until(page, lambda f: f["href"].endswith("/profile/wizard"))
    page.keyboard.press("Enter")
    _step(page, "location")

    # --- Where you live: a select by typing its option, a radio group by the arrow keys.
    tab_until(page, by_id("country"))
    page.keyboard.type("Belgium")  # a closed select picks the option starting with the text
    expect(page.locator("#country")).to_have_value("BE")
    _type_in(page, "city", "Liège")
    # The time zone follows the country (profiles.js); the member leaves it.
    focused = tab_until(page, by_id("timezone"))
    assert focused["value"] == "Europe/Brussels", focused
    # No tie is chosen yet: Tab enters the group on its first radio, an arrow checks the next.
    focused = tab_until(page, lambda f: f["name"] == "tie_to_rwanda")
    assert focused["value"] == "citizen", focused
    page.keyboard.press("ArrowDown")
    focused = assert_focus_ring(page)
    assert focused["value"] == "rwandan_origin", focused
    expect(page.locator("input[name=tie_to_rwanda][value=rwandan_origin]")).to_be_checked()
    _type_in(page, "tie_note", "Born in Huye, grew up in Brussels")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-wizard-location", viewport)
    page.keyboard.press("Enter")

    # --- Languages: two added one after the other, then "Continue".
    _step(page, "languages")
    tab_until(page, by_id("code"))
    page.keyboard.type("Kinyarwanda")
    expect(page.locator("#code")).to_have_value("rw")
    tab_until(page, by_id("level"))
    page.keyboard.type("Native")
    expect(page.locator("#level")).to_have_value("native")
    _press_button(page, "Add language")
    _step(page, "languages")
    expect(page.locator("main ul.ticks li")).to_have_count(1)
    tab_until(page, by_id("code"))
    page.keyboard.type("French")
    expect(page.locator("#code")).to_have_value("fr")
    tab_until(page, by_id("level"))
    page.keyboard.type("C1")
    expect(page.locator("#level")).to_have_value("C1")
    _press_button(page, "Add language")
    _step(page, "languages")
    expect(page.locator("main ul.ticks li")).to_have_count(2)
    tab_until(page, _continue_link)
    page.keyboard.press("Enter")

    # --- Education and experience. Dates: the browser's date field takes the digits in its own
    # locale's order (day and month swap between en-GB and en-US), so the days equal the months.
    _step(page, "background")
    _type_in(page, "degree", "BSc Nursing")
    _type_in(page, "field_of_study", "Paediatric nursing")
    _type_in(page, "institution", "Université libre de Bruxelles")
    tab_until(page, lambda f: f["name"] == "country")
    page.keyboard.type("Belgium")
    _type_in(page, "year", "2010")
    _press_button(page, "Add education")
    _step(page, "background")
    _type_in(page, "title", "Paediatric nurse")
    _type_in(page, "employer", "CHU Saint-Pierre")
    # Its own id, distinct from the education form's "country" above it: its label names it.
    tab_until(page, by_id("experience-country"))
    expect(page.get_by_label("Country", exact=True).nth(1)).to_be_focused()
    page.keyboard.type("Belgium")
    expect(page.locator("#experience-country")).to_have_value("BE")
    tab_until(page, by_id("start_date"))
    page.keyboard.type("03032015")
    expect(page.locator("#start_date")).to_have_value("2015-03-03")
    tab_until(page, by_id("end_date"))
    page.keyboard.type("06062024")
    expect(page.locator("#end_date")).to_have_value("2024-06-06")
    _type_in(page, "description", "Neonatal ward; trained new nurses.")
    _press_button(page, "Add work experience")
    _step(page, "background")
    expect(page.locator("main ul.ticks li")).to_have_count(2)
    tab_until(page, _continue_link)
    page.keyboard.press("Enter")

    # --- Skills. The field suggests from the vocabulary while typing (a <datalist> that
    # profiles.js fills); the member types the suggestion out, then Tab.
    _step(page, "skills")
    tab_until(page, by_id("name"))
    page.keyboard.type("neonat", delay=30)
    expect(page.locator("#skill-suggestions option[value='neonatal resuscitation']")).to_have_count(
        1
    )
    page.keyboard.type("al resuscitation")
    tab_until(page, by_id("level"))
    page.keyboard.type("Expert")
    expect(page.locator("#level")).to_have_value("expert")
    _type_in(page, "years", "7")
    _press_button(page, "Add skill")
    _step(page, "skills")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    # A second skill in American spelling: the page says how it will be stored.
    tab_until(page, by_id("name"))
    page.keyboard.type("pediatric nursing", delay=30)
    expect(page.locator("#skill-canonical")).to_have_text("Will be saved as “paediatric nursing”.")
    tab_until(page, by_id("level"))
    page.keyboard.type("Advanced")
    expect(page.locator("#level")).to_have_value("advanced")
    _type_in(page, "years", "12")
    _press_button(page, "Add skill")
    _step(page, "skills")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="paediatric nursing")).to_contain_text("Advanced")
    screenshot(page, "keyboard-wizard-skills", viewport)
    tab_until(page, _continue_link)
    page.keyboard.press("Enter")

    # --- Sectors (checkboxes by Space), headline and bio.
    _step(page, "interests")
    tab_until(page, lambda f: f["name"] == "sectors" and f["value"] == "health")
    page.keyboard.press("Space")
    tab_until(page, lambda f: f["name"] == "sectors" and f["value"] == "education")
    page.keyboard.press("Space")
    expect(page.locator("input[name=sectors]:checked")).to_have_count(2)
    _type_in(page, "headline", "Paediatric nurse and clinical educator")
    _type_in(page, "bio", "Fifteen years in neonatal care.")
    tab_until(page, primary_button)
    page.keyboard.press("Enter")

    # --- Availability. The window of dates has its own form, after the main one: add it first.
    _step(page, "availability")
    tab_until(page, by_id("start"))
    page.keyboard.type("05052027")
    expect(page.locator("#start")).to_have_value("2027-05-05")
    tab_until(page, by_id("end"))
    page.keyboard.type("08082027")
    expect(page.locator("#end")).to_have_value("2027-08-08")
    _press_button(page, "Add these dates")
    _step(page, "availability")
    expect(page.locator("main ul.ticks li")).to_have_count(1)
    # The mode: no radio is checked; the arrows move to "Both" and check it.
    focused = tab_until(page, lambda f: f["name"] == "mode")
    assert focused["value"] == "remote", focused
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = assert_focus_ring(page)
    assert focused["value"] == "both", focused
    expect(page.locator("input[name=mode][value=both]")).to_be_checked()
    _type_in(page, "hours_per_week", "6")
    _type_in(page, "onsite_weeks", "3")
    tab_until(page, by_id("willing_to_mentor"))
    page.keyboard.press("Space")
    tab_until(page, by_id("open_to_unpaid"))
    page.keyboard.press("Space")
    # Back to "Open to paid" by Shift+Tab, and forward again, leaving it unticked.
    tab_until(page, by_id("open_to_paid"), key="Shift+Tab")
    tab_until(page, by_id("open_to_unpaid"))
    expect(page.locator("#willing_to_mentor")).to_be_checked()
    expect(page.locator("#open_to_paid")).not_to_be_checked()
    expect(page.locator("#open_to_unpaid")).to_be_checked()
    tab_until(page, primary_button)
    page.keyboard.press("Enter")

    # --- Consent, the last step: saving it finishes the wizard on the dashboard.
    _step(page, "consent")
    tab_until(page, by_id("matching"))
    page.keyboard.press("Space")
    tab_until(page, by_id("statistics"))
    page.keyboard.press("Space")
    expect(page.locator("#matching")).to_be_checked()
    expect(page.locator("#newsletters")).not_to_be_checked()
    expect(page.locator("#statistics")).to_be_checked()
    tab_until(page, primary_button)
    screenshot(page, "keyboard-wizard-consent", viewport)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.locator(".flashes .notice--success")).to_contain_text("Your profile is ready")
    expect(page.locator("#completeness")).to_have_attribute("value", "100")
    expect(page.locator("label[for=completeness]")).to_have_text("Profile 100% complete")

    saved = _saved(live_server, email)
    assert saved["location"] == (
        "BE",
        "Liège",
        "Europe/Brussels",
        "rwandan_origin",
        "Born in Huye, grew up in Brussels",
    )
    assert saved["languages"] == [("fr", "C1"), ("rw", "native")]
    assert saved["education"] == [
        ("BSc Nursing", "Paediatric nursing", "Université libre de Bruxelles", "BE", 2010)
    ]
    assert saved["experience"] == [
        (
            "Paediatric nurse",
            "CHU Saint-Pierre",
            "BE",
            date(2015, 3, 3),
            date(2024, 6, 6),
            "Neonatal ward; trained new nurses.",
        )
    ]
    assert saved["skills"] == [
        ("neonatal resuscitation", "expert", 7),
        ("paediatric nursing", "advanced", 12),
    ]
    assert saved["interests"] == (
        ["education", "health"],
        "Paediatric nurse and clinical educator",
        "Fifteen years in neonatal care.",
    )
    assert saved["availability"] == ("both", 6, 3, True, False, True, True)
    assert saved["windows"] == [(date(2027, 5, 5), date(2027, 8, 8))]
    version = saved["notice_version"]
    assert saved["consents"] == [
        ("matching", True, version, "profile"),
        ("newsletters", False, version, "profile"),
        ("statistics", True, version, "profile"),
    ]
    assert saved["consents_saved"] is True
    assert not live_server.csp_errors, live_server.csp_errors
