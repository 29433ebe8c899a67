"""CV import: check the file by its content, extract its text, propose skills, titles, degrees.

Extraction of a normal CV (a few pages) takes well under a second with pypdf / python-docx, so it
runs inside the request; a background job would only add latency and a polling page.
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.database import utcnow
from app.errors import DomainError
from app.extensions import db
from app.profiles import services
from app.profiles.models import CVDocument, Profile, SkillLevel
from app.reference import skills as vocabulary

PDF_MAGIC = b"%PDF-"
ZIP_MAGIC = b"PK\x03\x04"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Zip-bomb guards, checked from the zip directory before anything is decompressed.
DOCX_MAX_UNCOMPRESSED = 40 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_MAX_ENTRIES = 500
MAX_TEXT_CHARS = 200_000

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


def extract(data: bytes) -> ExtractedCV:
    """Check the bytes are a real PDF or DOCX and return their text; raises CVRejected."""
    limit = int(current_app.config["PROFILE_CV_MAX_BYTES"])
    if len(data) > limit:
        raise CVRejected(_("The file is too large: at most %(n)s MB.", n=limit // (1024 * 1024)))
    if not data:
        raise CVRejected(_("Choose a file to upload."))
    if data.startswith(PDF_MAGIC):
        return ExtractedCV("application/pdf", "pdf", _pdf_text(data))
    if data.startswith(ZIP_MAGIC):
        return ExtractedCV(DOCX_TYPE, "docx", _docx_text(data))
    raise CVRejected(_("This file is not a PDF or a Word (.docx) document."))


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise CVRejected(
                _("This PDF is password-protected. Save it without a password and try again.")
            )
        parts = []
        for page in reader.pages[:50]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > MAX_TEXT_CHARS:
                break
    except CVRejected:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CVRejected(_("This PDF could not be read. It may be damaged.")) from exc
    return "\n".join(parts)[:MAX_TEXT_CHARS]


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise CVRejected(_("This file is not a PDF or a Word (.docx) document.")) from exc
    names = {info.filename for info in infos}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise CVRejected(_("This file is not a PDF or a Word (.docx) document."))
    total = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos) or 1
    if (
        len(infos) > DOCX_MAX_ENTRIES
        or total > DOCX_MAX_UNCOMPRESSED
        or total / compressed > DOCX_MAX_RATIO
        or any(i.file_size / max(i.compress_size, 1) > DOCX_MAX_RATIO for i in infos)
    ):
        raise CVRejected(_("This document is malformed or unusually large once unpacked."))
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
        lines = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                lines.append(" | ".join(cell.text for cell in row.cells))
    except Exception as exc:
        raise CVRejected(_("This Word document could not be read. It may be damaged.")) from exc
    return "\n".join(lines)[:MAX_TEXT_CHARS]


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
    """Validate, store under UPLOAD_DIR with a random name, and record proposals; raises
    CVRejected before anything is written."""
    extracted = extract(data)
    directory = Path(current_app.config["UPLOAD_DIR"]) / "cvs"
    directory.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.{extracted.extension}"
    (directory / stored).write_bytes(data)
    cv = CVDocument(
        profile_id=profile.id,
        stored_name=stored,
        original_name=(Path(filename or "cv").name or "cv")[:200],
        content_type=extracted.content_type,
        size=len(data),
        text=extracted.text,
        suggestions=propose(extracted.text, profile),
    )
    db.session.add(cv)
    db.session.flush()
    return cv


def has_text(cv: CVDocument) -> bool:
    return bool(cv.text.strip())


def cv_path(cv: CVDocument) -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "cvs" / cv.stored_name


def accept_suggestions(
    profile: Profile,
    cv: CVDocument,
    *,
    skills: list[str],
    titles: list[str],
    education: list[str],
) -> int:
    """Add exactly the accepted proposals (unknown values are ignored); return how many."""
    offered = cv.suggestions or {}
    added = 0
    for name in dict.fromkeys(skills):
        if name in offered.get("skills", []):
            services.add_skill(profile, name, SkillLevel.INTERMEDIATE.value, 0)
            added += 1
    for title in dict.fromkeys(titles):
        if title in offered.get("titles", []):
            services.save_experience(profile, title=title[:160])
            added += 1
    for line in dict.fromkeys(education):
        if line in offered.get("education", []):
            match = DEGREE_WORDS.search(line)
            degree = match.group(0) if match else line
            rest = line.replace(degree, "", 1).strip(" ,-–—|")
            year_match = YEAR.search(rest)
            year = int(year_match.group(0)) if year_match else None
            field = YEAR.sub("", rest).strip(" ,-–—|()")
            services.save_education(
                profile, degree=degree[:120], field_of_study=field[:160], year=year
            )
            added += 1
    cv.reviewed_at = utcnow()
    db.session.flush()
    return added


def list_cvs(profile: Profile) -> list[CVDocument]:
    from sqlalchemy import select

    return list(
        db.session.scalars(
            select(CVDocument)
            .where(CVDocument.profile_id == profile.id)
            .order_by(CVDocument.uploaded_at.desc())
        )
    )
