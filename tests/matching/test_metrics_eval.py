"""Metrics on hand-computed examples, and evaluation on a tiny judged folder."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from app.matching import Matcher
from app.matching.evaluation import evaluate, format_table, load_judged_set
from app.matching.metrics import (
    average_precision,
    ndcg_at_k,
    need_metrics,
    recall_at_k,
    reciprocal_rank,
)

RANKING = ["a", "b", "c", "d", "e"]
RELS = {"b": 2, "d": 1, "f": 2}  # "f" is judged but never retrieved


def test_metrics_match_hand_computation() -> None:
    # DCG = 3/log2(3) + 1/log2(5); ideal = 3/1 + 3/log2(3) + 1/2
    dcg = 3 / math.log2(3) + 1 / math.log2(5)
    idcg = 3 + 3 / math.log2(3) + 1 / 2
    assert ndcg_at_k(RANKING, RELS, 10) == pytest.approx(dcg / idcg)
    assert reciprocal_rank(RANKING, RELS) == pytest.approx(1 / 2)
    assert recall_at_k(RANKING, RELS, 10) == pytest.approx(1 / 2)  # b of {b, f}
    assert recall_at_k(RANKING, RELS, 1) == 0.0
    # relevant {b, d, f}: hits at 2 (1/2) and 4 (2/4) -> (0.5 + 0.5) / 3
    assert average_precision(RANKING, RELS) == pytest.approx(1 / 3)
    assert need_metrics(["b", "f", "d"], RELS) == pytest.approx(
        {"ndcg@10": 1.0, "mrr": 1.0, "recall@10": 1.0, "recall@50": 1.0, "map": 1.0}
    )


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_evaluation_runs_on_a_tiny_folder(tmp_path: Path, matcher: Matcher) -> None:
    _write(
        tmp_path / "candidates.jsonl",
        [
            {
                "id": "c1",
                "headline": "pediatric nurse",
                "summary": "",
                "skills": [{"name": "paediatric nursing", "level": "expert", "years": 9}],
                "languages": ["en"],
                "mode": "both",
                "sector": None,
            },
            {
                "id": "c2",
                "headline": "accountant",
                "summary": "Audits.",
                "skills": [{"name": "bookkeeping"}],
                "languages": ["en"],
                "mode": "remote",
                "sector": None,
            },
            {
                "id": "c3",
                "headline": "",
                "summary": "Midwife in a maternity ward; neonatal care.",
                "skills": [],
                "languages": ["fr"],
                "mode": "onsite",
                "sector": None,
            },
        ],
    )
    _write(
        tmp_path / "needs.jsonl",
        [
            {
                "id": "n1",
                "title": "children's nurse",
                "description": "Ward training.",
                "required_skills": [
                    {"name": "pediatric nursing", "importance": "must"},
                    {"name": "neonatal care", "importance": "nice"},
                ],
                "languages": [],
                "mode": "any",
            },
            {
                "id": "n2",
                "title": "auditor",
                "description": "",
                "required_skills": [],
                "languages": [],
                "mode": "any",
            },
        ],
    )
    _write(
        tmp_path / "judgments.jsonl",
        [
            {"need": "n1", "candidate": "c1", "relevance": 2},
            {"need": "n1", "candidate": "c3", "relevance": 1},
            {"need": "n2", "candidate": "c2", "relevance": 2},
        ],
    )
    data = load_judged_set(tmp_path)
    assert len(data.candidates) == 3 and data.candidates[2].skills == ()
    results = evaluate(data, matcher)
    assert set(results) == {"lexical", "dense", "skills", "hybrid"}
    for vals in results.values():
        assert set(vals) == {"ndcg@10", "mrr", "recall@10", "recall@50", "map"}
        assert vals["recall@50"] == 1.0  # three candidates: everyone is in the top 50
    assert results["hybrid"]["mrr"] == 1.0
    assert results["hybrid"]["map"] == 1.0
    table = format_table(results)
    assert table.splitlines()[0].split() == [
        "method",
        "ndcg@10",
        "mrr",
        "recall@10",
        "recall@50",
        "map",
    ]
