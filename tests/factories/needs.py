"""Needs (terms of reference)."""

from __future__ import annotations

from datetime import date
from typing import Any

import factory

from app.needs.models import Need, NeedLanguage, NeedMode, NeedSkill, NeedStatus
from app.needs.services import refresh_content_hash
from tests.factories.base import BaseFactory
from tests.factories.institutions import InstitutionFactory


class NeedFactory(BaseFactory):
    class Meta:
        model = Need

    institution = factory.SubFactory(InstitutionFactory)
    status = NeedStatus.OPEN
    title = factory.Sequence(lambda n: f"Need {n}")
    background = "The hospital is expanding its services."
    objectives = "Train local staff."
    deliverables = factory.LazyFunction(lambda: ["A training plan"])
    success_criteria = "Staff trained."
    sector = "health"
    mode = NeedMode.REMOTE
    district = None
    start_date = date(2027, 1, 1)
    end_date = date(2027, 3, 31)
    people_needed = 1
    offers = factory.LazyFunction(lambda: ["travel"])
    contact_name = "Grace Mukamana"
    contact_email = "grace@example.rw"
    contact_phone = "+250788000000"

    @factory.post_generation
    def skills(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for position, item in enumerate(extracted if extracted is not None else ["nursing"]):
            name, importance = item if isinstance(item, tuple) else (item, "must")
            self.skills.append(NeedSkill(name=name, importance=importance, position=position))

    @factory.post_generation
    def languages(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        for code in extracted if extracted is not None else ["en"]:
            self.languages.append(NeedLanguage(code=code))

    @factory.post_generation
    def refresh(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            refresh_content_hash(self)
