"""Form payloads shared by the needs view tests."""

from __future__ import annotations

from typing import Any


def need_form(**overrides: Any) -> dict[str, Any]:
    """Return a valid POST body for the need form; overrides replace or add keys."""
    data: dict[str, Any] = {
        "title": "Paediatric nursing mentor",
        "background": "The neonatal unit has doubled its beds.",
        "objectives": "Mentor nurses in neonatal intensive care.",
        "deliverables-0": "A mentoring plan",
        "deliverables-1": "Ten bedside sessions",
        "success_criteria": "Nurses run the unit's protocols alone.",
        "required_skills-0-name": "Pediatric nursing",
        "required_skills-0-importance": "must",
        "required_skills-1-name": "public health",
        "required_skills-1-importance": "nice",
        "sector": "health",
        "mode": "onsite",
        "district": "huye",
        "site": "University Teaching Hospital of Butare",
        "start_date": "2027-02-01",
        "end_date": "2027-04-30",
        "duration_weeks": "6",
        "hours_per_week": "30",
        "languages": ["en", "rw"],
        "people_needed": "2",
        "offers": ["travel", "accommodation"],
        "contact_name": "Grace Mukamana",
        "contact_email": "grace@chub.rw",
        "contact_phone": "+250788123456",
        "application_deadline": "2027-01-15",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
