"""The lexical part across languages: detection, French analysis, taxonomy concepts, weights."""

from __future__ import annotations

import numpy as np
import pytest

from app.matching import (
    CandidateDocument,
    CandidateSkill,
    Matcher,
    MatcherSettings,
    NeedDocument,
    RequiredSkill,
)
from app.matching.embedders import HashingEmbedder
from app.matching.fusion import candidate_language, need_language, profile_kind
from app.matching.language import ConceptLexicon, analyse, detect_language, stem_french


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Infirmière pédiatrique depuis douze ans au service de néonatologie", "fr"),
        ("conseillère en architecture d'intérieur. 14 ans d'expérience. Basé en Allemagne.", "fr"),
        ("comptabilité", "fr"),
        ("archaeology lector. 24 years of experience. Based in IN.", "en"),
        ("Paediatric nurse with nine years in a neonatal intensive care unit", "en"),
        ("Mfite uburambe bw'imyaka icumi mu buhinzi na ubworozi", "rw"),
        ("", ""),
        ("python sql", ""),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_french_stemmer_folds_inflections_and_keeps_short_words() -> None:
    assert stem_french("gestionnaires") == stem_french("gestionnaire")
    assert stem_french("comptables") == stem_french("comptable")
    assert stem_french("infirmières") == stem_french("infirmière")
    assert stem_french("sol") == "sol"


def test_french_analysis_drops_stop_words_and_adds_concepts() -> None:
    lex = ConceptLexicon.from_pairs(
        [("project management", "pm"), ("gestion de projet", "pm"), ("gucunga imishinga", "pm")]
    )
    fr = analyse("gestion de projet pour les cooperatives", "fr", lex)
    en = analyse("project management for cooperatives", "en", lex)
    rw = analyse("gucunga imishinga", "rw", lex)
    assert "de" not in fr and "les" not in fr and "for" not in en
    assert "concept:pm" in fr and "concept:pm" in en and "concept:pm" in rw


def _cand(id_: str, headline: str, summary: str, skills: tuple[str, ...] = ()) -> CandidateDocument:
    return CandidateDocument(
        id=id_, headline=headline, summary=summary, skills=tuple(CandidateSkill(s) for s in skills)
    )


def test_profile_kind_and_languages() -> None:
    cv = _cand("a", "Comptable", "Comptable dans une administration publique depuis huit ans.")
    listed = _cand("b", "accountant", "10 years", ("financial accounting",))
    mixed = _cand("c", "accountant", " ".join(["word"] * 45), ("financial accounting",))
    assert profile_kind(cv) == "text" and candidate_language(cv) == "fr"
    assert profile_kind(listed) == "structured" and profile_kind(mixed) == "mixed"
    need = NeedDocument(id="n", title="Public sector accountant", description="The ministry needs")
    assert need_language(need) == "en"


def test_a_french_profile_meets_an_english_need_through_a_shared_concept() -> None:
    """Across languages only shared concepts speak in the lexical part; words alone do not."""
    lex = ConceptLexicon.from_pairs(
        [("financial accounting", "acc"), ("comptabilité", "acc"), ("comptable", "acc")]
    )
    matcher = Matcher(MatcherSettings(), HashingEmbedder(dimension=64), concepts=lex)
    fr = _cand("fr", "Comptable", "Comptable dans une administration publique depuis huit ans.")
    other = _cand("other", "Développeur", "Développeur web dans une agence de la ville.")
    index = matcher.build_index([fr, other])
    need = NeedDocument(
        id="n",
        title="Accountant for the ministry",
        description="Financial accounting of the public sector",
        required_skills=(RequiredSkill("financial accounting"),),
    )
    ranked = matcher.rank_candidates(need, index, method="lexical", top_k=None)
    assert ranked[0].candidate_id == "fr" and ranked[0].score > 0
    enc = matcher.encode_need(need)
    sc = matcher._score_parts(enc, index, ("dense", "skills", "lexical"))
    assert sc.lexical_ok is not None
    # The French accountant shares a concept: its lexical part counts; the developer's does not.
    assert sc.lexical_ok.tolist() == [True, False]
    weights = matcher.row_weights(sc, 2)
    assert weights[1, 2] == 0.0 and np.isclose(weights[1].sum(), 1.0)
    assert weights[0, 2] > 0.0


def test_the_skills_part_meets_a_need_skill_with_a_profile_skill_of_the_same_concept() -> None:
    """ "gérer des budgets" and "manage budgets" are one concept: the skill counts in full,
    whatever the cosine of the two phrases (here a hashing embedder, blind to meaning)."""
    lex = ConceptLexicon.from_pairs([("manage budgets", "b1"), ("gérer des budgets", "b1")])
    plain = Matcher(MatcherSettings(), HashingEmbedder(dimension=64))
    matcher = Matcher(MatcherSettings(), HashingEmbedder(dimension=64), concepts=lex)
    fr = _cand("fr", "Gestionnaire", "Huit ans dans une ONG.", ("gérer des budgets",))
    other = _cand("other", "Chauffeur", "Conduite de camions.", ("conduire des camions",))
    need = NeedDocument(
        id="n",
        title="Finance officer",
        description="Budgets of the district",
        required_skills=(RequiredSkill("manage budgets"),),
    )
    parts = ("dense", "skills", "lexical")
    with_concepts = matcher._score_parts(
        matcher.encode_need(need), matcher.build_index([fr, other]), parts
    )
    without = plain._score_parts(plain.encode_need(need), plain.build_index([fr, other]), parts)
    assert with_concepts.raw["skills"][0] > without.raw["skills"][0]
    assert with_concepts.raw["skills"][0] > with_concepts.raw["skills"][1]
    assert np.isclose(with_concepts.raw["skills"][1], without.raw["skills"][1])


def test_a_french_taxonomy_label_is_embedded_by_its_english_label() -> None:
    """The lexicon's pivot: "gérer des budgets" gets the vector of "manage budgets" (skills part
    and the composed whole vector alike); English phrases and phrases outside the taxonomy
    keep their own wording."""
    lex = ConceptLexicon.from_pairs(
        [("manage budgets", "b1"), ("gérer des budgets", "b1")],
        pivots={"Gérer des budgets": "manage budgets"},
    )
    assert lex.pivot("gérer des budgets") == "manage budgets"
    assert lex.pivot("manage budgets") is None
    assert lex.pivot("gérer des budgets et des équipes") is None
    matcher = Matcher(MatcherSettings(), HashingEmbedder(dimension=64), concepts=lex)
    vecs = matcher.encode_phrases(["gérer des budgets", "manage budgets", "conduire des camions"])
    assert np.allclose(vecs["gérer des budgets"], vecs["manage budgets"])
    assert not np.allclose(vecs["conduire des camions"], vecs["manage budgets"])
    plain = Matcher(MatcherSettings(), HashingEmbedder(dimension=64))
    assert not np.allclose(
        plain.encode_phrases(["gérer des budgets"])["gérer des budgets"], vecs["manage budgets"]
    )
    fr = _cand("fr", "Gestionnaire", "Huit ans.", ("gérer des budgets",))
    en = _cand("en", "Gestionnaire", "Huit ans.", ("manage budgets",))
    index = matcher.build_index([fr, en])
    assert np.allclose(index.whole[0], index.whole[1])
