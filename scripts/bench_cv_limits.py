"""Measure what one CV file may cost under the reading limits: builds hostile PDFs and DOCX files
(tests/factories/hostile_files.py), reads each the way the worker does (app/profiles/cvtext.py:
a child process under RLIMIT_CPU / RLIMIT_AS), and prints CPU seconds, wall seconds, peak memory
of the child and the outcome.

    .venv/bin/python scripts/bench_cv_limits.py            # production limits
    .venv/bin/python scripts/bench_cv_limits.py --cpu 10   # another CPU limit
    .venv/bin/python scripts/bench_cv_limits.py --wall 60  # the CPU limit alone, on a busy machine
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.profiles.cvtext import Limits, Refused, extract_bounded
from tests.factories import hostile_files as hostile


def normal_cv(pages: int = 2) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(pages):
        for line in range(55):
            pdf.drawString(
                50, 800 - 14 * line, f"Page {page} line {line}: paediatric nurse, Kigali"
            )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def cases(limits: Limits) -> list[tuple[str, str, Callable[[], bytes]]]:
    under = limits.max_content_bytes - 4096
    return [
        ("normal 2-page CV (reportlab)", "pdf", normal_cv),
        ("issue 16 text-operator bomb, 1M `(x) Tj`", "pdf", hostile.text_operator_bomb),
        (
            "`(x) Tj` just under the content cap, 30 pages",
            "pdf",
            lambda: hostile.text_operators_under_caps(under, limits.pages_read),
        ),
        (
            "`T*` just under the content cap, 30 pages",
            "pdf",
            lambda: hostile.text_operators_under_caps(under, limits.pages_read, b"T* "),
        ),
        (
            "`(x)'` just under the content cap, 30 pages",
            "pdf",
            lambda: hostile.text_operators_under_caps(under, limits.pages_read, b"(x)' "),
        ),
        ("form XObject painted 200 times", "pdf", hostile.form_xobject_bomb),
        ("inflate bomb, 200 MB of content", "pdf", hostile.inflate_bomb),
        ("5,000 pages", "pdf", hostile.many_pages),
        (
            "DOCX, 30,000 paragraphs (about 7 MB of XML)",
            "docx",
            lambda: hostile.docx_large_text(30_000),
        ),
        ("DOCX zip bomb (ratio 1000)", "docx", hostile.docx_high_ratio),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--cpu", type=int, default=Limits().cpu_seconds, help="CPU seconds per file"
    )
    parser.add_argument("--memory", type=int, default=Limits().memory_mb, help="address space, MB")
    parser.add_argument("--wall", type=float, default=Limits().wall_seconds, help="wall seconds")
    args = parser.parse_args()
    limits = replace(Limits(), cpu_seconds=args.cpu, memory_mb=args.memory, wall_seconds=args.wall)
    print(
        f"limits: {limits.cpu_seconds} s CPU, {limits.wall_seconds:.0f} s wall, "
        f"{limits.memory_mb} MB address space, {limits.max_pages} pages "
        f"({limits.pages_read} read), "
        f"{limits.max_content_bytes // 1024} KB of page content, {limits.max_stream_tokens:,} "
        f"tokens a stream, {limits.max_text_chars:,} characters"
    )
    print(f"{'file':48} {'size':>9} {'CPU s':>6} {'wall s':>6} {'peak MB':>8}  outcome")
    worst_cpu = worst_rss = 0.0
    for label, kind, build in cases(limits):
        data = build()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        try:
            outcome = extract_bounded(kind, data, limits)
            result, rss_kb = f"read, {len(outcome.text):,} characters", outcome.max_rss_kb
        except Refused as refused:
            result, rss_kb = f"refused: {refused.reason}", refused.max_rss_kb
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        wall = time.monotonic() - started
        # A child killed by a limit reports nothing (its peak stays under the address-space limit).
        rss_mb = rss_kb / 1024
        worst_cpu, worst_rss = max(worst_cpu, cpu), max(worst_rss, rss_mb)
        peak = f"{rss_mb:>8.1f}" if rss_kb else f"{'killed':>8}"
        print(f"{label:48} {len(data):>9,} {cpu:>6.2f} {wall:>6.2f} {peak}  {result}")
    print(f"worst case measured: {worst_cpu:.2f} s CPU, {worst_rss:.0f} MB peak resident")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
