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

The grades per quiz and the mastery per topic are kept the same way, keyed by the
figures they show (and the path): the grades change only when an attempt finishes,
the mastery with each answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from typing import NamedTuple, TypeVar, cast

from flask import current_app, render_template, request
from markupsafe import Markup

from quizapp.chart import ScorePoint, score_chart
from quizapp.services.progress import (
    HISTORY_LIMIT,
    FinishedAttempt,
    ProgressReport,
    TopicMastery,
)
from quizapp.web.templating import localtime, viewer_zone

# Rendered sections kept per worker: about 16 kB each for a learner with a full chart,
# so at most about 8 MB.
SECTIONS_KEPT = 512
SECTIONS_TEMPLATE = "quiz/progress_attempts.html"
TABLES_TEMPLATE = "quiz/progress_tables.html"


def chart_points(attempts: Sequence[FinishedAttempt]) -> list[ScorePoint]:
    """The chart's figures, one per finished attempt, in the order given."""
    return [ScorePoint(label=a.title, when=a.finished_at, percent=a.percent) for a in attempts]


@dataclass(frozen=True)
class ProgressPage:
    # The "Quizzes" and "Mastery by topic" sections, ready to insert.
    tables_html: Markup
    # The "Scores over time" and "Recent attempts" sections, ready to insert.
    attempts_html: Markup


class QuizRow(NamedTuple):
    """One line of the grades table: exactly the figures it shows."""

    quiz_id: int
    title: str
    attempts: int
    attempts_left: int | None
    grade: float | None
    grading: str
    pass_mark: float | None
    passed: bool | None


def progress_page(report: ProgressReport) -> ProgressPage:
    quizzes = tuple(
        QuizRow(s.quiz.id, s.quiz.title, s.attempts, s.attempts_left, s.grade, s.grading,
                s.pass_mark, s.passed)
        for s in report.quizzes
    )
    tables = _kept("progress_tables", table_sections)(
        quizzes, tuple(report.topics), report.recent_window, report.min_answers,
        request.script_root)
    attempts = _kept("progress_sections", attempt_sections)(
        tuple(report.recent_attempts), viewer_zone(), request.script_root)
    return ProgressPage(tables_html=tables, attempts_html=attempts)


def table_sections(
    quizzes: tuple[QuizRow, ...], topics: tuple[TopicMastery, ...], recent_window: int,
    min_answers: int, script_root: str,
) -> Markup:
    """The grades per quiz and the mastery per topic. `script_root` is part of the cache
    key only: the links rendered (url_for) include it."""
    del script_root
    return Markup(render_template(
        TABLES_TEMPLATE, quizzes=quizzes, topics=topics, recent_window=recent_window,
        min_answers=min_answers,
    ))


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


RenderSections = TypeVar("RenderSections", bound=Callable[..., Markup])


def _kept(name: str, render: RenderSections) -> RenderSections:
    """This app's cache of sections made by `render` (an app's templates and URLs are
    its own), keyed by `render`'s arguments."""
    cached: RenderSections | None = current_app.extensions.get(name)
    if cached is None:
        cached = cast(RenderSections, lru_cache(maxsize=SECTIONS_KEPT)(render))
        current_app.extensions[name] = cached
    return cached
