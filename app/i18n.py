"""Locale and time-zone selection: the user's choice, then the session's, then the browser's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app, g, has_request_context, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"en": "English", "fr": "Français", "rw": "Kinyarwanda"}

# Where the platform and its staff work; the zone for anyone whose own zone is unknown.
DEFAULT_TIMEZONE = "Africa/Kigali"


def select_locale() -> str:
    """Return the locale for this request."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return str(current_app.config["BABEL_DEFAULT_LOCALE"])
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in languages:
        return str(chosen)
    return (
        request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    )


def valid_zone(name: str | None) -> str | None:
    """Return name when it is a known IANA zone, else None."""
    if not name:
        return None
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return name


def select_timezone() -> str:
    """Return the zone every date and time on this page is shown in.

    The viewer's profile zone when they have one; institution members and staff have no profile,
    so they (and visitors) see Kigali time, the zone the platform's staff schedule in."""
    if not has_request_context():
        return DEFAULT_TIMEZONE
    if "viewer_timezone" not in g:
        g.viewer_timezone = _profile_zone() or DEFAULT_TIMEZONE
    return str(g.viewer_timezone)


def _profile_zone() -> str | None:
    if not (current_user and current_user.is_authenticated):
        return None
    from sqlalchemy import select

    from app.extensions import db
    from app.profiles.models import Profile

    zone = db.session.scalar(select(Profile.timezone).where(Profile.user_id == current_user.id))
    return valid_zone(zone)


def in_zone(moment: datetime, zone: str) -> datetime:
    """Return an instant (naive means UTC, as stored) as wall-clock time in zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(zone))


def local_to_utc(wall_clock: datetime, zone: str) -> datetime:
    """Interpret a naive date-time typed in a form as wall-clock time in zone; return it in UTC.

    A time skipped by a spring-forward gap is read with the offset before the gap and a time
    repeated at fall-back as its first occurrence (fold=0), as zoneinfo does."""
    return wall_clock.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def format_kigali_and_utc(moment: datetime | None) -> str:
    """Return an instant as Kigali time and UTC side by side, for staff who schedule sends."""
    if moment is None:
        return ""
    from babel.dates import format_datetime
    from flask_babel import get_locale
    from flask_babel import gettext as _

    locale = get_locale() or "en"
    kigali = format_datetime(
        in_zone(moment, DEFAULT_TIMEZONE),
        "medium",
        tzinfo=ZoneInfo(DEFAULT_TIMEZONE),
        locale=locale,
    )
    utc = format_datetime(in_zone(moment, "UTC"), "medium", tzinfo=ZoneInfo("UTC"), locale=locale)
    return _("%(kigali)s Kigali time (%(utc)s UTC)", kigali=kigali, utc=utc)
