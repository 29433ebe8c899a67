"""`flask matching embed | evaluate | bench`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

matching_cli = AppGroup("matching", help="Embed profiles and needs, evaluate and benchmark.")

EMBEDDERS = click.Choice(["sentence-transformers", "hashing"])


@contextmanager
def _model_errors() -> Iterator[None]:
    """Turn a missing or broken sentence model into a one-line CLI error (exit code 1)."""
    from app.matching import ModelUnavailable

    try:
        yield
    except ModelUnavailable as exc:
        raise click.ClickException(f"the sentence model cannot be loaded: {exc}") from exc


def _bar(total: int, desc: str, unit: str) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)


@matching_cli.command("embed")
@click.option("--limit", type=int, default=None, help="At most this many documents.")
def embed_command(limit: int | None) -> None:
    """Encode and store the vectors of profiles and needs whose text changed."""
    from app.ranking.services import count_pending, embed_pending

    profiles, needs = count_pending()
    total = profiles + needs if limit is None else min(limit, profiles + needs)
    bar = _bar(total, "embedding", "doc")
    try:
        with _model_errors():
            report = embed_pending(limit=limit, progress=bar.update)
    finally:
        bar.close()
    db.session.commit()
    click.echo(
        f"embedded {report.needs} needs and {report.profiles} profiles "
        f"({report.texts_encoded} texts encoded)"
    )


def _model_option(func: Any) -> Any:
    from app.matching.backends import MODEL_NAMES

    return click.option(
        "--model",
        "model",
        type=click.Choice(MODEL_NAMES),
        default=None,
        help="The embedding model (default: the MATCHING_MODEL setting).",
    )(func)


def _cli_matcher(embedder_kind: str, model: str | None = None) -> Any:
    from app.matching import InMemoryVectorCache
    from app.ranking.services import build_matcher, get_embedder

    config = current_app.config
    if model is not None:
        config = {**config, "MATCHING_MODEL": model, "MATCHING_MODEL_PATH": None}
    embedder = get_embedder(config, kind=embedder_kind)
    # Same construction as the web app; offline runs keep their phrase vectors in memory.
    return build_matcher(current_app.config, embedder=embedder, cache=InMemoryVectorCache())


@matching_cli.command("evaluate")
@click.option(
    "--data",
    "data_dirs",
    required=True,
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A judged folder; repeat for several sets, English first: the summary gives each "
    "set's cross-lingual gap to the first.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="One JSON line keyed by method (several sets: {sets: {folder: ...}, summary: [...]}).",
)
@click.option(
    "--embedder",
    "embedder_kind",
    type=EMBEDDERS,
    default="sentence-transformers",
    show_default=True,
    help="The real model unless told otherwise (MATCHING_EMBEDDER is ignored here).",
)
@_model_option
@click.option(
    "--variants",
    is_flag=True,
    help="Also the hybrid's design alternatives (other fusions, text_mix off, BM25, composed "
    "vector alone) and the dataset README's reference rankers, recomputed.",
)
def evaluate_command(
    data_dirs: tuple[str, ...],
    as_json: bool,
    embedder_kind: str,
    variants: bool,
    model: str | None,
) -> None:
    """Offline metrics (nDCG@10, MRR, Recall@10/50, MAP) of every method on judged folders."""
    from app.matching.evaluation import (
        REFERENCES,
        VARIANTS,
        evaluate,
        evaluate_variants,
        format_table,
    )
    from app.ranking.multilingual import format_summary, summary_rows

    sets = _load_sets(data_dirs)
    matcher = _cli_matcher(embedder_kind, model)
    t0 = time.perf_counter()
    per_set: dict[str, dict[str, dict[str, float]]] = {}
    for data_dir, data in sets.items():
        bar = _bar(len(data.needs), "evaluating", "need")
        try:
            with _model_errors():
                results = evaluate(data, matcher, progress=lambda _need, b=bar: b.update(1))
        finally:
            bar.close()
        extra: dict[str, dict[str, float]] = {}
        if variants:
            bar = _bar(len(VARIANTS) + len(REFERENCES), "variants", "variant")
            try:
                with _model_errors():
                    extra = evaluate_variants(
                        data, matcher, progress=lambda _name, b=bar: b.update(1)
                    )
            finally:
                bar.close()
        per_set[data_dir] = {**results, **extra}
        if not as_json:
            if len(sets) > 1:
                click.echo(f"\n{data_dir}")
            click.echo(format_table(results))
            if extra:
                click.echo()
                click.echo(format_table(extra, width=22))
    rows = summary_rows(per_set)
    if as_json:
        only = next(iter(per_set.values()))
        body = only if len(per_set) == 1 else {"sets": per_set, "summary": rows}
        click.echo(json.dumps(body, sort_keys=True))
    else:
        click.echo()
        click.echo(format_summary(rows))
    click.echo(f"({time.perf_counter() - t0:.1f} s, model {matcher.embedder.model_name})", err=True)


def _load_sets(data_dirs: Sequence[str]) -> dict[str, Any]:
    from app.matching.evaluation import load_judged_set

    sets: dict[str, Any] = {}
    for data_dir in data_dirs:
        try:
            sets[data_dir] = load_judged_set(data_dir)
        except (OSError, ValueError, KeyError) as exc:
            raise click.ClickException(f"cannot read the judged folder {data_dir}: {exc}") from exc
    return sets


@matching_cli.command("fit-fusion")
@click.option(
    "--data",
    "data_dirs",
    required=True,
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A judged folder; repeat (the dev set, its cross-lingual variants, the CV set).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True),
    required=True,
    help="Where to write the table (the shipped one: app/matching/fusion_weights.json).",
)
@click.option(
    "--step", type=click.FloatRange(0.05, 0.5), default=0.1, show_default=True, help="Grid step."
)
@click.option("--embedder", "embedder_kind", type=EMBEDDERS, default="sentence-transformers")
@_model_option
def fit_fusion_command(
    data_dirs: tuple[str, ...],
    out: str,
    step: float,
    embedder_kind: str,
    model: str | None,
) -> None:
    """Fit the hybrid's weights per kind of profile and language pairing on judged folders."""
    from pathlib import Path

    from app.matching.evaluation import set_parts
    from app.matching.fusion import FusionTable, fit_fusion_staged, summarise

    sets = _load_sets(data_dirs)
    # Parts are computed without any fitted table (the table only fuses them).
    matcher = _cli_matcher(embedder_kind, model)
    parts = []
    with _model_errors():
        for data_dir, data in sets.items():
            click.echo(f"scoring {data_dir}", err=True)
            parts.append(set_parts(data, matcher, data_dir))
    s = matcher.settings
    # Coordinate ascent stops at a local optimum: it starts from the table in use (so a refit
    # on unchanged parts reproduces it), or from [weights] everywhere when there is none.
    start = matcher.fusion_table or FusionTable(
        default=(s.weight_dense, s.weight_skills, s.weight_lexical)
    )
    table, _value = fit_fusion_staged(parts, start, step=step)
    command = " ".join(
        ["flask matching fit-fusion", *(f"--data {d}" for d in data_dirs), f"--out {out}"]
    )
    table = FusionTable(
        table.weights,
        table.default,
        matcher.embedder.model_name,
        f"{command} (step {step})",
        table.offsets,
    )
    Path(out).write_text(table.to_json(), encoding="utf-8")
    for name, row in summarise(parts, table).items():
        cells = "  ".join(f"{k} {v[0]:.3f}/{v[1]:.3f}" for k, v in row.items())
        click.echo(f"{name}: {cells}  (nDCG@10/MAP)")
    click.echo(f"wrote {out}")


def demo_candidate_document(p: Any, id_: str) -> Any:
    """CandidateDocument of a demo professional (app.demo.generator.DemoProfessional)."""
    from app.matching import CandidateDocument, CandidateSkill

    return CandidateDocument(
        id=id_,
        headline=p.headline,
        summary=p.bio,
        skills=tuple(CandidateSkill(n, lvl, float(y)) for n, lvl, y in p.skills),
        languages=tuple(code for code, _level in p.languages),
        mode=p.availability.mode,
        availability=tuple((s, e) for s, e in p.availability.windows),
        sectors=tuple(p.sectors),
        has_matching_consent=p.consents.matching,
        gender=p.gender,
        country=p.country,
    )


def demo_need_document(n: Any, id_: str) -> Any:
    """NeedDocument of a demo need (app.demo.generator.DemoNeed)."""
    from app.matching import NeedDocument, RequiredSkill

    return NeedDocument(
        id=id_,
        title=n.title,
        description="\n\n".join(
            p
            for p in (
                n.background,
                n.objectives,
                "\n".join(f"- {d}" for d in n.deliverables),
                n.success_criteria,
            )
            if p
        ),
        required_skills=tuple(RequiredSkill(s, imp) for s, imp in n.required_skills),
        languages=tuple(code for code, *_rest in n.languages),
        mode=n.mode,
        start=n.start,
        end=n.end,
        sector=n.sector,
    )


def demo_documents(n_candidates: int, n_needs: int = 48) -> tuple[list[Any], list[Any]]:
    """Candidate and need documents from the seeded demo generator."""
    from app.demo.generator import generate_institutions, generate_needs, generate_professionals

    pros = generate_professionals(n_candidates)
    needs = generate_needs(generate_institutions(), n=n_needs)
    return (
        [demo_candidate_document(p, f"p{i}") for i, p in enumerate(pros)],
        [demo_need_document(n, f"n{i}") for i, n in enumerate(needs)],
    )


BENCH_KEYS: Sequence[str] = ("rank_p50_ms", "rank_p95_ms", "encode_docs_per_s", "index_build_s")


@matching_cli.command("bench")
@click.option("--candidates", "n", type=int, default=100_000, show_default=True)
@click.option("--encode-sample", type=int, default=2000, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON line of figures.")
@click.option("--embedder", "embedder_kind", type=EMBEDDERS, default="sentence-transformers")
@click.option(
    "--encode-only", is_flag=True, help="Stop after the encoding figures (no index, no ranking)."
)
@_model_option
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help="intra-op threads of torch and ONNX Runtime (default: theirs). With 1 on a busy "
    "machine, read the *_cpu ratios.",
)
def bench_command(
    n: int,
    encode_sample: int,
    as_json: bool,
    embedder_kind: str,
    encode_only: bool,
    threads: int | None,
    model: str | None,
) -> None:
    """Encode throughput (cold/warm), naive baseline, index build, ranking p50/p95, memory."""
    from app.matching.benchmark import format_benchmark, run_benchmark

    matcher = _cli_matcher(embedder_kind, model)
    if threads is not None and embedder_kind == "sentence-transformers":
        from app.matching.packaged import PackagedEmbedder

        if not isinstance(matcher.embedder, PackagedEmbedder):
            import torch

            # The torch baselines and a torch matcher read this; an ONNX session and a
            # packaged model (no torch at all) their own setting.
            torch.set_num_threads(threads)
        set_threads = getattr(matcher.embedder, "set_threads", None)
        if set_threads is not None:
            set_threads(threads)
    docs, needs = demo_documents(max(1, min(n, encode_sample)))
    with _model_errors():
        result = run_benchmark(
            docs,
            needs,
            n,
            encode_sample=encode_sample,
            progress=True,  # bars go to stderr; stdout keeps the table or the JSON line
            settings=matcher.settings,
            embedder=matcher.embedder,
            encode_only=encode_only,
        )
    if as_json:
        click.echo(json.dumps(result, sort_keys=True))
    else:
        click.echo(format_benchmark(result))
