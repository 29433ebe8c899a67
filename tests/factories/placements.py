"""Placements."""

from __future__ import annotations

import factory

from app.database import utcnow
from app.placements.models import Placement
from app.placements.states import PlacementStatus
from tests.factories.base import BaseFactory
from tests.factories.needs import NeedFactory
from tests.factories.profiles import ProfileFactory


class PlacementFactory(BaseFactory):
    class Meta:
        model = Placement

    need = factory.SubFactory(NeedFactory)
    profile = factory.SubFactory(ProfileFactory)
    status = PlacementStatus.INTERESTED
    status_changed_at = factory.LazyFunction(utcnow)
