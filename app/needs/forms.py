"""Need forms: shape of input and the cross-field rules a member must see next to each field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.institutions.forms import grouped_district_choices
from app.needs.models import Importance, NeedMode, NeedStatus, Offer
from app.reference.languages import language_choices
from app.reference.sectors import sector_choices

MODE_LABELS: dict[str, str] = {
    NeedMode.REMOTE: _l("Remote"),
    NeedMode.ONSITE: _l("On-site in Rwanda"),
    NeedMode.HYBRID: _l("Hybrid (remote and on-site)"),
}
IMPORTANCE_LABELS: dict[str, str] = {
    Importance.MUST: _l("Must have"),
    Importance.NICE: _l("Nice to have"),
}
OFFER_LABELS: dict[str, str] = {
    Offer.TRAVEL: _l("Travel"),
    Offer.ACCOMMODATION: _l("Accommodation"),
    Offer.STIPEND: _l("Stipend"),
    Offer.NONE: _l("Nothing (the work is voluntary)"),
}
STATUS_LABELS: dict[str, str] = {
    NeedStatus.DRAFT: _l("Draft"),
    NeedStatus.SUBMITTED: _l("Submitted for review"),
    NeedStatus.OPEN: _l("Open"),
    NeedStatus.FILLED: _l("Filled"),
    NeedStatus.CLOSED: _l("Closed"),
    NeedStatus.EXPIRED: _l("Expired"),
}

TEXT_MAX = 5000
# Marks a language multi-select for app/static/js/language-picker.js, with the words it shows.
LANGUAGE_PICKER: dict[str, Any] = {
    "data-language-picker": "",
    "data-filter-label": _l("Type to filter languages"),
    "data-remove-label": _l("Remove %s"),
    "data-none-label": _l("No language matches."),
    "data-chosen-label": _l("Chosen languages"),
}
MAX_DELIVERABLES = 20
MAX_SKILLS = 25


class SkillEntryForm(Form):
    name = StringField(_l("Skill"), validators=[Optional(), Length(max=120)])
    importance = SelectField(
        _l("Importance"), choices=list(IMPORTANCE_LABELS.items()), default=Importance.MUST
    )


class NeedForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Give the need a title.")), Length(max=200)],
    )
    background = TextAreaField(
        _l("Background"),
        description=_l("The context: your institution, the situation, why this need exists."),
        validators=[DataRequired(message=_l("Describe the background.")), Length(max=TEXT_MAX)],
    )
    objectives = TextAreaField(
        _l("Objectives"),
        validators=[DataRequired(message=_l("Describe the objectives.")), Length(max=TEXT_MAX)],
    )
    deliverables = FieldList(
        StringField(_l("Deliverable"), validators=[Optional(), Length(max=500)]),
        min_entries=1,
        max_entries=MAX_DELIVERABLES,
    )
    success_criteria = TextAreaField(
        _l("What success looks like"), validators=[Optional(), Length(max=TEXT_MAX)]
    )
    required_skills = FieldList(FormField(SkillEntryForm), min_entries=1, max_entries=MAX_SKILLS)
    sector = SelectField(_l("Sector"), validators=[DataRequired(message=_l("Choose a sector."))])
    mode = RadioField(
        _l("Mode"),
        choices=list(MODE_LABELS.items()),
        validators=[InputRequired(message=_l("Choose remote, on-site or hybrid."))],
    )
    district = SelectField(
        _l("District"),
        description=_l("Required for on-site and hybrid work."),
        # No Optional(): it would stop the chain before validate_district sees an empty value.
        validators=[],
    )
    site = StringField(
        _l("Site"),
        description=_l("The hospital, campus or office where the work takes place."),
        validators=[Optional(), Length(max=200)],
    )
    start_date = DateField(
        _l("Earliest start"),
        validators=[InputRequired(message=_l("Enter the earliest start date."))],
    )
    end_date = DateField(
        _l("Latest end"), validators=[InputRequired(message=_l("Enter the latest end date."))]
    )
    duration_weeks = IntegerField(
        _l("Expected duration (weeks)"),
        validators=[Optional(), NumberRange(min=1, max=104, message=_l("Between 1 and 104."))],
    )
    hours_per_week = IntegerField(
        _l("Hours per week"),
        validators=[Optional(), NumberRange(min=1, max=80, message=_l("Between 1 and 80."))],
    )
    languages = SelectMultipleField(
        _l("Languages required"),
        validators=[Optional()],
        # data-language-picker: app/static/js/language-picker.js adds a filter box and chips.
        render_kw={"size": 6, **LANGUAGE_PICKER},
    )
    language_mode = RadioField(
        _l("Candidates must speak"),
        choices=[
            ("all", _l("All of these languages")),
            ("any", _l("At least one of these languages")),
        ],
        default="all",
        # A post without the field (older clients) keeps the default "all".
        validators=[Optional()],
    )
    people_needed = IntegerField(
        _l("Number of people needed"),
        default=1,
        validators=[
            InputRequired(message=_l("How many people are needed?")),
            NumberRange(min=1, max=50, message=_l("Between 1 and 50.")),
        ],
    )
    offers = SelectMultipleField(
        _l("What your institution offers"),
        choices=list(OFFER_LABELS.items()),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[Optional()],
    )
    contact_name = StringField(
        _l("Contact person"),
        description=_l("Never shown publicly: only RCA staff and your colleagues see it."),
        validators=[DataRequired(message=_l("Enter the contact person.")), Length(max=200)],
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[
            DataRequired(message=_l("Enter the contact email.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )
    contact_phone = StringField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    application_deadline = DateField(_l("Application deadline"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", _l("Choose…")), *sector_choices()]
        self.district.choices = grouped_district_choices(str(_l("Choose…")))
        self.languages.choices = language_choices()

    def validate_end_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date must be on or after the start date."))

    def validate_application_deadline(self, field: DateField) -> None:
        if field.data and self.end_date.data and field.data > self.end_date.data:
            raise ValidationError(_l("The application deadline must be on or before the end date."))

    def validate_required_skills(self, field: FieldList) -> None:
        if not any((entry.form.name.data or "").strip() for entry in field.entries):
            raise ValidationError(_l("Add at least one required skill."))

    def validate_district(self, field: SelectField) -> None:
        if self.mode.data in (NeedMode.ONSITE, NeedMode.HYBRID) and not field.data:
            raise ValidationError(_l("Choose the district where the work takes place."))

    def validate_offers(self, field: SelectMultipleField) -> None:
        if field.data and Offer.NONE in field.data and len(field.data) > 1:
            raise ValidationError(_l("“Nothing” cannot be combined with other offers."))

    @property
    def skill_errors(self) -> list[str]:
        """Errors of the skills list itself (not of one row)."""
        return [str(e) for e in self.required_skills.errors if not isinstance(e, (list, dict))]

    def apply_list_action(self, action: str) -> bool:
        """Add or remove a deliverable or skill row (buttons that work without JavaScript).

        Return True when the action was a list action (the form is then re-rendered, not saved).
        """
        name, _sep, index = action.partition(":")
        lists = {"deliverable": self.deliverables, "skill": self.required_skills}
        verb, _sep, which = name.partition("_")
        target = lists.get(which)
        if target is None or verb not in {"add", "remove"}:
            return False
        if verb == "add":
            if len(target.entries) < (target.max_entries or 50):
                target.append_entry()
        elif index.isdigit():
            position = int(index)
            if 0 <= position < len(target.entries) and len(target.entries) > 1:
                del target.entries[position]
        return True


class ReturnForm(FlaskForm):
    comment = TextAreaField(
        _l("What should the institution change?"),
        validators=[
            DataRequired(message=_l("Tell the institution what to change.")),
            Length(max=2000),
        ],
    )


class ConfirmForm(FlaskForm):
    """An empty form: CSRF protection for one-button actions."""


class BrowseForm(Form):
    """The GET filters of /needs/ (no CSRF: nothing changes)."""

    q = StringField(_l("Search"), validators=[Optional(), Length(max=200)])
    sector = SelectField(_l("Sector"), validators=[Optional()])
    mode = SelectField(_l("Mode"), validators=[Optional()])
    district = SelectField(_l("District"), validators=[Optional()])
    available_from = DateField(_l("Available from"), validators=[Optional()])
    available_to = DateField(_l("Available until"), validators=[Optional()])
    languages = SelectMultipleField(
        _l("Languages"), validators=[Optional()], render_kw={"size": 4, **LANGUAGE_PICKER}
    )
    skills = StringField(
        _l("Skills"),
        description=_l("Separate several skills with commas."),
        validators=[Optional(), Length(max=300)],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sector.choices = [("", _l("Any sector")), *sector_choices()]
        self.mode.choices = [("", _l("Any mode")), *MODE_LABELS.items()]
        self.district.choices = grouped_district_choices(str(_l("Any district")))
        self.languages.choices = language_choices()
