"""Item analysis keeps the database's share of its figures (stats_cache): a view reads
them in a fixed few statements while nothing changed, and a new attempt or a changed
score shows on the next view."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from helpers import Clock
from sqlalchemy import event, select
from test_teach_banks import STRONG, app, quiz_pk, seeded, take  # noqa: F401 (fixtures)

from quizapp.extensions import db
from quizapp.models import Attempt
from quizapp.services import item_analysis


def test_kept_figures_follow_new_attempts_and_changed_scores(
    app: Flask, clock: Clock, seeded: dict[str, int]  # noqa: F811
) -> None:
    scope = item_analysis.Scope(quiz_pk(app))
    with app.app_context():
        first = item_analysis.quiz_report(db.session, scope)  # works them out, keeps them
        assert first is not None and first.stats.count == 9
        statements: list[str] = []

        def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", count)
        try:
            again = item_analysis.quiz_report(db.session, scope)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        # The quiz, the fingerprint, the kept figures, the questions: no GROUP BY.
        assert len(statements) <= 4, statements
        assert not any("GROUP BY" in s for s in statements)
        assert again is not None and again.stats.mean == first.stats.mean

    take(app, clock, "newcomer", STRONG)
    with app.app_context():
        more = item_analysis.quiz_report(db.session, scope)
        assert more is not None and more.stats.count == 10
        # A score changed in place (as a regrade does) with nothing else new.
        attempt = db.session.scalar(select(Attempt).order_by(Attempt.id.desc()).limit(1))
        lost = attempt.score
        assert lost > 0
        attempt.score = 0.0
        db.session.commit()
        changed = item_analysis.quiz_report(db.session, scope)
        assert changed is not None and changed.stats.count == 10
        assert changed.stats.mean == pytest.approx(more.stats.mean - lost / 10)
