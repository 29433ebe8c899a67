"""Outreach forms: the shape of input only (rules live in services)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.outreach.models import AlertFrequency, Channel, ScheduleMode, Topic
from app.outreach.preferences import CHANNEL_LABELS, TOPIC_LABELS
from app.security import record_id


def topic_choices() -> list[tuple[str, Any]]:
    return [(t.value, TOPIC_LABELS[t]) for t in Topic]


class MessageForm(FlaskForm):
    topic = SelectField(_l("Topic"), choices=topic_choices(), validators=[InputRequired()])
    segment_id = SelectField(
        _l("Segment"),
        coerce=lambda v: record_id(str(v)) if v not in (None, "", "None") else None,
        validate_choice=False,
        description=_l("Evaluated again at send time. Without a segment: all professionals."),
    )
    subject = StringField(
        _l("Subject"), validators=[DataRequired(message=_l("Enter a subject.")), Length(max=200)]
    )
    body = TextAreaField(
        _l("Message (Markdown)"),
        validators=[DataRequired(message=_l("Write the message.")), Length(max=20000)],
        description=_l(
            "Placeholders: {first_name}, {full_name}, {country}, {city}, {unsubscribe_url}, "
            "{preferences_url}, {inbox_url}."
        ),
    )
    subject_fr = StringField(_l("Subject in French (optional)"), validators=[Length(max=200)])
    body_fr = TextAreaField(_l("Message in French (optional)"), validators=[Length(max=20000)])
    subject_rw = StringField(_l("Subject in Kinyarwanda (optional)"), validators=[Length(max=200)])
    body_rw = TextAreaField(_l("Message in Kinyarwanda (optional)"), validators=[Length(max=20000)])
    links = TextAreaField(
        _l("Links (optional)"),
        validators=[Length(max=5000)],
        description=_l("One per line: Label | https://address"),
    )


class ScheduleForm(FlaskForm):
    mode = RadioField(
        _l("When"),
        choices=[
            (ScheduleMode.NOW.value, _l("Send now")),
            (ScheduleMode.AT.value, _l("At a date and time (Kigali time)")),
            (
                ScheduleMode.LOCAL_TIME.value,
                _l("On a day, at a time in each member's own time zone"),
            ),
        ],
        default=ScheduleMode.NOW.value,
        validators=[InputRequired(message=_l("Choose when to send."))],
    )
    send_at = DateTimeLocalField(
        _l("Date and time (Kigali)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l(
            "Kigali time (UTC+2, no daylight saving time). Once scheduled, this page shows the "
            "moment in Kigali time and in UTC."
        ),
    )
    local_date = DateField(_l("Day"), validators=[Optional()])
    local_time = TimeField(_l("Local time"), default=None, validators=[Optional()])


class PreviewAsForm(FlaskForm):
    class Meta:
        csrf = False

    user_id = SelectField(_l("Preview as"), coerce=int, validate_choice=False)


class ConfirmForm(FlaskForm):
    """A button-only form (CSRF token)."""


class SegmentForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the segment a name.")), Length(max=120)],
    )
    countries = SelectMultipleField(_l("Countries of residence"), validate_choice=False)
    cities = StringField(_l("Cities"), description=_l("Separate with commas."))
    sectors = SelectMultipleField(_l("Sectors"), validate_choice=False)
    skills = StringField(
        _l("Skills"),
        description=_l(
            "Separate with commas; similar skills match too (“ML” finds “machine learning”)."
        ),
    )
    languages = SelectMultipleField(_l("Languages"), validate_choice=False)
    modes = SelectMultipleField(
        _l("Availability mode"),
        choices=[("remote", _l("Remote")), ("onsite", _l("On site")), ("both", _l("Both"))],
        validate_choice=False,
    )
    genders = SelectMultipleField(
        _l("Gender"),
        choices=[
            ("female", _l("Female")),
            ("male", _l("Male")),
            ("prefer_not_to_say", _l("Prefer not to say")),
        ],
        validate_choice=False,
    )
    min_completeness = IntegerField(
        _l("Profile at least this complete (%)"), validators=[Optional(), NumberRange(0, 100)]
    )
    registered_from = DateField(_l("Registered from"), validators=[Optional()])
    registered_to = DateField(_l("Registered until"), validators=[Optional()])
    placement = SelectField(
        _l("Placement history"),
        choices=[
            ("any", _l("Any")),
            ("never", _l("Never placed")),
            ("placed", _l("Placed")),
            ("completed", _l("Completed a placement")),
        ],
        default="any",
    )

    def filters(self) -> dict[str, Any]:
        return {
            "countries": self.countries.data,
            "cities": self.cities.data or "",
            "sectors": self.sectors.data,
            "skills": self.skills.data or "",
            "languages": self.languages.data,
            "modes": self.modes.data,
            "genders": self.genders.data,
            "min_completeness": self.min_completeness.data,
            "registered_from": self.registered_from.data,
            "registered_to": self.registered_to.data,
            "placement": self.placement.data,
        }

    def load(self, filters: dict[str, Any]) -> None:
        for key in ("countries", "sectors", "languages", "modes", "genders"):
            getattr(self, key).data = filters.get(key, [])
        self.cities.data = ", ".join(filters.get("cities", []))
        self.skills.data = ", ".join(filters.get("skills", []))
        self.min_completeness.data = filters.get("min_completeness")
        self.placement.data = filters.get("placement", "any")


class PreferenceForm(FlaskForm):
    frequency = RadioField(
        _l("Opportunity emails"),
        choices=[
            (AlertFrequency.IMMEDIATE.value, _l("One email per matching opportunity")),
            (AlertFrequency.WEEKLY.value, _l("A weekly digest")),
        ],
        default=AlertFrequency.IMMEDIATE.value,
    )


def preference_form_class() -> type[PreferenceForm]:
    """A PreferenceForm with one checkbox per topic × channel (named topic__channel)."""

    class _Form(PreferenceForm):
        pass

    for topic in Topic:
        for channel in Channel:
            setattr(
                _Form,
                f"{topic.value}__{channel.value}",
                BooleanField(f"{TOPIC_LABELS[topic]} — {CHANNEL_LABELS[channel]}"),
            )
    return _Form


class ConversationForm(FlaskForm):
    need_id = SelectField(
        _l("About the need"),
        coerce=lambda v: record_id(str(v)) if v not in (None, "", "None") else None,
        validate_choice=False,
        description=_l("Institutions write to a professional about one of their needs."),
    )
    subject = StringField(
        _l("Subject"), validators=[DataRequired(message=_l("Enter a subject.")), Length(max=200)]
    )
    body = TextAreaField(
        _l("Message"), validators=[DataRequired(message=_l("Write a message.")), Length(max=10000)]
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Reply"), validators=[DataRequired(message=_l("Write a message.")), Length(max=10000)]
    )
