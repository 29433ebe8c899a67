"""Ranking metrics defined as in the matching-dev README (graded relevance, per need)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

METRIC_NAMES = ("ndcg@10", "mrr", "recall@10", "recall@50", "map")


def ndcg_at_k(ranking: Sequence[str], rels: Mapping[str, int], k: int = 10) -> float:
    """nDCG@k with gain 2^rel - 1 and discount log2(rank + 1), ideal from judged pairs."""
    dcg = sum((2 ** rels.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranking[:k]))
    ideal = sorted((r for r in rels.values() if r > 0), reverse=True)[:k]
    idcg = sum((2**r - 1) / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def _top_grade(rels: Mapping[str, int]) -> int:
    return max((r for r in rels.values()), default=0)


def reciprocal_rank(ranking: Sequence[str], rels: Mapping[str, int]) -> float:
    """1 / rank of the first candidate holding the need's highest relevance grade."""
    top = _top_grade(rels)
    if top <= 0:
        return 0.0
    for i, c in enumerate(ranking):
        if rels.get(c, 0) == top:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(ranking: Sequence[str], rels: Mapping[str, int], k: int) -> float:
    """Share of the need's highest-grade candidates found in the top k."""
    top = _top_grade(rels)
    wanted = {c for c, r in rels.items() if r == top and top > 0}
    if not wanted:
        return 0.0
    return len(wanted.intersection(ranking[:k])) / len(wanted)


def average_precision(ranking: Sequence[str], rels: Mapping[str, int]) -> float:
    """Average precision with relevance >= 1 counted as relevant (over all relevant pairs)."""
    relevant = {c for c, r in rels.items() if r >= 1}
    if not relevant:
        return 0.0
    hits = 0
    total = 0.0
    for i, c in enumerate(ranking):
        if c in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / len(relevant)


def need_metrics(ranking: Sequence[str], rels: Mapping[str, int]) -> dict[str, float]:
    """All README metrics for one need's full ranking."""
    return {
        "ndcg@10": ndcg_at_k(ranking, rels, 10),
        "mrr": reciprocal_rank(ranking, rels),
        "recall@10": recall_at_k(ranking, rels, 10),
        "recall@50": recall_at_k(ranking, rels, 50),
        "map": average_precision(ranking, rels),
    }


def mean_metrics(per_need: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Average each metric over needs (0.0 for an empty list)."""
    if not per_need:
        return {m: 0.0 for m in METRIC_NAMES}
    return {m: sum(p[m] for p in per_need) / len(per_need) for m in METRIC_NAMES}
