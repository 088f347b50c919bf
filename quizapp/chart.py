"""A chart of scores over time, drawn as SVG on the server (pure: no Flask, no database).

The page works without JavaScript, and the same figures go into a table beside the
chart for screen readers. Colours are SVG presentation attributes, not inline
styles, which the content security policy forbids; classes let the stylesheet
restyle them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

WIDTH = 640
HEIGHT = 260
# Room for the percentage labels on the left and the dates below.
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40
GRID = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class ScorePoint:
    label: str  # what was attempted, e.g. the quiz title
    when: datetime
    percent: float  # 0..100


@dataclass(frozen=True)
class Chart:
    svg: str
    points: tuple[ScorePoint, ...]
    summary: str  # one sentence, also the SVG's description


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + span / 2
    return LEFT + span * index / (count - 1)


def _y(percent: float) -> float:
    clamped = max(0.0, min(100.0, percent))
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - clamped / 100)


def _day(when: datetime) -> str:
    return when.strftime("%d %b %Y")


def describe(points: Sequence[ScorePoint]) -> str:
    if not points:
        return "No finished attempts yet."
    first, last = points[0], points[-1]
    average = sum(p.percent for p in points) / len(points)
    noun = "attempt" if len(points) == 1 else "attempts"
    return (
        f"Scores of your last {len(points)} finished {noun}, from {first.percent:.0f}% on "
        f"{_day(first.when)} to {last.percent:.0f}% on {_day(last.when)}; "
        f"average {average:.0f}%."
    )


def _grid() -> list[str]:
    parts = []
    for value in GRID:
        y = _y(value)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" '
            f'y2="{y:.1f}" stroke="#d0d4da" stroke-width="1"/>'
            f'<text class="chart-axis" x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#4a5260">{value}%</text>'
        )
    return parts


def _date_labels(points: Sequence[ScorePoint]) -> list[str]:
    # First and last dates only: enough to read the span without crowding the axis.
    shown = {0, len(points) - 1}
    y = HEIGHT - BOTTOM + 20
    labels = []
    for index in sorted(shown):
        anchor = "start" if index == 0 and len(points) > 1 else "middle"
        if index == len(points) - 1 and len(points) > 1:
            anchor = "end"
        labels.append(
            f'<text class="chart-axis" x="{_x(index, len(points)):.1f}" y="{y}" '
            f'text-anchor="{anchor}" font-size="12" fill="#4a5260">'
            f"{escape(_day(points[index].when))}</text>"
        )
    return labels


def _series(points: Sequence[ScorePoint]) -> list[str]:
    count = len(points)
    coords = [(_x(i, count), _y(p.percent)) for i, p in enumerate(points)]
    parts = []
    if count > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="chart-line" points="{path}" fill="none" stroke="#1f5fa8" '
            f'stroke-width="2"/>'
        )
    for (x, y), point in zip(coords, points, strict=True):
        tip = f"{point.label}, {_day(point.when)}: {point.percent:.0f}%"
        parts.append(
            f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1f5fa8">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return parts


def score_chart(points: Sequence[ScorePoint], chart_id: str = "score-chart") -> Chart:
    """The SVG of `points` (oldest first) with its title, description and figures."""
    summary = describe(points)
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    body = _grid()
    if points:
        body += _date_labels(points) + _series(points)
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="score-chart" id="{escape(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{escape(title_id)} {escape(desc_id)}" '
        f'preserveAspectRatio="xMinYMin meet">'
        f'<title id="{escape(title_id)}">Your scores over time</title>'
        f'<desc id="{escape(desc_id)}">{escape(summary)}</desc>'
        + "".join(body)
        + "</svg>"
    )
    return Chart(svg=svg, points=tuple(points), summary=summary)
