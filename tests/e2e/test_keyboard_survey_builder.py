"""RCA staff build and open a survey by keyboard alone.

With only Tab, typing, Space and Enter, staff create a survey for every member, add a required
single-choice question (its choices typed one a line), open the survey and reach its results page.
Every element that takes focus on the way shows a visible focus indicator; the survey and its
question are read in the database.
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
    by_id,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
)

pytestmark = pytest.mark.browser

TITLE = "Keyboard-built survey"
QUESTION = "How often do you visit Rwanda?"


def _survey(live: LiveServer) -> dict[str, Any]:
    from app.surveys.models import Survey

    with live.app.app_context():
        try:
            survey = db.session.scalar(select(Survey).where(Survey.title == TITLE))
            assert survey is not None
            return {
                "id": survey.id,
                "status": str(survey.status),
                "audience": str(survey.audience_kind),
                "questions": [
                    (str(q.kind), q.text, q.is_required, [c["en"] for c in q.choices])
                    for q in survey.questions
                ],
            }
        finally:
            db.session.remove()


def test_staff_build_and_open_survey_with_keyboard_only(
    live_server: LiveServer, open_page: Any
) -> None:
    staff = live_server.make_user(role="rca_staff", email="keyboard.surveys@rca.rw")
    page = open_page(DESKTOP)
    page.goto("/auth/login")
    log_in_by_keyboard(page, staff["email"], staff["password"])
    expect(page.locator("header form[action$='/auth/logout'] button")).to_be_visible()

    page.goto("/surveys/staff/new")
    tab_until(page, by_id("title"))
    page.keyboard.type(TITLE)
    tab_until(page, primary_button)  # the audience keeps its default: every member
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/surveys/staff/\d+$"))

    tab_until(page, lambda f: f["href"].endswith("/questions/new"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/questions/new$"))
    tab_until(page, by_id("kind"))
    page.keyboard.type("Single")
    expect(page.locator("#kind")).to_have_value("single")
    tab_until(page, by_id("text"))
    page.keyboard.type(QUESTION)
    tab_until(page, by_id("is_required"))
    page.keyboard.press("Space")
    expect(page.locator("#is_required")).to_be_checked()
    tab_until(page, by_id("choices_en"))
    page.keyboard.type("Every year")
    page.keyboard.press("Enter")  # a new line in the textarea: the next choice
    page.keyboard.type("Rarely")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-survey-question", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/surveys/staff/\d+$"))
    expect(page.locator("main")).to_contain_text(QUESTION)

    # "Open and send invitations" is the page's first primary button once the question exists.
    tab_until(page, primary_button)
    expect(page.locator("main form[action$='/open'] button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes .notice").last).to_be_visible()

    tab_until(page, lambda f: f["href"].endswith("/results"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/surveys/staff/\d+/results$"))
    expect(page.locator("main")).to_contain_text(QUESTION)

    state = _survey(live_server)
    assert (state["status"], state["audience"]) == ("open", "all")
    assert state["questions"] == [("single", QUESTION, True, ["Every year", "Rarely"])]
    assert not live_server.csp_errors, live_server.csp_errors
