"""Adaptive fusion: the weight table, its fit, and the matcher using it per row."""

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
from app.matching.backends import DEFAULT_MATCHING_MODEL
from app.matching.embedders import HashingEmbedder
from app.matching.fusion import (
    CELLS,
    FusionTable,
    NeedParts,
    SetParts,
    fit_fusion_staged,
    load_fusion_table,
    part_scores,
    set_scores,
)


def test_the_shipped_table_was_fitted_for_the_default_model() -> None:
    """A model switch must come with a refit (`flask matching fit-fusion`)."""
    table = load_fusion_table()
    assert table.model_name == DEFAULT_MATCHING_MODEL
    assert "fit-fusion" in table.note
    for weights in table.weights.values():
        assert np.isclose(sum(weights), 1.0)


@pytest.mark.parametrize(
    "data",
    [
        {"weights": {"nowhere/same": [1, 0, 0]}},
        {"weights": {"text/same": [-1, 1, 1]}},
        {"weights": {"text/same": [0, 0, 0]}},
        {"offsets": {"text/cross": 0.9}},
    ],
)
def test_a_malformed_table_is_refused(data: dict) -> None:
    with pytest.raises(ValueError):
        FusionTable.from_mapping(data)


def _need(rng: np.random.Generator, kinds: np.ndarray) -> NeedParts:
    """Rows of two kinds: dense tells structured profiles apart, lexical text profiles."""
    n = len(kinds)
    rel = np.zeros(n)
    rel[:4] = 2
    noise = rng.random((3, n)) * 0.5
    cal = noise.copy()
    structured = kinds == 0
    cal[0, :4] += np.where(structured[:4], 0.5, 0.0)  # dense sees structured relevant rows
    cal[2, :4] += np.where(~structured[:4], 0.5, 0.0)  # lexical sees text relevant rows
    cell = np.where(structured, CELLS.index("structured/same"), CELLS.index("text/same"))
    return NeedParts(cal, cell, np.ones(n), cal[0].copy(), rel, np.ones(n))


def test_the_fit_weighs_each_kind_by_what_reads_it_and_beats_every_part() -> None:
    rng = np.random.default_rng(7)
    kinds = np.array([0, 1, 0, 1] + [0, 1] * 20)
    data = SetParts("synthetic", tuple(_need(rng, kinds) for _ in range(12)))
    table, _ = fit_fusion_staged([data], FusionTable(), step=0.1)
    structured = table.weights["structured/same"]
    text = table.weights["text/same"]
    assert structured[0] > structured[2] and text[2] > text[0]
    ndcg, ap = set_scores(table.matrix(), data, table.offset_vector())
    for part_ndcg, part_map in part_scores(data).values():
        assert ndcg >= part_ndcg and ap >= part_map


def test_the_matcher_weighs_a_pasted_cv_by_its_own_cell() -> None:
    table = FusionTable(weights={"structured/same": (0.6, 0.3, 0.1), "text/same": (0.2, 0.2, 0.6)})
    matcher = Matcher(MatcherSettings(), HashingEmbedder(dimension=64), fusion_table=table)
    listed = CandidateDocument(
        id="listed", headline="accountant", skills=(CandidateSkill("financial accounting"),)
    )
    cv = CandidateDocument(
        id="cv", headline="Accountant", summary="Ten years of financial accounting in a ministry."
    )
    index = matcher.build_index([listed, cv])
    need = NeedDocument(
        id="n",
        title="Accountant",
        description="Financial accounting for a ministry",
        required_skills=(RequiredSkill("financial accounting"),),
    )
    ranked = {r.candidate_id: r for r in matcher.rank_candidates(need, index, top_k=None)}
    assert ranked["listed"].explanation is not None and ranked["cv"].explanation is not None
    assert ranked["listed"].explanation.weights == pytest.approx(
        {"dense": 0.6, "skills": 0.3, "lexical": 0.1}
    )
    assert ranked["cv"].explanation.weights == pytest.approx(
        {"dense": 0.2, "skills": 0.2, "lexical": 0.6}
    )
