"""`flask matching evaluate` on the shared development set, its cross-lingual variants and the
real-CV-like set of the tests, with the real model (issue checks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
DEV_SET = SHARED / "matching-dev"
CANDS_FR = SHARED / "matching-dev-xling" / "cands-fr"
NEEDS_FR = SHARED / "matching-dev-xling" / "needs-fr"
CV_SET = Path(__file__).resolve().parents[1] / "matching" / "data" / "cv-set"

# The reference rankers published with the development set (its README): the hybrid must beat
# every one of them on nDCG@10 and on MAP at the same time.
BEST_REFERENCE_NDCG10 = 0.829  # all-MiniLM-L6-v2 cosine on whole texts
BEST_REFERENCE_MAP = 0.683  # z-scored sum of TF-IDF and MiniLM
# The quality bars: English dev set, and each cross-lingual variant within 0.03.
TARGET_NDCG10 = 0.87
TARGET_MAP = 0.75
MAX_GAP = 0.03

needs_shared = pytest.mark.skipif(
    not (DEV_SET.is_dir() and CANDS_FR.is_dir() and NEEDS_FR.is_dir()),
    reason="../shared/data/matching-dev and matching-dev-xling are not beside it",
)


_RUNS: dict[str, dict] = {}


@pytest.fixture()
def four_sets(app: Flask) -> dict:
    """One `evaluate` run over the English set, both variants and the CV set (JSON form),
    shared by the tests of this module (it takes minutes with the real model)."""
    if "body" not in _RUNS:
        args = ["matching", "evaluate", "--json"]
        for folder in (DEV_SET, CANDS_FR, NEEDS_FR, CV_SET):
            args += ["--data", str(folder)]
        result = app.test_cli_runner().invoke(args=args)
        assert result.exit_code == 0, result.output
        _RUNS["body"] = json.loads(result.stdout.strip().splitlines()[-1])
        print(json.dumps(_RUNS["body"]["summary"], indent=1))
    return _RUNS["body"]


@pytest.mark.slow
@needs_shared
def test_hybrid_is_best_on_the_development_set(four_sets: dict) -> None:
    metrics = four_sets["sets"][str(DEV_SET)]
    hybrid = metrics["hybrid"]
    assert hybrid["ndcg@10"] == max(m["ndcg@10"] for m in metrics.values())
    assert hybrid["ndcg@10"] > BEST_REFERENCE_NDCG10
    assert hybrid["map"] > BEST_REFERENCE_MAP


@pytest.mark.slow
@needs_shared
@pytest.mark.parametrize("folder", [DEV_SET, CANDS_FR, NEEDS_FR, CV_SET], ids=lambda p: p.name)
def test_the_hybrid_never_loses_to_one_of_its_parts(four_sets: dict, folder: Path) -> None:
    metrics = four_sets["sets"][str(folder)]
    for part in ("dense", "skills", "lexical"):
        assert metrics["hybrid"]["ndcg@10"] >= metrics[part]["ndcg@10"], part
        assert metrics["hybrid"]["map"] >= metrics[part]["map"], part


@pytest.mark.slow
@needs_shared
@pytest.mark.xfail(
    strict=True,
    reason="not met yet with use-multilingual-v3, ESCO concepts and English-label pivots "
    "(2026-12-06): matching-dev 0.852 / 0.725, cands-fr gap 0.029, needs-fr gap 0.046 "
    "(docs/matching.md); strict, so the marker must go when the bars are reached",
)
def test_quality_bars_and_cross_lingual_gap(four_sets: dict) -> None:
    rows = {r["set"]: r for r in four_sets["summary"]}
    dev = rows[str(DEV_SET)]
    assert dev["hybrid_ndcg@10"] >= TARGET_NDCG10 and dev["hybrid_map"] >= TARGET_MAP
    assert rows[str(CANDS_FR)]["gap_to_first"] <= MAX_GAP
    assert rows[str(NEEDS_FR)]["gap_to_first"] <= MAX_GAP
