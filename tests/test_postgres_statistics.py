"""Statistics, the statistics cache and regrading on a real PostgreSQL server.

Runs when QUIZAPP_TEST_POSTGRES_URL is set (as tests/test_postgres.py does).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from helpers import Browser, Clock, require_postgres
from sqlalchemy import select

from quizapp.extensions import db
from quizapp.models import Regrade

require_postgres()
pytestmark = pytest.mark.postgres


@pytest.fixture
def app(make_pg_app: Callable[..., Flask], questions_dir: Path) -> Flask:
    from test_teach_banks import PLANTED

    (questions_dir / "planted.yaml").write_text(PLANTED, encoding="utf-8")
    return make_pg_app()


def test_statistics_accept_and_regrade_on_postgres(app: Flask, clock: Clock,
                                                   teacher: Browser) -> None:
    from test_teach_banks import MIDDLE, STRONG, WEAK, question_pk, quiz_pk, scores, take

    for group, responses in (("strong", STRONG), ("middle", MIDDLE), ("weak", WEAK)):
        for n in range(3):
            take(app, clock, f"{group}{n}", responses)
    quiz = quiz_pk(app)
    for _ in range(2):  # computed, then read from the cache
        page = teacher.get(f"/teach/quizzes/{quiz}/statistics").get_data(as_text=True)
        assert "Tempting distractor" in page and "weaker students do better" in page
    responses = teacher.get(f"/teach/quizzes/{quiz}/statistics/city").get_data(as_text=True)
    assert "Accept “homel”" in responses
    before = scores(app)
    accepted = teacher.post(f"/teach/quizzes/{quiz}/statistics/city/accept",
                            {"value": "homel"}, token_from="/teach/", follow_redirects=True)
    assert "Saved: accepted" in accepted.get_data(as_text=True), accepted.get_data(as_text=True)
    city = question_pk(app, "city")
    assert "6 gain" in teacher.get(f"/teach/questions/{city}/regrade").get_data(as_text=True)
    teacher.post(f"/teach/questions/{city}/regrade", {}, token_from="/teach/")
    after = scores(app)
    assert sum(after.values()) == sum(before.values()) + 6
    with app.app_context():
        assert db.session.scalar(select(Regrade.answers_changed)) == 6
    page = teacher.get(f"/teach/quizzes/{quiz}/statistics").get_data(as_text=True)
    assert "facility 100%" in page
