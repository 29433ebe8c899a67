"""Account forms: shape of input only (required, length, format)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, ValidationError

from app.auth.passwords import password_problem


class PasswordPolicy:
    """At least 10 characters, long passphrases welcome, no composition rules, not a common one."""

    def __call__(self, form: FlaskForm, field: PasswordField) -> None:
        problem = password_problem(field.data or "")
        if problem is not None:
            raise ValidationError(problem)


EMAIL_VALIDATORS = [
    DataRequired(message=_l("Enter your email address.")),
    Email(
        message=_l("Enter a valid email address, like name@example.org."),
        check_deliverability=False,
    ),
    Length(max=254),
]


class SignupForm(FlaskForm):
    account_type = RadioField(
        _l("I am"),
        choices=[
            ("professional", _l("A diaspora professional offering my skills")),
            ("institution_member", _l("Staff of a Rwandan institution looking for skills")),
        ],
        validators=[InputRequired(message=_l("Choose the kind of account."))],
    )
    full_name = StringField(
        _l("Full name"),
        validators=[DataRequired(message=_l("Enter your name.")), Length(max=200)],
    )
    email = EmailField(_l("Email"), validators=EMAIL_VALIDATORS)
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Choose a password.")), PasswordPolicy()],
        description=_l("At least 10 characters. A passphrase of a few words is easy to remember."),
    )
    confirm = PasswordField(
        _l("Repeat password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )
    accept_privacy = BooleanField(
        _l("I have read the privacy notice and agree that Umuhuza processes my data as it says."),
        validators=[DataRequired(message=_l("You need to accept the privacy notice to sign up."))],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=EMAIL_VALIDATORS)
    password = PasswordField(
        _l("Password"), validators=[DataRequired(message=_l("Enter your password."))]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))


class RequestResetForm(FlaskForm):
    email = EmailField(_l("Email"), validators=EMAIL_VALIDATORS)


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Choose a password.")), PasswordPolicy()],
    )
    confirm = PasswordField(
        _l("Repeat new password"),
        validators=[
            DataRequired(message=_l("Repeat the password.")),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )


class ChangePasswordForm(ResetPasswordForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email"), validators=EMAIL_VALIDATORS)
    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(message=_l("Enter your current password."))],
    )


class ResendVerificationForm(FlaskForm):
    email = EmailField(_l("Email"), validators=EMAIL_VALIDATORS)
