"""A member imports a French CV (a real two-column PDF) and sees its skills, jobs and
languages suggested on the review page, pre-filled and ticked; accepting fills the profile.

The upload queues the reading for the worker (app/profiles/cv.py); the test runs the worker's
due jobs in the live app, as the worker process would, before opening the review page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.jobs.worker import Worker
from app.profiles import cv_eval
from app.profiles.models import Profile
from tests.e2e.conftest import LiveServer
from tests.e2e.support import (
    DESKTOP,
    axe_violations,
    blocking,
    describe,
    log_in_with_form,
    untranslated_english,
    visible_text,
)

pytestmark = pytest.mark.browser

CORPUS = Path(__file__).parents[1] / "profiles" / "cv_corpus"
FRENCH_CV = "13-fr-ingenieure-hydraulicienne-belgique"


def _french_pdf(directory: Path) -> Path:
    source = cv_eval.parse_source(FRENCH_CV, (CORPUS / f"{FRENCH_CV}.txt").read_text("utf-8"))
    assert (source.format, source.layout) == ("pdf", "two-columns")
    path = directory / "cv-marie-uwase.pdf"
    path.write_bytes(cv_eval.render_pdf(source))
    return path


def test_french_cv_import_suggests_skills_experience_and_languages(
    live_server: LiveServer, open_page: Any, tmp_path: Path
) -> None:
    account = live_server.make_user("professional")
    page = open_page(DESKTOP, locale="fr-FR")
    log_in_with_form(page, account["email"], account["password"])
    page.goto("/profile/cv")
    page.locator("input[type=file][name=cv]").set_input_files(str(_french_pdf(tmp_path)))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/cv/\d+/"))
    cv_id = re.search(r"/profile/cv/(\d+)/", page.url).group(1)  # type: ignore[union-attr]
    live_server.in_app(lambda: Worker("e2e-cv").run(once=True))

    page.goto(f"/profile/cv/{cv_id}/review")
    expect(page.locator("h1")).to_have_text("Suggestions tirées de votre CV")
    experience = page.locator("#cv-experience")
    expect(experience.locator('input[value="Ingénieure hydraulicienne"]')).to_have_count(1)
    expect(experience.locator('input[value="Tractebel Engineering"]')).to_have_count(1)
    expect(experience.locator('input[value="2019-01"]')).to_have_count(1)
    expect(experience.locator("input[type=checkbox]:checked")).to_have_count(2)
    skills = page.locator("#cv-skills")
    for name in ("hydraulic engineering", "hydrology", "water supply engineering"):
        expect(skills.locator(f'input[value="{name}"]')).to_have_count(1)
    languages = page.locator("#cv-languages")
    expect(languages.locator("select[name$='-code'] option[selected][value=fr]")).to_have_count(1)
    expect(
        languages.locator("select[name$='-level'] option[selected][value=native]")
    ).to_have_count(1)
    expect(page.locator("#cv-contacts")).to_contain_text("marie.uwase@tractebel.be")
    assert untranslated_english(visible_text(page)) == []
    if live_server.axe_available:
        found = blocking(axe_violations(page))
        assert not found, describe(found)

    page.locator(
        "#cv-experience ~ button[type=submit], form.stack button[type=submit]"
    ).first.click()
    page.wait_for_url(re.compile(r"/profile/?$"))

    def saved() -> dict[str, Any]:
        profile = db.session.scalars(select(Profile).where(Profile.user_id == account["id"])).one()
        return {
            "titles": sorted(e.title for e in profile.experience),
            "skills": {s.name for s in profile.skills},
            "languages": {(lang.code, lang.level) for lang in profile.languages},
        }

    found = live_server.in_app(saved)
    assert found["titles"] == ["Chargée d'études", "Ingénieure hydraulicienne"]
    assert {"hydraulic engineering", "hydrology", "project management"} <= found["skills"]
    assert ("fr", "native") in found["languages"] and ("en", "C1") in found["languages"]
