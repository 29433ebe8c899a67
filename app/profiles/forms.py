"""Profile forms: the shape of input (required, length, format, choices); rules live in services."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.profiles.models import Gender, SkillLevel, TieToRwanda, WorkMode
from app.reference.countries import country_choices
from app.reference.languages import language_choices, level_choices
from app.reference.sectors import sector_choices

# Shown on every free-text field: the profile must not collect special-category data.
SENSITIVE_HINT = _l(
    "Please do not mention ethnicity, social origin, political opinions, religion, health or "
    "family: we do not need them and they will not be used."
)
INTEGER_MESSAGE = _l("Enter a whole number.")


def with_hint(text: LazyString) -> LazyString:
    """A field description followed by the sensitive-data hint (both translated lazily)."""
    return LazyString(lambda: f"{text} {SENSITIVE_HINT}")


DATE_MESSAGE = _l("Enter a date like 2027-03-31.")


def _country_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *country_choices()]


# Callables, so each form lists the names in the language of the request that builds it.
def _any_country() -> list[tuple[str, str]]:
    return _country_choices("")


def _languages() -> list[tuple[str, str]]:
    return language_choices()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class IdentityForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter your full name.")), Length(max=200)],
    )
    preferred_name = StringField(
        _l("Preferred name"),
        validators=[Optional(), Length(max=100)],
        description=with_hint(_l("What you like to be called, if different.")),
    )
    gender = SelectField(
        _l("Gender (optional)"),
        choices=[
            ("", _l("— Not answered —")),
            (Gender.FEMALE.value, _l("Female")),
            (Gender.MALE.value, _l("Male")),
            (Gender.PREFER_NOT_TO_SAY.value, _l("Prefer not to say")),
        ],
        validators=[Optional()],
        description=_l(
            "Used only for anonymous, aggregate reporting; never shown to institutions."
        ),
    )
    birth_year = IntegerField(
        _l("Year of birth (optional)"),
        validators=[Optional()],
    )
    phone = StringField(
        _l("Phone"),
        validators=[DataRequired(message=_l("Enter your phone number.")), Length(max=40)],
        description=_l("International format with the country code, like +1 514 555 0199."),
    )
    photo = FileField(_l("Photo (optional)"), description=_l("JPEG or PNG, at most 2 MB."))
    remove_photo = BooleanField(_l("Remove my photo"))


class LocationForm(FlaskForm):
    country = SelectField(
        _l("Country of residence"),
        choices=_any_country,
        validators=[DataRequired(message=_l("Choose a country."))],
    )
    city = StringField(
        _l("City"),
        validators=[DataRequired(message=_l("Enter your city.")), Length(max=120)],
        description=SENSITIVE_HINT,
    )
    timezone = StringField(
        _l("Time zone"),
        validators=[Optional(), Length(max=64)],
        description=_l("Filled in from your country when left empty, e.g. America/Toronto."),
    )
    tie_to_rwanda = RadioField(
        _l("Your tie to Rwanda"),
        choices=[
            (TieToRwanda.CITIZEN.value, _l("Rwandan citizen")),
            (TieToRwanda.RWANDAN_ORIGIN.value, _l("Of Rwandan origin")),
            (TieToRwanda.FRIEND.value, _l("Friend of Rwanda")),
        ],
        validators=[InputRequired(message=_l("Choose one."))],
    )
    tie_note = StringField(
        _l("Friend of Rwanda: tell us about your tie (optional)"),
        validators=[Optional(), Length(max=200)],
        description=SENSITIVE_HINT,
    )


class LanguageForm(FlaskForm):
    code = SelectField(_l("Language"), choices=_languages, validate_choice=False)
    other = StringField(
        _l("Or another language"),
        validators=[Optional(), Length(max=80)],
        description=_l(
            "Not in the list? Type its English name or its ISO 639-3 code, e.g. Chiga or cgg."
        ),
    )
    level = SelectField(_l("Level"), choices=level_choices(), validate_choice=False)


class EducationForm(FlaskForm):
    degree = StringField(
        _l("Degree or diploma"),
        validators=[DataRequired(message=_l("Enter the degree or diploma.")), Length(max=120)],
        description=SENSITIVE_HINT,
    )
    field_of_study = StringField(
        _l("Field of study"),
        validators=[Optional(), Length(max=160)],
        description=SENSITIVE_HINT,
    )
    institution = StringField(
        _l("Institution"), validators=[Optional(), Length(max=200)], description=SENSITIVE_HINT
    )
    country = SelectField(
        _l("Country"), choices=_any_country, validators=[Optional()], validate_choice=False
    )
    year = IntegerField(_l("Year obtained"), validators=[Optional()])


class ExperienceForm(FlaskForm):
    title = StringField(
        _l("Job title"),
        validators=[DataRequired(message=_l("Enter the job title.")), Length(max=160)],
        description=SENSITIVE_HINT,
    )
    employer = StringField(
        _l("Employer"), validators=[Optional(), Length(max=200)], description=SENSITIVE_HINT
    )
    # Its own id: the background page shows this form under the education form, whose country
    # select is "country"; a second id="country" left this select without a label.
    country = SelectField(
        _l("Country"),
        choices=_any_country,
        validators=[Optional()],
        validate_choice=False,
        id="experience-country",
    )
    start_date = DateField(_l("Start date"), validators=[Optional()])
    end_date = DateField(
        _l("End date"), validators=[Optional()], description=_l("Leave empty for your current job.")
    )
    description = TextAreaField(
        _l("What you did"), validators=[Optional(), Length(max=2000)], description=SENSITIVE_HINT
    )


class SkillForm(FlaskForm):
    name = StringField(
        _l("Skill"),
        validators=[DataRequired(message=_l("Enter a skill.")), Length(max=120)],
        description=with_hint(_l("Type a skill; we suggest the usual spelling.")),
    )
    level = SelectField(
        _l("Level"),
        choices=[
            (SkillLevel.BEGINNER.value, _l("Beginner")),
            (SkillLevel.INTERMEDIATE.value, _l("Intermediate")),
            (SkillLevel.ADVANCED.value, _l("Advanced")),
            (SkillLevel.EXPERT.value, _l("Expert")),
        ],
        default=SkillLevel.INTERMEDIATE.value,
    )
    years = IntegerField(
        _l("Years of practice"),
        validators=[Optional(), NumberRange(min=0, max=60, message=_l("Between 0 and 60."))],
    )


class InterestsForm(FlaskForm):
    sectors = MultiCheckboxField(
        _l("Sectors you would like to contribute to"), choices=sector_choices()
    )
    headline = StringField(
        _l("Headline"),
        validators=[DataRequired(message=_l("Write one line about what you do.")), Length(max=160)],
        description=with_hint(_l("One line, e.g. “Paediatric nurse and clinical educator”.")),
    )
    bio = TextAreaField(
        _l("Short bio"), validators=[Optional(), Length(max=2000)], description=SENSITIVE_HINT
    )


class AvailabilityForm(FlaskForm):
    mode = RadioField(
        _l("How can you contribute?"),
        choices=[
            (WorkMode.REMOTE.value, _l("Remotely")),
            (WorkMode.ONSITE.value, _l("On site in Rwanda")),
            (WorkMode.BOTH.value, _l("Both")),
        ],
        validators=[InputRequired(message=_l("Choose how you can work."))],
    )
    hours_per_week = IntegerField(
        _l("Hours per week"),
        validators=[Optional(), NumberRange(min=1, max=60, message=_l("Between 1 and 60."))],
    )
    onsite_weeks = IntegerField(
        _l("Longest stay on site (weeks)"),
        validators=[Optional(), NumberRange(min=0, max=104, message=_l("Between 0 and 104."))],
    )
    willing_to_mentor = BooleanField(_l("I am willing to mentor"))
    open_to_paid = BooleanField(_l("Open to paid assignments"))
    open_to_unpaid = BooleanField(_l("Open to unpaid (volunteer) assignments"))


class WindowForm(FlaskForm):
    start = DateField(_l("Available from"), validators=[InputRequired(message=DATE_MESSAGE)])
    end = DateField(_l("Available until"), validators=[InputRequired(message=DATE_MESSAGE)])


class ConsentForm(FlaskForm):
    matching = BooleanField(
        _l("Match me with needs and let institutions contact me through Umuhuza")
    )
    newsletters = BooleanField(_l("Send me RCA newsletters and surveys by email"))
    statistics = BooleanField(_l("Count me in anonymous statistics"))


class CVUploadForm(FlaskForm):
    cv = FileField(_l("Your CV (PDF or Word .docx, at most 5 MB)"))


class ConfirmForm(FlaskForm):
    """A button only (CSRF)."""


class MergeForm(FlaskForm):
    keep = SelectField(_l("Profile to keep"), coerce=int, validate_choice=False)
