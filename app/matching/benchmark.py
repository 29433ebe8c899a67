"""Speed benchmark: bulk encoding, index build, ranking latency and memory of the matcher."""

from __future__ import annotations

import argparse
import json
import os
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from app.matching.backends import BACKENDS, create_embedder
from app.matching.cache import InMemoryVectorCache
from app.matching.documents import CandidateDocument, NeedDocument
from app.matching.embedders import DTYPES, Embedder, l2_normalize
from app.matching.matcher import Matcher
from app.matching.settings import MatcherSettings, load_matcher_settings


def rss_mb() -> float:
    """Current resident set size of this process in MiB (0.0 where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def _load_average() -> float:
    """The machine's 1-minute load average (other work skews every figure; -1.0 if unknown)."""
    try:
        return float(os.getloadavg()[0])
    except OSError:
        return -1.0


def _token_counts(embedder: Embedder) -> tuple[int, int]:
    """Tokens (real, with padding) the embedder has run so far (0, 0 if it does not count)."""
    return int(getattr(embedder, "tokens_real", 0)), int(getattr(embedder, "tokens_padded", 0))


def _percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def _profile_text(d: CandidateDocument) -> str:
    """The whole profile as one text, as a naive pipeline would embed it."""
    return ". ".join(p for p in (d.headline, ", ".join(s.name for s in d.skills), d.summary) if p)


class _Bar:
    """Optional tqdm bar fed by the embedder's per-batch callback."""

    def __init__(self, embedder: Embedder, total: int, desc: str, enabled: bool) -> None:
        self.embedder = embedder
        self.bar: Any = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="text", leave=False)
        setter = getattr(embedder, "set_progress", None)
        if setter is not None:
            setter(self.bar.update if self.bar is not None else None)

    def close(self) -> None:
        setter = getattr(self.embedder, "set_progress", None)
        if setter is not None:
            setter(None)
        if self.bar is not None:
            self.bar.close()


def _encode_pipeline(
    matcher: Matcher, docs: Sequence[CandidateDocument], desc: str, progress: bool
) -> tuple[float, float]:
    """(wall, CPU) seconds to encode docs the matcher's way (views + phrases via its cache)."""
    phrases = list(dict.fromkeys(p for d in docs for p in d.phrases()))
    bar = _Bar(matcher.embedder, 2 * len(docs) + len(phrases), desc, progress)
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        matcher.encode_candidates(docs)
        matcher.encode_phrases(phrases)
        return time.perf_counter() - t0, time.process_time() - c0
    finally:
        bar.close()


def run_benchmark(
    documents: Sequence[CandidateDocument],
    needs: Sequence[NeedDocument],
    n: int,
    encode_sample: int = 2000,
    progress: bool = True,
    settings: MatcherSettings | None = None,
    embedder: Embedder | None = None,
    n_queries: int = 50,
    seed: int = 0,
    baseline: bool = True,
    encode_only: bool = False,
) -> dict[str, Any]:
    """Measure encode throughput, index build and ranking latency over n candidates.

    CPU-time ratios (`*_cpu`) are the ones to read on a busy machine when run with one
    thread: process time does not count the waits that other processes cause.
    """
    if not documents or not needs:
        raise ValueError("need at least one candidate and one need")
    settings = settings or load_matcher_settings()
    embedder = embedder or create_embedder()
    sample = list(documents[: max(1, min(encode_sample, len(documents)))])
    result: dict[str, Any] = {"n": n, "encode_sample": len(sample), "model": embedder.model_name}
    result["load_avg_1m_start"] = _load_average()
    embedder.encode(["warm-up"])  # model load time is not encoding throughput
    # The naive baselines call the model as shipped (float32), whatever the matcher runs.
    raw = (
        getattr(embedder, "reference_model", getattr(embedder, "raw_model", None))
        if baseline
        else None
    )
    texts = [_profile_text(d) for d in sample]
    if raw is not None:
        raw.encode(["warm-up"], show_progress_bar=False)  # its first call is not throughput
    # The per-profile baseline (one SentenceTransformer.encode call per whole profile text, no
    # batching) is slow, so it is timed on 300 profiles, in three slices run before, between
    # and after the two bulk passes: a change in the machine's load hits both sides alike.
    few = texts[:300]
    slices = [few[i::3] for i in range(3)]
    per_profile_s = per_profile_cpu = 0.0

    def per_profile_slice(part: list[str]) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for text in part:
            raw.encode([text], show_progress_bar=False)
        return time.perf_counter() - t0, time.process_time() - c0

    def add_slice(part: list[str]) -> None:
        nonlocal per_profile_s, per_profile_cpu
        if raw is not None:
            wall, cpu = per_profile_slice(part)
            per_profile_s += wall
            per_profile_cpu += cpu

    add_slice(slices[0])
    cold = Matcher(settings, embedder, InMemoryVectorCache())
    t_cold, cpu_cold = _encode_pipeline(cold, sample, "encode (cold)", progress)
    add_slice(slices[1])
    warm = Matcher(settings, embedder, cold.cache)
    real_before, padded_before = _token_counts(embedder)
    t_warm, cpu_warm = _encode_pipeline(warm, sample, "encode (warm skills)", progress)
    real_after, padded_after = _token_counts(embedder)
    real, padded = real_after - real_before, padded_after - padded_before
    if real:
        # Share of extra (padding) tokens the model ran in the warm pass's batches.
        result["padding_overhead_warm"] = padded / real - 1.0
    add_slice(slices[2])
    result["encode_docs_per_s"] = len(sample) / t_cold
    result["encode_docs_per_s_warm"] = len(sample) / t_warm
    if raw is not None:
        t0 = time.perf_counter()
        raw.encode(texts, show_progress_bar=progress)  # default batch size, whole profiles
        t_naive = time.perf_counter() - t0
        result["naive_docs_per_s"] = len(sample) / t_naive
        result["speedup_cold"] = t_naive / t_cold
        result["speedup_warm"] = t_naive / t_warm
        per_profile = len(few) / per_profile_s
        result["naive_per_profile_docs_per_s"] = per_profile
        result["speedup_cold_vs_per_profile"] = result["encode_docs_per_s"] / per_profile
        result["speedup_warm_vs_per_profile"] = result["encode_docs_per_s_warm"] / per_profile
        # The same ratios in CPU time: per document, per-profile CPU over bulk CPU.
        per_doc_cpu = per_profile_cpu / len(few)
        result["speedup_cold_vs_per_profile_cpu"] = per_doc_cpu / (cpu_cold / len(sample))
        result["speedup_warm_vs_per_profile_cpu"] = per_doc_cpu / (cpu_warm / len(sample))

    # Fill up to n candidates with copies of the sample; their vectors are perturbed below
    # so the copies do not tie, without paying for n encodings.
    vectors = cold.encode_candidates(sample)

    # A routine re-embedding pass after a tenth of the profiles changed: stored vectors are
    # keyed by content hash, so only the changed profiles (and new phrases) reach the model.
    changed = [
        replace(d, summary=f"{d.summary} Updated profile {i}.") if i % 10 == 0 else d
        for i, d in enumerate(sample)
    ]
    t0 = time.perf_counter()
    cold.encode_candidates(changed, vectors)
    cold.encode_phrases(list(dict.fromkeys(p for d in changed for p in d.phrases())))
    t_incremental = time.perf_counter() - t0
    result["encode_docs_per_s_incremental"] = len(sample) / t_incremental
    if "naive_docs_per_s" in result:
        result["speedup_incremental"] = (
            result["encode_docs_per_s_incremental"] / result["naive_docs_per_s"]
        )
    if encode_only:
        result["rss_mb"] = rss_mb()
        result["load_avg_1m_end"] = _load_average()
        return result
    docs = [replace(sample[i % len(sample)], id=f"bench{i:07d}") for i in range(n)]
    t0 = time.perf_counter()
    index = cold.build_index(docs, vectors)
    result["index_build_s"] = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    if n > len(sample):
        for mat in (index.whole, index.title):
            noise = rng.standard_normal(mat[len(sample) :].shape).astype(np.float32) * 0.02
            mat[len(sample) :] = l2_normalize(mat[len(sample) :] + noise)

    queries = [needs[i % len(needs)] for i in range(n_queries)]
    encoded = [cold.encode_need(q) for q in queries]
    cold.rank_candidates(encoded[0], index, top_k=50)  # first-call allocations
    times: list[float] = []
    # Each ranking is paired with a brute-force dot over the same matrix timed right after it,
    # so both see the same load: on a machine shared with other jobs the ratio of the pairs is
    # the figure to read (the bar: ranking within 4x the dot of the same run).
    ratios: list[float] = []
    q_dot = index.whole[0].copy()
    for enc in encoded:
        t0 = time.perf_counter()
        cold.rank_candidates(enc, index, top_k=50)
        times.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        _ = index.whole @ q_dot
        ratios.append(times[-1] / max((time.perf_counter() - t0) * 1000, 1e-6))
    result["rank_p50_ms"] = _percentile(times, 50)
    result["rank_p95_ms"] = _percentile(times, 95)
    result["rank_vs_paired_dot_p50"] = _percentile(ratios, 50)
    with_enc: list[float] = []
    for q in queries:
        t0 = time.perf_counter()
        cold.rank_candidates(q, index, top_k=50)
        with_enc.append((time.perf_counter() - t0) * 1000)
    result["rank_with_encode_p50_ms"] = _percentile(with_enc, 50)
    result["rank_with_encode_p95_ms"] = _percentile(with_enc, 95)
    # Brute-force float32 dot over the same matrix: the machine's floor for one query, to
    # read the latencies above against (shared machines vary a lot).
    q = index.whole[0].copy()
    dots: list[float] = []
    for _ in range(20):
        t0 = time.perf_counter()
        _ = index.whole @ q
        dots.append((time.perf_counter() - t0) * 1000)
    result["reference_dot_p50_ms"] = _percentile(dots, 50)
    result["rss_mb"] = rss_mb()
    result["threads"] = os.cpu_count()
    result["load_avg_1m_end"] = _load_average()
    return result


def format_benchmark(result: dict[str, Any]) -> str:
    """One line per measured figure."""
    return "\n".join(
        f"{k:<26}{v:.3f}" if isinstance(v, float) else f"{k:<26}{v}" for k, v in result.items()
    )


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: python -m app.matching.benchmark [--n N] [--encode-sample K] [--data DIR] [--json]."""
    ap = argparse.ArgumentParser(prog="python -m app.matching.benchmark", description=__doc__)
    ap.add_argument("--n", type=int, default=100_000, help="candidates in the index")
    ap.add_argument("--encode-sample", type=int, default=2000)
    ap.add_argument(
        "--data", default=None, help="folder with candidates.jsonl/needs.jsonl (default: synthetic)"
    )
    ap.add_argument("--config", default=None)
    ap.add_argument("--model", default=None)
    ap.add_argument("--backend", default="auto", choices=BACKENDS)
    ap.add_argument("--dtype", default="auto", choices=("auto", *DTYPES))
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if args.data:
        from app.matching.evaluation import load_judged_set

        data = load_judged_set(args.data)
        docs, needs = list(data.candidates), list(data.needs)
    else:
        from app.matching.synthetic import make_candidates, make_needs

        docs, needs = make_candidates(args.encode_sample), make_needs(50)
    result = run_benchmark(
        docs,
        needs,
        args.n,
        args.encode_sample,
        progress=not args.json,
        settings=load_matcher_settings(args.config),
        embedder=create_embedder(args.model, backend=args.backend, dtype=args.dtype),
        baseline=not args.no_baseline,
    )
    print(json.dumps(result, indent=2) if args.json else format_benchmark(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
