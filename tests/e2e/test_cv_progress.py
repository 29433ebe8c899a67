"""'Reading your CV…' in a real browser: with JavaScript the page follows the worker by itself
(no reload by the member), without it the page refreshes itself; a file the worker refuses
lands back on the upload form with the reason next to the field."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from app.jobs.worker import Worker
from tests.e2e.conftest import LiveServer
from tests.e2e.support import DESKTOP, log_in_with_form
from tests.factories import hostile_files as hostile

pytestmark = pytest.mark.browser


def _cv_pdf(directory: Path) -> Path:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(50, 800, "Amina Uwase")
    pdf.drawString(50, 780, "Paediatric Nurse, CHU Sainte-Justine 2015 - 2024")
    pdf.drawString(50, 760, "Skills: neonatal resuscitation, quality improvement")
    pdf.showPage()
    pdf.save()
    path = directory / "amina-cv.pdf"
    path.write_bytes(buffer.getvalue())
    return path


def _upload(live_server: LiveServer, page: Any, path: Path) -> None:
    page.goto("/profile/cv")
    page.locator("input[type=file][name=cv]").set_input_files(str(path))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/profile/cv/\d+/reading$"))
    expect(page.locator("h1")).to_have_text("Reading your CV…")


def test_progress_page_follows_the_worker_with_and_without_javascript(
    live_server: LiveServer, open_page: Any, tmp_path: Path
) -> None:
    account = live_server.make_user("professional")
    page = open_page(DESKTOP)
    log_in_with_form(page, account["email"], account["password"])
    _upload(live_server, page, _cv_pdf(tmp_path))
    live_server.in_app(lambda: Worker("e2e-cv-progress").run(once=True))
    # Nobody touches the page: its script sees "ready" and moves on to the suggestions.
    page.wait_for_url(re.compile(r"/profile/cv/\d+/review$"))
    expect(page.locator("h1")).to_have_text("Suggestions from your CV")

    # The issue-16 file passes the upload's checks; the worker refuses it, the page follows.
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(hostile.text_operator_bomb())
    _upload(live_server, page, bomb)
    live_server.in_app(lambda: Worker("e2e-cv-progress").run(once=True))
    expect(page.locator("#cv-error")).to_contain_text("far more content than a CV")

    # Without JavaScript the <meta http-equiv="refresh"> reloads the page until it is read.
    plain = open_page(DESKTOP, javascript=False)
    log_in_with_form(plain, account["email"], account["password"])
    _upload(live_server, plain, _cv_pdf(tmp_path))
    live_server.in_app(lambda: Worker("e2e-cv-progress").run(once=True))
    plain.wait_for_url(re.compile(r"/profile/cv/\d+/review$"))
