"""The API's profile update: JSON in, the profile services' validation, per-field errors out."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.errors import DomainError
from app.profiles import services as profiles
from app.profiles.models import Profile

INTEREST_FIELDS = ("headline", "bio")
AVAILABILITY_FIELDS = (
    "mode",
    "hours_per_week",
    "onsite_weeks",
    "willing_to_mentor",
    "open_to_paid",
    "open_to_unpaid",
)
# Only these keys are read; anything else (role, is_verified, user_id...) is ignored.
EDITABLE_FIELDS = INTEREST_FIELDS + AVAILABILITY_FIELDS


class InvalidPayload(DomainError):
    """The JSON body has errors; `errors` maps each field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("Some fields are not valid."))
        self.errors = errors


def _check_types(payload: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name in INTEREST_FIELDS:
        if name in payload and not isinstance(payload[name], str):
            errors[name] = _("Enter text.")
    if "mode" in payload and not isinstance(payload["mode"], str):
        errors["mode"] = _("Choose how you can work.")
    for name in ("hours_per_week", "onsite_weeks"):
        value = payload.get(name)
        if (
            name in payload
            and value is not None
            and (isinstance(value, bool) or not isinstance(value, int))
        ):
            errors[name] = _("Enter a whole number.")
    for name in ("willing_to_mentor", "open_to_paid", "open_to_unpaid"):
        if name in payload and not isinstance(payload[name], bool):
            errors[name] = _("Use true or false.")
    headline = payload.get("headline")
    if isinstance(headline, str) and not headline.strip():
        errors["headline"] = _("Write one line about what you do.")
    return errors


def update_profile_from_json(profile: Profile, payload: dict[str, Any]) -> list[str]:
    """Apply the editable fields present in payload; return the ignored keys (flushes).

    Raises InvalidPayload with every field error found; the caller rolls back.
    """
    ignored = sorted(key for key in payload if key not in EDITABLE_FIELDS)
    errors = _check_types(payload)
    if errors:
        raise InvalidPayload(errors)
    if any(name in payload for name in INTEREST_FIELDS):
        try:
            profiles.save_interests(
                profile,
                sectors=list(profile.sectors or []),
                headline=payload.get("headline", profile.headline),
                bio=payload.get("bio", profile.bio),
            )
        except profiles.InvalidProfileData as error:
            errors[error.field or "headline"] = error.message
    if any(name in payload for name in AVAILABILITY_FIELDS):
        current = {
            "mode": str(profile.mode) if profile.mode else "",
            "hours_per_week": profile.hours_per_week,
            "onsite_weeks": profile.onsite_weeks,
            "willing_to_mentor": profile.willing_to_mentor,
            "open_to_paid": profile.open_to_paid,
            "open_to_unpaid": profile.open_to_unpaid,
        }
        values = current | {k: payload[k] for k in AVAILABILITY_FIELDS if k in payload}
        try:
            profiles.save_availability(profile, **values)
        except profiles.InvalidProfileData as error:
            errors[error.field or "mode"] = error.message
    if errors:
        raise InvalidPayload(errors)
    return ignored
