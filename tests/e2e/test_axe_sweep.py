"""axe-core over every page of the app, the page list derived from the app's URL map.

The sweep runs on a 360 px phone and on a desktop, and also fails on any page that scrolls
sideways (its documentElement wider than the layout viewport), naming the page.

Every GET route is either visited (and must show no serious or critical axe violation) or listed
in `EXCLUDED` with the reason it has no page of its own (JSON, files, redirects). A new GET route
that is in neither fails `test_every_get_route_is_swept_or_excluded`, so the sweep cannot fall
behind the app.

Who looks at a page: the route's access rule decides (`public` → an anonymous visitor,
`signed_in` → a professional, `roles_required(...)` → an account of the first of those roles);
`VIEW_AS` overrides it where several people see a page differently (a profile seen by an
institution and by staff). URL arguments are filled from the sample world of
tests/factories/matrix.py (built with the factories: a professional with a profile, CV, placement,
inbox and survey; institution A with a draft and an open need; staff and admin accounts);
`<token>` arguments get a real, valid token. A few pages are reached by their flow rather than by
URL: the two-factor code step of the log-in, the 403 page, the 404 page and the 500 page. The
forms of `FORM_ERRORS` are also sent empty and checked as they come back with their errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask, url_for
from playwright.sync_api import Page, expect

from app.auth.access import ACCESS_ATTRIBUTE
from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    SMALL_PHONE,
    Viewport,
    axe_violations,
    blocking,
    describe,
    link_in,
    screenshot,
    sideways_overflow,
    wait_for_mail,
)
from tests.factories.auth import DEFAULT_PASSWORD
from tests.factories.matrix import World, build_world
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

ANONYMOUS = "anonymous"
# A viewer is an account of the sample world (or a fresh one for `FRESH_MEMBER`).
PROFESSIONAL = "professional"
MEMBER = "member_a"
STAFF = "rca_staff"
ADMIN = "admin"
FRESH_MEMBER = "fresh_member"  # an institution member who belongs to no institution yet
VIEWER_ORDER = (ANONYMOUS, PROFESSIONAL, MEMBER, FRESH_MEMBER, STAFF, ADMIN)
ROLE_VIEWER = {
    "professional": PROFESSIONAL,
    "institution_member": MEMBER,
    "rca_staff": STAFF,
    "admin": ADMIN,
}

# GET routes with no page to check, and why.
EXCLUDED: dict[str, str] = {
    "static": "static files",
    "health.healthz": "JSON liveness probe",
    "health.readyz": "JSON readiness probe",
    "api.insights_summary": "JSON API",
    "api.me": "JSON API",
    "api.need": "JSON API",
    "api.needs": "JSON API",
    "api.skills_suggest": "JSON API",
    "needs.skills_suggest": "JSON suggestions for the skill autocomplete",
    "profiles.suggest_skills": "JSON suggestions for the skill autocomplete",
    "insights.export": "CSV download",
    "placements.export_csv": "CSV download",
    "surveys.export": "CSV/XLSX download",
    "profiles.download_cv": "CV file download",
    "profiles.photo": "image",
    "profiles.card_photo": "image",
    "home.dashboard": "redirects to the role's own dashboard (each is swept)",
    "profiles.wizard": "redirects to the first unfinished step (each step is swept)",
    "auth.verify_email": "confirms the address and redirects to log-in (swept)",
    "auth.confirm_email_change": "confirms the change and redirects to the account page (swept)",
    "auth.twofactor_verify": "needs a half-finished log-in: swept by its flow below",
    "profiles.cv_status": "JSON status polled by the 'Reading your CV…' page",
}

# Who looks at a page, where the access rule's default viewer is not enough.
VIEW_AS: dict[str, tuple[str, ...]] = {
    "profiles.view": (PROFESSIONAL, MEMBER, STAFF),  # own profile; seen by institutions, staff
    "profiles.card": (MEMBER,),  # the same card at the public id institutions' links carry
    "needs.detail": (ANONYMOUS, MEMBER),
    "needs.index": (ANONYMOUS, PROFESSIONAL),
    "institutions.detail": (MEMBER, STAFF),
    "institutions.register": (FRESH_MEMBER,),
    "placements.index": (PROFESSIONAL, MEMBER),
    "placements.detail": (PROFESSIONAL, MEMBER, STAFF),
    "outreach.conversation": (PROFESSIONAL, MEMBER),
    "outreach.conversations": (PROFESSIONAL, MEMBER),
    "outreach.inbox": (PROFESSIONAL, MEMBER),
    "outreach.new_conversation": (MEMBER,),
    "privacy.your_data": (PROFESSIONAL, MEMBER),
    "staff.accounts": (ADMIN,),
    "staff.audit": (ADMIN,),
    "auth.twofactor_setup": (STAFF,),
    "home.index": (ANONYMOUS, PROFESSIONAL),
    "surveys.thanks": (PROFESSIONAL,),  # only for someone who could answer (invited) the survey
}

# URL arguments: argument → key of `world.ids` (default: the argument's own name).
PARAMS: dict[str, dict[str, str]] = {
    "needs.detail": {"need_id": "open_need_id"},
    "ranking.candidates": {"need_id": "open_need_id"},
    "outreach.inbox_entry": {"entry_id": "dm_entry_id"},
    "profiles.edit_education": {"entry_id": "education_id"},
    "profiles.edit_experience": {"entry_id": "experience_id"},
    "surveys.answer_token": {"survey_id": "anonymous_survey_id"},
    "profiles.cv_progress": {"cv_id": "reading_cv_id"},
}

# Forms also checked in their error state: the page's first POST form in <main>, sent empty.
FORM_ERRORS: dict[str, str] = {
    "auth.reset_password": ANONYMOUS,
    "institutions.register": FRESH_MEMBER,
    "needs.create": MEMBER,
    "outreach.new_conversation": MEMBER,
    "outreach.new_message": STAFF,
    "outreach.new_segment": STAFF,
    "surveys.new_survey": STAFF,
    "staff.accounts": ADMIN,
}

# Routes taking a <token>: `_make_tokens` makes a valid one for each.
TOKEN_ROUTES = (
    "auth.reset_password",
    "institutions.join",
    "outreach.unsubscribe",
    "profiles.confirm_link",
    "surveys.answer_token",
)


@dataclass(frozen=True)
class Visit:
    endpoint: str
    viewer: str
    url: str


@dataclass
class Sample:
    """The sample world, the extra accounts and valid tokens, built once per module."""

    world: World
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def get_endpoints(app: Flask) -> dict[str, Any]:
    """Every endpoint answering GET, with its URL rule."""
    return {
        rule.endpoint: rule for rule in app.url_map.iter_rules() if "GET" in (rule.methods or set())
    }


def default_viewers(app: Flask, endpoint: str) -> tuple[str, ...]:
    """Who looks at the page by default: derived from the view's access rule."""
    if endpoint in VIEW_AS:
        return VIEW_AS[endpoint]
    rule = getattr(app.view_functions[endpoint], ACCESS_ATTRIBUTE, ("public",))
    if rule[0] == "public":
        return (ANONYMOUS,)
    if rule[0] == "signed_in":
        return (PROFESSIONAL,)
    roles = [ROLE_VIEWER[role] for role in rule[1:]]
    return (min(roles, key=VIEWER_ORDER.index),)


def plan_visits(app: Flask, sample: Sample) -> list[Visit]:
    """One visit per swept GET route and viewer, its URL filled from the sample world."""
    visits = []
    for endpoint, rule in sorted(get_endpoints(app).items()):
        if endpoint in EXCLUDED:
            continue
        values: dict[str, Any] = {}
        for name in rule.arguments:
            if name == "token":
                values[name] = sample.tokens[endpoint]
            else:
                key = PARAMS.get(endpoint, {}).get(name, name)
                if key not in sample.world.ids:
                    raise LookupError(
                        f"{endpoint}: no sample object for <{name}>; map it in PARAMS, add it to"
                        " the sample world, or exclude the route with a reason"
                    )
                values[name] = sample.world.ids[key]
        with app.test_request_context():
            url = url_for(endpoint, **values)
        visits += [Visit(endpoint, viewer, url) for viewer in default_viewers(app, endpoint)]
    return visits


def _make_tokens(live: LiveServer, world: World, smtp: SMTPServer) -> dict[str, str]:
    """A valid token for every route that takes one (as the emails carrying them would)."""
    from app.auth.tokens import make_token
    from app.database import utcnow
    from app.institutions.services import INVITATION_PURPOSE
    from app.outreach.preferences import unsubscribe_token
    from app.profiles.models import Profile
    from app.profiles.services import reconfirm_token
    from app.surveys.models import SurveyInvitation, SurveyStatus, SurveyToken
    from app.surveys.services import save_question, token_hash
    from tests.factories.surveys import SurveyFactory

    target = live.make_user(email="axe.reset@example.org")
    with live.app.test_request_context(base_url=live.url):
        from app.auth.services import request_password_reset

        request_password_reset(target["email"])
        db.session.commit()
        profile = db.session.get(Profile, world.ids["profile_id"])
        assert profile is not None
        # Links with a token are for anonymous surveys: one, open, with a question and an invitee.
        survey = SurveyFactory(
            title="Anonymous survey",
            status=SurveyStatus.OPEN,
            opened_at=utcnow(),
            is_anonymous=True,
        )
        db.session.flush()
        save_question(survey, None, kind="short_text", text="What would you improve?")
        invitation = SurveyInvitation(survey_id=survey.id, user_id=world.ids["professional_id"])
        db.session.add(invitation)
        db.session.flush()
        survey_token = "axe-sweep-survey-token"
        db.session.add(
            SurveyToken(
                survey_id=survey.id,
                invitation_id=invitation.id,
                token_hash=token_hash(survey_token),
            )
        )
        world.ids["anonymous_survey_id"] = survey.id
        tokens = {
            "institutions.join": make_token(
                INVITATION_PURPOSE,
                {"institution_id": world.ids["institution_id"], "email": "new.colleague@a.rw"},
            ),
            "outreach.unsubscribe": unsubscribe_token(world.ids["professional_id"], "all"),
            "profiles.confirm_link": reconfirm_token(profile),
            "surveys.answer_token": survey_token,
        }
        db.session.commit()
        db.session.remove()
    reset_link = link_in(wait_for_mail(smtp.sink, target["email"]).text(), live.url)
    tokens["auth.reset_password"] = reset_link.rsplit("/", 1)[1]
    return tokens


def _add_cv_being_read(app: Flask, world: World) -> None:
    """A second CV of the professional, still queued for the worker: its "Reading your CV…" page
    (the sample world's own CV is read, so its progress page redirects to the review)."""
    from app.profiles.models import CVDocument, CVStatus

    with app.app_context():
        cv = CVDocument(
            profile_id=world.ids["profile_id"],
            stored_name="axe-sweep-reading.pdf",
            original_name="cv-in-progress.pdf",
            content_type="application/pdf",
            size=1024,
            status=CVStatus.QUEUED,
        )
        db.session.add(cv)
        db.session.commit()
        world.ids["reading_cv_id"] = cv.id
        db.session.remove()


@pytest.fixture(scope="module")
def sample(live_server: LiveServer, smtp_server: SMTPServer) -> Sample:
    world = build_world(live_server.app)
    _add_cv_being_read(live_server.app, world)
    fresh = live_server.make_user(role="institution_member", email="axe.fresh@hospital-c.rw")
    emails = {**world.emails, FRESH_MEMBER: fresh["email"]}
    return Sample(world, emails, _make_tokens(live_server, world, smtp_server))


def log_in(page: Page, email: str, password: str = DEFAULT_PASSWORD) -> None:
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.locator("main form button[type=submit]").click()


class Sweep:
    """Browser pages per viewer (logged in once each) and the problems found so far."""

    def __init__(self, live: LiveServer, open_page: Callable[..., Any], viewport: Viewport):
        self.live = live
        self.open_page = open_page
        self.viewport = viewport
        self.pages: dict[str, Page] = {}
        self.problems: list[str] = []
        self.checked: set[str] = set()

    def page_for(self, viewer: str, emails: dict[str, str]) -> Page:
        if viewer not in self.pages:
            page = self.open_page(self.viewport)
            if viewer != ANONYMOUS:
                log_in(page, emails[viewer])
                expect(page.locator("header form[action$='/auth/logout']")).to_be_attached()
            self.pages[viewer] = page
        return self.pages[viewer]

    def check(self, page: Page, name: str) -> None:
        """Run axe on the page as it is now and measure its sideways scroll; screenshot it when
        it has blocking violations or scrolls sideways."""
        serious = blocking(axe_violations(page))
        overflow = sideways_overflow(page)
        if serious or overflow > 0:
            screenshot(page, "axe-sweep-" + re.sub(r"\W+", "-", name), self.viewport)
        if serious:
            self.problems.append(f"{name} ({page.url}):\n{describe(serious)}")
        if overflow > 0:
            self.problems.append(
                f"{name} ({page.url}) scrolls sideways by {overflow:g}px at {self.viewport.width}px"
            )
        if self.live.csp_errors:
            self.problems.append(f"{name}: CSP refusals {self.live.csp_errors}")
            self.live.csp_errors.clear()
        self.checked.add(name)

    def visit(self, visit: Visit, emails: dict[str, str]) -> None:
        page = self.page_for(visit.viewer, emails)
        response = page.goto(visit.url)
        name = f"{visit.endpoint} as {visit.viewer}"
        status = response.status if response else 0
        if status != 200 or not page.url.split("?")[0].endswith(visit.url.split("?")[0]):
            self.problems.append(f"{name}: {visit.url} answered {status} at {page.url}")
            return
        self.check(page, name)

    def submit_empty(self, visit: Visit) -> None:
        """Send the page's form with its required fields empty; check the page it answers."""
        page = self.pages[visit.viewer]
        page.goto(visit.url)
        name = f"{visit.endpoint} with errors"
        form = page.locator("main form[method=post]").first
        form.evaluate(
            "(form) => form.querySelectorAll('input[type=text], input[type=email], textarea')"
            ".forEach((el) => { el.value = ''; })"
        )
        with page.expect_navigation() as navigation:
            form.evaluate("(form) => form.requestSubmit()")
        answer = navigation.value
        status = answer.status if answer else 0
        method = answer.request.method if answer else ""
        if (method, status) != ("POST", 400) or not page.locator("#form-errors").count():
            self.problems.append(f"{name}: {method} answered {status} without an error summary")
            return
        expect(page.locator("#form-errors")).to_be_focused()
        self.check(page, name)


@pytest.mark.parametrize("viewport", (SMALL_PHONE, DESKTOP), ids=lambda v: v.name)
def test_every_page_passes_axe(
    live_server: LiveServer,
    sample: Sample,
    open_page: Callable[..., Any],
    viewport: Viewport,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if not live_server.axe_available:
        pytest.skip("axe-core is not installed (scripts/ensure_axe.sh could not install it)")
    run = Sweep(live_server, open_page, viewport)
    visits = plan_visits(live_server.app, sample)
    for visit in visits:
        run.visit(visit, sample.emails)

    for endpoint, viewer in FORM_ERRORS.items():
        run.submit_empty(next(v for v in visits if (v.endpoint, v.viewer) == (endpoint, viewer)))

    # The error pages, reached the way people reach them.
    page = run.page_for(PROFESSIONAL, sample.emails)
    response = page.goto("/staff/")
    assert response is not None and response.status == 403
    run.check(page, "error 403")
    response = page.goto("/no-such-page")
    assert response is not None and response.status == 404
    run.check(page, "error 404")

    def fail() -> None:
        raise RuntimeError("a bug, to render the 500 page")

    monkeypatch.setitem(live_server.app.view_functions, "home.privacy", fail)
    response = page.goto("/privacy")
    assert response is not None and response.status == 500
    run.check(page, "error 500")
    monkeypatch.undo()

    # The log-in's second step: an account with two-factor on, after its password.
    from tests.factories.security import enrol

    account = live_server.make_user(role="rca_staff", email=f"axe.2fa.{viewport.name}@rca.gov.rw")
    enrol(live_server.app, account["id"])
    page = run.open_page(viewport)
    log_in(page, account["email"])
    expect(page).to_have_url(f"{live_server.url}/auth/2fa/verify")
    run.check(page, "auth.twofactor_verify")

    assert not run.problems, "\n".join(run.problems)
    assert {f"{v.endpoint} as {v.viewer}" for v in visits} <= run.checked
    assert {f"{endpoint} with errors" for endpoint in FORM_ERRORS} <= run.checked


def test_every_get_route_is_swept_or_excluded(app: Flask) -> None:
    """Each GET route is excluded with a reason, or the sweep can build its URL and visit it."""
    endpoints = set(get_endpoints(app))
    stale = sorted((set(EXCLUDED) | set(VIEW_AS) | set(PARAMS) | set(FORM_ERRORS)) - endpoints)
    assert not stale, f"entries for routes that no longer exist: {stale}"
    for endpoint, viewer in FORM_ERRORS.items():
        assert viewer in default_viewers(app, endpoint), (endpoint, viewer)
    token_routes = {
        endpoint
        for endpoint, rule in get_endpoints(app).items()
        if "token" in rule.arguments and endpoint not in EXCLUDED
    }
    assert token_routes == set(TOKEN_ROUTES), (
        "a route takes a token: give it a valid one in _make_tokens, or exclude it with a reason"
    )
    sample = Sample(build_world(app), tokens=dict.fromkeys(TOKEN_ROUTES, "token"))
    sample.world.ids["anonymous_survey_id"] = sample.world.ids["survey_id"]  # built by the sweep
    sample.world.ids["reading_cv_id"] = sample.world.ids["cv_id"]  # built by the sweep
    swept = {visit.endpoint for visit in plan_visits(app, sample)}
    assert swept == endpoints - set(EXCLUDED)
