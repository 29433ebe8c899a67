"""Forms for the data-subject requests."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp


class DeleteAccountForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )
    confirm = BooleanField(
        _l("I understand that my account and my personal data will be deleted for good."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class StaffErasureForm(FlaskForm):
    reference = StringField(
        _l("Request reference"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(
                r"^[A-Za-z0-9/_.-]*$",
                message=_l("Letters, digits and - / _ . only (no names: the log keeps this)."),
            ),
        ],
        description=_l("The number of the member's written request, if any."),
    )
    confirm = BooleanField(
        _l("The member asked for the deletion and I checked it was them."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )
