"""Statistics, the statistics cache and regrading on a real PostgreSQL server.

Runs when QUIZAPP_TEST_POSTGRES_URL is set (as tests/test_postgres.py does).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from helpers import Browser, Clock
from sqlalchemy import create_engine, select, text

from quizapp.extensions import db
from quizapp.models import Regrade

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")

if not POSTGRES_URL:
    if os.environ.get("CI"):
        raise RuntimeError("CI must provide QUIZAPP_TEST_POSTGRES_URL (see .ci/run)")
    pytest.skip("no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)", allow_module_level=True)

pytestmark = pytest.mark.postgres


@pytest.fixture
def app(make_app: Callable[..., Flask], questions_dir: Path) -> Iterator[Flask]:
    from test_teach_banks import PLANTED

    engine = create_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    (questions_dir / "planted.yaml").write_text(PLANTED, encoding="utf-8")
    app = make_app(SQLALCHEMY_DATABASE_URI=POSTGRES_URL)
    yield app
    with app.app_context():
        db.engine.dispose()


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
