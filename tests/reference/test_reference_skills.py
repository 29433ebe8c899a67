"""Tests for the curated skills vocabulary."""

from __future__ import annotations

import pytest

from app.reference.sectors import CROSS_CUTTING, SECTORS
from app.reference.skills import (
    Skill,
    SkillVocabulary,
    canonical_for,
    find_in_text,
    get_vocabulary,
    normalise_skill,
    sector_of,
    suggest,
)


def test_vocabulary_size_and_sector_coverage() -> None:
    vocab = get_vocabulary()
    assert len(vocab) >= 450
    for sector in SECTORS:
        assert len(vocab.by_sector(sector)) >= 25, sector
    assert len(vocab.by_sector(CROSS_CUTTING)) >= 25
    allowed = {*SECTORS, CROSS_CUTTING}
    assert all(s.sector in allowed for s in vocab.skills)


def test_canonicals_are_lowercase_and_unique() -> None:
    vocab = get_vocabulary()
    names = vocab.canonicals
    assert len(names) == len(set(names))
    assert all(n == n.lower() and n.strip() == n for n in names)


def test_vocabulary_is_cached() -> None:
    assert get_vocabulary() is get_vocabulary()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Machine-Learning", "machine learning"),
        ("  machine   learning ", "machine learning"),
        ("Paediatric nursing", "pediatric nursing"),
        ("Haematology", "hematology"),
        ("Monitoring & Evaluation", "monitoring and evaluation"),
        ("Programme management", "program management"),
        ("C++", "cpp"),
    ],
)
def test_normalise_skill(text: str, expected: str) -> None:
    assert normalise_skill(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ML", "machine learning"),
        ("Machine-Learning", "machine learning"),
        ("machine learnin", "machine learning"),
        ("Pediatric Nursing", "paediatric nursing"),
        ("paediatric nurse", "paediatric nursing"),
        ("DHIS2", "health information systems (dhis2)"),
        ("M&E", "monitoring and evaluation"),
        ("project managment", "project management"),
        ("Anesthesiology", "anaesthesiology"),
        ("c++", "c++ programming"),
        ("IFRS", "ifrs reporting"),
    ],
)
def test_canonical_for_recognises_variants(text: str, expected: str) -> None:
    assert canonical_for(text) == expected


@pytest.mark.parametrize(
    "text", ["underwater basket weaving", "", "   ", "xyz", "cooking dinner for friends"]
)
def test_canonical_for_unrelated_is_none(text: str) -> None:
    assert canonical_for(text) is None


def test_suggest_prefix_matches_first() -> None:
    results = suggest("mach")
    assert results[0] == "machine learning"
    assert all(r in get_vocabulary() for r in results)
    words = suggest("learn", limit=5)
    assert len(words) == 5
    # Word-prefix hits ("deep learning") come before fuzzy-only hits.
    assert "deep learning" in words and "machine learning" in words


def test_suggest_prefix_before_fuzzy_and_limit() -> None:
    results = suggest("data", limit=4)
    assert len(results) == 4
    assert all(r.startswith("data") for r in results)


def test_suggest_uses_synonyms_and_extra_terms() -> None:
    assert "machine learning" in suggest("ml")
    extra = suggest("pyth", extra_terms=["Python Flask", "  python   flask "])
    assert "python programming" in extra
    assert extra.count("python flask") == 1
    assert suggest("") == []


def test_suggest_fuzzy_fallback() -> None:
    assert "epidemiology" in suggest("epidemology")


def test_find_in_text_cv_paragraph() -> None:
    cv = (
        "I am a paediatric nurse with eight years in a NICU in Montreal. I led "
        "infection-control audits, trained staff on Helping Babies Breathe and used DHIS2 and "
        "Excel for reporting. I excel at teamwork. Side projects in Python and ML; it was fun. "
        "Monitoring & Evaluation of programmes."
    )
    found = find_in_text(cv)
    assert found[:3] == [
        "paediatric nursing",
        "neonatal intensive care",
        "infection prevention and control",
    ]
    for skill in (
        "neonatal resuscitation",
        "health information systems (dhis2)",
        "advanced microsoft excel",
        "python programming",
        "machine learning",
        "monitoring and evaluation",
    ):
        assert skill in found
    assert len(found) == len(set(found))


def test_find_in_text_ignores_lowercase_short_words() -> None:
    # "ml" lower-case (millilitres) and "excel" as a verb are not skills.
    assert find_in_text("Take 5 ml twice a day; students excel in class.") == []
    assert find_in_text("") == []


def test_sector_of() -> None:
    assert sector_of("machine learning") == "ict"
    assert sector_of("paediatric nursing") == "health"
    assert sector_of("project management") == CROSS_CUTTING
    assert sector_of("not a skill") is None


def test_ambiguous_synonym_rejected() -> None:
    with pytest.raises(ValueError):
        SkillVocabulary(
            [
                Skill("alpha skill", "ict", ("shared",)),
                Skill("beta skill", "health", ("shared",)),
            ]
        )


def test_every_synonym_maps_to_its_canonical() -> None:
    vocab = get_vocabulary()
    for skill in vocab.skills:
        assert vocab.canonical_for(skill.canonical) == skill.canonical
        for synonym in skill.synonyms:
            assert vocab.canonical_for(synonym) == skill.canonical, synonym
