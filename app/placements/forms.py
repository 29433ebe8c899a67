"""Placement forms: one per action that needs more than a click."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.needs.models import NeedMode
from app.placements.states import ClosedReason, reason_label
from app.security import record_id


class ActionForm(FlaskForm):
    """A transition with an optional note; `version` refuses a form from a stale page."""

    version = HiddenField()
    note = TextAreaField(_l("Message or note (optional)"), validators=[Length(max=2000)])


class MarkEvaluatedForm(ActionForm):
    """Staff mark a completed placement evaluated: the note (why) is required."""

    note = TextAreaField(
        _l("Why is it evaluated without the end-of-mission answer?"),
        validators=[DataRequired(), Length(max=2000)],
    )


class InterestForm(FlaskForm):
    note = TextAreaField(_l("Why are you interested? (optional)"), validators=[Length(max=2000)])


class ShortlistForm(FlaskForm):
    profile_ids = SelectMultipleField(_l("Professionals"), coerce=record_id, validate_choice=False)
    note = TextAreaField(_l("Note (optional)"), validators=[Length(max=2000)])


class InterviewForm(ActionForm):
    interview_on = DateField(_l("Interview date"), validators=[InputRequired()])


class InterviewOutcomeForm(FlaskForm):
    outcome = TextAreaField(
        _l("How did the interview go?"), validators=[DataRequired(), Length(max=2000)]
    )


class WorkPlanForm(ActionForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired()])
    end_date = DateField(_l("End date"), validators=[InputRequired()])
    mode = SelectField(
        _l("Mode"),
        choices=[
            (NeedMode.REMOTE.value, _l("Remote")),
            (NeedMode.ONSITE.value, _l("On site")),
            (NeedMode.HYBRID.value, _l("Hybrid")),
        ],
    )
    deliverables = TextAreaField(_l("Deliverables"), validators=[DataRequired(), Length(max=4000)])
    logistics = TextAreaField(
        _l("Logistics (travel, accommodation, equipment)"), validators=[Length(max=4000)]
    )


def reason_choices() -> list[tuple[str, str]]:
    return [(r.value, reason_label(r)) for r in ClosedReason]


class CloseForm(ActionForm):
    reason = SelectField(_l("Reason"), validators=[DataRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.reason.choices = reason_choices()


class StaffNoteForm(FlaskForm):
    body = TextAreaField(_l("Internal note"), validators=[DataRequired(), Length(max=4000)])


class OutcomeForm(FlaskForm):
    hours_delivered = IntegerField(
        _l("Hours delivered"), validators=[InputRequired(), NumberRange(min=0, max=10000)]
    )
    people_trained = IntegerField(
        _l("People trained"), validators=[InputRequired(), NumberRange(min=0, max=100000)]
    )
    deliverables_achieved = TextAreaField(
        _l("Deliverables achieved"), validators=[DataRequired(), Length(max=4000)]
    )
    outcome_story = TextAreaField(
        _l("Outcome story (a few sentences)"), validators=[DataRequired(), Length(max=4000)]
    )


class PipelineFilterForm(FlaskForm):
    class Meta:
        csrf = False

    sector = SelectField(_l("Sector"), validate_choice=False)
    country = SelectField(_l("Country of the professional"), validate_choice=False)
    institution_id = SelectField(_l("Institution"), validate_choice=False)
    date_from = DateField(_l("Created from"), validators=[Optional()])
    date_to = DateField(_l("Created until"), validators=[Optional()])
