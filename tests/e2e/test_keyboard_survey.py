"""A member answers a survey by keyboard alone.

With only Tab, Space, the arrows, typing and Enter, a member logs in, opens an open survey from the
survey list, picks a choice in a radio group, types a short answer and sends the answers. Every
element that takes focus on the way shows a visible focus indicator; the answers are read in the
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
from tests.e2e.support import (
    DESKTOP,
    assert_focus_ring,
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
)

pytestmark = pytest.mark.browser


def _open_survey(live: LiveServer, user_id: int) -> dict[str, int]:
    """An open survey the member is invited to: a required single choice, then a short text."""
    from app.database import utcnow
    from app.surveys.models import SurveyInvitation, SurveyStatus
    from app.surveys.services import save_question
    from tests.factories.surveys import SurveyFactory

    with live.app.app_context():
        try:
            survey = SurveyFactory(
                title="Keyboard survey", status=SurveyStatus.OPEN, opened_at=utcnow()
            )
            db.session.flush()
            single = save_question(
                survey,
                None,
                kind="single",
                text="How often do you visit Rwanda?",
                choices_en="Every year\nSometimes\nRarely",
                is_required=True,
            )
            short = save_question(survey, None, kind="short_text", text="What would help you?")
            db.session.add(SurveyInvitation(survey_id=survey.id, user_id=user_id))
            db.session.commit()
            return {"survey": survey.id, "single": single.id, "short": short.id}
        finally:
            db.session.remove()


def _answers(live: LiveServer, survey_id: int, user_id: int) -> dict[int, Any] | None:
    from app.surveys.models import SurveyResponse

    with live.app.app_context():
        try:
            response = db.session.scalar(
                select(SurveyResponse).where(
                    SurveyResponse.survey_id == survey_id,
                    SurveyResponse.user_id == user_id,
                    SurveyResponse.submitted_at.is_not(None),
                )
            )
            return None if response is None else response.answer_map()
        finally:
            db.session.remove()


def test_member_answers_survey_with_keyboard_only(live_server: LiveServer, open_page: Any) -> None:
    from app.auth.models import User
    from tests.factories.profiles import ProfileFactory

    account = live_server.make_user(email="keyboard.survey@example.org")
    with live_server.app.app_context():
        ProfileFactory(user=db.session.get(User, account["id"]))
        db.session.commit()
        db.session.remove()
    ids = _open_survey(live_server, account["id"])
    page = open_page(DESKTOP)

    page.goto("/auth/login")
    log_in_by_keyboard(page, account["email"], account["password"])
    expect(page).to_have_url(re.compile(r"/profile/$"))

    page.goto("/surveys/")
    tab_until(page, lambda f: f["href"].endswith(f"/surveys/{ids['survey']}/answer"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/surveys/{ids['survey']}/answer$"))

    # Tab enters the radio group on its first radio; Space checks it, an arrow moves the choice.
    focused = tab_until(page, lambda f: f["type"] == "radio")
    page.keyboard.press("Space")
    expect(page.locator(f"#{focused['id']}")).to_be_checked()
    page.keyboard.press("ArrowDown")
    second = assert_focus_ring(page)
    expect(page.locator(f"#{second['id']}")).to_be_checked()
    expect(page.locator(f"#{focused['id']}")).not_to_be_checked()

    tab_until(page, lambda f: f["tag"] == "input" and f["type"] in ("", "text"))
    page.keyboard.type("Imishinga mito")
    focused = tab_until(page, primary_button)
    assert focused["value"] == "submit", focused
    screenshot(page, "keyboard-survey-answer", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/surveys/{ids['survey']}/thanks$"))

    answers = _answers(live_server, ids["survey"], account["id"])
    assert answers == {ids["single"]: "2", ids["short"]: "Imishinga mito"}
    assert not live_server.csp_errors, live_server.csp_errors
