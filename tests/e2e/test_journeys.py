"""Journeys in a real browser: sign up, confirm the email, log in, reach the dashboard, log out.

Each page visited is also checked with axe-core (no serious or critical violation) and, in French,
against the French catalogue (no English text of a translated message left on the page).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    VIEWPORTS,
    Findings,
    Viewport,
    link_in,
    open_menu,
    screenshot,
    tab_until,
    wait_for_mail,
)
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

PASSWORD = "umugezi w'amahoro 2026"
SUBMIT = "main form[method=post] button[type=submit]"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"
LOGIN_LINK = "header a[href$='/auth/login']"


def _sign_up_confirm_log_in_out(
    page: Page, live: LiveServer, smtp: SMTPServer, findings: Findings, email: str
) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()

    if findings.french:
        page.locator("header form.lang button[value='fr']").click()
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        expect(page.locator("header form.lang button[value='fr']")).to_have_attribute(
            "aria-current", "true"
        )
    findings.check(page, "landing")

    page.locator(".hero__actions a.btn--primary").click()
    expect(page).to_have_url(re.compile(r"/auth/signup\?as=professional$"))
    expect(page.locator("input[name=account_type][value=professional]")).to_be_checked()
    findings.check(page, "signup")

    page.locator("#full_name").fill("Aline Uwimana")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#accept_privacy").check()
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/auth/check-email$"))
    findings.check(page, "check-email")

    mail = wait_for_mail(smtp.sink, email)
    if findings.french:
        findings.check_french(mail.subject + "\n" + mail.text(), "verification email")
    page.goto(link_in(mail.text(), live.url))
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.locator(".notice--success")).to_be_visible()
    findings.check(page, "login")

    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(SUBMIT).click()
    expect(page.locator(LOGOUT)).to_be_attached()
    assert "/auth/" not in page.url, page.url
    expect(page.locator("h1")).to_be_visible()
    findings.check(page, "dashboard")

    open_menu(page)  # on a phone, log-out is in the folded menu
    page.locator(LOGOUT).click()
    expect(page).to_have_url(live.url + "/")
    open_menu(page)
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    expect(page.locator(".flashes .notice")).to_be_visible()
    if findings.french:
        expect(page.locator("html")).to_have_attribute("lang", "fr")
    findings.check(page, "logged-out")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_professional_signs_up_confirms_logs_in_and_out(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer, viewport: Viewport
) -> None:
    page = open_page(viewport)
    findings = Findings(live_server, viewport, "signup-en")
    _sign_up_confirm_log_in_out(
        page, live_server, smtp_server, findings, f"aline.en.{viewport.name}@example.org"
    )
    expect(page.locator("html")).to_have_attribute("lang", "en")
    findings.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: v.name)
def test_professional_signs_up_in_french_without_english_left(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer, viewport: Viewport
) -> None:
    page = open_page(viewport)
    findings = Findings(live_server, viewport, "signup-fr", french=True)
    _sign_up_confirm_log_in_out(
        page, live_server, smtp_server, findings, f"aline.fr.{viewport.name}@example.org"
    )
    findings.assert_clean()


def test_keyboard_only_log_in_and_out(live_server: LiveServer, open_page: Any) -> None:
    account = live_server.make_user(email="keyboard@example.org")
    page = open_page(DESKTOP)
    page.goto("/")

    # The first Tab stop is the skip link, shown when focused; Enter moves focus to the content.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, box
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.goto("/")
    tab_until(page, lambda f: f["href"].endswith("/auth/login"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/auth/login$"))

    tab_until(page, lambda f: f["id"] == "email")
    page.keyboard.type(account["email"])
    tab_until(page, lambda f: f["id"] == "password")
    page.keyboard.type(account["password"])
    tab_until(page, lambda f: f["id"] == "remember")
    page.keyboard.press("Space")
    expect(page.locator("#remember")).to_be_checked()
    page.keyboard.press("Space")  # and off again: a shared computer should not stay signed in
    expect(page.locator("#remember")).not_to_be_checked()
    tab_until(page, lambda f: f["tag"] == "button" and "btn--primary" in f["cls"])
    page.keyboard.press("Enter")
    expect(page.locator(LOGOUT)).to_be_visible()
    assert "/auth/" not in page.url, page.url
    screenshot(page, "keyboard-login-dashboard", DESKTOP)

    page.goto("/")  # start from the top of the page again, as a keyboard user would
    tab_until(page, lambda f: f["tag"] == "button" and "nav__button" in f["cls"])
    page.keyboard.press("Space")
    expect(page.locator(LOGIN_LINK)).to_be_visible()
    assert not live_server.csp_errors, live_server.csp_errors


def test_log_out_forgets_remember_me(live_server: LiveServer, open_page: Any) -> None:
    account = live_server.make_user(email="remembered@example.org")
    page = open_page(DESKTOP)
    page.goto("/auth/login")
    page.locator("#email").fill(account["email"])
    page.locator("#password").fill(account["password"])
    page.locator("#remember").check()
    page.locator(SUBMIT).click()
    expect(page.locator(LOGOUT)).to_be_visible()

    page.locator(LOGOUT).click()
    expect(page.locator(LOGIN_LINK)).to_be_visible(timeout=2_000)
    response = page.goto("/auth/account")
    assert response is not None
    assert "/auth/login" in page.url, "still signed in after logging out"
