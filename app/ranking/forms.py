"""The GET filters of a need's ranked candidates (no CSRF: nothing changes)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, SelectField
from wtforms.fields import DateField
from wtforms.validators import Optional, ValidationError

from app.reference.countries import country_choices
from app.reference.languages import language_choices


class CandidateFilterForm(Form):
    """Country, language, availability mode and dates; applied without re-encoding."""

    country = SelectField(_l("Country"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    mode = SelectField(_l("Availability mode"), validators=[Optional()])
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_to = DateField(_l("Available until"), validators=[Optional()])
    balanced = BooleanField(
        _l("Balanced shortlist (every gender with a qualified candidate in the top 10)")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.country.choices = [("", _l("Any country")), *country_choices()]
        self.language.choices = [("", _l("Any language")), *language_choices()]
        self.mode.choices = [
            ("", _l("Any mode")),
            ("remote", _l("Remote")),
            ("onsite", _l("On site")),
        ]

    def validate_available_to(self, field: DateField) -> None:
        start = self.available_from.data
        if field.data and start and field.data < start:
            raise ValidationError(_l("The end date must be on or after the start date."))


class ShortlistForm(FlaskForm):
    """CSRF protection for the Shortlist / Invite buttons."""
