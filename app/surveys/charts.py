"""Small server-side SVG charts (no library, no script): bars and a line, with <title>/<desc>.

Each chart is an image with an accessible name and description; pages also show the same
numbers in a data table, the text alternative.
"""

from __future__ import annotations

from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
WIDTH = 560
ROW = 26
LABEL_WIDTH = 180


def bar_chart(title: str, description: str, items: list[tuple[str, int]]) -> Markup:
    """Horizontal bars, one per (label, value)."""
    n = next(_ids)
    height = max(len(items), 1) * ROW + 10
    top = max((v for _, v in items), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 50
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{n}-t">{escape(title)}</title>',
        f'<desc id="chart{n}-d">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(items):
        y = 5 + i * ROW
        w = round(span * value / top, 1)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end" font-size="12" '
            f'fill="#222">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{w}" height="{ROW - 8}" fill="#1f5f8b"/>'
            f'<text x="{LABEL_WIDTH + w + 6}" y="{y + 17}" font-size="12" fill="#222">'
            f"{value}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part is escaped above)


def line_chart(title: str, description: str, points: list[tuple[str, float]]) -> Markup:
    """A line of percentages (0–100) over labelled points (days)."""
    n = next(_ids)
    height, left, bottom, top_pad = 220, 40, 30, 10
    plot_w, plot_h = WIDTH - left - 10, height - bottom - top_pad
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{n}-t">{escape(title)}</title>',
        f'<desc id="chart{n}-d">{escape(description)}</desc>',
    ]
    for pct in (0, 50, 100):
        y = top_pad + plot_h * (1 - pct / 100)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - 10}" y1="{y}" y2="{y}" stroke="#ccc"/>'
            f'<text x="{left - 4}" y="{y + 4}" text-anchor="end" font-size="11">{pct}%</text>'
        )
    if points:
        step = plot_w / max(len(points) - 1, 1)
        coords = [
            (left + i * step, top_pad + plot_h * (1 - min(max(v, 0), 100) / 100))
            for i, (_, v) in enumerate(points)
        ]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5f8b" stroke-width="2"/>')
        for x, y in coords:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#1f5f8b"/>')
        for i in sorted({0, len(points) - 1}):
            x = coords[i][0]
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">'
                f"{escape(points[i][0])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part is escaped above)
