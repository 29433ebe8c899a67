"""The design system as the browser renders it, at phone size.

The header carries the programme's identity (the name and the SVG logo mark); colours, spacing and
type come from the CSS variables on :root, which the components use; the landing page fits a
phone's width; a filter that matches nothing shows an empty state that says what to do.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.support import PHONE, screenshot, sideways_overflow

pytestmark = pytest.mark.browser

_TOKENS = """() => {
  const root = getComputedStyle(document.documentElement);
  const token = (name) => root.getPropertyValue(name).trim();
  const probe = document.createElement("span");
  document.body.append(probe);
  probe.style.color = token("--c-brand");
  const brand = getComputedStyle(probe).color;
  probe.remove();
  const button = document.querySelector("main .btn--primary");
  return {
    brand,
    space: token("--space-4"),
    font: token("--font"),
    fontSize: token("--fs-base"),
    button: button ? getComputedStyle(button).backgroundColor : "",
    bodyFont: getComputedStyle(document.body).fontFamily,
  };
}"""


def test_pages_share_the_identity_and_tokens(live_server: LiveServer, open_page: Any) -> None:
    page = open_page(PHONE)
    with page.expect_response(lambda r: r.url.endswith("/static/img/logo.svg")) as logo:
        page.goto("/")
    assert logo.value.ok
    assert logo.value.headers["content-type"].startswith("image/svg+xml")

    brand = page.locator("header .brand")
    expect(brand.locator(".brand__name")).to_have_text("Umuhuza")
    mark = brand.locator("img")
    expect(mark).to_have_attribute("src", "/static/img/logo.svg")
    assert mark.evaluate("(img) => img.complete && img.naturalWidth > 0"), "the logo did not load"

    tokens = page.evaluate(_TOKENS)
    assert tokens["brand"].startswith("rgb("), tokens
    assert tokens["button"] == tokens["brand"], "the primary button does not use --c-brand"
    assert tokens["space"] and tokens["font"] and tokens["fontSize"], tokens
    assert tokens["bodyFont"].startswith("system-ui"), tokens
    assert sideways_overflow(page) <= 0, f"the landing page scrolls sideways at {PHONE.width}px"

    page.goto("/needs/?q=zzzqqq-no-such-need")
    empty = page.locator("#needs-results .empty")
    expect(empty).to_be_visible()
    expect(empty.locator(".empty__title")).to_have_text("No needs match these filters")
    expect(empty).to_contain_text("Try fewer filters")
    assert sideways_overflow(page) <= 0, f"the needs list scrolls sideways at {PHONE.width}px"
    screenshot(page, "needs-empty-state", PHONE)
    assert not live_server.csp_errors, live_server.csp_errors
