"""Profile logic: sections, entries, skills, consent, completeness, freshness and duplicates.

Every function flushes and never commits; every profile-changing function ends with
refresh_content_hash(profile) so the matcher knows when to re-embed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import phonenumbers
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
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
from app.reference.countries import is_country
from app.reference.languages import is_language, is_level
from app.reference.sectors import is_sector

MIN_BIRTH_YEAR = 1930
MIN_AGE = 16
MAX_SKILL_YEARS = 60
PHOTO_TYPES = {b"\xff\xd8\xff": ("image/jpeg", "jpg"), b"\x89PNG\r\n\x1a\n": ("image/png", "png")}
RECONFIRM_TOKEN_PURPOSE = "profile-reconfirm"  # noqa: S105 (a token salt, not a secret)


class InvalidProfileData(DomainError):
    """A value the member typed is refused; the message names what to fix."""


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


def _text(value: str | None, limit: int, field: str) -> str:
    cleaned = (value or "").strip()
    if len(cleaned) > limit:
        raise InvalidProfileData(_("Use at most %(n)s characters.", n=limit), field=field)
    return cleaned


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
    """Save the identity section and look for probable duplicates of this person."""
    full_name = _text(full_name, 200, "full_name")
    if not full_name:
        raise InvalidProfileData(_("Enter your full name."), field="full_name")
    this_year = (today or utcnow().date()).year
    if birth_year is not None and not MIN_BIRTH_YEAR <= birth_year <= this_year - MIN_AGE:
        raise InvalidProfileData(
            _(
                "Enter a year of birth between %(first)s and %(last)s.",
                first=MIN_BIRTH_YEAR,
                last=this_year - MIN_AGE,
            ),
            field="birth_year",
        )
    if gender and gender not in set(Gender):
        raise InvalidProfileData(_("Choose one of the options."), field="gender")
    profile.phone = normalise_phone(phone)
    profile.full_name = full_name
    profile.preferred_name = _text(preferred_name, 100, "preferred_name")
    profile.gender = Gender(gender) if gender else None
    profile.birth_year = birth_year
    refresh_content_hash(profile)
    detect_duplicates(profile)
    return profile


def save_photo(profile: Profile, data: bytes) -> Profile:
    """Store a JPEG or PNG photo (checked by content) outside static; replaces any previous one."""
    limit = int(current_app.config["PROFILE_PHOTO_MAX_BYTES"])
    if len(data) > limit:
        raise InvalidProfileData(
            _("The photo is too large: at most %(n)s MB.", n=limit // (1024 * 1024)),
            field="photo",
        )
    kind = next((v for magic, v in PHOTO_TYPES.items() if data.startswith(magic)), None)
    if kind is None or not _is_real_image(data):
        raise InvalidProfileData(_("Choose a JPEG or PNG picture."), field="photo")
    directory = Path(current_app.config["UPLOAD_DIR"]) / "photos"
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.{kind[1]}"
    (directory / name).write_bytes(data)
    remove_photo(profile)
    profile.photo_file, profile.photo_content_type = name, kind[0]
    refresh_content_hash(profile)
    return profile


def _is_real_image(data: bytes) -> bool:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return False
    return True


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


def save_location(
    profile: Profile,
    *,
    country: str,
    city: str,
    timezone: str,
    tie_to_rwanda: str | None,
    tie_note: str = "",
) -> Profile:
    """Save where the member lives and their tie to Rwanda."""
    country = (country or "").upper()
    if not is_country(country):
        raise InvalidProfileData(_("Choose a country from the list."), field="country")
    if timezone and timezone not in available_timezones():
        raise InvalidProfileData(_("Choose a time zone from the list."), field="timezone")
    if tie_to_rwanda and tie_to_rwanda not in set(TieToRwanda):
        raise InvalidProfileData(_("Choose one of the options."), field="tie_to_rwanda")
    from app.reference.countries import default_timezone

    profile.country = country
    profile.city = _text(city, 120, "city")
    profile.timezone = timezone or default_timezone(country) or ""
    profile.tie_to_rwanda = TieToRwanda(tie_to_rwanda) if tie_to_rwanda else None
    profile.tie_note = _text(tie_note, 200, "tie_note")
    refresh_content_hash(profile)
    return profile


# --------------------------------------------------------------------------- languages


def add_language(profile: Profile, code: str, level: str) -> ProfileLanguage:
    """Add a language or change its level when already listed."""
    code = (code or "").strip().lower()
    if not is_language(code):
        raise InvalidProfileData(_("Choose a language from the list."), field="code")
    if not is_level(level):
        raise InvalidProfileData(_("Choose a level from A1 to C2, or native."), field="level")
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


def _check_country(country: str, field: str = "country") -> str:
    country = (country or "").upper()
    if country and not is_country(country):
        raise InvalidProfileData(_("Choose a country from the list."), field=field)
    return country


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
    """Add an education entry, or update it when entry_id is given."""
    degree = _text(degree, 120, "degree")
    if not degree:
        raise InvalidProfileData(_("Enter the degree or diploma."), field="degree")
    if year is not None and not 1940 <= year <= utcnow().year + 6:
        raise InvalidProfileData(
            _("Enter a year between 1940 and %(n)s.", n=utcnow().year + 6), field="year"
        )
    entry = _owned(profile.education, entry_id) if entry_id else Education(degree=degree)
    entry.degree = degree
    entry.field = _text(field_of_study, 160, "field")
    entry.institution = _text(institution, 200, "institution")
    entry.country = _check_country(country)
    entry.year = year
    if entry_id is None:
        profile.education.append(entry)
    refresh_content_hash(profile)
    return entry


def remove_education(profile: Profile, entry_id: int) -> None:
    profile.education.remove(_owned(profile.education, entry_id))
    refresh_content_hash(profile)


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
    """Add a work experience entry, or update it when entry_id is given."""
    title = _text(title, 160, "title")
    if not title:
        raise InvalidProfileData(_("Enter the job title."), field="title")
    if start_date and end_date and end_date < start_date:
        raise InvalidProfileData(_("The end date must be after the start date."), field="end_date")
    entry = _owned(profile.experience, entry_id) if entry_id else Experience(title=title)
    entry.title = title
    entry.employer = _text(employer, 200, "employer")
    entry.country = _check_country(country)
    entry.start_date, entry.end_date = start_date, end_date
    entry.description = _text(description, 2000, "description")
    if entry_id is None:
        profile.experience.append(entry)
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


def canonical_skill(text: str) -> str:
    """Return the stored form of a skill: the vocabulary's canonical name, a member's existing
    spelling of the same skill, or the typed text tidied up."""
    typed = " ".join((text or "").split()).lower()
    canonical = vocabulary.canonical_for(typed)
    if canonical:
        return canonical
    key = vocabulary.normalise_skill(typed)
    for existing in list_member_skills():
        if vocabulary.normalise_skill(existing) == key:
            return existing
    return typed


def add_skill(profile: Profile, name: str, level: str, years: int | None) -> SavedSkill:
    """Add a skill (stored in its canonical form) or update its level and years."""
    typed = _text(name, 120, "name")
    if not typed:
        raise InvalidProfileData(_("Enter a skill."), field="name")
    if level not in set(SkillLevel):
        raise InvalidProfileData(_("Choose a level."), field="level")
    years = years or 0
    if not 0 <= years <= MAX_SKILL_YEARS:
        raise InvalidProfileData(
            _("Enter a number of years between 0 and %(n)s.", n=MAX_SKILL_YEARS), field="years"
        )
    canonical = canonical_skill(typed)
    entry = next((s for s in profile.skills if s.name == canonical), None)
    if entry is None:
        entry = ProfileSkill(name=canonical)
        profile.skills.append(entry)
    entry.level, entry.years = SkillLevel(level), years
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
    return vocabulary.suggest(query, limit=limit, extra_terms=list_member_skills())


# --------------------------------------------------------------------------- interests


def save_interests(profile: Profile, *, sectors: list[str], headline: str, bio: str) -> Profile:
    """Save the sectors of interest, the one-line headline and the short bio."""
    unknown = [s for s in sectors if not is_sector(s)]
    if unknown:
        raise InvalidProfileData(_("Choose sectors from the list."), field="sectors")
    profile.sectors = list(dict.fromkeys(sectors))
    profile.headline = _text(headline, 160, "headline")
    profile.bio = _text(bio, 2000, "bio")
    refresh_content_hash(profile)
    return profile


# --------------------------------------------------------------------------- availability


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
    """Save how and how much the member can contribute."""
    if mode not in set(WorkMode):
        raise InvalidProfileData(_("Choose how you can work."), field="mode")
    if hours_per_week is not None and not 1 <= hours_per_week <= 60:
        raise InvalidProfileData(_("Enter between 1 and 60 hours."), field="hours_per_week")
    if onsite_weeks is not None and not 0 <= onsite_weeks <= 104:
        raise InvalidProfileData(_("Enter between 0 and 104 weeks."), field="onsite_weeks")
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
