"""CV import: check the file by its content, read its text in the worker, propose skills,
titles, degrees.

The upload runs only cheap checks (size, magic bytes, name against content, the PDF trailer, the
DOCX zip directory), stores the file and enqueues `profiles.read_cv`. Parsing runs in the worker,
in a child process under CPU-time and memory limits (app/profiles/cvtext.py): a small deflated
PDF of text operators cost 13-16 s of CPU when it was parsed inside the request.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.jobs.services import enqueue_job
from app.profiles import cvtext
from app.profiles.cvtext import DOCX_TYPE, PDF_MAGIC, ZIP_MAGIC
from app.profiles.models import CVDocument, CVStatus, Profile
from app.reference import skills as vocabulary

READ_JOB = "profiles.read_cv"
# The failure code of a CV whose read job the worker gave up on (cvtext's codes name the file's
# fault; this one names ours).
NOT_READ = "not_read"
EXTENSIONS = {"pdf": "application/pdf", "docx": DOCX_TYPE}

TITLE_WORDS = re.compile(
    r"\b(nurse|midwife|physician|doctor|surgeon|pharmacist|engineer|developer|programmer|"
    r"architect|analyst|scientist|researcher|lecturer|professor|teacher|manager|director|"
    r"officer|specialist|consultant|coordinator|advisor|adviser|accountant|auditor|economist|"
    r"lawyer|designer|technician|administrator|head|lead|chief|intern|assistant|curator)\b",
    re.IGNORECASE,
)
DEGREE_WORDS = re.compile(
    r"\b(ph\.?\s?d|doctorate|m\.?\s?sc|b\.?\s?sc|mba|mph|m\.?\s?a\.?|b\.?\s?a\.?|ll\.?\s?[bm]|"
    r"m\.?\s?d\.?|master(?:'s)?|bachelor(?:'s)?|diploma|licence|maîtrise|certificate)\b",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")


class CVRejected(DomainError):
    """The file is not a readable PDF or DOCX CV; nothing was stored."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="cv")


@dataclass(frozen=True, slots=True)
class ExtractedCV:
    content_type: str
    extension: str
    text: str


def refusal_message(reason: str) -> str:
    """The member-facing sentence for a refusal code of app/profiles/cvtext.py."""
    messages = {
        cvtext.ENCRYPTED: _(
            "This PDF is password-protected. Save it without a password and try again."
        ),
        cvtext.MALFORMED: _("This file could not be read. It may be damaged."),
        cvtext.NOT_A_CV_FILE: _("This file is not a PDF or a Word (.docx) document."),
        cvtext.TOO_MANY_PAGES: _(
            "This file has too many pages for a CV: at most %(n)s.", n=cvtext.Limits().max_pages
        ),
        cvtext.TOO_MUCH_CONTENT: _(
            "This file holds far more content than a CV. Upload a shorter PDF or a Word document."
        ),
        cvtext.ARCHIVE_TOO_LARGE: _("This document is malformed or unusually large once unpacked."),
        cvtext.NESTED_ARCHIVE: _(
            "This document contains another archive. Save it again without embedded files."
        ),
        cvtext.TOO_SLOW: _(
            "This file takes too long to read. Save it again as a simple PDF or a Word document."
        ),
        cvtext.TOO_BIG_IN_MEMORY: _(
            "This file needs too much memory to read. Save it again as a simple PDF or a Word "
            "document."
        ),
        NOT_READ: _(
            "We could not read this CV because of a problem on our side. Please upload it again."
        ),
    }
    return messages.get(reason, messages[cvtext.MALFORMED])


def read_limits() -> cvtext.Limits:
    config = current_app.config
    return cvtext.Limits(
        cpu_seconds=int(config["CV_READ_CPU_SECONDS"]),
        wall_seconds=float(config["CV_READ_WALL_SECONDS"]),
        memory_mb=int(config["CV_READ_MEMORY_MB"]),
    )


def check_upload(data: bytes, filename: str) -> str:
    """Run the cheap checks a request can afford and return the extension ("pdf" or "docx");
    raises CVRejected with the reason."""
    limit = int(current_app.config["PROFILE_CV_MAX_BYTES"])
    if len(data) > limit:
        raise CVRejected(_("The file is too large: at most %(n)s MB.", n=limit // (1024 * 1024)))
    if not data:
        raise CVRejected(_("Choose a file to upload."))
    if data.startswith(PDF_MAGIC):
        kind = "pdf"
    elif data.startswith(ZIP_MAGIC):
        kind = "docx"
    else:
        raise CVRejected(refusal_message(cvtext.NOT_A_CV_FILE))
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if suffix and suffix != kind:
        # A PDF named .docx (or the reverse) would be served back under the wrong type.
        raise CVRejected(
            _(
                "This file's name ends in .%(named)s but it is a %(actual)s file. Rename it or "
                "choose the right file.",
                named=suffix[:10],
                actual=kind.upper(),
            )
        )
    try:
        if kind == "pdf":
            if cvtext.looks_truncated_pdf(data):
                raise cvtext.Refused(cvtext.MALFORMED)
            if cvtext.declares_encryption(data):
                raise cvtext.Refused(cvtext.ENCRYPTED)
        else:
            cvtext.check_docx_directory(data, cvtext.Limits())
    except cvtext.Refused as refused:
        raise CVRejected(refusal_message(refused.reason)) from refused
    return kind


def extract(data: bytes, filename: str = "") -> ExtractedCV:
    """Check the bytes are a real PDF or DOCX and return their text, read under the limits;
    raises CVRejected. (The web request never calls this: uploads are read by the worker.)"""
    kind = check_upload(data, filename)
    try:
        outcome = cvtext.extract_bounded(kind, data, read_limits())
    except cvtext.Refused as refused:
        raise CVRejected(refusal_message(refused.reason)) from refused
    return ExtractedCV(EXTENSIONS[kind], kind, outcome.text)


def propose(text: str, profile: Profile) -> dict[str, list[str]]:
    """Return the skills, job titles and degrees found in the text that the profile lacks."""
    have_skills = {s.name for s in profile.skills}
    have_titles = {e.title.casefold() for e in profile.experience}
    have_degrees = {f"{e.degree} {e.field}".strip().casefold() for e in profile.education}
    skills = [s for s in vocabulary.find_in_text(text) if s not in have_skills]
    titles: list[str] = []
    education: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split()).strip(" -•*|,;")
        if not 3 <= len(line) <= 120:
            continue
        if DEGREE_WORDS.search(line):
            if line.casefold() not in have_degrees and line not in education:
                education.append(line)
        elif TITLE_WORDS.search(line) and len(line.split()) <= 8 and not line.endswith("."):
            title = YEAR.split(line)[0].strip(" -–—,|(") if YEAR.search(line) else line
            if title and title.casefold() not in have_titles and title not in titles:
                titles.append(title)
    return {"skills": skills[:40], "titles": titles[:15], "education": education[:10]}


def import_cv(profile: Profile, data: bytes, filename: str) -> CVDocument:
    """Check, store under UPLOAD_DIR with a random name and queue the reading; raises
    CVRejected before anything is written."""
    kind = check_upload(data, filename)
    directory = Path(current_app.config["UPLOAD_DIR"]) / "cvs"
    directory.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{kind}"
    (directory / stored).write_bytes(data)
    cv = CVDocument(
        profile_id=profile.id,
        stored_name=stored,
        original_name=(Path(filename or "cv").name or "cv")[:200],
        content_type=EXTENSIONS[kind],
        size=len(data),
        text="",
        suggestions={},
        status=CVStatus.QUEUED,
    )
    db.session.add(cv)
    db.session.flush()
    # Refusals are outcomes, not errors: the job only fails (and retries) when the worker itself
    # breaks, e.g. the database is unreachable.
    enqueue_job(READ_JOB, {"cv_id": cv.id}, max_attempts=3)
    return cv


def read_cv(cv: CVDocument) -> None:
    """Read a queued CV in a bounded child process: store its text and proposals (READY), or
    mark it FAILED with the reason and delete the stored file. Flushes."""
    if cv.status != CVStatus.QUEUED:
        return
    path = cv_path(cv)
    kind = "pdf" if cv.content_type == "application/pdf" else "docx"
    try:
        outcome = cvtext.extract_bounded(kind, path.read_bytes(), read_limits())
    except (cvtext.Refused, FileNotFoundError) as error:
        cv.status = CVStatus.FAILED
        cv.failure = error.reason if isinstance(error, cvtext.Refused) else cvtext.MALFORMED
        cv.text = ""
        cv.suggestions = {}
        path.unlink(missing_ok=True)
    else:
        profile = db.session.get(Profile, cv.profile_id)
        cv.text = outcome.text
        cv.suggestions = propose(outcome.text, profile) if profile is not None else {}
        cv.status = CVStatus.READY
    cv.read_at = utcnow()
    db.session.flush()


def give_up_reading(cv: CVDocument) -> None:
    """The worker gave up on reading this CV (its job failed on every attempt): mark it FAILED
    so the member gets the upload form back instead of a page waiting forever, and delete the
    stored file. Flushes."""
    if cv.status != CVStatus.QUEUED:
        return
    cv.status = CVStatus.FAILED
    cv.failure = NOT_READ
    cv.text = ""
    cv.suggestions = {}
    cv.read_at = utcnow()
    cv_path(cv).unlink(missing_ok=True)
    db.session.flush()


def has_text(cv: CVDocument) -> bool:
    return bool(cv.text.strip())


def cv_path(cv: CVDocument) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "cvs" / cv.stored_name


def list_cvs(profile: Profile) -> list[CVDocument]:
    from sqlalchemy import select

    return list(
        db.session.scalars(
            select(CVDocument)
            .where(CVDocument.profile_id == profile.id, CVDocument.status != CVStatus.FAILED)
            .order_by(CVDocument.uploaded_at.desc())
        )
    )
