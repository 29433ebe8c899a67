"""Forms announce their errors (every page's axe check is test_axe_sweep.py).

axe-core is served to the page from the app's own origin (a Playwright route on /__axe.js), so the
app's Content-Security-Policy stays on during the checks: bypass_csp=True would also hide any inline
script a template slipped in, which is exactly what the CSP is there to refuse.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    PHONE,
    Viewport,
    axe_violations,
    blocking,
    describe,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _needs_axe(live_server: LiveServer) -> None:
    if not live_server.axe_available:
        pytest.skip("axe-core is not installed (scripts/ensure_axe.sh could not install it)")


def _check(page: Page, live: LiveServer, name: str, viewport: Viewport) -> list[str]:
    screenshot(page, f"a11y-{name}", viewport)
    problems = []
    serious = blocking(axe_violations(page))
    if serious:
        problems.append(f"{name} ({page.url}):\n{describe(serious)}")
    if live.csp_errors:
        problems.append(f"{name}: CSP refusals {live.csp_errors}")
        live.csp_errors.clear()
    return problems


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        ("/auth/signup", ["full_name", "email", "password", "confirm", "accept_privacy"]),
        ("/auth/login", ["email", "password"]),
        ("/auth/reset", ["email"]),
    ],
    ids=["signup", "login", "reset"],
)
def test_invalid_form_announces_its_errors(
    live_server: LiveServer, open_page: Any, path: str, fields: list[str]
) -> None:
    page = open_page(PHONE)
    page.goto(path)
    page.locator("main form[method=post] button[type=submit]").click()

    # The summary is an alert and takes focus (app.js), each field points at its own message.
    summary = page.locator("#form-errors")
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    for name in fields:
        control = page.locator(f"#{name}")
        expect(control).to_have_attribute("aria-invalid", "true")
        message = page.locator(f"#{name}-error")
        expect(message).to_have_attribute("role", "alert")
        expect(message).to_be_visible()
        described_by = (control.get_attribute("aria-describedby") or "").split()
        assert f"{name}-error" in described_by, (name, described_by)
    problems = _check(page, live_server, f"errors-{path.strip('/').replace('/', '-')}", PHONE)
    assert not problems, "\n".join(problems)
