"""Two-factor forms: the code, and the password confirmation to switch it off."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=32)],
        description=_l("The 6-digit code from your authenticator app, or a recovery code."),
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=16)],
        description=_l("After scanning, type the 6-digit code the app shows."),
    )


class DisableTwoFactorForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )
    code = StringField(
        _l("Code"),
        validators=[DataRequired(message=_l("Enter the code.")), Length(max=32)],
    )
