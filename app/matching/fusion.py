"""Adaptive fusion: hybrid weights per kind of profile and per language pairing, fitted offline.

A profile that lists its skills, a pasted CV without listed skills and a profile with both are
read best by different mixes of the parts (a CV's words are its evidence, so the lexical part
carries more there); and when a need and a profile are written in different languages, exact
words say little. The table maps each cell ``<kind>/<pairing>`` to weights of the three
parts; it is fitted by `fit_fusion` on judged sets (`flask matching fit-fusion`) with a coarse
grid and stored as JSON next to this module (`fusion_weights.json`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.matching.documents import CandidateDocument, NeedDocument
from app.matching.language import detect_language

PARTS = ("dense", "skills", "lexical")
PROFILE_KINDS = ("structured", "text", "mixed")
PAIRINGS = ("same", "cross")
CELLS = tuple(f"{k}/{p}" for k in PROFILE_KINDS for p in PAIRINGS)

# A summary this long next to listed skills makes a profile "mixed" (a CV pasted beside them).
MIXED_SUMMARY_WORDS = 40

DEFAULT_FUSION_PATH = Path(__file__).resolve().with_name("fusion_weights.json")


def profile_kind(doc: CandidateDocument) -> str:
    """ "structured" (skills listed, short text), "text" (no skills: a CV) or "mixed"."""
    if not doc.skills:
        return "text"
    if len(doc.summary.split()) >= MIXED_SUMMARY_WORDS:
        return "mixed"
    return "structured"


def candidate_language(doc: CandidateDocument) -> str:
    """Language a profile is written in ("en", "fr", "rw"; "" when the text does not say)."""
    text = " . ".join([doc.headline, doc.summary, *(s.name for s in doc.skills)])
    return detect_language(text)


def need_language(doc: NeedDocument) -> str:
    """Language a need is written in ("" when the text does not say)."""
    text = " . ".join([doc.title, doc.description, *(s.name for s in doc.required_skills)])
    return detect_language(text)


def pairing(need_lang: str, cand_lang: str) -> str:
    """ "cross" when both languages are known and differ, else "same"."""
    return "cross" if need_lang and cand_lang and need_lang != cand_lang else "same"


@dataclass(frozen=True, slots=True)
class FusionTable:
    """Weights of (dense, skills, lexical) per cell; cells not listed use `default`."""

    weights: Mapping[str, tuple[float, float, float]] = field(default_factory=dict)
    default: tuple[float, float, float] = (0.60, 0.25, 0.15)
    model_name: str = ""
    note: str = ""
    # Added to the fused score of a cell's rows: the model's cosines of a French profile and an
    # English need sit lower than those of two English texts that match as well, so without it
    # a pool that mixes languages ranks the French profile below an equal English one.
    offsets: Mapping[str, float] = field(default_factory=dict)

    def matrix(self) -> np.ndarray:
        """(len(CELLS), 3) weights in CELLS order."""
        return np.array([self.weights.get(c, self.default) for c in CELLS], dtype=np.float64)

    def offset_vector(self) -> np.ndarray:
        """(len(CELLS),) score offsets in CELLS order."""
        return np.array([self.offsets.get(c, 0.0) for c in CELLS], dtype=np.float64)

    def to_json(self) -> str:
        """Stable JSON (the shipped file's format)."""
        body = {
            "model_name": self.model_name,
            "note": self.note,
            "parts": list(PARTS),
            "default": list(self.default),
            "weights": {c: list(self.weights[c]) for c in CELLS if c in self.weights},
            "offsets": {c: self.offsets[c] for c in CELLS if self.offsets.get(c)},
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> FusionTable:
        """Parse the JSON form; unknown cells or negative/zero-sum weights raise ValueError."""
        weights: dict[str, tuple[float, float, float]] = {}
        for cell, w in (data.get("weights") or {}).items():
            if cell not in CELLS:
                raise ValueError(f"unknown fusion cell {cell!r}; cells are {CELLS}")
            weights[cell] = _weights(w)
        default = _weights(data.get("default") or (0.60, 0.25, 0.15))
        offsets: dict[str, float] = {}
        for cell, v in (data.get("offsets") or {}).items():
            if cell not in CELLS or not -0.5 <= float(v) <= 0.5:
                raise ValueError(f"bad fusion offset {cell!r}: {v!r}")
            offsets[cell] = float(v)
        return cls(
            weights,
            default,
            str(data.get("model_name") or ""),
            str(data.get("note") or ""),
            offsets,
        )


def _weights(w: Sequence[float]) -> tuple[float, float, float]:
    vals = tuple(float(x) for x in w)
    if len(vals) != 3 or min(vals) < 0 or sum(vals) <= 0:
        raise ValueError(f"fusion weights must be three non-negative numbers, got {w!r}")
    return (vals[0], vals[1], vals[2])


def load_fusion_table(path: str | Path | None = None) -> FusionTable:
    """Read a fusion table (default: the one shipped with the app)."""
    p = Path(path) if path is not None else DEFAULT_FUSION_PATH
    return FusionTable.from_mapping(json.loads(p.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------- fitting
@dataclass(frozen=True, slots=True)
class NeedParts:
    """Everything fusion needs for one judged need: calibrated parts of every row."""

    cal: np.ndarray  # (3, n) calibrated dense, skills, lexical (NaN row: part unavailable)
    cell: np.ndarray  # (n,) index into CELLS
    lexical_ok: np.ndarray  # (n,) bool: the lexical part may count for this row
    tie: np.ndarray  # (n,) tie-break signal (raw dense)
    rel: np.ndarray  # (n,) graded relevance
    unconfirmed: np.ndarray  # (n,) multiplier


@dataclass(frozen=True, slots=True)
class SetParts:
    """A judged set's parts, one NeedParts per judged need."""

    name: str
    needs: tuple[NeedParts, ...]


def row_weights(
    table: np.ndarray, cell: np.ndarray, lexical_ok: np.ndarray, available: np.ndarray
) -> np.ndarray:
    """(n, 3) normalised weights of each row: its cell's, without unavailable parts."""
    w = table[cell].copy()
    w[:, 2] *= lexical_ok
    w *= available[None, :]
    total = w.sum(axis=1, keepdims=True)
    # A row whose cell keeps only an unavailable part falls back to the parts it has, equally.
    empty = total[:, 0] <= 0
    if empty.any():
        w[empty] = available[None, :] / max(float(available.sum()), 1.0)
        total = w.sum(axis=1, keepdims=True)
    return w / total


def fuse_rows(
    cal: np.ndarray, w: np.ndarray, cell: np.ndarray, offsets: np.ndarray | None
) -> np.ndarray:
    """Weighted sum of (3, n) calibrated parts with (n, 3) row weights, plus cell offsets,
    clipped to [0, 1]: the hybrid score before the unconfirmed factor."""
    fused = (w * cal.T).sum(axis=1)
    if offsets is not None:
        fused = fused + offsets[cell]
    return np.clip(fused, 0.0, 1.0)


def fuse_need(table: np.ndarray, p: NeedParts, offsets: np.ndarray | None = None) -> np.ndarray:
    """Hybrid scores of one need's rows under a (cells x 3) table, as the matcher fuses."""
    available = ~np.isnan(p.cal[:, 0])
    cal = np.nan_to_num(p.cal)
    w = row_weights(table, p.cell, p.lexical_ok, available.astype(np.float64))
    return fuse_rows(cal, w, p.cell, offsets) * p.unconfirmed


def ranking_metrics(scores: np.ndarray, tie: np.ndarray, rel: np.ndarray) -> tuple[float, float]:
    """(nDCG@10, MAP) of one need as app.matching.metrics defines them, vectorised."""
    key = scores.astype(np.float64) + 1e-7 * np.tanh(tie.astype(np.float64))
    order = np.argsort(-key, kind="stable")
    r = rel[order]
    disc = 1.0 / np.log2(np.arange(2, 12))
    dcg = float(((2.0 ** r[:10] - 1) * disc[: min(10, len(r))]).sum())
    ideal = np.sort(rel[rel > 0])[::-1][:10]
    idcg = float(((2.0**ideal - 1) * disc[: len(ideal)]).sum())
    hits = r >= 1
    n_rel = int((rel >= 1).sum())
    if n_rel:
        pos = np.flatnonzero(hits) + 1
        ap = float((np.arange(1, len(pos) + 1) / pos).sum() / n_rel)
    else:
        ap = 0.0
    return (dcg / idcg if idcg > 0 else 0.0), ap


def set_scores(
    table: np.ndarray, sp_: SetParts, offsets: np.ndarray | None = None
) -> tuple[float, float]:
    """Mean (nDCG@10, MAP) of the hybrid over a set's needs."""
    vals = [ranking_metrics(fuse_need(table, p, offsets), p.tie, p.rel) for p in sp_.needs]
    return float(np.mean([v[0] for v in vals])), float(np.mean([v[1] for v in vals]))


def part_scores(sp_: SetParts) -> dict[str, tuple[float, float]]:
    """Mean (nDCG@10, MAP) of each single part over a set's needs."""
    out: dict[str, tuple[float, float]] = {}
    for j, part in enumerate(PARTS):
        vals = []
        for p in sp_.needs:
            col = p.cal[j] if not np.isnan(p.cal[j, 0]) else p.cal[0]
            vals.append(ranking_metrics(np.nan_to_num(col) * p.unconfirmed, p.tie, p.rel))
        out[part] = (float(np.mean([v[0] for v in vals])), float(np.mean([v[1] for v in vals])))
    return out


# Cost of a shortfall below the best single part, per unit of nDCG@10 or MAP.
PENALTY = 3.0
# Score offsets tried per cell: coarse, and never more than a tenth of the score range.
OFFSET_GRID = (0.0, 0.02, 0.04, 0.06, 0.08, 0.10)


def grid(step: float) -> list[tuple[float, float, float]]:
    """Every (dense, skills, lexical) on the simplex with the given step."""
    k = round(1.0 / step)
    return [
        (i / k, j / k, (k - i - j) / k)
        for i, j in itertools.product(range(k + 1), repeat=2)
        if i + j <= k
    ]


def objective(
    table: np.ndarray,
    sets: Sequence[SetParts],
    parts: Sequence[Mapping],
    offsets: np.ndarray | None = None,
) -> float:
    """Mean of nDCG@10 and MAP over sets, minus a heavy penalty where a single part wins.

    "Never loses to its best part" is a constraint, not a wish: a set where the hybrid falls
    below its best single part on either metric costs PENALTY times the shortfall.
    """
    total = 0.0
    for s, best in zip(sets, parts, strict=True):
        ndcg, ap = set_scores(table, s, offsets)
        total += (ndcg + ap) / 2
        bn = max(v[0] for v in best.values())
        bm = max(v[1] for v in best.values())
        total -= PENALTY * (max(0.0, bn - ndcg) + max(0.0, bm - ap))
    return total / max(len(sets), 1)


def same_language_rows(sets: Sequence[SetParts]) -> list[SetParts]:
    """The sets restricted to rows whose need and profile share a language (needs without a
    relevant row left are dropped)."""
    out: list[SetParts] = []
    for s in sets:
        needs = []
        for p in s.needs:
            keep = p.cell % len(PAIRINGS) == 0
            if not (p.rel[keep] > 0).any():
                continue
            needs.append(
                NeedParts(
                    p.cal[:, keep],
                    p.cell[keep],
                    p.lexical_ok[keep],
                    p.tie[keep],
                    p.rel[keep],
                    p.unconfirmed[keep],
                )
            )
        if needs:
            out.append(SetParts(s.name, tuple(needs)))
    return out


def fit_fusion_staged(
    sets: Sequence[SetParts],
    start: FusionTable,
    step: float = 0.1,
    rounds: int = 2,
    progress: Callable[[str], None] | None = None,
) -> tuple[FusionTable, float]:
    """Fit same-language cells on same-language rankings first, then cross-language cells.

    Same-language weights are thus chosen for what they rank, not bent to make room for
    profiles in another language; the cross cells (weights and offset) then fit the mixed
    and fully cross-lingual pools with the same-language cells fixed.
    """
    same_cells = [i for i, c in enumerate(CELLS) if c.endswith("/same")]
    cross_cells = [i for i, c in enumerate(CELLS) if c.endswith("/cross")]
    table, _ = fit_fusion(same_language_rows(sets), start, step, rounds, progress, same_cells)
    return fit_fusion(sets, table, step, rounds, progress, cross_cells)


def fit_fusion(
    sets: Sequence[SetParts],
    start: FusionTable,
    step: float = 0.1,
    rounds: int = 2,
    progress: Callable[[str], None] | None = None,
    cells: Sequence[int] | None = None,
) -> tuple[FusionTable, float]:
    """Coordinate ascent over cells on a coarse simplex grid; returns the table and its score.

    Only cells that occur in the sets are fitted (the others keep `start`'s weights), and a
    cell moves only for a gain above 0.002, so noise on a few needs cannot pull it. Each cell
    but the reference one ("structured/same") also gets a score offset from OFFSET_GRID.
    """
    table = start.matrix()
    offsets = start.offset_vector()
    counts = np.zeros(len(CELLS), dtype=np.int64)
    for s in sets:
        for p in s.needs:
            counts += np.bincount(p.cell, minlength=len(CELLS))
    # Rarest cells first: a cell seen in one small set is settled before a common cell could
    # bend its weights to make up for it (coordinate ascent stops at the first local optimum).
    present = [int(c) for c in np.argsort(counts, kind="stable") if counts[c] > 0]
    if cells is not None:
        present = [c for c in present if c in cells]
    best_parts = [part_scores(s) for s in sets]
    current = objective(table, sets, best_parts, offsets)
    options = grid(step)
    for _round in range(rounds):
        moved = False
        for ci in present:
            best_w, best_v = table[ci].copy(), current
            for w in options:
                trial = table.copy()
                trial[ci] = w
                v = objective(trial, sets, best_parts, offsets)
                if v > best_v + 0.002:
                    best_w, best_v = np.array(w), v
            best_o = offsets[ci]
            if ci != 0:
                for o in OFFSET_GRID:
                    trial_o = offsets.copy()
                    trial_o[ci] = o
                    trial = table.copy()
                    trial[ci] = best_w
                    v = objective(trial, sets, best_parts, trial_o)
                    if v > best_v + 0.002:
                        best_o, best_v = o, v
            if not np.allclose(best_w, table[ci]) or best_o != offsets[ci]:
                table[ci] = best_w
                offsets[ci] = best_o
                current = best_v
                moved = True
            if progress is not None:
                progress(CELLS[ci])
        if not moved:
            break
    weights = dict(start.weights)
    fitted_offsets = dict(start.offsets)
    for ci in present:
        weights[CELLS[ci]] = tuple(round(float(x), 3) for x in table[ci])  # type: ignore[assignment]
        fitted_offsets[CELLS[ci]] = round(float(offsets[ci]), 3)
    table_out = FusionTable(weights, start.default, start.model_name, start.note, fitted_offsets)
    return table_out, current


def summarise(sets: Sequence[SetParts], table: FusionTable) -> dict[str, dict[str, Any]]:
    """Per set: hybrid and single-part (nDCG@10, MAP) under a table."""
    mat = table.matrix()
    off = table.offset_vector()
    out: dict[str, dict[str, Any]] = {}
    for s in sets:
        out[s.name] = {"hybrid": set_scores(mat, s, off), **part_scores(s)}
    return out
