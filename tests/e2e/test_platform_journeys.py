"""The platform's three journeys in a real browser, at phone and desktop size, English and French.

1. A professional signs up, confirms the email, fills the whole profile wizard, sees a recommended
   need on the dashboard, and accepts the invitation an institution member sends from the ranked
   candidates page.
2. An institution member registers an organisation, staff verify it, the member writes a need
   (terms of reference), staff publish it, the member reads the ranked candidates' explanations
   and invites one.
3. Staff build a segment, send it a message (delivered by one run of the outbox pump; the member
   reads it in the inbox), build and open a survey, the member answers, staff see the chart.

Every page visited is screenshotted, checked with axe-core (no serious or critical violation) and,
in French, against the French catalogue. One live server serves the whole module; accounts and
data are unique per test (journey, language, viewport), so the tests do not depend on each other.
Nothing the journeys assert is English text, except the explanation's "must-have" (in French: the
catalogue's translation of the same message), so the French variants run the same steps.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from flask_babel import force_locale, ngettext
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.extensions import db
from tests.e2e.conftest import LiveServer
from tests.e2e.support import VIEWPORTS, Findings, Viewport, link_in, wait_for_mail
from tests.support.smtp import SMTPServer

pytestmark = pytest.mark.browser

PASSWORD = "umugezi w'amahoro 2026"
SUBMIT = "main form[method=post] button[type=submit]"
LOGOUT = "header form[action$='/auth/logout'] button[type=submit]"
FLASH = ".flashes .notice"
LANGUAGES = ("en", "fr")
# A must-have skill per test, so each test's professional ranks first for its own need.
SKILLS = {
    ("en", "phone"): "neonatal ultrasound",
    ("en", "desktop"): "paediatric cardiology",
    ("fr", "phone"): "tropical epidemiology",
    ("fr", "desktop"): "hospital pharmacy logistics",
}

Opener = Callable[..., Any]


def _params() -> list[Any]:
    return [
        pytest.param((viewport, lang), id=f"{lang}-{viewport.name}")
        for lang in LANGUAGES
        for viewport in VIEWPORTS
    ]


@dataclass
class Journey:
    """One test's browser pages (one context per person), its findings and its unique names."""

    live: LiveServer
    open_page: Opener
    viewport: Viewport
    lang: str
    findings: Findings

    @property
    def french(self) -> bool:
        return self.lang == "fr"

    @property
    def tag(self) -> str:
        return f"{self.lang}-{self.viewport.name}"

    def check(self, page: Page, step: str) -> None:
        self.findings.check(page, step)

    def new_page(self) -> Page:
        """A fresh browser context; in French, switched with the header's language switcher."""
        page: Page = self.open_page(self.viewport)
        page.goto("/")
        if self.french:
            page.locator("header form.lang button[value='fr']").click()
            expect(page.locator("html")).to_have_attribute("lang", "fr")
        return page

    def log_in(self, account: dict[str, Any], page: Page | None = None) -> Page:
        page = page or self.new_page()
        page.goto("/auth/login")
        page.locator("#email").fill(account["email"])
        page.locator("#password").fill(account["password"])
        page.locator(SUBMIT).click()
        expect(page.locator(LOGOUT)).to_be_attached()
        expect(page.locator("html")).to_have_attribute("lang", self.lang)
        return page

    def in_app(self, work: Callable[[], Any]) -> Any:
        """Run work in the live app's context (LiveServer.in_app)."""
        return self.live.in_app(work)

    def embed(self) -> None:
        """What the worker would do: compute the vectors of new profiles and needs."""
        from app.ranking.services import embed_pending

        self.in_app(embed_pending)


@pytest.fixture()
def journey(
    live_server: LiveServer, open_page: Opener, request: pytest.FixtureRequest
) -> Iterator[Journey]:
    viewport, lang = request.param
    name = request.function.__name__.removeprefix("test_")
    findings = Findings(live_server, viewport, f"{name}-{lang}", french=lang == "fr")
    yield Journey(live_server, open_page, viewport, lang, findings)


def _journey_params() -> Any:
    return pytest.mark.parametrize("journey", _params(), indirect=True)


# --- Journey 2 steps (reused by journey 1) -----------------------------------------------------


def register_organisation(j: Journey, page: Page, name: str, domain: str) -> int:
    page.goto("/institutions/register")
    j.check(page, "org-register")
    page.locator("#name").fill(name)
    page.locator("#type").select_option(index=1)
    page.locator("#sector").select_option("health")
    page.locator("#district").select_option("gasabo")
    page.locator("#email_domain").fill(domain)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/institutions/dashboard$"))
    expect(page.locator(FLASH).last).to_be_visible()
    j.check(page, "org-dashboard-pending")
    return int(j.in_app(lambda: _institution_id(name)))


def _institution_id(name: str) -> int:
    from app.institutions.models import Institution

    return int(db.session.scalar(select(Institution.id).where(Institution.name == name)))


def staff_verify(j: Journey, page: Page, institution_id: int) -> None:
    page.goto("/institutions/staff")
    j.check(page, "staff-organisations")
    page.locator(f"main form[action$='/institutions/{institution_id}/approve'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()
    j.check(page, "staff-organisation-verified")

    def status() -> str:
        from app.institutions.models import Institution

        return str(db.session.get(Institution, institution_id).status)

    assert j.in_app(status) == "verified"


def post_need(j: Journey, page: Page, title: str, skill: str) -> int:
    """Write the terms of reference, save, submit for review; return the need's id."""
    page.goto("/institutions/dashboard")
    page.locator("main a[href$='/needs/new']").first.click()
    expect(page).to_have_url(re.compile(r"/needs/new$"))
    j.check(page, "need-form")
    page.locator("#title").fill(title)
    page.locator("#background").fill("Ibitaro bya Kibagabaga: serivisi nshya y'abana.")
    page.locator("#objectives").fill("Guhugura abaforomo 12 mu mezi atatu.")
    page.locator("#deliverables-0").fill("Gahunda y'amahugurwa")
    page.locator("#success_criteria").fill("Abaforomo 12 bahuguwe.")
    page.locator("#required_skills-0-name").fill(skill)
    page.locator("#required_skills-0-importance").select_option("must")
    # The language picker (language-picker.js) hides the select behind a filter box: pick as a
    # person would, by typing and choosing the match.
    page.locator("#languages-filter").fill("anglais" if j.french else "english")
    page.locator("#languages-matches [role=option]").first.click()
    expect(page.locator("#languages")).to_have_values(["en"])
    page.locator("#sector").select_option("health")
    page.locator("#mode-0").check()
    page.locator("#start_date").fill("2027-02-01")
    page.locator("#end_date").fill("2027-04-30")
    page.locator("#hours_per_week").fill("10")
    page.locator("#offers-0").check()
    # The form's first submit button is a hidden default for Enter; click the visible one.
    page.locator(f"{SUBMIT}:not([name])").last.click()
    expect(page).to_have_url(re.compile(r"/needs/\d+$"))
    need_id = int(page.url.rsplit("/", 1)[1])
    expect(page.locator("h1")).to_contain_text(title)
    j.check(page, "need-draft")
    page.locator(f"main form[action$='/needs/{need_id}/submit'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()
    expect(page.locator(f"main form[action$='/needs/{need_id}/submit']")).to_have_count(0)
    j.check(page, "need-submitted")
    return need_id


def staff_publish(j: Journey, page: Page, need_id: int) -> None:
    page.goto("/needs/staff/review")
    j.check(page, "staff-needs-review")
    page.locator(f"main form[action$='/needs/{need_id}/publish'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()
    j.check(page, "need-published")
    assert j.in_app(lambda: _need_status(need_id)) == "open"


def _need_status(need_id: int) -> str:
    from app.needs.models import Need

    return str(db.session.get(Need, need_id).status)


def _must_have_text(j: Journey) -> str:
    """The explanation's sentence for one covered must-have skill, in the journey's language."""
    with j.live.app.test_request_context(), force_locale(j.lang):
        return str(
            ngettext(
                "Covers %(covered)s of %(num)s must-have skill",
                "Covers %(covered)s of %(num)s must-have skills",
                1,
                covered=1,
            )
        )


def invite_from_ranking(j: Journey, page: Page, need_id: int, profile_id: int) -> None:
    """From the need, open the ranked candidates, read the explanation, invite one candidate."""
    page.goto(f"/needs/{need_id}")
    page.locator(f"main a[href$='/matching/needs/{need_id}/candidates']").first.click()
    expect(page).to_have_url(re.compile(rf"/matching/needs/{need_id}/candidates$"))
    candidate = page.locator(f"li#candidate-{profile_id}")
    expect(candidate).to_be_visible()
    if j.french:
        expect(candidate).to_contain_text(_must_have_text(j))
    else:
        expect(candidate).to_contain_text("must-have")
        expect(candidate).to_contain_text(_must_have_text(j))
    # Ranked first: the must-have skill is unique to this test's professional.
    expect(page.locator("li.candidate").first).to_have_attribute("id", f"candidate-{profile_id}")
    j.check(page, "ranked-candidates")
    candidate.locator("form[action$='/invite'] button").click()
    expect(page.locator(FLASH).last).to_be_visible()
    j.check(page, "candidate-invited")
    assert j.in_app(lambda: _placement_status(need_id, profile_id)) == "invited"


def _placement_status(need_id: int, profile_id: int) -> str | None:
    from app.placements.models import Placement

    placement = db.session.scalar(
        select(Placement).where(Placement.need_id == need_id, Placement.profile_id == profile_id)
    )
    return None if placement is None else str(placement.status)


# --- Journey 1 ---------------------------------------------------------------------------------


def _open_need_for(j: Journey, skill: str, member_email: str) -> tuple[dict[str, Any], int]:
    """A verified institution with an open need (made in the app), and its member's account."""
    member = j.live.make_user(role="institution_member", email=member_email)

    def make() -> int:
        from app.institutions.models import Institution
        from tests.factories.institutions import add_institution_for
        from tests.factories.needs import NeedFactory

        institution_id = add_institution_for(member["id"], name=f"Ibitaro {j.tag}")
        need = NeedFactory(
            institution=db.session.get(Institution, institution_id),
            title=f"Umujyanama w'ubuvuzi ({j.tag})",
            skills=[(skill, "must")],
            languages=["en"],
            start_date=date(2027, 2, 1),
            end_date=date(2027, 4, 30),
        )
        db.session.flush()
        return int(need.id)

    return member, int(j.in_app(make))


def _profile_id(email: str) -> int:
    from app.auth.models import User
    from app.profiles.models import Profile

    return int(
        db.session.scalar(
            select(Profile.id).join(User, Profile.user_id == User.id).where(User.email == email)
        )
    )


def sign_up_and_confirm(j: Journey, smtp: SMTPServer, email: str, full_name: str) -> Page:
    page = j.new_page()
    j.check(page, "landing")
    page.locator(".hero__actions a.btn--primary").click()
    expect(page).to_have_url(re.compile(r"/auth/signup\?as=professional$"))
    j.check(page, "signup")
    page.locator("#full_name").fill(full_name)
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#confirm").fill(PASSWORD)
    page.locator("#accept_privacy").check()
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/auth/check-email$"))
    j.check(page, "check-email")

    mail = wait_for_mail(smtp.sink, email)
    if j.french:
        j.findings.check_french(mail.subject + "\n" + mail.text(), "verification email")
    page.goto(link_in(mail.text(), j.live.url))
    expect(page).to_have_url(re.compile(r"/auth/login$"))
    expect(page.locator(".notice--success")).to_be_visible()
    j.check(page, "login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator(SUBMIT).click()
    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.locator("html")).to_have_attribute("lang", j.lang)
    j.check(page, "dashboard-empty")
    return page


def _wizard_step(page: Page, section: str) -> None:
    expect(page).to_have_url(re.compile(rf"/profile/edit/{section}\?wizard=1$"))


def _save_and_continue(page: Page) -> None:
    page.locator(f"{SUBMIT}").last.click()


def complete_wizard(j: Journey, page: Page, skill: str) -> None:
    page.locator("main a[href$='/profile/wizard']").first.click()

    _wizard_step(page, "identity")
    j.check(page, "wizard-identity")
    page.locator("#preferred_name").fill("Aline")
    page.locator("#gender").select_option("female")
    page.locator("#birth_year").fill("1988")
    page.locator("#phone").fill("+32 470 12 34 56")
    _save_and_continue(page)

    _wizard_step(page, "location")
    j.check(page, "wizard-location")
    page.locator("#country").select_option("BE")
    page.locator("#city").fill("Liège")
    page.locator("#tie_to_rwanda-0").check()
    _save_and_continue(page)

    _wizard_step(page, "languages")
    j.check(page, "wizard-languages")
    for code, level in (("rw", "C2"), ("en", "C1")):
        page.locator("#code").select_option(code)
        page.locator("#level").select_option(level)
        page.locator("main form[action$='/profile/languages?wizard=1'] button").click()
        expect(page.locator("main form[action*='/profile/languages/']")).to_have_count(
            1 if code == "rw" else 2
        )
    j.check(page, "wizard-languages-added")
    page.locator("main a.btn--primary[href*='wizard=1']").click()

    _wizard_step(page, "background")
    j.check(page, "wizard-background")
    education = page.locator("main form[action$='/profile/education?wizard=1']")
    education.locator("#degree").fill("MSc")
    education.locator("#field_of_study").fill("Ubuforomo")
    education.locator("#institution").fill("UCLouvain")
    education.locator("#country").select_option("BE")
    education.locator("#year").fill("2014")
    education.locator("button[type=submit]").click()
    expect(page.locator("main form[action*='/profile/education/']")).to_have_count(1)
    experience = page.locator("main form[action$='/profile/experience?wizard=1']")
    experience.locator("#title").fill("Infirmière-cheffe")
    experience.locator("#employer").fill("CHU de Liège")
    experience.locator("#start_date").fill("2015-09-01")
    experience.locator("button[type=submit]").click()
    expect(page.locator("main form[action*='/profile/experience/']")).to_have_count(1)
    j.check(page, "wizard-background-added")
    page.locator("main a.btn--primary[href*='wizard=1']").click()

    _wizard_step(page, "skills")
    j.check(page, "wizard-skills")
    page.locator("#name").fill(skill)
    page.locator("#level").select_option("expert")
    page.locator("#years").fill("9")
    page.locator("main form[action$='/profile/skills?wizard=1'] button").click()
    expect(page.locator("main form[action*='/profile/skills/']")).to_have_count(1)
    j.check(page, "wizard-skills-added")
    page.locator("main a.btn--primary[href*='wizard=1']").click()

    _wizard_step(page, "interests")
    j.check(page, "wizard-interests")
    page.locator("input[name=sectors][value=health]").check()
    page.locator("input[name=sectors][value=education]").check()
    page.locator("#headline").fill(f"Umuforomo w'abana ({skill})")
    page.locator("#bio").fill(f"Imyaka icyenda mu bitaro bya Liège; {skill}.")
    _save_and_continue(page)

    _wizard_step(page, "availability")
    j.check(page, "wizard-availability")
    page.locator("#mode-2").check()
    page.locator("#hours_per_week").fill("10")
    page.locator("#onsite_weeks").fill("4")
    page.locator("#willing_to_mentor").check()
    page.locator("#open_to_unpaid").check()
    page.locator("main form[action*='/profile/edit/availability'] button[type=submit]").click()

    _wizard_step(page, "consent")
    j.check(page, "wizard-consent")
    page.locator("#matching").check()
    page.locator("#newsletters").check()
    _save_and_continue(page)

    expect(page).to_have_url(re.compile(r"/profile/$"))
    expect(page.locator(".notice--success")).to_be_visible()
    # Every section is done: the "Continue my profile" link is gone.
    expect(page.locator("main a[href$='/profile/wizard']")).to_have_count(0)


def accept_invitation(j: Journey, page: Page, need_id: int, profile_id: int) -> None:
    page.goto("/profile/")
    page.locator("main a[href*='/placements/']").first.click()
    expect(page).to_have_url(re.compile(r"/placements/\d+$"))
    j.check(page, "invitation")
    page.locator("main details:has(form[action$='/act/accept']) > summary").click()
    page.locator("main form[action$='/act/accept'] button[type=submit]").click()
    expect(page.locator(FLASH).last).to_be_visible()
    j.check(page, "invitation-accepted")
    assert j.in_app(lambda: _placement_status(need_id, profile_id)) == "accepted"


@_journey_params()
def test_professional_completes_profile_and_accepts_invitation(
    journey: Journey, smtp_server: SMTPServer
) -> None:
    j = journey
    skill = SKILLS[(j.lang, j.viewport.name)]
    member, need_id = _open_need_for(j, skill, f"j1.member.{j.tag}@ibitaro.rw")
    email = f"j1.aline.{j.tag}@example.org"

    page = sign_up_and_confirm(j, smtp_server, email, f"Aline Uwimana {j.tag}")
    complete_wizard(j, page, skill)
    j.embed()

    page.reload()
    recommended = page.locator(f"main a[href$='/needs/{need_id}']")
    expect(recommended.first).to_be_visible()
    j.check(page, "dashboard-complete")

    profile_id = int(j.in_app(lambda: _profile_id(email)))
    member_page = j.log_in(member)
    invite_from_ranking(j, member_page, need_id, profile_id)

    accept_invitation(j, page, need_id, profile_id)
    j.findings.assert_clean()


# --- Journey 2 ---------------------------------------------------------------------------------


@_journey_params()
def test_institution_registers_posts_need_and_invites_ranked_candidate(journey: Journey) -> None:
    j = journey
    skill = f"health financing {j.tag}"
    member = j.live.make_user(role="institution_member", email=f"j2.member.{j.tag}@minisante.rw")
    staff = j.live.make_user(role="rca_staff", email=f"j2.staff.{j.tag}@rca.rw")

    def candidate() -> int:
        from tests.factories.ranking import make_candidate

        profile = make_candidate(
            headline="Umuhanga mu bukungu bw'ubuzima",
            bio=f"Imyaka cumi n'ibiri: {skill}, Toronto.",
            skills=(skill, "health economics"),
        )
        return int(profile.id)

    profile_id = int(j.in_app(candidate))

    member_page = j.log_in(member)
    expect(member_page).to_have_url(re.compile(r"/institutions/register$"))
    institution_id = register_organisation(j, member_page, f"Minisante {j.tag}", "minisante.rw")

    staff_page = j.log_in(staff)
    j.check(staff_page, "staff-dashboard")
    staff_verify(j, staff_page, institution_id)

    need_id = post_need(j, member_page, f"Ubukungu bw'ubuzima ({j.tag})", skill)
    staff_publish(j, staff_page, need_id)
    j.embed()

    invite_from_ranking(j, member_page, need_id, profile_id)
    j.findings.assert_clean()


# --- Journey 3 ---------------------------------------------------------------------------------


def _member(prefix: str, city: str) -> dict[str, Any]:
    from app.auth.models import User
    from app.profiles.models import Profile
    from tests.factories.auth import DEFAULT_PASSWORD
    from tests.factories.outreach import create_members

    (user_id,) = create_members(1, prefix=prefix, profile={"city": city})
    # The factory's "Member ..." would read as the English message "Member" on French pages.
    name = f"Mukamana {prefix}"
    db.session.get(User, user_id).full_name = name
    db.session.scalar(select(Profile).where(Profile.user_id == user_id)).full_name = name
    return {"email": f"{prefix}0@example.org", "password": DEFAULT_PASSWORD}


def _deliver_outbox() -> int:
    from app.outreach.delivery import deliver_outbox_batch

    handled = 0
    while True:
        count = deliver_outbox_batch("e2e")
        db.session.commit()
        if not count:
            return handled
        handled += count


def _final_responses(survey_id: int) -> int:
    from app.surveys.models import SurveyResponse

    return len(
        db.session.scalars(
            select(SurveyResponse).where(
                SurveyResponse.survey_id == survey_id, SurveyResponse.submitted_at.is_not(None)
            )
        ).all()
    )


@_journey_params()
def test_staff_message_segment_and_survey_member_answers(
    journey: Journey, smtp_server: SMTPServer
) -> None:
    j = journey
    tag = j.tag.replace("-", "")
    city = f"Namur{tag}"
    segment_name = f"Namur {j.tag}"
    staff = j.live.make_user(role="rca_staff", email=f"j3.staff.{j.tag}@rca.rw")
    member = j.in_app(lambda: _member(f"j3{tag}", city))

    staff_page = j.log_in(staff)
    # Segment: preview shows exactly the one member, then save.
    staff_page.goto("/outreach/segments/new")
    j.check(staff_page, "segment-form")
    staff_page.locator("#name").fill(segment_name)
    staff_page.locator("#cities").fill(city)
    staff_page.locator("main button[name=preview]").click()
    expect(staff_page.locator("main table tbody tr")).to_have_count(1)
    j.check(staff_page, "segment-preview")
    staff_page.locator("main button[name=save]").click()
    expect(staff_page.locator(FLASH).last).to_be_visible()
    j.check(staff_page, "segments")

    # Message to the segment, sent now.
    subject = f"Amakuru ya RCA {j.tag}"
    staff_page.goto("/outreach/messages/new")
    j.check(staff_page, "message-form")
    staff_page.locator("#topic").select_option("news")
    staff_page.locator("#segment_id").select_option(label=segment_name)
    staff_page.locator("#subject").fill(subject)
    staff_page.locator("#body").fill("Muraho {first_name}, **murakaza neza**.")
    staff_page.locator(SUBMIT).last.click()
    expect(staff_page).to_have_url(re.compile(r"/outreach/messages/\d+$"))
    j.check(staff_page, "message-preview")
    staff_page.locator("#mode-0").check()
    staff_page.locator("main form[action$='/send'] button[type=submit]").click()
    expect(staff_page.locator(FLASH).last).to_be_visible()
    j.check(staff_page, "message-sent")

    assert j.in_app(_deliver_outbox) >= 1
    mail = wait_for_mail(smtp_server.sink, member["email"])
    assert mail.subject == subject

    member_page = j.log_in(member)
    member_page.goto("/outreach/inbox")
    entry = member_page.locator("main a", has_text=subject)
    expect(entry).to_be_visible()
    j.check(member_page, "inbox")
    entry.click()
    expect(member_page.locator("main strong", has_text="murakaza neza")).to_be_visible()
    j.check(member_page, "inbox-message")

    # Survey for the same segment, two questions, opened.
    staff_page.goto("/surveys/staff/new")
    j.check(staff_page, "survey-form")
    staff_page.locator("#title").fill(f"Ubushakashatsi {j.tag}")
    staff_page.locator("#audience_kind-1").check()
    staff_page.locator("#segment_id").select_option(label=segment_name)
    staff_page.locator(SUBMIT).last.click()
    expect(staff_page).to_have_url(re.compile(r"/surveys/staff/\d+$"))
    survey_id = int(staff_page.url.rsplit("/", 1)[1])
    j.check(staff_page, "survey-builder")
    questions = [
        ("single", "Usura u Rwanda kangahe?", "Buri mwaka\nRimwe na rimwe\nGake"),
        ("short_text", "Ni iki cyagufasha gutanga umusanzu?", ""),
    ]
    for kind, text, choices in questions:
        staff_page.locator(f"main a[href$='/surveys/staff/{survey_id}/questions/new']").click()
        if kind == "single":
            j.check(staff_page, "survey-question-form")
        staff_page.locator("#kind").select_option(kind)
        staff_page.locator("#text").fill(text)
        if choices:
            staff_page.locator("#is_required").check()
            staff_page.locator("#choices_en").fill(choices)
        staff_page.locator(SUBMIT).last.click()
        expect(staff_page).to_have_url(re.compile(rf"/surveys/staff/{survey_id}$"))
        expect(staff_page.locator("main", has_text=text)).to_be_visible()
    j.check(staff_page, "survey-questions")
    staff_page.locator(f"main form[action$='/surveys/staff/{survey_id}/open'] button").click()
    expect(staff_page.locator(FLASH).last).to_be_visible()
    j.check(staff_page, "survey-opened")

    # The member answers.
    member_page.goto("/surveys/")
    j.check(member_page, "my-surveys")
    member_page.locator(f"main a[href$='/surveys/{survey_id}/answer']").click()
    j.check(member_page, "survey-answer")
    member_page.locator("main input[type=radio]").first.check()
    member_page.locator("main form[method=post] input[type=text]").first.fill("Imishinga mito")
    member_page.locator("main button[name=action][value=submit]").click()
    expect(member_page).to_have_url(re.compile(rf"/surveys/{survey_id}/thanks$"))
    j.check(member_page, "survey-thanks")
    assert j.in_app(lambda: _final_responses(survey_id)) == 1

    # Staff see the result chart.
    staff_page.goto(f"/surveys/staff/{survey_id}/results")
    expect(staff_page.locator("main svg").first).to_be_visible()
    j.check(staff_page, "survey-results")
    j.findings.assert_clean()
