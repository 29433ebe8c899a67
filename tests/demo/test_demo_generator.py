"""Tests for the seeded demo data generator."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from app.demo.generator import (
    INSTITUTION_TYPES,
    SENIORITIES,
    SKILL_LEVELS,
    WINDOW_END,
    WINDOW_START,
    DemoInstitution,
    generate_institutions,
    generate_needs,
    generate_professionals,
    occupation_sector,
)
from app.reference.countries import is_country
from app.reference.districts import DISTRICTS
from app.reference.languages import is_language, is_level
from app.reference.sectors import SECTORS
from app.reference.skills import get_vocabulary

TODAY = date(2026, 10, 1)


@pytest.fixture(scope="module")
def professionals() -> list:
    return generate_professionals(400, seed=42)


@pytest.fixture(scope="module")
def institutions() -> list[DemoInstitution]:
    return generate_institutions(seed=42)


@pytest.fixture(scope="module")
def needs(institutions: list[DemoInstitution]) -> list:
    return generate_needs(institutions, 60, seed=42, today=TODAY)


def test_determinism(institutions: list[DemoInstitution]) -> None:
    assert generate_professionals(50, seed=7) == generate_professionals(50, seed=7)
    assert generate_professionals(50, seed=7) != generate_professionals(50, seed=8)
    assert generate_institutions(seed=3) == generate_institutions(seed=3)
    first = generate_needs(institutions, 50, seed=5, today=TODAY)
    assert first == generate_needs(institutions, 50, seed=5, today=TODAY)


def test_prefix_stability() -> None:
    # Generating more profiles must not change the first ones (benchmarks rely on it).
    assert generate_professionals(20, seed=9) == generate_professionals(40, seed=9)[:20]


def test_unique_emails(professionals: list) -> None:
    emails = [p.email for p in professionals]
    assert len(professionals) >= 200
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z0-9-]+\.[a-z0-9-]+\.\d+@example\.org", e) for e in emails)


def test_phones_valid_for_country(professionals: list) -> None:
    phonenumbers = pytest.importorskip("phonenumbers")
    for p in professionals:
        number = phonenumbers.parse(p.phone)
        assert phonenumbers.is_valid_number(number), p.phone
        assert phonenumbers.region_code_for_number(number) == p.country, p.phone
        assert p.phone == phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def test_places_and_timezones(professionals: list) -> None:
    countries = Counter(p.country for p in professionals)
    assert len(countries) >= 15
    assert countries["US"] + countries["CA"] + countries["BE"] > len(professionals) / 4
    for p in professionals:
        assert is_country(p.country) and p.country != "RW"
        ZoneInfo(p.timezone)
    montreal = [p for p in professionals if p.city == "Montreal"]
    assert all(p.timezone == "America/Toronto" and p.country == "CA" for p in montreal)


def test_field_values(professionals: list) -> None:
    vocab = get_vocabulary()
    genders = Counter(p.gender for p in professionals)
    assert abs(genders["female"] - genders["male"]) < len(professionals) * 0.15
    for p in professionals:
        assert p.tie_to_rwanda in {"citizen", "rwandan_origin", "friend"}
        assert p.seniority in SENIORITIES
        assert p.languages and all(is_language(c) and is_level(lv) for c, lv in p.languages)
        assert len({c for c, _ in p.languages}) == len(p.languages)
        assert p.skills and all(s in vocab for s, _, _ in p.skills)
        assert all(1 <= y <= p.years_experience for _, _, y in p.skills)
        assert all(level in SKILL_LEVELS for _, level, _ in p.skills)
        assert set(p.sectors) <= set(SECTORS)
        assert p.education and p.experience
        assert p.experience[-1].end is None
        assert all(j.end is not None and j.end >= j.start for j in p.experience[:-1])
        assert 2026 - p.birth_year >= 22 + p.years_experience
        assert p.full_name.startswith(p.preferred_name.split()[0])
        assert 2 <= p.bio.count(". ") + 1 <= 4
        if p.tie_to_rwanda == "citizen":
            assert ("rw", "native") in p.languages


def test_availability(professionals: list) -> None:
    for p in professionals:
        a = p.availability
        assert a.mode in {"remote", "onsite", "both"}
        assert a.windows
        for start, end in a.windows:
            assert WINDOW_START <= start < end <= WINDOW_END
        assert all(a.windows[i][1] < a.windows[i + 1][0] for i in range(len(a.windows) - 1))
        assert (a.onsite_weeks == 0) == (a.mode == "remote")
        assert a.open_to_paid or a.open_to_unpaid
        assert 1 <= a.hours_per_week <= 40


def test_seniority_consistent_with_experience(professionals: list) -> None:
    by_level: dict[str, list[int]] = {s: [] for s in SENIORITIES}
    for p in professionals:
        by_level[p.seniority].append(p.years_experience)
    means = [sum(v) / len(v) for v in by_level.values() if v]
    assert means == sorted(means)


def test_profiles_are_coherent(professionals: list) -> None:
    vocab = get_vocabulary()
    for p in professionals:
        sector = occupation_sector(p.occupation)
        assert p.sectors[0] == sector
        skill_sectors = Counter(vocab.sector_of(s) for s, _, _ in p.skills)
        # Core skills come from the occupation's sector; only "nice" ones may stray.
        assert skill_sectors[sector] >= len(p.skills) / 2, (p.occupation, p.skills)
    nurses = [p for p in professionals if p.occupation == "paediatric_nurse"]
    assert nurses
    for nurse in nurses:
        assert any("Nurs" in e.field for e in nurse.education)
        assert all("Nurs" in j.title or "Nursing" in j.title for j in nurse.experience)


def test_institutions(institutions: list[DemoInstitution]) -> None:
    assert len(institutions) >= 18
    assert len({i.name for i in institutions}) == len(institutions)
    assert {i.type for i in institutions} == set(INSTITUTION_TYPES)
    assert {i.sector for i in institutions} == set(SECTORS)
    for inst in institutions:
        assert inst.district in DISTRICTS
        assert inst.contact.email.endswith("@" + inst.email_domain)
        assert inst.email_domain.endswith(".example.org")


def test_needs(needs: list, institutions: list[DemoInstitution]) -> None:
    vocab = get_vocabulary()
    assert len(needs) == 60
    assert {n.sector for n in needs} == set(SECTORS)
    assert len({n.institution_index for n in needs}) >= 18
    assert len({n.district for n in needs if n.district}) >= 10
    for n in needs:
        inst = institutions[n.institution_index]
        assert n.sector == inst.sector or n.sector in inst.other_sectors
        must = [s for s, kind in n.required_skills if kind == "must"]
        nice = [s for s, kind in n.required_skills if kind == "nice"]
        assert 3 <= len(must) <= 6 and 1 <= len(nice) <= 3
        assert all(s in vocab for s, _ in n.required_skills)
        assert len({s for s, _ in n.required_skills}) == len(n.required_skills)
        assert n.mode in {"remote", "onsite", "hybrid"}
        if n.mode == "remote":
            assert n.district is None and n.site is None
        else:
            assert n.district in DISTRICTS and n.site
        assert TODAY < n.application_deadline < n.start < n.end
        assert n.start.weekday() == 0
        assert (n.end - n.start).days == n.duration_weeks * 7 - 3
        assert n.offers and set(n.offers) <= {"travel", "accommodation", "stipend", "none"}
        assert "none" not in n.offers or n.offers == ["none"]
        assert n.languages and all(is_language(c) and is_level(lv) for c, lv in n.languages)
        assert n.contact_person == inst.contact.name
        assert len(n.deliverables) >= 3 and n.background and n.objectives
        assert "{" not in n.background + n.objectives + n.success_criteria + (n.site or "")


def test_generation_scales_to_thousands_with_unique_emails() -> None:
    # Speed is measured by the matching benchmark (docs/matching.md), never asserted in a test.
    people = generate_professionals(5_000, seed=1)
    assert len(people) == 5_000
    assert len({p.email for p in people}) == 5_000
