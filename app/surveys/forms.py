"""Staff forms of the survey builder (answers are parsed by services.parse_answer)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FloatField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.surveys.models import AudienceKind, QuestionKind

QUESTION_KIND_LABELS = {
    QuestionKind.SINGLE: _l("Single choice"),
    QuestionKind.MULTIPLE: _l("Multiple choice"),
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.RATING: _l("Rating 1–5"),
    QuestionKind.NUMBER: _l("Number"),
    QuestionKind.DATE: _l("Date"),
    QuestionKind.YES_NO: _l("Yes / no"),
    QuestionKind.COUNTRY: _l("Country"),
}

AUDIENCE_LABELS = {
    AudienceKind.ALL: _l("All members"),
    AudienceKind.SEGMENT: _l("A saved segment"),
    AudienceKind.PLACEMENTS: _l("Participants of given placements"),
}


# Survey times are typed in UTC; staff think in Kigali time, so the hint gives the offset and the
# survey page shows both zones for the saved moment.
_ZONE_HINT = _l(
    "Typed in UTC: Kigali time is UTC+2 (14:00 in Kigali is 12:00 UTC). The survey page shows "
    "the saved moment in Kigali time and in UTC."
)


class SurveyForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    intro = TextAreaField(_l("Introduction"), validators=[Length(max=5000)])
    thank_you = TextAreaField(_l("Thank-you text"), validators=[Length(max=5000)])
    title_fr = StringField(_l("Title (French)"), validators=[Length(max=200)])
    intro_fr = TextAreaField(_l("Introduction (French)"), validators=[Length(max=5000)])
    thank_you_fr = TextAreaField(_l("Thank-you text (French)"), validators=[Length(max=5000)])
    title_rw = StringField(_l("Title (Kinyarwanda)"), validators=[Length(max=200)])
    intro_rw = TextAreaField(_l("Introduction (Kinyarwanda)"), validators=[Length(max=5000)])
    thank_you_rw = TextAreaField(_l("Thank-you text (Kinyarwanda)"), validators=[Length(max=5000)])
    opens_at = DateTimeLocalField(
        _l("Opens at (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_ZONE_HINT,
    )
    closes_at = DateTimeLocalField(
        _l("Closes at (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_ZONE_HINT,
    )
    audience_kind = RadioField(
        _l("Audience"),
        choices=[(k.value, label) for k, label in AUDIENCE_LABELS.items()],
        default=AudienceKind.ALL.value,
    )
    segment_id = SelectField(_l("Segment"), coerce=str, choices=[], validate_choice=False)
    placement_ids = StringField(
        _l("Placement numbers"),
        description=_l(
            "Comma-separated placement numbers, for that audience: each placement's professional "
            "and its host supervisor are invited."
        ),
        validators=[Length(max=2000)],
    )
    is_anonymous = BooleanField(
        _l("Anonymous: answers are not linked to members (one-time link per invitee)")
    )
    one_question_per_page = BooleanField(_l("Show one question per page"))


class QuestionForm(FlaskForm):
    kind = SelectField(
        _l("Type"), choices=[(k.value, label) for k, label in QUESTION_KIND_LABELS.items()]
    )
    text = TextAreaField(_l("Question"), validators=[DataRequired(), Length(max=2000)])
    help = TextAreaField(_l("Help text"), validators=[Length(max=2000)])
    is_required = BooleanField(_l("An answer is required"))
    choices_en = TextAreaField(
        _l("Choices"), description=_l("One per line (choice questions only).")
    )
    allow_other = BooleanField(_l("Offer “Other” with a text box"))
    min_value = FloatField(_l("Minimum (number questions)"), validators=[Optional()])
    max_value = FloatField(_l("Maximum (number questions)"), validators=[Optional()])
    condition_question_id = SelectField(
        _l("Show only if this earlier question…"), coerce=str, choices=[], validate_choice=False
    )
    condition_value = StringField(
        _l("…has this answer"),
        description=_l("The choice text, or yes / no."),
        validators=[Length(max=200)],
    )
    text_fr = TextAreaField(_l("Question (French)"), validators=[Length(max=2000)])
    help_fr = TextAreaField(_l("Help text (French)"), validators=[Length(max=2000)])
    choices_fr = TextAreaField(_l("Choices (French)"))
    text_rw = TextAreaField(_l("Question (Kinyarwanda)"), validators=[Length(max=2000)])
    help_rw = TextAreaField(_l("Help text (Kinyarwanda)"), validators=[Length(max=2000)])
    choices_rw = TextAreaField(_l("Choices (Kinyarwanda)"))


class ConfirmForm(FlaskForm):
    """A CSRF-protected button."""
