"""What the progress page draws, made from the report's plain values.

`services/progress.py` returns figures (`ProgressReport`, `FinishedAttempt`); the chart
of scores over time (`quizapp/chart.py` draws the SVG) and each attempt's finish time in
the viewer's zone are presentation, so they are made here, once per request: the chart
table and the recent-attempts table show the same attempts and share the formatted
times, and the viewer's zone is looked up once rather than once per time shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from quizapp.chart import Chart, ScorePoint, score_chart
from quizapp.services.progress import FinishedAttempt, ProgressReport
from quizapp.web.templating import localtime, viewer_zone


def chart_points(attempts: Sequence[FinishedAttempt]) -> list[ScorePoint]:
    """The chart's figures, one per finished attempt, in the order given."""
    return [ScorePoint(label=a.title, when=a.finished_at, percent=a.percent) for a in attempts]


@dataclass(frozen=True)
class ProgressPage:
    chart: Chart
    chart_svg: Markup
    # Each listed attempt's finish time as a <time> element, by attempt id.
    finished: dict[int, Markup]


def progress_page(report: ProgressReport) -> ProgressPage:
    chart = score_chart(chart_points(report.chronological))
    zone = viewer_zone()
    finished = {a.id: localtime(a.finished_at, zone=zone) for a in report.recent_attempts}
    return ProgressPage(chart=chart, chart_svg=Markup(chart.svg), finished=finished)
