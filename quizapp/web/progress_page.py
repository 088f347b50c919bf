"""What the progress page draws, made from the report's plain values.

`services/progress.py` returns figures (`ProgressReport`, `FinishedAttempt`); the chart
of scores over time (`quizapp/chart.py` draws the SVG), the table of its figures and the
recent-attempts table are presentation, so they are made here.

Those two sections depend on nothing but the learner's latest finished attempts (id,
title, kind, mode, finish time, score), the viewer's time zone and the path the app is
served under. They are rendered once for each such combination and kept, per worker,
in a bounded cache keyed by exactly those values: a learner's latest attempts change
only when one finishes, so a repeated visit (or one after answering questions) reuses
them, and any change makes a new key, so nothing shown is ever stale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache

from flask import current_app, render_template, request
from markupsafe import Markup

from quizapp.chart import ScorePoint, score_chart
from quizapp.services.progress import HISTORY_LIMIT, FinishedAttempt, ProgressReport
from quizapp.web.templating import localtime, viewer_zone

# Rendered sections kept per worker: about 16 kB each for a learner with a full chart,
# so at most about 8 MB.
SECTIONS_KEPT = 512
SECTIONS_TEMPLATE = "quiz/progress_attempts.html"


def chart_points(attempts: Sequence[FinishedAttempt]) -> list[ScorePoint]:
    """The chart's figures, one per finished attempt, in the order given."""
    return [ScorePoint(label=a.title, when=a.finished_at, percent=a.percent) for a in attempts]


@dataclass(frozen=True)
class ProgressPage:
    # The "Scores over time" and "Recent attempts" sections, ready to insert.
    attempts_html: Markup


def progress_page(report: ProgressReport) -> ProgressPage:
    sections = _cache()(tuple(report.recent_attempts), viewer_zone(), request.script_root)
    return ProgressPage(attempts_html=sections)


def attempt_sections(
    attempts: tuple[FinishedAttempt, ...], zone: tzinfo, script_root: str
) -> Markup:
    """The chart, its table and the latest attempts (newest first in `attempts`).

    `script_root` is not read here: it is part of the cache key because the links
    rendered (url_for) include it.
    """
    del script_root
    chronological = list(reversed(attempts))
    chart = score_chart(chart_points(chronological))
    # Both tables show these attempts: each time is formatted once, in the one zone.
    finished = {a.id: localtime(a.finished_at, zone=zone) for a in attempts}
    return Markup(render_template(
        SECTIONS_TEMPLATE, attempts=attempts, chronological=chronological,
        history=attempts[:HISTORY_LIMIT], chart=chart, chart_svg=Markup(chart.svg),
        finished=finished,
    ))


def _cache() -> Callable[[tuple[FinishedAttempt, ...], tzinfo, str], Markup]:
    """This app's cache of rendered sections (an app's templates and URLs are its own)."""
    cached: Callable[[tuple[FinishedAttempt, ...], tzinfo, str], Markup] | None = (
        current_app.extensions.get("progress_sections")
    )
    if cached is None:
        cached = lru_cache(maxsize=SECTIONS_KEPT)(attempt_sections)
        current_app.extensions["progress_sections"] = cached
    return cached
