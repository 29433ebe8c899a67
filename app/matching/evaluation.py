"""Offline evaluation of the matcher on a judged folder (candidates/needs/judgments.jsonl)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from app.matching.documents import (
    CandidateDocument,
    CandidateSkill,
    NeedDocument,
    RequiredSkill,
)
from app.matching.embedders import Embedder
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
    for m in methods:
        if m not in METHODS:
            raise ValueError(f"unknown method {m!r}; choose from {METHODS}")
    index = matcher.build_index(data.candidates)
    per_method: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    flt = filters if filters is not None else Filters.none()
    for need in data.needs:
        rels = data.judgments.get(need.id)
        # Needs without any positive judgment have no defined metric; they are skipped.
        if not rels or max(rels.values()) <= 0:
            continue
        enc = matcher.encode_need(need)
        for m in methods:
            ranked = matcher.rank_candidates(
                enc, index, top_k=None, filters=flt, method=m, explain_top_k=0
            )
            per_method[m].append(need_metrics([r.candidate_id for r in ranked], rels))
        if progress is not None:
            progress(need.id)
    return {m: mean_metrics(v) for m, v in per_method.items()}


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


def format_table(results: Mapping[str, Mapping[str, float]]) -> str:
    """Plain-text table, one row per method, columns in METRIC_NAMES order."""
    header = f"{'method':<10}" + "".join(f"{m:>11}" for m in METRIC_NAMES)
    lines = [header, "-" * len(header)]
    for method, vals in results.items():
        lines.append(f"{method:<10}" + "".join(f"{vals.get(m, 0.0):>11.3f}" for m in METRIC_NAMES))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: python -m app.matching.evaluation DIR [--json] [--config PATH] [--methods ...]."""
    ap = argparse.ArgumentParser(prog="python -m app.matching.evaluation", description=__doc__)
    ap.add_argument("folder", help="folder with candidates/needs/judgments .jsonl")
    ap.add_argument("--config", default=None, help="matching.toml (default: config/)")
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    ap.add_argument("--model", default=None, help="local sentence-transformers model dir")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    from app.matching.embedders import SentenceTransformerEmbedder

    t0 = time.perf_counter()
    results = evaluate_folder(
        args.folder,
        embedder=SentenceTransformerEmbedder(args.model),
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
