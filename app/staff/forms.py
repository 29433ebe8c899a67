"""Staff administration forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from app.auth.forms import EMAIL_VALIDATORS, PasswordPolicy


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
