"""Server-side SVG bar charts: no script, no library, an accessible <title> and <desc>.

The page shows the same numbers in a data table next to each chart (the text alternative).
Colours are presentation attributes (not style attributes), so the CSP stays strict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import count

from markupsafe import Markup, escape

_ids = count(1)
WIDTH = 560
ROW = 26
LABEL_WIDTH = 190
BAR_COLOUR = "#0b5d7a"  # --c-brand
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True, slots=True)
class Series:
    """One chart: its accessible title, an optional description, and (label, value) bars."""

    title: str
    bars: list[tuple[str, int]] = field(default_factory=list)
    description: str = ""


def bar_chart_svg(series: Series) -> Markup:
    """Horizontal bars, one per (label, value), as an inline SVG image."""
    n = next(_ids)
    height = max(len(series.bars), 1) * ROW + 10
    top = max((value for _label, value in series.bars), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    description = series.description or "; ".join(
        f"{label}: {value}" for label, value in series.bars
    )
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart{n}-t chart{n}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart{n}-t">{escape(series.title)}</title>',
        f'<desc id="chart{n}-d">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(series.bars):
        y = 5 + i * ROW
        width = round(span * max(value, 0) / top, 1)
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 17}" text-anchor="end" font-size="12" '
            f'fill="{TEXT_COLOUR}">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW - 8}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 17}" font-size="12" '
            f'fill="{TEXT_COLOUR}">{int(value)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every interpolated text is escaped above)
