"""A/B of the ranking's dense products over 100,000 x 384 rows: one GEMM vs blocked mat-vecs.

    .venv/bin/python scripts/bench_row_products.py [--rows 100000] [--repeats 30]

Prints the median milliseconds of: the former (2, d) @ (d, n) GEMM plus the title product, three
plain matrix-vector products, and app.matching.matcher._row_products (blocked), and the largest
difference between their results.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from app.matching.matcher import _row_products


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    dim = 384
    whole = rng.standard_normal((args.rows, dim)).astype(np.float32)
    title = rng.standard_normal((args.rows, dim)).astype(np.float32)
    q_whole, q_support, q_title = (rng.standard_normal(dim).astype(np.float32) for _ in range(3))

    def gemm() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        both = np.stack([q_whole, q_support]) @ whole.T
        return both[0], both[1], title @ q_title

    def matvecs() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return whole @ q_whole, whole @ q_support, title @ q_title

    def blocked() -> tuple[np.ndarray | None, ...]:
        return _row_products(whole, q_whole, q_support, title, q_title)

    variants = {"gemm (former)": gemm, "three mat-vecs": matvecs, "blocked (current)": blocked}
    reference = gemm()
    diff = max(
        float(np.abs(np.asarray(a) - b).max()) for a, b in zip(blocked(), reference, strict=True)
    )
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.repeats):
        for name, run in variants.items():
            start = time.perf_counter()
            run()
            times[name].append((time.perf_counter() - start) * 1000)
    for name, values in times.items():
        print(f"{name:<20} {np.median(values):7.2f} ms")
    print(f"largest difference   {diff:.2e}")


if __name__ == "__main__":
    main()
