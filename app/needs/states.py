"""The need state machine: the one table of allowed transitions."""

from __future__ import annotations

from flask_babel import gettext as _

from app.errors import InvalidTransition
from app.needs.models import NeedStatus

S = NeedStatus

# draft → submitted → open (after staff review, or directly for verified organisations that staff
# allowed to publish directly) → filled / closed / expired; staff may return a submitted need to
# draft.
TRANSITIONS: dict[NeedStatus, frozenset[NeedStatus]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.OPEN, S.CLOSED}),
    S.SUBMITTED: frozenset({S.OPEN, S.DRAFT, S.CLOSED, S.EXPIRED}),
    S.OPEN: frozenset({S.FILLED, S.CLOSED, S.EXPIRED}),
    # A filled need reopens when one of the placements that filled it closes.
    S.FILLED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
    S.EXPIRED: frozenset(),
}

EDITABLE: frozenset[NeedStatus] = frozenset({S.DRAFT, S.SUBMITTED, S.OPEN})
PUBLIC: frozenset[NeedStatus] = frozenset({S.OPEN, S.FILLED, S.CLOSED, S.EXPIRED})


def can_transition(current: NeedStatus | str, target: NeedStatus | str) -> bool:
    """Return True when the table allows current → target."""
    return NeedStatus(target) in TRANSITIONS[NeedStatus(current)]


def check_transition(current: NeedStatus | str, target: NeedStatus | str) -> None:
    """Raise InvalidTransition unless current → target is allowed."""
    if not can_transition(current, target):
        raise InvalidTransition(
            _(
                "A need that is %(current)s cannot become %(target)s.",
                current=status_label(current),
                target=status_label(target),
            )
        )


def status_label(status: NeedStatus | str) -> str:
    """Return the translated name of a status."""
    labels = {
        S.DRAFT: _("draft"),
        S.SUBMITTED: _("submitted for review"),
        S.OPEN: _("open"),
        S.FILLED: _("filled"),
        S.CLOSED: _("closed"),
        S.EXPIRED: _("expired"),
    }
    return labels.get(NeedStatus(status), str(status))
