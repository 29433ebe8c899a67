"""CV uploads leave the request path and are read under limits; hostile files are refused with the
reason next to the field; uploads are rate-limited per account. Real files throughout
(tests/factories/hostile_files.py builds them byte by byte, reportlab and python-docx the rest)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.database import utcnow
from app.extensions import db
from app.jobs import worker as worker_module
from app.jobs.models import Job, JobStatus
from app.jobs.worker import Worker
from app.profiles import cv, cvtext
from app.profiles.models import CVDocument, CVStatus
from tests.conftest import login
from tests.factories import hostile_files as hostile

CV_LINES = ["Amina Uwase", "Paediatric Nurse, CHU Sainte-Justine 2015 - 2024"]


def _pdf(lines: list[str] = CV_LINES) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number, line in enumerate(lines):
        pdf.drawString(50, 800 - 20 * number, line)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _upload(client: FlaskClient, data: bytes, name: str) -> Any:
    return client.post(
        "/profile/cv", data={"cv": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _read_queued(app: Flask) -> None:
    with app.app_context():
        Worker("cv-limits-test").run(once=True)


def _documents(app: Flask) -> list[CVDocument]:
    with app.app_context():
        documents = list(db.session.scalars(select(CVDocument).order_by(CVDocument.id)))
        db.session.expunge_all()
        return documents


def _files(app: Flask) -> list[Path]:
    folder = Path(app.config["UPLOAD_DIR"]) / "cvs"
    return sorted(folder.glob("*")) if folder.exists() else []


def _field_error(page: str) -> str:
    """The error shown next to the CV field (its aria-describedby target)."""
    match = re.search(r'<p class="error" id="cv-error"[^>]*>(.*?)</p>', page, re.S)
    assert match, "no error next to the CV field"
    return match.group(1)


# --------------------------------------------------------------------------- the background read


def test_upload_stores_and_queues_without_parsing_then_the_worker_reads_it(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logged_in("professional")
    parsed_in_request: list[str] = []
    real = cvtext.extract_bounded
    monkeypatch.setattr(
        cvtext, "extract_bounded", lambda *a, **k: parsed_in_request.append("x") or real(*a, **k)
    )
    response = _upload(client, _pdf(), "cv.pdf")
    assert parsed_in_request == []
    [document] = _documents(app)
    assert document.status == CVStatus.QUEUED and document.text == ""
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Job).where(Job.kind == "profiles.read_cv")
            )
            == 1
        )
    progress = client.get(response.headers["Location"])
    page = progress.get_data(as_text=True)
    assert progress.status_code == 200
    assert "Reading your CV" in page
    assert '<meta http-equiv="refresh"' in page  # refreshes itself without JavaScript
    assert "js/cv-progress.js" in page  # and polls with it
    assert client.get(f"/profile/cv/{document.id}/status").json["status"] == "queued"
    # The review page is not reached before the CV is read.
    review = client.get(f"/profile/cv/{document.id}/review")
    assert review.headers["Location"].endswith(f"/profile/cv/{document.id}/reading")

    _read_queued(app)
    assert parsed_in_request == ["x"]
    [document] = _documents(app)
    assert document.status == CVStatus.READY and "Paediatric Nurse" in document.text
    assert client.get(f"/profile/cv/{document.id}/status").json == {
        "status": "ready",
        "url": f"/profile/cv/{document.id}/reading",
    }
    moved_on = client.get(response.headers["Location"])
    assert moved_on.headers["Location"].endswith(f"/profile/cv/{document.id}/review")


def test_issue_16_text_operator_bomb_is_refused_by_the_worker_and_its_file_deleted(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    bomb = hostile.text_operator_bomb()  # about 10 KB: 1,000,000 deflated `(x) Tj`
    response = _upload(client, bomb, "cv.pdf")
    assert response.status_code == 302  # it passes every cheap check
    _read_queued(app)
    [document] = _documents(app)
    assert (document.status, document.failure) == (CVStatus.FAILED, cvtext.TOO_MUCH_CONTENT)
    assert _files(app) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "far more content than a CV" in _field_error(page)
    assert client.get(f"/profile/cv/{document.id}/review").status_code == 302
    assert client.get(f"/profile/cv/{document.id}/download").status_code == 404
    assert document.original_name not in client.get("/profile/cv").get_data(as_text=True)


def test_malformed_pdf_is_refused_by_the_worker_with_the_reason_next_to_the_field(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    response = _upload(client, hostile.malformed_pdf(), "cv.pdf")
    _read_queued(app)
    [document] = _documents(app)
    assert (document.status, document.failure) == (CVStatus.FAILED, cvtext.MALFORMED)
    assert _files(app) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "could not be read" in _field_error(page)


def test_a_cv_whose_read_job_dies_becomes_failed_with_the_upload_form_and_its_file_deleted(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logged_in("professional")

    def broken_reader(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the reader broke")  # not a refusal: the job itself fails

    monkeypatch.setattr(cvtext, "extract_bounded", broken_reader)
    response = _upload(client, _pdf(), "cv.pdf")
    assert len(_files(app)) == 1
    now = utcnow()
    for attempt in range(1, 4):  # the read job may be tried 3 times
        # Past the retry's backoff: the worker claims the job again and it fails again.
        later = now + timedelta(hours=attempt)
        monkeypatch.setattr(worker_module, "utcnow", lambda moment=later: moment)
        _read_queued(app)
        with app.app_context():
            job = db.session.scalars(select(Job).where(Job.kind == cv.READ_JOB)).one()
            assert job.attempts == attempt and "the reader broke" in (job.last_error or "")
            status = job.status
        [document] = _documents(app)
        if attempt < 3:
            assert (status, document.status) == (JobStatus.PENDING, CVStatus.QUEUED)
            assert "Reading your CV" in client.get(response.headers["Location"]).get_data(
                as_text=True
            )
    assert (status, document.status, document.failure) == (
        JobStatus.FAILED,
        CVStatus.FAILED,
        cv.NOT_READ,
    )
    assert _files(app) == []
    assert client.get(f"/profile/cv/{document.id}/status").json["status"] == "failed"
    progress = client.get(response.headers["Location"])
    page = progress.get_data(as_text=True)
    assert progress.status_code == 200 and "Reading your CV" not in page
    assert '<meta http-equiv="refresh"' not in page
    assert "problem on our side. Please upload it again" in _field_error(page)
    assert 'type="file"' in page  # the upload form, to try again
    assert client.get(f"/profile/cv/{document.id}/download").status_code == 404


# --------------------------------------------------------------------------- limits, directly


def test_cpu_limit_stops_a_file_under_every_work_cap() -> None:
    # A form painted 200 times: a few hundred bytes of page content, ~18 million operators.
    with pytest.raises(cvtext.Refused) as refused:
        cvtext.extract_bounded("pdf", hostile.form_xobject_bomb(), cvtext.Limits(cpu_seconds=1))
    assert refused.value.reason == cvtext.TOO_SLOW


def test_memory_limit_stops_a_file_that_needs_too_much() -> None:
    with pytest.raises(cvtext.Refused) as refused:
        cvtext.extract_bounded("docx", hostile.docx_large_text(30_000), cvtext.Limits(memory_mb=48))
    assert refused.value.reason == cvtext.TOO_BIG_IN_MEMORY


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (lambda: hostile.text_operator_bomb(), cvtext.TOO_MUCH_CONTENT),
        (lambda: hostile.inflate_bomb(50), cvtext.TOO_MUCH_CONTENT),
        (lambda: hostile.many_pages(101), cvtext.TOO_MANY_PAGES),
        (lambda: hostile.malformed_pdf(), cvtext.MALFORMED),
        (lambda: hostile.encrypted_pdf(_pdf()), cvtext.ENCRYPTED),
    ],
    ids=["operators", "inflate", "pages", "malformed", "encrypted"],
)
def test_pdf_work_caps_refuse_in_the_child(build: Callable[[], bytes], reason: str) -> None:
    with pytest.raises(cvtext.Refused) as refused:
        cvtext.extract_bounded("pdf", build(), cvtext.Limits())
    assert refused.value.reason == reason


def test_a_normal_cv_is_read_well_within_the_limits() -> None:
    outcome = cvtext.extract_bounded("pdf", _pdf(), cvtext.Limits())
    assert "Paediatric Nurse" in outcome.text
    docx = cvtext.extract_bounded("docx", hostile.real_docx(CV_LINES), cvtext.Limits())
    assert "Amina Uwase" in docx.text
    # A long academic CV is read, its first 30 pages only.
    long_cv = cvtext.extract_bounded("pdf", hostile.many_pages(40), cvtext.Limits())
    assert long_cv.text.count("page") == 30


# --------------------------------------------------------------------------- refused at upload

UPLOAD_REFUSALS = [
    ("encrypted PDF (pypdf)", lambda: hostile.encrypted_pdf(_pdf()), "cv.pdf",
     "password-protected"),
    ("truncated PDF", lambda: hostile.truncated_pdf(_pdf()), "cv.pdf", "could not be read"),
    ("DOCX zip bomb, ratio 1000", lambda: hostile.docx_high_ratio(30), "cv.docx",
     "unusually large once unpacked"),
    ("DOCX declaring 4 GB", hostile.docx_huge_declared_size, "cv.docx",
     "unusually large once unpacked"),
    ("DOCX of 2,000 entries", hostile.docx_too_many_entries, "cv.docx",
     "unusually large once unpacked"),
    ("DOCX holding a zip", hostile.docx_nested_zip, "cv.docx", "contains another archive"),
    ("DOCX holding a renamed zip", lambda: hostile.docx_nested_zip(renamed=True), "cv.docx",
     "contains another archive"),
    ("PDF named .docx", _pdf, "cv.docx", "ends in .docx but it is a PDF file"),
    ("DOCX named .pdf", lambda: hostile.real_docx(CV_LINES), "cv.pdf",
     "ends in .pdf but it is a DOCX file"),
    ("HTML named .pdf", lambda: hostile.HTML_PAGE, "cv.pdf", "not a PDF or a Word"),
    ("Windows program named .pdf", lambda: hostile.WINDOWS_EXE, "cv.pdf", "not a PDF or a Word"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("build", "name", "message"),
    [case[1:] for case in UPLOAD_REFUSALS],
    ids=[case[0] for case in UPLOAD_REFUSALS],
)
def test_hostile_file_is_refused_at_upload_next_to_the_field_and_nothing_stored(
    app: Flask,
    client: FlaskClient,
    logged_in: Callable[..., Any],
    build: Callable[[], bytes],
    name: str,
    message: str,
) -> None:
    logged_in("professional")
    response = _upload(client, build(), name)
    assert response.status_code == 400
    assert message in _field_error(response.get_data(as_text=True))
    assert _documents(app) == [] and _files(app) == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Job)) == 0


# --------------------------------------------------------------------------- rate limit


def test_uploads_are_rate_limited_per_account(
    app_factory: Callable[..., Flask], make_user: Callable[..., Any]
) -> None:
    limited = app_factory(RATELIMIT_ENABLED=True, CV_UPLOAD_RATE_LIMIT="2 per hour")
    first, second = make_user("professional"), make_user("professional")
    client = limited.test_client()
    assert login(client, first.email).status_code == 302
    responses = [_upload(client, _pdf(), "cv.pdf") for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert len(_documents(limited)) == 2  # the refused upload stored nothing
    assert len(_files(limited)) == 2
    # The upload page, not the generic 429 page: the reason next to the field, the form to try
    # later and the CVs already uploaded.
    page = responses[2].get_data(as_text=True)
    assert re.search(
        r"You have uploaded many CVs in a short time; try again in \d+ (minute|hour)",
        _field_error(page),
    )
    assert 'type="file"' in page and "Your CVs" in page and "cv.pdf" in page
    assert client.get("/profile/cv").status_code == 200  # only sending a file is limited
    # Another account from the same address has its own budget.
    other = limited.test_client()
    assert login(other, second.email).status_code == 302
    assert _upload(other, _pdf(), "cv.pdf").status_code == 302
