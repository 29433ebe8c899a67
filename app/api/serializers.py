"""Plain-dict views of models for the JSON API (what each audience may see, nothing more)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.auth.models import User
from app.needs.models import Need
from app.profiles.models import Profile


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def need_summary(need: Need) -> dict[str, Any]:
    """A need as listed publicly: no contact details."""
    return {
        "id": need.id,
        "title": need.title,
        "status": str(need.status),
        "institution": {
            "id": need.institution.id,
            "name": need.institution.name,
            "is_verified": need.institution.is_verified,
        },
        "sector": need.sector,
        "mode": str(need.mode),
        "district": need.district,
        "start_date": _iso(need.start_date),
        "end_date": _iso(need.end_date),
        "application_deadline": _iso(need.application_deadline),
        "skills": [{"name": s.name, "importance": str(s.importance)} for s in need.skills],
        "languages": need.language_codes,
        "language_mode": need.language_mode,  # "all" required together, or "any" one of them
        "published_at": _iso(need.published_at),
    }


def need_detail(need: Need, *, with_contact: bool) -> dict[str, Any]:
    """A need in full; the contact person only when the caller may see it."""
    data = need_summary(need) | {
        "background": need.background,
        "objectives": need.objectives,
        "deliverables": list(need.deliverables or []),
        "success_criteria": need.success_criteria,
        "site": need.site,
        "duration_weeks": need.duration_weeks,
        "hours_per_week": need.hours_per_week,
        "people_needed": need.people_needed,
        "offers": list(need.offers or []),
        "created_at": _iso(need.created_at),
        "updated_at": _iso(need.updated_at),
    }
    if with_contact:
        data["contact"] = {
            "name": need.contact_name,
            "email": need.contact_email,
            "phone": need.contact_phone,
        }
    return data


def account(user: User) -> dict[str, Any]:
    """The signed-in user's own account."""
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "role": str(user.role),
        "locale": user.locale,
        "email_verified": user.is_verified,
        "two_factor_enabled": user.has_two_factor,
        "created_at": _iso(user.created_at),
    }


def own_profile(profile: Profile) -> dict[str, Any]:
    """The professional's own profile (their own data, so contact fields included)."""
    return {
        "id": profile.id,
        "full_name": profile.full_name,
        "preferred_name": profile.preferred_name,
        "gender": str(profile.gender) if profile.gender else None,
        "birth_year": profile.birth_year,
        "phone": profile.phone,
        "country": profile.country,
        "city": profile.city,
        "timezone": profile.timezone,
        "tie_to_rwanda": str(profile.tie_to_rwanda) if profile.tie_to_rwanda else None,
        "headline": profile.headline,
        "bio": profile.bio,
        "sectors": list(profile.sectors or []),
        "availability": {
            "mode": str(profile.mode) if profile.mode else None,
            "hours_per_week": profile.hours_per_week,
            "onsite_weeks": profile.onsite_weeks,
            "willing_to_mentor": profile.willing_to_mentor,
            "open_to_paid": profile.open_to_paid,
            "open_to_unpaid": profile.open_to_unpaid,
            "windows": [{"start": _iso(w.start), "end": _iso(w.end)} for w in profile.windows],
        },
        "languages": [{"code": x.code, "level": x.level} for x in profile.languages],
        "skills": [
            {"name": s.name, "level": str(s.level), "years": s.years} for s in profile.skills
        ],
        "last_updated_at": _iso(profile.last_updated_at),
        "last_confirmed_at": _iso(profile.last_confirmed_at),
    }
