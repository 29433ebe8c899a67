"""Progressive enhancement on the needs list and the skill fields, with JavaScript on and off.

1. Live filters (app/static/js/live-filter.js): with JavaScript on, choosing a sector or typing
   in the search box updates the results in place (no page load), the address bar follows
   (history.replaceState) and a polite live region announces the new count. With JavaScript
   off, the same form submits and the server answers the same filtered list.
2. Skill autocomplete: typing part of a skill fills the field's <datalist> from the shared
   vocabulary, on the needs filter and on the professional's skills form.
3. The ranked candidates' progress page has no <meta refresh>: app.js checks in the background
   and reloads the page once the ranking is ready.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser

COUNT = "#results-title"
TITLES = "#needs-results article h3"
LIVE = "#needs-live-status"


@pytest.fixture(scope="module")
def needs(live_server: LiveServer) -> dict[str, int]:
    """Five open needs: three in health (one about cardiology), two in education."""
    from tests.factories.institutions import InstitutionFactory
    from tests.factories.needs import NeedFactory

    with live_server.app.app_context():
        hospital = InstitutionFactory(name="Kigali Teaching Hospital")
        school = InstitutionFactory(name="Huye Polytechnic")
        titles = {
            "Paediatric cardiology mentor": (hospital, "health"),
            "Theatre nurse trainer": (hospital, "health"),
            "Hospital pharmacy adviser": (hospital, "health"),
            "Curriculum designer for mechatronics": (school, "education"),
            "Lecturer in water engineering": (school, "education"),
        }
        for title, (institution, sector) in titles.items():
            NeedFactory(institution=institution, title=title, sector=sector)
        db.session.commit()
        db.session.remove()
    return {"health": 3, "education": 2}


def _mark_document(page: Page) -> None:
    """Tag the loaded document: a full page load would lose the tag."""
    page.evaluate("() => { window.__sameDocument = true; }")


def _same_document(page: Page) -> bool:
    return bool(page.evaluate("() => window.__sameDocument === true"))


def test_live_filters_update_results_without_reloading(
    live_server: LiveServer, open_page: Any, needs: dict[str, int]
) -> None:
    page = open_page(DESKTOP)
    page.goto("/needs/")
    expect(page.locator(COUNT)).to_have_text("5 open needs")
    _mark_document(page)

    # A select: the results follow, the address bar too, the count is announced.
    page.locator("#sector").select_option("education")
    expect(page.locator(COUNT)).to_have_text("2 open needs")
    expect(page.locator(TITLES)).to_have_count(2)
    assert sorted(page.locator(TITLES).all_text_contents()) == [
        "Curriculum designer for mechatronics",
        "Lecturer in water engineering",
    ]
    expect(page).to_have_url(re.compile(r"/needs/\?sector=education$"))
    expect(page.locator(LIVE)).to_have_text("2 open needs")
    # Switching language keeps the filters the address now shows.
    expect(page.locator("header form.lang input[name=next]")).to_have_value(
        "/needs/?sector=education"
    )
    expect(page.locator(LIVE)).to_have_attribute("aria-live", "polite")
    assert _same_document(page), "changing a filter reloaded the page"

    # Typing: back to every sector, then words narrow the list as they are typed.
    page.locator("#sector").select_option("")
    expect(page.locator(COUNT)).to_have_text("5 open needs")
    expect(page).to_have_url(re.compile(r"/needs/$"))
    page.locator("#q").press_sequentially("cardiology", delay=20)
    expect(page.locator(COUNT)).to_have_text("1 open need")
    expect(page.locator(TITLES)).to_have_text(["Paediatric cardiology mentor"])
    expect(page).to_have_url(re.compile(r"/needs/\?q=cardiology$"))
    expect(page.locator(LIVE)).to_have_text("1 open need")
    expect(page.locator("#q")).to_be_focused()  # typing was never interrupted
    assert _same_document(page), "typing in the search reloaded the page"
    screenshot(page, "live-filters", DESKTOP)

    # The filtered address is a real page: switching language loads it afresh, filters kept.
    page.locator("header form.lang button[value=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page).to_have_url(re.compile(r"/needs/\?q=cardiology$"))
    expect(page.locator("#q")).to_have_value("cardiology")
    expect(page.locator(TITLES)).to_have_text(["Paediatric cardiology mentor"])
    assert not _same_document(page)
    assert not live_server.csp_errors, live_server.csp_errors


def test_filters_submit_with_javascript_off(
    live_server: LiveServer, open_page: Any, needs: dict[str, int]
) -> None:
    page = open_page(PHONE, javascript=False)
    page.goto("/needs/")
    expect(page.locator(COUNT)).to_have_text("5 open needs")

    page.locator("main .fold__toggle").click()  # on a phone the filters are folded
    page.locator("#sector").select_option("health")
    # Nothing happens until the form is sent: no script runs.
    expect(page.locator(COUNT)).to_have_text("5 open needs")
    page.locator("#q").fill("pharmacy")
    with page.expect_navigation():
        page.locator("main form[method=get] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/needs/\?.*sector=health"))
    expect(page).to_have_url(re.compile(r"[?&]q=pharmacy"))
    expect(page.locator(COUNT)).to_have_text("1 open need")
    expect(page.locator(TITLES)).to_have_text(["Hospital pharmacy adviser"])
    expect(page.locator("#sector")).to_have_value("health")
    screenshot(page, "filters-no-js", PHONE)


def _suggestions(page: Page) -> list[str]:
    return list(
        page.evaluate(
            "() => Array.from(document.querySelectorAll('#skill-suggestions option'),"
            " (o) => o.value)"
        )
    )


def test_skill_filter_suggests_while_typing(
    live_server: LiveServer, open_page: Any, needs: dict[str, int]
) -> None:
    page = open_page(PHONE)
    page.goto("/needs/")
    assert _suggestions(page) == []
    page.locator("main .fold__toggle").click()  # on a phone the filters are folded
    page.locator("#skills").press_sequentially("nurs", delay=30)
    expect(page.locator("#skill-suggestions option").first).to_be_attached()
    names = _suggestions(page)
    assert names and all("nurs" in name.lower() for name in names[:3]), names
    # Several skills, separated by commas: suggestions follow the last one.
    page.locator("#skills").press_sequentially(", cardio", delay=30)
    expect(page.locator("#skill-suggestions option").first).to_have_attribute(
        "value", re.compile("cardio", re.IGNORECASE)
    )


def _log_in(page: Page, account: dict[str, Any]) -> None:
    page.goto("/auth/login")
    page.locator("#email").fill(account["email"])
    page.locator("#password").fill(account["password"])
    page.locator("main form button[type=submit]").click()
    expect(page.locator("header form[action$='/auth/logout']")).to_be_attached()


def test_profile_skill_field_suggests_while_typing(live_server: LiveServer, open_page: Any) -> None:
    from tests.factories.profiles import ProfileFactory

    account = live_server.make_user(email="suggest.skills@example.org")
    with live_server.app.app_context():
        from app.auth.models import User

        ProfileFactory(user=db.session.get(User, account["id"]))
        db.session.commit()
        db.session.remove()
    page = open_page(DESKTOP)
    _log_in(page, account)

    page.goto("/profile/edit/skills")
    field = page.locator("input[data-suggest-url]")
    expect(field).to_have_attribute("list", "skill-suggestions")
    field.press_sequentially("epidemio", delay=30)
    expect(page.locator("#skill-suggestions option").first).to_have_attribute(
        "value", re.compile("epidemiolog", re.IGNORECASE)
    )
    assert not live_server.csp_errors, live_server.csp_errors


def test_ranking_progress_page_reloads_itself_once_ready(
    live_server: LiveServer, open_page: Any
) -> None:
    """No <meta refresh> (WCAG 2.2.1): app.js polls and reloads only when the ranking is ready."""
    from app.institutions.models import Institution
    from app.ranking.services import embed_pending
    from tests.factories.institutions import add_institution_for
    from tests.factories.needs import NeedFactory

    account = live_server.make_user(role="institution_member", email="poll.member@chuk.rw")
    with live_server.app.app_context():
        institution_id = add_institution_for(account["id"], name="Rwamagana Hospital")
        institution = db.session.get(Institution, institution_id)
        need_id = NeedFactory(institution=institution, title="Waiting for vectors").id
        db.session.commit()
        db.session.remove()
    page = open_page(DESKTOP)
    _log_in(page, account)

    page.goto(f"/matching/needs/{need_id}/candidates")
    progress = page.locator("#ranking-progress")
    expect(progress).to_be_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    _mark_document(page)

    with live_server.app.app_context():  # what the worker does in the background
        embed_pending()
        db.session.commit()
        db.session.remove()
    expect(progress).to_have_count(0, timeout=30_000)
    assert not _same_document(page), "the page should have reloaded once the ranking was ready"
    expect(page.locator("h1")).to_contain_text("Waiting for vectors")
    assert not live_server.csp_errors, live_server.csp_errors
