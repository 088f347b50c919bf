"""A bar chart of how a class's grades spread, drawn as SVG on the server (pure).

Like `chart.py`: colours are presentation attributes (the content security policy
forbids inline styles) and the page shows the same figures in a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 16, 40
# Ten bands of ten points; the last one includes 100.
BANDS = tuple((low, low + 9 if low < 90 else 100) for low in range(0, 100, 10))


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}–{self.high}%"


def bands(percents: Sequence[float]) -> list[Band]:
    """How many grades fall in each band of ten points (a grade of 89.6 is in 80–89)."""
    counts = [0] * len(BANDS)
    for percent in percents:
        index = min(int(max(0.0, percent) // 10), len(BANDS) - 1)
        counts[index] += 1
    return [Band(low, high, count) for (low, high), count in zip(BANDS, counts, strict=True)]


def distribution_svg(groups: Sequence[Band], title: str, chart_id: str = "grade-chart") -> str:
    total = sum(b.count for b in groups)
    tallest = max((b.count for b in groups), default=0) or 1
    span_x = (WIDTH - LEFT - RIGHT) / max(len(groups), 1)
    span_y = HEIGHT - TOP - BOTTOM
    summary = (
        f"{total} grade{'s' if total != 1 else ''}: "
        + ", ".join(f"{b.count} in {b.label}" for b in groups if b.count)
        if total else "No grades yet."
    )
    parts = [
        f'<line x1="{LEFT}" y1="{TOP + span_y}" x2="{WIDTH - RIGHT}" y2="{TOP + span_y}" '
        f'stroke="#4a5260" stroke-width="1"/>'
    ]
    for index, band in enumerate(groups):
        height = span_y * band.count / tallest
        x = LEFT + index * span_x + 4
        y = TOP + span_y - height
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{span_x - 8:.1f}" '
            f'height="{height:.1f}" fill="#1f5fa8"><title>{escape(band.label)}: '
            f"{band.count}</title></rect>"
        )
        if band.count:
            parts.append(
                f'<text x="{x + (span_x - 8) / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" '
                f'font-size="12" fill="#1b1f24">{band.count}</text>'
            )
        parts.append(
            f'<text x="{x + (span_x - 8) / 2:.1f}" y="{HEIGHT - BOTTOM + 18}" '
            f'text-anchor="middle" font-size="11" fill="#4a5260">{band.low}</text>'
        )
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}">'
        f'<title id="{escape(title_id)}">{escape(title)}</title>'
        f'<desc id="{escape(desc_id)}">{escape(summary)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
