"""The phone is first-class: a folded menu and folded filters, with and without JavaScript.

On a 360 × 740 phone the header's menu folds behind a "Menu" button (a native <details>
disclosure: no script needed, announced as expanded/collapsed, reached by Tab), its entries are
44 px touch targets once opened, the language switcher stays in view and log-out is one tap away.
On a desktop the same markup shows every entry with no button. A list's filters (the needs list,
the placements pipeline, the audit log, the accounts list) fold the same way, so the first result
is on the first screen, and stay open with no button on a desktop. That no page scrolls sideways
at 360 px is checked for every page of every role by the page sweep (test_axe_sweep.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    SMALL_PHONE,
    assert_focus_ring,
    log_in_with_form,
    screenshot,
    sideways_overflow,
    tab_until,
)
from tests.factories.auth import DEFAULT_PASSWORD

pytestmark = pytest.mark.browser

MENU = "header details.menu"
TOGGLE = "header .menu__toggle"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"

# Every entry of the opened menu, its log-out button and the language buttons, with their boxes.
_TARGETS = """() => Array.from(
    document.querySelectorAll("header .nav__link, header .lang__btn"))
  .filter((el) => el.getClientRects().length)
  .map((el) => {
    const box = el.getBoundingClientRect();
    return { text: el.innerText.trim(), height: box.height, width: box.width,
             right: box.right, bottom: box.bottom };
  })"""


@pytest.fixture(scope="module")
def accounts(live_server: LiveServer) -> dict[str, str]:
    """A staff account (the longest menu) and a dozen open needs (a list longer than a screen)."""
    from app.outreach.models import InboxEntry, InboxKind
    from tests.factories.needs import NeedFactory

    staff = live_server.make_user(role="rca_staff", email="phone.staff@rca.gov.rw")
    with live_server.app.app_context():
        try:
            for n in range(12):
                NeedFactory(title=f"Phone need {n}")
            # Two unread inbox entries: their count shows on the folded menu's button too.
            for subject in ("Welcome", "A new need"):
                db.session.add(
                    InboxEntry(user_id=staff["id"], kind=InboxKind.ALERT, subject=subject)
                )
            db.session.commit()
        finally:
            db.session.remove()
    return {"staff": staff["email"]}


def _entries(page: Page) -> Any:
    return page.locator("header nav .nav__list a.nav__link")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_menu_folds_behind_a_button_and_opens_without_javascript(
    live_server: LiveServer, open_page: Any, accounts: dict[str, str], javascript: bool
) -> None:
    page: Page = open_page(SMALL_PHONE, javascript=javascript)
    log_in_with_form(page, accounts["staff"], DEFAULT_PASSWORD)
    page.goto("/needs/")

    # Closed: a "Menu" button, no entries shown; the language switcher is still in view.
    toggle = page.locator(TOGGLE)
    expect(toggle).to_be_visible()
    expect(toggle).to_have_accessible_name("Menu 2 unread")
    expect(page.locator(MENU)).not_to_have_attribute("open", "")
    expect(_entries(page).first).to_be_hidden()
    expect(page.locator(LOGOUT)).to_be_hidden()
    expect(page.locator("header form.lang button[value='fr']")).to_be_visible()
    box = toggle.bounding_box()
    assert box and box["height"] >= 44 and box["width"] >= 44, box
    assert box["y"] + box["height"] <= 120, f"the menu button is not in the first row: {box}"
    assert sideways_overflow(page) <= 0
    if javascript:
        screenshot(page, "phone-menu-closed", SMALL_PHONE, full_page=False)

    # Opened by a tap: every entry is a full-width, 44 px target, log-out included.
    toggle.click()
    expect(page.locator(MENU)).to_have_attribute("open", "")
    expect(_entries(page).first).to_be_visible()
    expect(page.locator(LOGOUT)).to_be_visible()
    targets = page.evaluate(_TARGETS)
    assert len(targets) >= 14, targets  # the button, 10 staff entries, log out, 3 languages
    for target in targets:
        assert target["height"] >= 44 and target["width"] >= 44, target
        assert target["right"] <= SMALL_PHONE.width, target
    assert sideways_overflow(page) <= 0
    if javascript:
        screenshot(page, "phone-menu-open", SMALL_PHONE, full_page=False)

    # And it works: an entry leads to its page, log-out logs out.
    page.locator("header nav a[href$='/insights/']").click()
    expect(page).to_have_url(f"{live_server.url}/insights/")
    page.locator(TOGGLE).click()
    page.locator(LOGOUT).click()
    expect(page.locator("header a[href$='/auth/login']")).to_be_attached()
    assert not live_server.csp_errors, live_server.csp_errors


def test_phone_menu_by_keyboard(
    live_server: LiveServer, open_page: Any, accounts: dict[str, str]
) -> None:
    page: Page = open_page(SMALL_PHONE)
    log_in_with_form(page, accounts["staff"], DEFAULT_PASSWORD)
    page.goto("/needs/")
    focused = tab_until(page, lambda f: "menu__toggle" in f["cls"])
    assert focused["tag"] == "summary", focused
    assert_focus_ring(page)
    # A native disclosure: Enter opens it, the next Tab reaches its first entry.
    page.keyboard.press("Enter")
    expect(page.locator(MENU)).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(_entries(page).first).to_be_focused()
    # Escape folds it again and gives focus back to the button (app.js).
    page.keyboard.press("Escape")
    expect(page.locator(MENU)).not_to_have_attribute("open", "")
    expect(page.locator(TOGGLE)).to_be_focused()
    snapshot = page.locator("header").aria_snapshot()
    assert "Menu" in snapshot, snapshot


def test_desktop_shows_every_entry_without_a_menu_button(
    live_server: LiveServer, open_page: Any, accounts: dict[str, str]
) -> None:
    for javascript in (True, False):
        page: Page = open_page(DESKTOP, javascript=javascript)
        log_in_with_form(page, accounts["staff"], DEFAULT_PASSWORD)
        page.goto("/needs/")
        expect(page.locator(TOGGLE)).to_be_hidden()
        expect(page.locator(LOGOUT)).to_be_visible()
        for entry in _entries(page).all():
            expect(entry).to_be_visible()
        # The filters too: open, with no button to press.
        expect(page.locator("main .fold__toggle")).to_be_hidden()
        expect(page.locator("main form #q")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_phone_filters_fold_so_the_first_result_is_on_the_first_screen(
    live_server: LiveServer, open_page: Any, accounts: dict[str, str], javascript: bool
) -> None:
    page: Page = open_page(SMALL_PHONE, javascript=javascript)
    page.goto("/needs/")
    expect(page.locator("main form #q")).to_be_hidden()
    first = page.locator("#needs-results article.card").first
    box = first.bounding_box()
    assert box is not None and box["y"] + 48 <= SMALL_PHONE.height, (
        f"the first need starts at {box} on a {SMALL_PHONE.height}px high screen"
    )
    page.locator("main .fold__toggle").click()
    expect(page.locator("main form #q")).to_be_visible()
    page.locator("main form #q").fill("Phone need 3")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#needs-results article.card h3").first).to_have_text("Phone need 3")
    assert sideways_overflow(page) <= 0
    if javascript:
        screenshot(page, "phone-filters-open", SMALL_PHONE, full_page=False)


STAFF_LISTS = ("/placements/staff", "/staff/audit", "/staff/users")


def test_staff_list_filters_fold_on_a_phone_and_stay_open_on_a_desktop(
    live_server: LiveServer, open_page: Any
) -> None:
    admin = live_server.make_user(role="admin", email="phone.admin@rca.gov.rw")
    phone: Page = open_page(SMALL_PHONE, javascript=False)
    log_in_with_form(phone, admin["email"], DEFAULT_PASSWORD)
    desktop: Page = open_page(DESKTOP, javascript=False)
    log_in_with_form(desktop, admin["email"], DEFAULT_PASSWORD)
    for path in STAFF_LISTS:
        phone.goto(path)
        toggle = phone.locator("main .fold__toggle")
        expect(toggle).to_be_visible()
        expect(
            phone.locator(
                "main details.fold form select, main details.fold form input:not([type=hidden])"
            ).first
        ).to_be_hidden()
        box = toggle.bounding_box()
        assert box is not None and box["y"] + box["height"] <= SMALL_PHONE.height, (path, box)
        toggle.click()
        expect(phone.locator("main details.fold form button[type=submit]")).to_be_visible()
        assert sideways_overflow(phone) <= 0, path

        desktop.goto(path)
        expect(desktop.locator("main .fold__toggle")).to_be_hidden()
        expect(desktop.locator("main details.fold form button[type=submit]")).to_be_visible()


@pytest.mark.parametrize("locale", ["fr", "rw"])
def test_phone_header_fits_360px_in_french_and_kinyarwanda(
    live_server: LiveServer, open_page: Any, accounts: dict[str, str], locale: str
) -> None:
    """The longest labels (staff's menu, "Ikinyarwanda") still fit: no sideways scroll, the menu
    button on the brand's row, closed and open."""
    page: Page = open_page(SMALL_PHONE)
    log_in_with_form(page, accounts["staff"], DEFAULT_PASSWORD)
    page.goto("/needs/")
    page.locator(f"header form.lang button[value='{locale}']").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)
    toggle = page.locator(TOGGLE)
    box = toggle.bounding_box()
    assert box and box["y"] + box["height"] <= 120 and box["x"] + box["width"] <= 360, box
    assert sideways_overflow(page) <= 0
    toggle.click()
    for target in page.evaluate(_TARGETS):
        assert target["right"] <= SMALL_PHONE.width and target["height"] >= 44, target
    assert sideways_overflow(page) <= 0
    screenshot(page, f"phone-menu-open-{locale}", SMALL_PHONE, full_page=False)
