"""Staff administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.auth.forms import EMAIL_VALIDATORS, PasswordPolicy
from app.security import MAX_RECORD_ID


class CreateStaffForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = StringField(_l("Email"), validators=EMAIL_VALIDATORS)
    role = RadioField(
        _l("Role"),
        choices=[("rca_staff", _l("RCA staff")), ("admin", _l("Administrator"))],
        default="rca_staff",
        validators=[InputRequired()],
    )
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), PasswordPolicy()],
        description=_l("Give it to the person in a safe way; they can change it after logging in."),
    )


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Email or name"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[
            ("", _l("Any role")),
            ("professional", _l("Professional")),
            ("institution_member", _l("Institution member")),
            ("rca_staff", _l("RCA staff")),
            ("admin", _l("Administrator")),
        ],
        validators=[Optional()],
    )


class ChangeRoleForm(FlaskForm):
    role = SelectField(
        _l("New role"),
        choices=[
            ("professional", _l("Professional")),
            ("institution_member", _l("Institution member")),
            ("rca_staff", _l("RCA staff")),
            ("admin", _l("Administrator")),
        ],
        validators=[InputRequired()],
    )


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form

    actor = StringField(_l("Actor email"), validators=[Optional(), Length(max=254)])
    action = StringField(_l("Action"), validators=[Optional(), Length(max=64)])
    target_type = StringField(_l("Target type"), validators=[Optional(), Length(max=64)])
    target_id = IntegerField(
        _l("Target id"), validators=[Optional(), NumberRange(min=0, max=MAX_RECORD_ID)]
    )
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Until"), validators=[Optional()])
