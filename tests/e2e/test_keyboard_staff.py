"""RCA staff's main journey by keyboard alone.

With only Tab, Shift+Tab, arrows, Space, Enter and typing, a staff member logs in, reaches the
segments from the header, builds a segment (a name and a city filter), previews it, saves it,
then composes a message to that segment and sends it now. Every element that takes focus on the
way shows a visible focus indicator; the outcome is read in the database and in the mail sink.
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
    log_in_by_keyboard,
    primary_button,
    screenshot,
    tab_until,
    wait_for_mail,
)
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

CITY = "Kbdnamur"
SEGMENT = "Keyboard segment Namur"
SUBJECT = "Keyboard-sent RCA news"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"


def _href_ends(suffix: str) -> Any:
    return lambda f: f["tag"] == "a" and f["href"].endswith(suffix)


def _follow_link(page: Any, path: str) -> None:
    """Tab to the link whose address ends with the path, press Enter, land on that path."""
    tab_until(page, _href_ends(path))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(path) + "$"))


def _make_member(live: LiveServer) -> dict[str, Any]:
    from tests.factories.outreach import create_members

    with live.app.app_context():
        try:
            (user_id,) = create_members(1, prefix="kbdstaff", profile={"city": CITY})
            db.session.commit()
            return {"id": user_id, "email": "kbdstaff0@example.org"}
        finally:
            db.session.remove()


def _outcome(live: LiveServer, member_id: int) -> dict[str, Any]:
    """The saved segment, the message sent to it, and the member's inbox entries for it."""
    from app.outreach.models import InboxEntry, OutreachMessage, Segment

    with live.app.app_context():
        try:
            segment = db.session.scalar(select(Segment).where(Segment.name == SEGMENT))
            message = db.session.scalar(
                select(OutreachMessage).where(OutreachMessage.subject == SUBJECT)
            )
            assert segment is not None and message is not None
            entries = db.session.scalars(
                select(InboxEntry).where(
                    InboxEntry.message_id == message.id, InboxEntry.user_id == member_id
                )
            ).all()
            return {
                "cities": segment.filters.get("cities"),
                "message_id": message.id,
                "segment_id": message.segment_id == segment.id,
                "topic": str(message.topic),
                "status": str(message.status),
                "body": message.body,
                "inbox": len(entries),
            }
        finally:
            db.session.remove()


def _deliver_outbox(live: LiveServer) -> int:
    """What the worker would do: one pump of the outbox until it is empty."""
    from app.outreach.delivery import deliver_outbox_batch

    handled = 0
    with live.app.app_context():
        try:
            while count := deliver_outbox_batch("e2e-keyboard"):
                db.session.commit()
                handled += count
            db.session.commit()
        finally:
            db.session.remove()
    return handled


def test_staff_builds_segment_and_sends_message_with_keyboard_only(
    live_server: LiveServer, open_page: Any, smtp_server: SMTPServer
) -> None:
    staff = live_server.make_user(role="rca_staff", email="keyboard.staff@rca.rw")
    member = _make_member(live_server)
    page = open_page(DESKTOP)

    # Log in (two-factor is off for staff in the test configuration).
    page.goto("/auth/login")
    log_in_by_keyboard(page, staff["email"], staff["password"])
    expect(page.locator(LOGOUT)).to_be_visible()

    # The header's "Segments" link, then the page's "New segment" call to action.
    _follow_link(page, "/outreach/segments")
    _follow_link(page, "/outreach/segments/new")

    tab_until(page, by_id("name"))
    page.keyboard.type(SEGMENT)
    tab_until(page, by_id("cities"))
    page.keyboard.type(CITY)
    focused = tab_until(page, lambda f: f["name"] == "preview")
    assert "btn--secondary" in focused["cls"], focused
    page.keyboard.press("Enter")
    preview = page.locator("main section[aria-live] table tbody tr")
    expect(preview).to_have_count(1)
    expect(preview).to_contain_text("Member kbdstaff 0")
    # The preview kept the filters; Shift+Tab back from the end of the page reaches "Save".
    expect(page.locator("#name")).to_have_value(SEGMENT)
    expect(page.locator("#cities")).to_have_value(CITY)
    tab_until(page, by_id("cities"))
    tab_until(page, lambda f: f["name"] == "save")
    tab_until(page, lambda f: f["name"] == "preview", key="Shift+Tab")
    tab_until(page, lambda f: f["name"] == "save")
    screenshot(page, "keyboard-staff-segment-preview", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/outreach/segments\?saved=\d+$"))
    expect(page.locator(".flashes .notice--success")).to_be_visible()
    expect(page.locator("main a", has_text=SEGMENT)).to_be_visible()

    # The header's "Messages" link, then "New message".
    _follow_link(page, "/outreach/messages")
    _follow_link(page, "/outreach/messages/new")

    # Closed selects take type-ahead: the option starting with the typed text is picked.
    tab_until(page, by_id("topic"))
    page.keyboard.type("RCA")
    expect(page.locator("#topic")).to_have_value("news")
    tab_until(page, by_id("segment_id"))
    page.keyboard.type("Keyboard")
    expect(page.locator("#segment_id option:checked")).to_have_text(SEGMENT)
    tab_until(page, by_id("subject"))
    page.keyboard.type(SUBJECT)
    tab_until(page, by_id("body"))
    page.keyboard.type("Muraho {first_name}, **murakaza neza**.")
    # The language variants sit in a closed <details>: Space on its summary opens it.
    tab_until(page, lambda f: f["tag"] == "summary")
    page.keyboard.press("Space")
    expect(page.locator("main details")).to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(page.locator("main details")).not_to_have_attribute("open", "")
    tab_until(page, primary_button)
    screenshot(page, "keyboard-staff-message-form", DESKTOP)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/outreach/messages/\d+$"))
    expect(page.locator("main h1")).to_have_text(SUBJECT)

    # Tab enters the "When" radio group on its checked radio, "Send now"; the arrows move
    # through the group and back, then Space keeps "Send now" checked.
    focused = tab_until(page, lambda f: f["name"] == "mode")
    assert focused["value"] == "now", focused
    page.keyboard.press("ArrowDown")
    assert assert_focus_ring(page)["value"] == "at"
    page.keyboard.press("ArrowUp")
    focused = assert_focus_ring(page)
    assert focused["value"] == "now", focused
    page.keyboard.press("Space")
    expect(page.locator("input[name=mode][value=now]")).to_be_checked()
    tab_until(page, lambda f: primary_button(f) and f["name"] == "")
    screenshot(page, "keyboard-staff-message-send", DESKTOP)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes .notice--success")).to_contain_text("Sent to 1 members")
    expect(page.locator("main h2", has_text="Delivery report")).to_be_visible()

    state = _outcome(live_server, member["id"])
    assert state["cities"] == [CITY]
    assert page.url.endswith(f"/outreach/messages/{state['message_id']}")
    assert state["segment_id"], "the message was not addressed to the saved segment"
    assert (state["topic"], state["status"]) == ("news", "sent")
    assert state["body"] == "Muraho {first_name}, **murakaza neza**."
    assert state["inbox"] == 1

    assert _deliver_outbox(live_server) >= 1
    mail = wait_for_mail(smtp_server.sink, member["email"])
    assert mail.subject == SUBJECT
    assert not live_server.csp_errors, live_server.csp_errors
