"""`flask matching bench` runs end to end and reports its figures (hashing embedder: no timing)."""

from __future__ import annotations

import json

from flask import Flask

BENCH_JSON_KEYS = {"rank_p50_ms", "rank_p95_ms", "encode_docs_per_s", "index_build_s", "rss_mb"}


def test_bench_json_reports_every_figure(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "matching",
            "bench",
            "--candidates",
            "40",
            "--encode-sample",
            "12",
            "--embedder",
            "hashing",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1  # progress bars go to stderr; stdout is one JSON line
    figures = json.loads(lines[0])
    assert set(figures) >= BENCH_JSON_KEYS
    assert figures["n"] == 40 and figures["encode_sample"] == 12
    assert figures["model"].startswith("hashing-")
    for key in BENCH_JSON_KEYS:
        assert isinstance(figures[key], float) and figures[key] >= 0.0
    assert figures["encode_docs_per_s"] > 0.0
    # No real model, so no naive SentenceTransformer baseline is claimed.
    assert "speedup_warm_vs_per_profile" not in figures


def test_bench_table_names_the_figures(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "matching",
            "bench",
            "--candidates",
            "20",
            "--encode-sample",
            "8",
            "--embedder",
            "hashing",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "rank_p50_ms" in result.stdout and "index_build_s" in result.stdout
    # The encoding progress bars are drawn on stderr.
    assert "encode (cold)" in result.stderr and "encode (warm skills)" in result.stderr


def test_bench_encode_only_stops_before_the_index(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "matching",
            "bench",
            "--candidates",
            "20",
            "--encode-sample",
            "8",
            "--embedder",
            "hashing",
            "--encode-only",
            "--json",
        ]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["encode_docs_per_s"] > 0.0 and "rss_mb" in figures
    assert "rank_p50_ms" not in figures and "index_build_s" not in figures
