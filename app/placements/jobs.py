"""Periodic placement work for `flask worker` (registered when this module is imported)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.database import utcnow
from app.jobs.registry import periodic


@periodic("placements-response-reminders", every=timedelta(hours=6))
def response_reminders(payload: dict[str, Any]) -> None:
    from app.placements.services import send_response_reminders

    send_response_reminders(utcnow())


@periodic("placements-followup-waves", every=timedelta(days=1))
def followup_waves(payload: dict[str, Any]) -> None:
    from app.placements.services import send_due_followups

    send_due_followups(utcnow())
