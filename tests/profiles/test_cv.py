"""CV import with real PDF (reportlab) and DOCX (python-docx) files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.worker import Worker
from app.profiles.models import CVDocument, Profile

CV_LINES = [
    "Amina Uwase",
    "Paediatric Nurse, CHU Sainte-Justine 2015 - 2024",
    "MSc Paediatric Nursing, McGill University 2014",
    "Skills: paediatric nursing, neonatal resuscitation, infection prevention and control,",
    "quality improvement and medical education.",
]


def _pdf(lines: list[str], *, encrypt: bool = False, text: bool = True) -> bytes:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(
        buffer, encrypt=StandardEncryption("secret", canPrint=0) if encrypt else None
    )
    if text:
        y = 800
        for line in lines:
            pdf.drawString(50, y, line)
            y -= 20
    else:  # a "scanned" page: only a drawing, no text layer
        pdf.rect(50, 400, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _docx(lines: list[str]) -> bytes:
    from docx import Document

    document = Document()
    for line in lines:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _upload(client: FlaskClient, data: bytes, name: str) -> Any:
    return client.post(
        "/profile/cv", data={"cv": (io.BytesIO(data), name)}, content_type="multipart/form-data"
    )


def _read_queued(app: Flask) -> None:
    """Run what the upload queued: the worker reads the CV (parsing left the request)."""
    with app.app_context():
        Worker("cv-test").run(once=True)


def _stored(app: Flask) -> tuple[int, list[Path]]:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(CVDocument)) or 0
    folder = Path(app.config["UPLOAD_DIR"]) / "cvs"
    return count, list(folder.glob("*")) if folder.exists() else []


def _suggestions(app: Flask) -> tuple[int, dict[str, list[str]]]:
    with app.app_context():
        cv = db.session.scalars(select(CVDocument)).one()
        return cv.id, dict(cv.suggestions)


def test_pdf_cv_proposes_skills_and_accepting_a_subset_adds_exactly_those(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    user = logged_in("professional")
    response = _upload(client, _pdf(CV_LINES), "cv.pdf")
    assert response.status_code == 302
    _read_queued(app)
    cv_id, suggestions = _suggestions(app)
    # The upload lands on "Reading your CV…", which moves on to the review once read.
    assert response.headers["Location"].endswith(f"/profile/cv/{cv_id}/reading")
    progress = client.get(response.headers["Location"])
    assert progress.headers["Location"].endswith(f"/profile/cv/{cv_id}/review")
    assert {"paediatric nursing", "neonatal resuscitation", "quality improvement"} <= set(
        suggestions["skills"]
    )
    assert any("Paediatric Nurse" in t for t in suggestions["titles"])
    assert any("MSc" in e for e in suggestions["education"])
    page = client.get(f"/profile/cv/{cv_id}/review").get_data(as_text=True)
    assert "neonatal resuscitation" in page
    # Nothing was added before the member accepted.
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user.id)).one()
        assert profile.skills == []

    # Tick two skills and the degree on the review form (app/profiles/cv_review.py); the
    # other suggestions are sent unticked, as a browser would.
    def row(kind: str, key: str, value: str) -> str:
        found = re.search(rf'name="({kind}-\d+)-{key}" value="{re.escape(value)}"', page)
        assert found, value
        return found.group(1)

    data = {}
    for name in ("paediatric nursing", "quality improvement"):
        prefix = row("skill", "name", name)
        data.update({f"{prefix}-accept": "1", f"{prefix}-name": name})
        data.update({f"{prefix}-level": "intermediate", f"{prefix}-years": "0"})
    prefix = row("education", "degree", "MSc")
    data.update({f"{prefix}-accept": "1", f"{prefix}-degree": "MSc"})
    client.post(f"/profile/cv/{cv_id}/review", data=data)
    with app.app_context():
        profile = db.session.scalars(select(Profile).where(Profile.user_id == user.id)).one()
        assert sorted(s.name for s in profile.skills) == [
            "paediatric nursing",
            "quality improvement",
        ]
        assert [e.degree for e in profile.education] == ["MSc"]
        assert profile.experience == []


def test_docx_cv_proposes_its_skills(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    assert _upload(client, _docx(CV_LINES), "cv.docx").status_code == 302
    _read_queued(app)
    _, suggestions = _suggestions(app)
    assert "neonatal resuscitation" in suggestions["skills"]


def test_cv_download_only_by_owner_and_staff(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    _upload(client, _pdf(CV_LINES), "my cv.pdf")
    _read_queued(app)
    cv_id, _ = _suggestions(app)
    own = client.get(f"/profile/cv/{cv_id}/download")
    assert own.status_code == 200
    assert own.headers["Content-Disposition"].startswith("attachment")
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert own.data.startswith(b"%PDF-")
    client.post("/auth/logout")
    logged_in("professional")
    assert client.get(f"/profile/cv/{cv_id}/download").status_code == 404
    assert client.get(f"/profile/cv/{cv_id}/review").status_code == 404
    client.post("/auth/logout")
    logged_in("institution_member")
    assert client.get(f"/profile/cv/{cv_id}/download").status_code == 404
    client.post("/auth/logout")
    logged_in("rca_staff")
    assert client.get(f"/profile/cv/{cv_id}/download").status_code == 200


def test_scanned_pdf_gets_a_clear_message(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    response = _upload(client, _pdf([], text=False), "scan.pdf")
    _read_queued(app)
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "scanned image" in page


def _assert_refused(app: Flask, response: Any, message: str) -> None:
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _stored(app) == (0, [])


def test_renamed_exe_is_refused_and_nothing_stored(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    exe = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200
    _assert_refused(app, _upload(client, exe, "cv.pdf"), "not a PDF or a Word")
    _assert_refused(app, _upload(client, b"%PDF-1.4 garbage", "cv.pdf"), "could not be read")


def test_oversize_file_is_refused(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024 + 10)
    _assert_refused(app, _upload(client, big, "cv.pdf"), "too large")


def test_encrypted_pdf_is_refused(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    _assert_refused(
        app, _upload(client, _pdf(CV_LINES, encrypt=True), "cv.pdf"), "password-protected"
    )


def test_zip_bomb_docx_is_refused_before_parsing(
    app: Flask, client: FlaskClient, logged_in: Callable[..., Any]
) -> None:
    logged_in("professional")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (50 * 1024 * 1024))
    _assert_refused(app, _upload(client, buffer.getvalue(), "cv.docx"), "unusually large")
