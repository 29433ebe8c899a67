"""Seeded synthetic candidates and needs (invented vocabulary) for benchmarks and demos."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.matching.documents import CandidateDocument, CandidateSkill, NeedDocument, RequiredSkill

# Small invented occupation -> skills table; not taken from any external classification.
_OCCUPATIONS: dict[str, tuple[str, ...]] = {
    "pediatric nurse": (
        "paediatric nursing",
        "neonatal care",
        "vaccination programmes",
        "patient triage",
        "infection control",
        "child health education",
    ),
    "software engineer": (
        "python programming",
        "rest api design",
        "sql databases",
        "unit testing",
        "cloud deployment",
        "code review",
    ),
    "accountant": (
        "financial reporting",
        "ifrs standards",
        "tax compliance",
        "bookkeeping",
        "audit preparation",
        "budget planning",
    ),
    "civil engineer": (
        "structural design",
        "autocad drafting",
        "site supervision",
        "road construction",
        "soil mechanics",
        "project costing",
    ),
    "data scientist": (
        "machine learning",
        "statistical modelling",
        "data visualisation",
        "python programming",
        "survey analysis",
        "sql databases",
    ),
    "university lecturer": (
        "curriculum design",
        "academic research",
        "student assessment",
        "public speaking",
        "grant writing",
        "thesis supervision",
    ),
    "agronomist": (
        "soil fertility management",
        "crop protection",
        "irrigation planning",
        "farmer training",
        "post-harvest handling",
        "agricultural extension",
    ),
    "public health officer": (
        "epidemiological surveillance",
        "health promotion",
        "data collection",
        "infection control",
        "outbreak response",
        "community mobilisation",
    ),
}
_LEVELS = ("beginner", "intermediate", "advanced", "expert")
_MODES = ("remote", "onsite", "both")
_NEED_MODES = ("remote", "onsite", "hybrid", "any")
_COUNTRIES = ("BE", "CA", "FR", "DE", "GB", "US", "KE", "UG", "NL", "SE")
_GENDERS = ("female", "male", None)


def occupations() -> tuple[str, ...]:
    """Names of the synthetic occupations."""
    return tuple(_OCCUPATIONS)


def make_candidates(n: int, seed: int = 0) -> list[CandidateDocument]:
    """n candidates, deterministic for a seed; ids are c000001..."""
    rng = random.Random(seed)
    occ = list(_OCCUPATIONS)
    out: list[CandidateDocument] = []
    for i in range(n):
        job = rng.choice(occ)
        pool = list(_OCCUPATIONS[job]) + list(_OCCUPATIONS[rng.choice(occ)])[:2]
        names = rng.sample(pool, k=rng.randint(3, min(6, len(pool))))
        skills = tuple(
            CandidateSkill(s, rng.choice(_LEVELS), float(rng.randint(0, 15))) for s in names
        )
        years = rng.randint(2, 30)
        country = rng.choice(_COUNTRIES)
        windows: tuple[tuple[date, date | None], ...] = ()
        if rng.random() < 0.3:
            start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 365))
            windows = ((start, start + timedelta(days=rng.randint(30, 240))),)
        out.append(
            CandidateDocument(
                id=f"c{i + 1:06d}",
                headline=job if rng.random() < 0.9 else "",
                summary=f"{years} years of experience as {job}. Based in {country}.",
                skills=skills if rng.random() < 0.95 else (),
                languages=tuple(rng.sample(("rw", "en", "fr", "sw"), k=rng.randint(1, 3))),
                mode=rng.choice(_MODES),
                availability=windows,
                has_matching_consent=rng.random() < 0.97,
                is_confirmed=rng.random() < 0.9,
                gender=rng.choice(_GENDERS),
                country=country,
            )
        )
    return out


def make_needs(n: int, seed: int = 1) -> list[NeedDocument]:
    """n needs, deterministic for a seed; ids are n0001..."""
    rng = random.Random(seed)
    occ = list(_OCCUPATIONS)
    out: list[NeedDocument] = []
    for i in range(n):
        job = rng.choice(occ)
        skills = list(_OCCUPATIONS[job])
        rng.shuffle(skills)
        req = tuple(RequiredSkill(s, "must" if k < 4 else "nice") for k, s in enumerate(skills[:5]))
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 365))
        dated = rng.random() < 0.5
        out.append(
            NeedDocument(
                id=f"n{i + 1:04d}",
                title=f"{job} (knowledge transfer)",
                description=f"A Rwandan institution seeks a {job} to train local staff.",
                required_skills=req,
                languages=("en",) if rng.random() < 0.5 else (),
                mode=rng.choice(_NEED_MODES),
                start=start if dated else None,
                end=start + timedelta(days=90) if dated else None,
            )
        )
    return out
