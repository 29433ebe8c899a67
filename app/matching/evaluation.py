"""Offline evaluation of the matcher on a judged folder (candidates/needs/judgments.jsonl)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from app.matching.backends import BACKENDS
from app.matching.documents import (
    CandidateDocument,
    CandidateSkill,
    NeedDocument,
    RequiredSkill,
)
from app.matching.embedders import DTYPES, Embedder
from app.matching.fusion import PARTS, NeedParts, SetParts
from app.matching.index import CandidateIndex
from app.matching.matcher import METHODS, Filters, Matcher
from app.matching.metrics import METRIC_NAMES, mean_metrics, need_metrics
from app.matching.settings import MatcherSettings, load_matcher_settings


@dataclass(frozen=True, slots=True)
class JudgedSet:
    """A loaded evaluation folder."""

    candidates: tuple[CandidateDocument, ...]
    needs: tuple[NeedDocument, ...]
    judgments: Mapping[str, Mapping[str, int]]  # need id -> candidate id -> relevance


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{line_no}: invalid JSON: {exc}") from exc


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def candidate_from_dict(d: Mapping[str, Any]) -> CandidateDocument:
    """CandidateDocument from a candidates.jsonl record (extra optional fields accepted)."""
    skills = tuple(
        CandidateSkill(
            name=str(s["name"]),
            level=s.get("level"),
            years=float(s["years"]) if s.get("years") is not None else None,
        )
        for s in d.get("skills") or ()
    )
    windows: list[tuple[date, date | None]] = []
    for w in d.get("availability") or ():
        start, end = (w.get("start"), w.get("end")) if isinstance(w, dict) else (w[0], w[1])
        windows.append((_date(start) or date.min, _date(end)))
    sectors = d.get("sectors") or ([d["sector"]] if d.get("sector") else [])
    return CandidateDocument(
        id=str(d["id"]),
        headline=d.get("headline") or "",
        summary=d.get("summary") or "",
        skills=skills,
        languages=tuple(d.get("languages") or ()),
        mode=d.get("mode") or "both",
        availability=tuple(windows),
        sectors=tuple(sectors),
        has_matching_consent=bool(d.get("has_matching_consent", True)),
        is_confirmed=bool(d.get("is_confirmed", True)),
        gender=d.get("gender"),
        country=d.get("country"),
    )


def need_from_dict(d: Mapping[str, Any]) -> NeedDocument:
    """NeedDocument from a needs.jsonl record."""
    return NeedDocument(
        id=str(d["id"]),
        title=d.get("title") or "",
        description=d.get("description") or "",
        required_skills=tuple(
            RequiredSkill(name=str(s["name"]), importance=s.get("importance") or "must")
            for s in d.get("required_skills") or ()
        ),
        languages=tuple(d.get("languages") or ()),
        mode=d.get("mode") or "any",
        start=_date(d.get("start")),
        end=_date(d.get("end")),
        sector=d.get("sector"),
    )


def load_judged_set(folder: str | Path) -> JudgedSet:
    """Load candidates.jsonl, needs.jsonl and judgments.jsonl from a folder."""
    root = Path(folder)
    candidates = tuple(candidate_from_dict(d) for d in _jsonl(root / "candidates.jsonl"))
    needs = tuple(need_from_dict(d) for d in _jsonl(root / "needs.jsonl"))
    judg: dict[str, dict[str, int]] = {}
    for j in _jsonl(root / "judgments.jsonl"):
        judg.setdefault(str(j["need"]), {})[str(j["candidate"])] = int(j["relevance"])
    return JudgedSet(candidates, needs, judg)


def evaluate(
    data: JudgedSet,
    matcher: Matcher,
    methods: Sequence[str] = METHODS,
    filters: Filters | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean README metrics per method, ranking all candidates for every judged need."""
    return _evaluate_index(
        data, matcher, matcher.build_index(data.candidates), methods, filters, progress
    )


def _judged_needs(data: JudgedSet) -> Iterator[tuple[int, NeedDocument, Mapping[str, int]]]:
    """(position, need, judgments) of each need with a positive judgment.

    Needs without any have no defined metric; they are skipped.
    """
    for i, need in enumerate(data.needs):
        rels = data.judgments.get(need.id)
        if rels and max(rels.values()) > 0:
            yield i, need, rels


def _evaluate_index(
    data: JudgedSet,
    matcher: Matcher,
    index: CandidateIndex,
    methods: Sequence[str] = METHODS,
    filters: Filters | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, float]]:
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"unknown method {m!r}; choose from {METHODS}")
    per_method: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    flt = filters if filters is not None else Filters.none()
    for _i, need, rels in _judged_needs(data):
        enc = matcher.encode_need(need)
        for m in methods:
            ranked = matcher.rank_candidates(
                enc, index, top_k=None, filters=flt, method=m, explain_top_k=0
            )
            per_method[m].append(need_metrics([r.candidate_id for r in ranked], rels))
        if progress is not None:
            progress(need.id)
    return {m: mean_metrics(v) for m, v in per_method.items()}


def set_parts(data: JudgedSet, matcher: Matcher, name: str = "") -> SetParts:
    """Calibrated parts, fusion cells and relevance of every row for each judged need.

    What `fusion.fit_fusion` and `fusion.summarise` read: the hybrid of any weight table is
    then a few numpy operations per need, so a grid over weights costs seconds, not re-ranks.
    """
    index = matcher.build_index(data.candidates)
    unconfirmed = np.where(index.confirmed, 1.0, matcher.settings.unconfirmed_factor)
    rows: list[NeedParts] = []
    for _i, need, rels in _judged_needs(data):
        enc = matcher.encode_need(need)
        parts = PARTS if enc.phrases else ("dense", "lexical")
        sc = matcher._score_parts(enc, index, parts)
        n = len(index)
        cal = np.full((3, n), np.nan)
        for j, p in enumerate(PARTS):
            if p in sc.cal:
                cal[j] = sc.cal[p]
        rows.append(
            NeedParts(
                cal=cal,
                cell=sc.cell if sc.cell is not None else np.zeros(n, dtype=np.int64),
                lexical_ok=(
                    sc.lexical_ok.astype(np.float64)
                    if sc.lexical_ok is not None
                    else np.ones(n, dtype=np.float64)
                ),
                tie=sc.raw["dense"],
                rel=np.array([rels.get(cid, 0) for cid in index.ids], dtype=np.float64),
                unconfirmed=unconfirmed,
            )
        )
    return SetParts(name, tuple(rows))


# Design alternatives of the hybrid, each one setting changed from config/matching.toml:
# name -> (method ranked, settings overrides).
VARIANTS: Mapping[str, tuple[str, Mapping[str, Any]]] = {
    "hybrid:fusion=zscore": ("hybrid", {"fusion": "zscore"}),
    "hybrid:fusion=rrf": ("hybrid", {"fusion": "rrf"}),
    "hybrid:text_mix=0": ("hybrid", {"skill_text_mix": 0.0}),
    "hybrid:lexical=bm25": ("hybrid", {"lexical_kind": "bm25"}),
    "dense:composed-only": ("dense", {"dense_whole_weight": 1.0, "dense_title_weight": 0.0}),
}
REFERENCES = ("ref:tfidf", "ref:minilm", "ref:zsum")


def need_whole_text(need: NeedDocument) -> str:
    """A need as one text, as the dataset README's reference rankers read it."""
    return " ".join(
        p for p in (need.title, need.description, *(s.name for s in need.required_skills)) if p
    )


def candidate_whole_text(doc: CandidateDocument) -> str:
    """A candidate as one text (headline, summary, skills), as the reference rankers read it."""
    return " ".join(p for p in (doc.headline, doc.summary, *(s.name for s in doc.skills)) if p)


def _reference_scores(data: JudgedSet, embedder: Embedder) -> dict[str, np.ndarray]:
    """(needs x candidates) score matrices of the README's reference rankers, recomputed."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    cand_texts = [candidate_whole_text(c) for c in data.candidates]
    need_texts = [need_whole_text(n) for n in data.needs]
    tfidf = TfidfVectorizer(ngram_range=(1, 2)).fit(cand_texts + need_texts)
    lexical = (tfidf.transform(need_texts) @ tfidf.transform(cand_texts).T).toarray()
    dense = embedder.encode(need_texts) @ embedder.encode(cand_texts).T

    def z(mat: np.ndarray) -> np.ndarray:
        std = mat.std(axis=1, keepdims=True)
        std[std == 0] = 1.0
        return (mat - mat.mean(axis=1, keepdims=True)) / std

    return {"ref:tfidf": lexical, "ref:minilm": dense, "ref:zsum": z(lexical) + z(dense)}


def evaluate_variants(
    data: JudgedSet, matcher: Matcher, progress: Callable[[str], None] | None = None
) -> dict[str, dict[str, float]]:
    """Metrics of the hybrid's design alternatives (VARIANTS) and of the README's references.

    Candidate vectors are encoded once and shared by every variant; the references (TF-IDF
    word 1-2-grams, MiniLM cosine on whole texts, their per-need z-scored sum) are plain
    baselines computed here, not the matcher.
    """
    base = matcher.build_index(data.candidates)
    vectors = base.computed_vectors
    out: dict[str, dict[str, float]] = {}
    for name, (method, overrides) in VARIANTS.items():
        variant = Matcher(
            replace(matcher.settings, **overrides),
            matcher.embedder,
            matcher.cache,
            concepts=matcher.concepts,
            fusion_table=matcher.fusion_table,
        )
        index = variant.build_index(data.candidates, vectors)
        out[name] = _evaluate_index(data, variant, index, (method,))[method]
        if progress is not None:
            progress(name)
    ids = [c.id for c in data.candidates]
    for name, scores in _reference_scores(data, matcher.embedder).items():
        rows = []
        for i, _need, rels in _judged_needs(data):
            order = np.argsort(-scores[i], kind="stable")
            rows.append(need_metrics([ids[j] for j in order], rels))
        out[name] = mean_metrics(rows)
        if progress is not None:
            progress(name)
    return out


def evaluate_folder(
    folder: str | Path,
    settings: MatcherSettings | None = None,
    embedder: Embedder | None = None,
    methods: Sequence[str] = METHODS,
    config_path: str | Path | None = None,
) -> dict[str, dict[str, float]]:
    """Load a judged folder and evaluate; settings default to config/matching.toml."""
    if settings is None:
        settings = load_matcher_settings(config_path)
    matcher = Matcher(settings, embedder)
    return evaluate(load_judged_set(folder), matcher, methods)


def format_table(results: Mapping[str, Mapping[str, float]], width: int = 10) -> str:
    """Plain-text table, one row per method, columns in METRIC_NAMES order."""
    header = f"{'method':<{width}}" + "".join(f"{m:>11}" for m in METRIC_NAMES)
    lines = [header, "-" * len(header)]
    for method, vals in results.items():
        lines.append(
            f"{method:<{width}}" + "".join(f"{vals.get(m, 0.0):>11.3f}" for m in METRIC_NAMES)
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: python -m app.matching.evaluation DIR [--json] [--config PATH] [--methods ...]."""
    ap = argparse.ArgumentParser(prog="python -m app.matching.evaluation", description=__doc__)
    ap.add_argument("folder", help="folder with candidates/needs/judgments .jsonl")
    ap.add_argument("--config", default=None, help="matching.toml (default: config/)")
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    ap.add_argument("--model", default=None, help="local sentence-transformers model dir")
    ap.add_argument("--backend", default="auto", choices=BACKENDS)
    ap.add_argument("--dtype", default="auto", choices=("auto", *DTYPES))
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    from app.matching.backends import create_embedder

    t0 = time.perf_counter()
    results = evaluate_folder(
        args.folder,
        embedder=create_embedder(args.model, backend=args.backend, dtype=args.dtype),
        methods=args.methods,
        config_path=args.config,
    )
    elapsed = time.perf_counter() - t0
    if args.json:
        print(json.dumps(results, indent=2, sort_keys=True))
    else:
        print(format_table(results))
        print(f"({elapsed:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
