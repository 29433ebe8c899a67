"""Institution forms: shape of input only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import URL, DataRequired, Email, Length, Optional, Regexp

from app.institutions.models import InstitutionType
from app.reference.districts import district_choices
from app.reference.sectors import sector_choices

TYPE_LABELS: dict[str, str] = {
    InstitutionType.MINISTRY_AGENCY: _l("Ministry or government agency"),
    InstitutionType.DISTRICT_AUTHORITY: _l("District or city authority"),
    InstitutionType.PUBLIC_HOSPITAL: _l("Public hospital or health centre"),
    InstitutionType.UNIVERSITY_TVET: _l("University or TVET school"),
    InstitutionType.RESEARCH_INSTITUTE: _l("Research institute"),
    InstitutionType.PRIVATE_COMPANY: _l("Private company"),
    InstitutionType.COOPERATIVE: _l("Cooperative"),
    InstitutionType.NGO: _l("NGO"),
}


def type_label(value: str) -> str:
    """Return the translated label of an institution type."""
    return str(TYPE_LABELS.get(value, value))


def grouped_district_choices(blank: str) -> list[SelectChoice]:
    """Return the 30 districts grouped by province (rendered as <optgroup>), after a blank."""
    choices = [SelectChoice("", blank)]
    for province, districts in district_choices():
        choices.extend(
            SelectChoice(slug, label, optgroup=str(province)) for slug, label in districts
        )
    return choices


class InstitutionForm(FlaskForm):
    name = StringField(
        _l("Name of the organisation"),
        validators=[DataRequired(message=_l("Enter the organisation's name.")), Length(max=200)],
    )
    type = SelectField(
        _l("Kind of organisation"),
        validators=[DataRequired(message=_l("Choose the kind of organisation."))],
    )
    sector = SelectField(_l("Sector"), validators=[DataRequired(message=_l("Choose a sector."))])
    district = SelectField(
        _l("District"), validators=[DataRequired(message=_l("Choose a district."))]
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    website = StringField(
        _l("Website"),
        validators=[
            Optional(),
            URL(message=_l("Enter a full address, like https://example.rw.")),
            Length(max=300),
        ],
    )
    email_domain = StringField(
        _l("Official email domain"),
        description=_l("The part after @ in your colleagues' work addresses, like moh.gov.rw."),
        validators=[
            DataRequired(message=_l("Enter the official email domain.")),
            Regexp(
                r"^@?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$",
                message=_l("Enter a domain like moh.gov.rw."),
            ),
            Length(max=120),
        ],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.type.choices = [("", _l("Choose…")), *TYPE_LABELS.items()]
        self.sector.choices = [("", _l("Choose…")), *sector_choices()]
        self.district.choices = grouped_district_choices(str(_l("Choose…")))


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Colleague's email"),
        validators=[
            DataRequired(message=_l("Enter an email address.")),
            Email(message=_l("Enter a valid email address."), check_deliverability=False),
            Length(max=254),
        ],
    )


class RejectForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for rejection"),
        validators=[
            DataRequired(message=_l("Say why the organisation is rejected.")),
            Length(max=2000),
        ],
    )


class DirectPublishingForm(FlaskForm):
    can_publish_directly = BooleanField(
        _l("May publish needs directly"),
        description=_l(
            "Its members publish their needs at once; without this, RCA staff review each need."
        ),
    )


class ConfirmForm(FlaskForm):
    """An empty form: CSRF protection for one-button actions."""
