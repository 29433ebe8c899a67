"""Profile logic: sections, entries, skills, consent, completeness, freshness and duplicates.

Every function flushes and never commits; every profile-changing function ends with
refresh_content_hash(profile) so the matcher knows when to re-embed.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import phonenumbers
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.auth.models import Role, User
from app.auth.tokens import make_token, read_token
from app.database import utcnow
from app.errors import DomainError, NotFound
from app.extensions import db
from app.mail import MailDeliveryError, OutgoingEmail, send_email
from app.privacy.models import ConsentKind, ConsentRecord
from app.privacy.services import current_consents, record_consent
from app.profiles.models import (
    AvailabilityWindow,
    DuplicateCandidate,
    DuplicateStatus,
    Education,
    Experience,
    Gender,
    Profile,
    ProfileLanguage,
    ProfileSkill,
    SkillLevel,
    TieToRwanda,
    WorkMode,
)
from app.reference import skills as vocabulary
from app.reference.countries import default_timezone, is_country
from app.reference.languages import canonical_language, is_level
from app.reference.sectors import is_sector

MIN_BIRTH_YEAR = 1930
MIN_AGE = 16
MAX_SKILL_YEARS = 60
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
# A file name's extension → the type its content must be.
PHOTO_EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "jpe": "jpg", "png": "png"}
RECONFIRM_TOKEN_PURPOSE = "profile-reconfirm"  # noqa: S105 (a token salt, not a secret)


class InvalidProfileData(DomainError):
    """Values the member typed are refused: `errors` maps each field to what to fix there;
    `field` and `message` name the first one (for callers that show a single error)."""

    def __init__(
        self, message: str, *, field: str | None = None, errors: dict[str, str] | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.errors = errors or ({field: message} if field else {})


class Problems:
    """Collects one message per field, so a form shows every mistake in one round."""

    def __init__(self) -> None:
        self.by_field: dict[str, str] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, message)

    def text(self, value: str | None, limit: int, field: str) -> str:
        """Return the trimmed text, noting a problem when it is longer than limit."""
        cleaned = (value or "").strip()
        if len(cleaned) > limit:
            self.add(field, _("Use at most %(n)s characters.", n=limit))
        return cleaned


def _raise_if(found: dict[str, str]) -> None:
    """Raise InvalidProfileData carrying every problem found (by field), if there is one."""
    if found:
        field, message = next(iter(found.items()))
        raise InvalidProfileData(message, field=field, errors=dict(found))


# --------------------------------------------------------------------------- profile & hash


def get_profile(user: User) -> Profile | None:
    """Return the user's profile, if any."""
    return db.session.scalar(select(Profile).where(Profile.user_id == user.id))


def get_or_create_profile(user: User) -> Profile:
    """Return the user's profile, creating an empty one (name from the account) the first time."""
    profile = get_profile(user)
    if profile is None:
        profile = Profile(user_id=user.id, user=user, full_name=user.full_name or "", sectors=[])
        db.session.add(profile)
        db.session.flush()
        refresh_content_hash(profile)
    return profile


def refresh_content_hash(profile: Profile) -> str:
    """Stamp "last updated" and store the hash of the matcher's text for this profile."""
    from app.ranking.adapter import candidate_document

    db.session.flush()
    db.session.refresh(profile, ["languages", "skills", "windows"])
    profile.last_updated_at = utcnow()
    profile.content_hash = candidate_document(profile).content_hash()
    db.session.flush()
    return profile.content_hash


# --------------------------------------------------------------------------- identity


def normalise_phone(raw: str) -> str:
    """Return the phone number in E.164 form; raises InvalidProfileData when it is not valid."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    message = _("Enter a valid phone number in international format, like +1 514 555 0199.")
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        raise InvalidProfileData(message, field="phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidProfileData(message, field="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def check_identity(
    *,
    full_name: str,
    preferred_name: str = "",
    gender: str | None = None,
    birth_year: int | None = None,
    phone: str = "",
    today: date | None = None,
) -> dict[str, str]:
    """Return every problem of the identity values, by field (empty when all are fine)."""
    problems = Problems()
    if not problems.text(full_name, 200, "full_name"):
        problems.add("full_name", _("Enter your full name."))
    problems.text(preferred_name, 100, "preferred_name")
    this_year = (today or utcnow().date()).year
    if birth_year is not None and not MIN_BIRTH_YEAR <= birth_year <= this_year - MIN_AGE:
        problems.add(
            "birth_year",
            _(
                "Enter a year of birth between %(first)s and %(last)s.",
                first=MIN_BIRTH_YEAR,
                last=this_year - MIN_AGE,
            ),
        )
    if gender and gender not in set(Gender):
        problems.add("gender", _("Choose one of the options."))
    try:
        normalise_phone(phone)
    except InvalidProfileData as error:
        problems.add("phone", error.message)
    return problems.by_field


def save_identity(
    profile: Profile,
    *,
    full_name: str,
    preferred_name: str = "",
    gender: str | None = None,
    birth_year: int | None = None,
    phone: str = "",
    today: date | None = None,
) -> Profile:
    """Save the identity section and look for probable duplicates of this person; raises
    InvalidProfileData with every field problem."""
    found = check_identity(
        full_name=full_name,
        preferred_name=preferred_name,
        gender=gender,
        birth_year=birth_year,
        phone=phone,
        today=today,
    )
    _raise_if(found)
    profile.phone = normalise_phone(phone)
    profile.full_name = full_name.strip()
    profile.preferred_name = (preferred_name or "").strip()
    profile.gender = Gender(gender) if gender else None
    profile.birth_year = birth_year
    refresh_content_hash(profile)
    detect_duplicates(profile)
    return profile


def check_photo(data: bytes | None, filename: str | None = None) -> dict[str, str]:
    """Return the problem of an uploaded photo, if any: too large in bytes or in pixels (a
    decompression bomb declares huge dimensions in a tiny file), not a JPEG or PNG, a name that
    says another type than the content, or a damaged or truncated picture."""
    if data is None:
        return {}
    limit = int(current_app.config["PROFILE_PHOTO_MAX_BYTES"])
    if len(data) > limit:
        return {"photo": _("The photo is too large: at most %(n)s MB.", n=limit // (1024 * 1024))}
    kind = _photo_kind(data)
    if kind is None:
        return {"photo": _("Choose a JPEG or PNG picture.")}
    extension = Path(filename or "").suffix.lower().lstrip(".")
    if extension and PHOTO_EXTENSIONS.get(extension) != kind[1]:
        return {
            "photo": _(
                "This file is named .%(named)s but holds a %(kind)s picture: rename it or "
                "choose another file.",
                named=extension[:10],
                kind=kind[1].upper(),
            )
        }
    problem = _image_problem(data)
    return {"photo": problem} if problem else {}


def _photo_kind(data: bytes) -> tuple[str, str] | None:
    return next((v for magic, v in PHOTO_TYPES.items() if data.startswith(magic)), None)


def save_photo(profile: Profile, data: bytes, filename: str | None = None) -> Profile:
    """Store a JPEG or PNG photo (checked by content) outside static; replaces any previous one.
    Raises InvalidProfileData when the file is refused."""
    _raise_if(check_photo(data, filename))
    kind = _photo_kind(data)
    if kind is None:  # check_photo refused it already; this keeps the type checker informed
        raise InvalidProfileData(_("Choose a JPEG or PNG picture."), field="photo")
    directory = Path(current_app.config["UPLOAD_DIR"]) / "photos"
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind[1]}"
    (directory / name).write_bytes(data)
    remove_photo(profile)
    profile.photo_file, profile.photo_content_type = name, kind[0]
    refresh_content_hash(profile)
    return profile


def _image_problem(data: bytes) -> str | None:
    """Decode the whole picture, after checking its declared size, and say what is wrong."""
    import io
    import warnings

    from PIL import Image

    max_pixels = int(current_app.config["PROFILE_PHOTO_MAX_PIXELS"])
    too_large = _(
        "The picture is too large: at most %(n)s million pixels.", n=max_pixels // 1_000_000
    )
    damaged = _("The picture is damaged or incomplete: choose another file.")
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; ours is lower and is an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    return too_large
                image.verify()  # checksums and structure, without decoding
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # a truncated JPEG passes verify(); decoding it does not
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return too_large
    except Exception:  # Pillow raises many types on hostile files; all of them mean "bad"
        return damaged
    return None


def photo_path(profile: Profile) -> Path | None:
    """Return where the profile's photo is stored, if it has one."""
    if not profile.photo_file:
        return None
    return Path(current_app.config["UPLOAD_DIR"]) / "photos" / profile.photo_file


def remove_photo(profile: Profile) -> None:
    """Delete the stored photo, if any."""
    path = photo_path(profile)
    if path is not None:
        path.unlink(missing_ok=True)
    profile.photo_file = profile.photo_content_type = None
    db.session.flush()


# --------------------------------------------------------------------------- location


def check_location(
    *,
    country: str,
    city: str,
    timezone: str,
    tie_to_rwanda: str | None,
    tie_note: str = "",
) -> dict[str, str]:
    """Return every problem of the location values, by field."""
    problems = Problems()
    if not is_country((country or "").upper()):
        problems.add("country", _("Choose a country from the list."))
    if not problems.text(city, 120, "city"):
        problems.add("city", _("Enter your city."))
    if timezone and timezone.strip() not in available_timezones():
        problems.add("timezone", _("Choose a time zone from the list."))
    if tie_to_rwanda and tie_to_rwanda not in set(TieToRwanda):
        problems.add("tie_to_rwanda", _("Choose one of the options."))
    problems.text(tie_note, 200, "tie_note")
    return problems.by_field


def save_location(
    profile: Profile,
    *,
    country: str,
    city: str,
    timezone: str,
    tie_to_rwanda: str | None,
    tie_note: str = "",
) -> Profile:
    """Save where the member lives and their tie to Rwanda; an empty time zone is filled from
    the country. Raises InvalidProfileData with every field problem."""
    _raise_if(
        check_location(
            country=country,
            city=city,
            timezone=timezone,
            tie_to_rwanda=tie_to_rwanda,
            tie_note=tie_note,
        )
    )
    country = country.upper()
    profile.country = country
    profile.city = city.strip()
    profile.timezone = (timezone or "").strip() or default_timezone(country) or ""
    profile.tie_to_rwanda = TieToRwanda(tie_to_rwanda) if tie_to_rwanda else None
    profile.tie_note = (tie_note or "").strip()
    refresh_content_hash(profile)
    return profile


# --------------------------------------------------------------------------- languages


def check_language(code: str, level: str) -> dict[str, str]:
    """Return the problems of a language entry, by field."""
    problems = Problems()
    if canonical_language(code) is None:
        problems.add(
            "code", _("Choose a language from the list, or type its name or ISO 639-3 code.")
        )
    if not is_level(level):
        problems.add("level", _("Choose a level from A1 to C2, or native."))
    return problems.by_field


def add_language(profile: Profile, code: str, level: str) -> ProfileLanguage:
    """Add a language (ISO 639-1 or 639-3 code) or change its level when already listed."""
    _raise_if(check_language(code, level))
    code = canonical_language(code) or ""
    entry = next((lang for lang in profile.languages if lang.code == code), None)
    if entry is None:
        entry = ProfileLanguage(code=code, level=level)
        profile.languages.append(entry)
    entry.level = level
    refresh_content_hash(profile)
    return entry


def remove_language(profile: Profile, language_id: int) -> None:
    """Remove one of the profile's languages."""
    entry = _owned(profile.languages, language_id)
    profile.languages.remove(entry)
    refresh_content_hash(profile)


def _owned(entries: list[Any], entry_id: int) -> Any:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise NotFound(_("That entry does not exist."))


# --------------------------------------------------------------------------- education & work


def _check_country(problems: Problems, country: str, field: str = "country") -> str:
    country = (country or "").upper()
    if country and not is_country(country):
        problems.add(field, _("Choose a country from the list."))
    return country


def check_education(
    *,
    degree: str,
    field_of_study: str = "",
    institution: str = "",
    country: str = "",
    year: int | None = None,
) -> dict[str, str]:
    """Return every problem of an education entry, by field."""
    problems = Problems()
    if not problems.text(degree, 120, "degree"):
        problems.add("degree", _("Enter the degree or diploma."))
    problems.text(field_of_study, 160, "field_of_study")
    problems.text(institution, 200, "institution")
    _check_country(problems, country)
    if year is not None and not 1940 <= year <= utcnow().year + 6:
        problems.add("year", _("Enter a year between 1940 and %(n)s.", n=utcnow().year + 6))
    return problems.by_field


def save_education(
    profile: Profile,
    *,
    degree: str,
    field_of_study: str = "",
    institution: str = "",
    country: str = "",
    year: int | None = None,
    entry_id: int | None = None,
) -> Education:
    """Add an education entry, or update it when entry_id is given; raises InvalidProfileData
    with every field problem, NotFound for another member's entry."""
    entry = _owned(profile.education, entry_id) if entry_id else None
    _raise_if(
        check_education(
            degree=degree,
            field_of_study=field_of_study,
            institution=institution,
            country=country,
            year=year,
        )
    )
    if entry is None:
        entry = Education(degree=degree.strip())
        profile.education.append(entry)
    entry.degree = degree.strip()
    entry.field = (field_of_study or "").strip()
    entry.institution = (institution or "").strip()
    entry.country = (country or "").upper()
    entry.year = year
    refresh_content_hash(profile)
    return entry


def remove_education(profile: Profile, entry_id: int) -> None:
    profile.education.remove(_owned(profile.education, entry_id))
    refresh_content_hash(profile)


def check_experience(
    *,
    title: str,
    employer: str = "",
    country: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    description: str = "",
) -> dict[str, str]:
    """Return every problem of a work experience entry, by field."""
    problems = Problems()
    if not problems.text(title, 160, "title"):
        problems.add("title", _("Enter the job title."))
    problems.text(employer, 200, "employer")
    _check_country(problems, country)
    if start_date and end_date and end_date < start_date:
        problems.add("end_date", _("The end date must be after the start date."))
    problems.text(description, 2000, "description")
    return problems.by_field


def save_experience(
    profile: Profile,
    *,
    title: str,
    employer: str = "",
    country: str = "",
    start_date: date | None = None,
    end_date: date | None = None,
    description: str = "",
    entry_id: int | None = None,
) -> Experience:
    """Add a work experience entry, or update it when entry_id is given; raises
    InvalidProfileData with every field problem, NotFound for another member's entry."""
    entry = _owned(profile.experience, entry_id) if entry_id else None
    _raise_if(
        check_experience(
            title=title,
            employer=employer,
            country=country,
            start_date=start_date,
            end_date=end_date,
            description=description,
        )
    )
    if entry is None:
        entry = Experience(title=title.strip())
        profile.experience.append(entry)
    entry.title = title.strip()
    entry.employer = (employer or "").strip()
    entry.country = (country or "").upper()
    entry.start_date, entry.end_date = start_date, end_date
    entry.description = (description or "").strip()
    refresh_content_hash(profile)
    return entry


def remove_experience(profile: Profile, entry_id: int) -> None:
    profile.experience.remove(_owned(profile.experience, entry_id))
    refresh_content_hash(profile)


# --------------------------------------------------------------------------- skills


@dataclass(frozen=True, slots=True)
class SavedSkill:
    skill: ProfileSkill
    typed: str

    @property
    def was_renamed(self) -> bool:
        """True when the stored canonical name differs from what the member typed."""
        return self.typed.strip().lower() != self.skill.name


def member_skill_spellings() -> dict[str, str]:
    """Members' skill spellings by normalised key; the most used spelling of a key wins."""
    # list_member_skills is most used first: built from the end, the first spelling stays.
    return {vocabulary.normalise_skill(name): name for name in reversed(list_member_skills())}


def canonical_skill(text: str, spellings: Mapping[str, str] | None = None) -> str:
    """Return the stored form of a skill: the vocabulary's canonical name, a member's existing
    spelling of the same skill (from `spellings`, read once by a caller saving several), or
    the typed text tidied up."""
    typed = " ".join((text or "").split()).lower()
    canonical = vocabulary.canonical_for(typed)
    if canonical:
        return canonical
    if spellings is None:
        spellings = member_skill_spellings()
    return spellings.get(vocabulary.normalise_skill(typed), typed)


def check_skill(name: str, level: str, years: int | None) -> dict[str, str]:
    """Return every problem of a skill entry, by field."""
    problems = Problems()
    if not problems.text(name, 120, "name"):
        problems.add("name", _("Enter a skill."))
    if level not in set(SkillLevel):
        problems.add("level", _("Choose a level."))
    if not 0 <= (years or 0) <= MAX_SKILL_YEARS:
        problems.add("years", _("Enter a number of years between 0 and %(n)s.", n=MAX_SKILL_YEARS))
    return problems.by_field


def add_skill(profile: Profile, name: str, level: str, years: int | None) -> SavedSkill:
    """Add a skill (stored in its canonical form) or update its level and years; raises
    InvalidProfileData with every field problem."""
    _raise_if(check_skill(name, level, years))
    typed = name.strip()
    canonical = canonical_skill(typed)
    entry = next((s for s in profile.skills if s.name == canonical), None)
    if entry is None:
        entry = ProfileSkill(name=canonical)
        profile.skills.append(entry)
    entry.level, entry.years = SkillLevel(level), years or 0
    refresh_content_hash(profile)
    return SavedSkill(entry, typed)


def remove_skill(profile: Profile, skill_id: int) -> None:
    profile.skills.remove(_owned(profile.skills, skill_id))
    refresh_content_hash(profile)


def list_member_skills(limit: int = 2000) -> list[str]:
    """Return skill names already used by members (for autocomplete and spelling reuse)."""
    return list(
        db.session.scalars(
            select(ProfileSkill.name)
            .group_by(ProfileSkill.name)
            .order_by(func.count().desc())
            .limit(limit)
        )
    )


def suggest_skills(query: str, limit: int = 10) -> list[str]:
    """Autocomplete: vocabulary skills and members' skills matching what was typed."""
    query = (query or "").strip()[:100]
    if not query:
        return []
    # A query in any language finds a skill, shown by its label in the page's language.
    return vocabulary.suggest(
        query, limit=limit, extra_terms=list_member_skills(), language=str(get_locale() or "en")
    )


# --------------------------------------------------------------------------- interests


def check_interests(*, sectors: list[str], headline: str, bio: str) -> dict[str, str]:
    """Return every problem of the interests values, by field."""
    problems = Problems()
    if any(not is_sector(s) for s in sectors):
        problems.add("sectors", _("Choose sectors from the list."))
    problems.text(headline, 160, "headline")
    problems.text(bio, 2000, "bio")
    return problems.by_field


def save_interests(profile: Profile, *, sectors: list[str], headline: str, bio: str) -> Profile:
    """Save the sectors of interest, the one-line headline and the short bio; raises
    InvalidProfileData with every field problem."""
    _raise_if(check_interests(sectors=sectors, headline=headline, bio=bio))
    profile.sectors = list(dict.fromkeys(sectors))
    profile.headline = (headline or "").strip()
    profile.bio = (bio or "").strip()
    refresh_content_hash(profile)
    return profile


# --------------------------------------------------------------------------- availability


def check_availability(
    *, mode: str, hours_per_week: int | None, onsite_weeks: int | None, **_flags: bool
) -> dict[str, str]:
    """Return every problem of the availability values, by field."""
    problems = Problems()
    if mode not in set(WorkMode):
        problems.add("mode", _("Choose how you can work."))
    if hours_per_week is not None and not 1 <= hours_per_week <= 60:
        problems.add("hours_per_week", _("Enter between 1 and 60 hours."))
    if onsite_weeks is not None and not 0 <= onsite_weeks <= 104:
        problems.add("onsite_weeks", _("Enter between 0 and 104 weeks."))
    return problems.by_field


def save_availability(
    profile: Profile,
    *,
    mode: str,
    hours_per_week: int | None,
    onsite_weeks: int | None,
    willing_to_mentor: bool,
    open_to_paid: bool,
    open_to_unpaid: bool,
) -> Profile:
    """Save how and how much the member can contribute; raises InvalidProfileData with every
    field problem."""
    _raise_if(
        check_availability(mode=mode, hours_per_week=hours_per_week, onsite_weeks=onsite_weeks)
    )
    profile.mode = WorkMode(mode)
    profile.hours_per_week = hours_per_week
    profile.onsite_weeks = onsite_weeks if mode != WorkMode.REMOTE else None
    profile.willing_to_mentor = willing_to_mentor
    profile.open_to_paid = open_to_paid
    profile.open_to_unpaid = open_to_unpaid
    profile.availability_saved = True
    refresh_content_hash(profile)
    return profile


def add_window(profile: Profile, start: date, end: date) -> AvailabilityWindow:
    """Add a date window when the member is available."""
    if end < start:
        raise InvalidProfileData(_("The end date must be after the start date."), field="end")
    # A window that has already ended can match no need; saying so beats silently storing it.
    if end < utcnow().date():
        raise InvalidProfileData(
            _("These dates lie wholly in the past: the end must be today or later."), field="end"
        )
    window = AvailabilityWindow(start=start, end=end)
    profile.windows.append(window)
    refresh_content_hash(profile)
    return window


def remove_window(profile: Profile, window_id: int) -> None:
    profile.windows.remove(_owned(profile.windows, window_id))
    refresh_content_hash(profile)


# --------------------------------------------------------------------------- consent

PROFILE_CONSENTS: tuple[ConsentKind, ...] = (
    ConsentKind.MATCHING,
    ConsentKind.NEWSLETTERS,
    ConsentKind.STATISTICS,
)


def save_consents(profile: Profile, choices: dict[ConsentKind, bool]) -> list[ConsentRecord]:
    """Record each consent whose decision changed (or was never given), with date and version."""
    latest = current_consents(profile.user)
    recorded = []
    for kind in PROFILE_CONSENTS:
        granted = bool(choices.get(kind, False))
        previous = latest.get(kind)
        if previous is None or previous.granted != granted:
            recorded.append(record_consent(profile.user, kind, granted, source="profile"))
    profile.consents_saved = True
    refresh_content_hash(profile)
    return recorded


def consent_history(user: User) -> list[ConsentRecord]:
    """Return every consent decision of the user, newest first."""
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.user_id == user.id)
            .order_by(ConsentRecord.recorded_at.desc(), ConsentRecord.id.desc())
        )
    )


# --------------------------------------------------------------------------- completeness


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    label: str


SECTIONS: tuple[Section, ...] = (
    Section("identity", _l("Identity")),
    Section("location", _l("Where you live")),
    Section("languages", _l("Languages")),
    Section("background", _l("Education and experience")),
    Section("skills", _l("Skills")),
    Section("interests", _l("Sectors, headline and bio")),
    Section("availability", _l("Availability")),
    Section("consent", _l("Contact and consent")),
)
SECTION_KEYS = tuple(s.key for s in SECTIONS)


def section_complete(profile: Profile, key: str) -> bool:
    """Return True when the section holds what a match needs."""
    checks = {
        "identity": lambda: bool(profile.full_name and profile.phone),
        "location": lambda: bool(profile.country and profile.city and profile.tie_to_rwanda),
        "languages": lambda: bool(profile.languages),
        "background": lambda: bool(profile.education or profile.experience),
        "skills": lambda: bool(profile.skills),
        "interests": lambda: bool(profile.headline and profile.sectors),
        "availability": lambda: bool(profile.availability_saved and profile.mode),
        "consent": lambda: profile.consents_saved,
    }
    return bool(checks[key]())


def missing_sections(profile: Profile) -> list[Section]:
    return [s for s in SECTIONS if not section_complete(profile, s.key)]


def completeness(profile: Profile) -> int:
    """Return how complete the profile is, in percent."""
    done = len(SECTIONS) - len(missing_sections(profile))
    return round(100 * done / len(SECTIONS))


def next_section(current: str | None, profile: Profile) -> str | None:
    """Return the wizard step after current (or the first unfinished one), None when done."""
    if current is None:
        missing = missing_sections(profile)
        return missing[0].key if missing else None
    index = SECTION_KEYS.index(current)
    return SECTION_KEYS[index + 1] if index + 1 < len(SECTION_KEYS) else None


# --------------------------------------------------------------------------- freshness


def _months(months: int) -> timedelta:
    return timedelta(days=round(months * 30.44))


def reconfirmation_due(profile: Profile, now: datetime | None = None) -> bool:
    """True when the member should confirm their availability again."""
    months = int(current_app.config["PROFILE_RECONFIRM_MONTHS"])
    return (now or utcnow()) - profile.last_confirmed_at >= _months(months)


def confirm_availability(profile: Profile, now: datetime | None = None) -> Profile:
    """The member says their availability is still true."""
    profile.last_confirmed_at = now or utcnow()
    profile.reconfirm_requested_at = profile.reconfirm_reminded_at = None
    profile.is_confirmed = True
    db.session.flush()
    refresh_content_hash(profile)
    return profile


def reconfirm_token(profile: Profile) -> str:
    return make_token(RECONFIRM_TOKEN_PURPOSE, {"profile_id": profile.id})


def confirm_by_token(token: str, now: datetime | None = None) -> Profile:
    """Confirm from the emailed link; raises InvalidToken or NotFound."""
    grace = int(current_app.config["PROFILE_RECONFIRM_GRACE_DAYS"])
    payload = read_token(RECONFIRM_TOKEN_PURPOSE, token, timedelta(days=grace * 4))
    profile = db.session.get(Profile, payload.get("profile_id"))
    if profile is None or not profile.user.is_enabled:
        raise NotFound(_("This profile no longer exists."))
    return confirm_availability(profile, now)


def _external_url(endpoint: str, **values: Any) -> str:
    """Absolute URL in a request, or from APP_BASE_URL when run by the CLI or the worker."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = urlsplit(str(current_app.config["APP_BASE_URL"]))
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def _send_reconfirmation(profile: Profile, *, reminder: bool) -> bool:
    link = _external_url("profiles.confirm_link", token=reconfirm_token(profile))
    # The template lives with the feature (templates/profiles/mail/), so render_email's
    # mail/ folder is bypassed; the locale handling is the same.
    with force_locale(profile.user.locale or "en"):
        subject = (
            _("Reminder: is your Umuhuza availability still right?")
            if reminder
            else _("Is your Umuhuza availability still right?")
        )
        text = render_template(
            "profiles/mail/reconfirm.txt", profile=profile, link=link, reminder=reminder
        )
    try:
        send_email(OutgoingEmail(to=profile.user.email, subject=subject, text=text))
    except MailDeliveryError:
        current_app.logger.warning("Reconfirmation email to profile %s failed", profile.id)
        return False
    return True


def _active_profiles() -> Any:
    return (
        select(Profile)
        .join(User, User.id == Profile.user_id)
        .where(User.is_enabled.is_(True), Profile.merged_into_id.is_(None))
    )


def send_reconfirmation_requests(now: datetime) -> dict[str, int]:
    """Email members whose confirmation is due, and remind those who have not answered."""
    months = int(current_app.config["PROFILE_RECONFIRM_MONTHS"])
    grace = timedelta(days=int(current_app.config["PROFILE_RECONFIRM_GRACE_DAYS"]))
    sent = {"requests": 0, "reminders": 0}
    due = db.session.scalars(
        _active_profiles().where(
            Profile.last_confirmed_at <= now - _months(months),
            Profile.reconfirm_requested_at.is_(None),
        )
    ).all()
    for profile in due:
        if _send_reconfirmation(profile, reminder=False):
            profile.reconfirm_requested_at = now
            sent["requests"] += 1
    to_remind = db.session.scalars(
        _active_profiles().where(
            Profile.reconfirm_requested_at <= now - grace,
            Profile.reconfirm_reminded_at.is_(None),
        )
    ).all()
    for profile in to_remind:
        if _send_reconfirmation(profile, reminder=True):
            profile.reconfirm_reminded_at = now
            sent["reminders"] += 1
    db.session.flush()
    return sent


def mark_unconfirmed(now: datetime) -> int:
    """Mark "unconfirmed" the members who did not answer within the grace after a reminder."""
    grace = timedelta(days=int(current_app.config["PROFILE_RECONFIRM_GRACE_DAYS"]))
    stale = db.session.scalars(
        _active_profiles().where(
            Profile.reconfirm_reminded_at <= now - grace, Profile.is_confirmed.is_(True)
        )
    ).all()
    for profile in stale:
        profile.is_confirmed = False
        refresh_content_hash(profile)
    return len(stale)


# --------------------------------------------------------------------------- duplicates


def _name_key(name: str) -> str:
    return " ".join(sorted(vocabulary.normalise_skill(name).split()))


def detect_duplicates(profile: Profile) -> list[DuplicateCandidate]:
    """Record a DuplicateCandidate for each other profile with the same name and birth year, or
    the same phone number."""
    conditions = []
    if profile.phone:
        conditions.append(Profile.phone == profile.phone)
    if profile.birth_year and profile.full_name:
        conditions.append(Profile.birth_year == profile.birth_year)
    if not conditions:
        return []
    others = db.session.scalars(
        _active_profiles().where(Profile.id != profile.id, or_(*conditions))
    ).all()
    created = []
    for other in others:
        if profile.phone and other.phone == profile.phone:
            reason = "phone"
        elif _name_key(other.full_name) == _name_key(profile.full_name):
            reason = "name_and_birth_year"
        else:
            continue
        low, high = sorted((profile.id, other.id))
        exists = db.session.scalar(
            select(DuplicateCandidate).where(
                DuplicateCandidate.profile_id == low, DuplicateCandidate.other_profile_id == high
            )
        )
        if exists is None:
            candidate = DuplicateCandidate(profile_id=low, other_profile_id=high, reason=reason)
            db.session.add(candidate)
            created.append(candidate)
    db.session.flush()
    return created


def list_open_duplicates() -> list[DuplicateCandidate]:
    return list(
        db.session.scalars(
            select(DuplicateCandidate)
            .where(DuplicateCandidate.status == DuplicateStatus.OPEN)
            .order_by(DuplicateCandidate.created_at)
        )
    )


def _resolve(candidate: DuplicateCandidate, status: DuplicateStatus, staff: User) -> None:
    if candidate.status != DuplicateStatus.OPEN:
        raise InvalidProfileData(_("This possible duplicate was already handled."))
    candidate.status = status
    candidate.resolved_at = utcnow()
    candidate.resolved_by_id = staff.id


def dismiss_duplicate(candidate: DuplicateCandidate, *, staff: User) -> None:
    """Staff decide the two profiles are different people."""
    _resolve(candidate, DuplicateStatus.DISMISSED, staff)
    db.session.flush()


def merge_duplicate(candidate: DuplicateCandidate, *, keep_id: int, staff: User) -> Profile:
    """Keep one profile, move the other's entries to it and disable the other account."""
    if keep_id not in (candidate.profile_id, candidate.other_profile_id):
        raise InvalidProfileData(_("Choose one of the two profiles to keep."), field="keep")
    _resolve(candidate, DuplicateStatus.MERGED, staff)
    keep = candidate.profile if keep_id == candidate.profile_id else candidate.other_profile
    drop = candidate.other_profile if keep is candidate.profile else candidate.profile
    # Re-parenting (child.profile = keep) moves a row without the delete-orphan cascade firing.
    have_skills = {s.name for s in keep.skills}
    have_languages = {lang.code for lang in keep.languages}
    moving: list[Any] = [s for s in drop.skills if s.name not in have_skills]
    moving += [lang for lang in drop.languages if lang.code not in have_languages]
    moving += [*drop.education, *drop.experience, *drop.windows]
    for entry in moving:
        entry.profile = keep
    db.session.flush()
    for field in (
        "phone",
        "birth_year",
        "gender",
        "country",
        "city",
        "timezone",
        "headline",
        "bio",
    ):
        if not getattr(keep, field) and getattr(drop, field):
            setattr(keep, field, getattr(drop, field))
    keep.sectors = list(dict.fromkeys([*(keep.sectors or []), *(drop.sectors or [])]))
    drop.merged_into_id = keep.id
    drop.user.is_enabled = False
    drop.user.session_version += 1
    refresh_content_hash(keep)
    return keep


def is_professional(user: User) -> bool:
    return user.role == Role.PROFESSIONAL
