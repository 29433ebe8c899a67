"""What the matcher needs from the app to rank across languages: the skill taxonomy as a concept
lexicon, and the fusion weights shipped with the app (fitted by `flask matching fit-fusion`).
Also the per-set summary of `flask matching evaluate` (hybrid vs parts, cross-lingual gap).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from app.matching.fusion import DEFAULT_FUSION_PATH, FusionTable, load_fusion_table
from app.matching.language import ConceptLexicon

# Tolerance of the quality bar: a cross-lingual variant within 0.03 nDCG@10 of English.
MAX_CROSS_LINGUAL_GAP = 0.03


@lru_cache(maxsize=1)
def concept_lexicon() -> ConceptLexicon:
    """Every label of the skill taxonomy (English, French, Kinyarwanda) -> its concept id, and
    each French or Kinyarwanda label's English preferred label (the text it is embedded by)."""
    from app.reference.skills import concept_pivots, concept_terms

    return ConceptLexicon.from_pairs(concept_terms(), pivots=concept_pivots())


@lru_cache(maxsize=8)
def _table(path: str) -> FusionTable:
    return load_fusion_table(path)


def fusion_table(config: Mapping[str, Any]) -> FusionTable | None:
    """The fusion table in use: MATCHING_FUSION_WEIGHTS (a path; "" = none, the [weights] of
    matching.toml for every profile) or the file shipped with the app."""
    path = config.get("MATCHING_FUSION_WEIGHTS", str(DEFAULT_FUSION_PATH))
    if not path or not Path(str(path)).is_file():
        return None
    return _table(str(path))


def summary_rows(
    results: Mapping[str, Mapping[str, Mapping[str, float]]],
) -> list[dict[str, Any]]:
    """Per set: hybrid nDCG@10 and MAP, the best single part of each, and the gap of each set's
    hybrid nDCG@10 to the first set's (the English reference when sets are given English
    first)."""
    rows: list[dict[str, Any]] = []
    reference: float | None = None
    for name, methods in results.items():
        hybrid = methods.get("hybrid", {})
        singles = {m: v for m, v in methods.items() if m in ("dense", "skills", "lexical")}
        best_ndcg = max(singles, key=lambda m: singles[m]["ndcg@10"]) if singles else ""
        best_map = max(singles, key=lambda m: singles[m]["map"]) if singles else ""
        ndcg = float(hybrid.get("ndcg@10", 0.0))
        if reference is None:
            reference = ndcg
        rows.append(
            {
                "set": name,
                "hybrid_ndcg@10": round(ndcg, 4),
                "hybrid_map": round(float(hybrid.get("map", 0.0)), 4),
                "best_part_ndcg@10": best_ndcg,
                "best_part_ndcg@10_value": round(singles[best_ndcg]["ndcg@10"], 4)
                if best_ndcg
                else 0.0,
                "best_part_map": best_map,
                "best_part_map_value": round(singles[best_map]["map"], 4) if best_map else 0.0,
                "hybrid_is_best": bool(
                    singles
                    and ndcg >= singles[best_ndcg]["ndcg@10"]
                    and float(hybrid.get("map", 0.0)) >= singles[best_map]["map"]
                ),
                "gap_to_first": round(reference - ndcg, 4),
            }
        )
    return rows


def format_summary(rows: Sequence[Mapping[str, Any]]) -> str:
    """The summary as a plain-text table (the gap is to the first set given)."""
    header = (
        f"{'set':<34}{'hybrid nDCG@10':>15}{'hybrid MAP':>11}{'best part nDCG':>22}"
        f"{'best part MAP':>22}{'hybrid best':>12}{'gap':>8}"
    )
    lines = [header, "-" * len(header)]
    for r in rows:
        part_n = f"{r['best_part_ndcg@10']} {r['best_part_ndcg@10_value']:.3f}"
        part_m = f"{r['best_part_map']} {r['best_part_map_value']:.3f}"
        lines.append(
            f"{str(r['set'])[-34:]:<34}{r['hybrid_ndcg@10']:>15.3f}{r['hybrid_map']:>11.3f}"
            f"{part_n:>22}{part_m:>22}{'yes' if r['hybrid_is_best'] else 'NO':>12}"
            f"{r['gap_to_first']:>8.3f}"
        )
    return "\n".join(lines)
