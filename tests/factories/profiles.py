"""Profiles."""

from __future__ import annotations

import factory

from app.profiles.models import CVDocument, Profile, ProfileLanguage, ProfileSkill, SkillLevel
from tests.factories.auth import ProfessionalUserFactory
from tests.factories.base import BaseFactory


class ProfileFactory(BaseFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(ProfessionalUserFactory)
    full_name = factory.LazyAttribute(lambda o: o.user.full_name)
    phone = ""
    country = "CA"
    city = "Montreal"
    timezone = "America/Toronto"
    headline = "Paediatric nurse"
    sectors = factory.LazyFunction(lambda: ["health"])


class ProfileSkillFactory(BaseFactory):
    class Meta:
        model = ProfileSkill

    profile = factory.SubFactory(ProfileFactory)
    name = "paediatric nursing"
    level = SkillLevel.ADVANCED
    years = 5


class ProfileLanguageFactory(BaseFactory):
    class Meta:
        model = ProfileLanguage

    profile = factory.SubFactory(ProfileFactory)
    code = "en"
    level = "C1"


class CVDocumentFactory(BaseFactory):
    """A CV whose text is already read (the worker's job done); no file on disk."""

    class Meta:
        model = CVDocument

    profile_id = factory.LazyAttribute(lambda o: o.profile.id)
    stored_name = factory.Sequence(lambda n: f"factory-cv-{n}.pdf")
    original_name = "cv.pdf"
    content_type = "application/pdf"
    size = 1000
    text = ""
    suggestions = factory.LazyFunction(dict)

    class Params:
        profile = factory.SubFactory(ProfileFactory)
