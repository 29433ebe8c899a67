"""The date range filter of the insights page (GET, no CSRF: nothing changes)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form
from wtforms.fields import DateField
from wtforms.validators import Optional

from app.insights.queries import ANY_TIME, DateRange


class PeriodForm(Form):
    start = DateField(_l("Registered or created from"), validators=[Optional()])
    end = DateField(_l("until"), validators=[Optional()])

    def validate(self, extra_validators: object = None) -> bool:  # type: ignore[override]
        valid = super().validate()
        if valid and self.start.data and self.end.data and self.end.data < self.start.data:
            self.end.errors = [_l("The end date must be on or after the start date.")]
            return False
        return valid

    def period(self) -> DateRange:
        """The chosen range; fields with errors are ignored."""
        if self.end.errors and self.start.data and self.end.data:
            return ANY_TIME
        start = self.start.data if not self.start.errors else None
        end = self.end.data if not self.end.errors else None
        return DateRange(start, end)
