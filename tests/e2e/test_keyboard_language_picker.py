"""The need form's languages: a filter box over the plain multi-select, used by keyboard alone.

An institution member tabs to "Languages required", types part of a name, moves to the match
with the arrow key and picks it with Enter, twice; both languages show as chips and are chosen
in the (hidden) select the form submits. Enter in the filter box never submits the form.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    axe_violations,
    blocking,
    by_id,
    describe,
    log_in_by_keyboard,
    tab_until,
)

pytestmark = pytest.mark.browser


def test_member_filters_and_picks_two_languages_by_keyboard(
    live_server: LiveServer, open_page: Any
) -> None:
    from tests.factories.institutions import add_institution_for

    member = live_server.make_user(role="institution_member", email="picker@chub.rw")
    with live_server.app.app_context():
        add_institution_for(member["id"], name="CHU Kigali")
    page = open_page(DESKTOP)
    page.goto("/auth/login")
    log_in_by_keyboard(page, member["email"], member["password"])
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))
    page.goto("/needs/new")

    # The script replaced the 180-line list with a filter box named by the field's label.
    expect(page.locator("select#languages")).to_be_hidden()
    expect(page.get_by_role("combobox", name="Languages required")).to_have_id("languages-filter")
    tab_until(page, by_id("languages-filter"), limit=120)

    page.keyboard.type("fren")
    expect(page.locator("#languages-matches [role=option]").first).to_have_text("French")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#languages-filter")).to_have_attribute(
        "aria-activedescendant", "languages-match-0"
    )
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # clears the filter for the next language
    page.keyboard.type("kinyar")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/needs/new$"))  # Enter picked, it did not submit
    chosen = page.eval_on_selector(
        "select#languages", "s => Array.from(s.selectedOptions, o => o.value)"
    )
    assert sorted(chosen) == ["fr", "rw"]
    chips = page.locator(".picker__chips li")
    expect(chips).to_have_count(2)
    expect(chips.get_by_role("button", name="Remove French")).to_be_visible()
    # A chip's button drops its language again.
    chips.get_by_role("button", name="Remove French").press("Enter")
    expect(chips).to_have_count(1)
    chosen = page.eval_on_selector(
        "select#languages", "s => Array.from(s.selectedOptions, o => o.value)"
    )
    assert chosen == ["rw"]
    if live_server.axe_available:
        # The filter box, its list of matches and the chips pass axe (open, with a chip shown).
        page.locator("#languages-filter").focus()
        page.keyboard.type("eng")
        found = blocking(axe_violations(page))
        assert not found, describe(found)
    assert not live_server.csp_errors, live_server.csp_errors
