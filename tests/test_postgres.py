"""The same app on a real PostgreSQL server: migrations, sync, attempts, progress.

CI starts a server and sets QUIZAPP_TEST_POSTGRES_URL; on a developer machine
without one these tests are skipped, but in CI a missing server is a failure.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from helpers import Browser, all_at_once, quiz_id, require_postgres
from htmlform import by_label, controls

require_postgres()
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(make_pg_app: Callable[..., Flask]) -> Flask:
    return make_pg_app()


def test_migrations_and_a_full_quiz_on_postgres(pg_app: Flask) -> None:
    browser = Browser(pg_app.test_client())
    browser.register("pat")
    response = browser.post(f"/quiz/{quiz_id(pg_app, 'practice')}/start")
    url = browser.get(response.headers["Location"]).headers["Location"]
    page = browser.get(url).get_data(as_text=True)
    field = next(c.name for c in controls(page) if c.attrs.get("type") == "text")
    browser.post(url, {field: "1.52 m"}, token_from=url)
    url2 = url.replace("/q/1", "/q/2")
    gomel = by_label(browser.get(url2).get_data(as_text=True), "Gomel")
    browser.post(url2, {gomel.name: gomel.value}, token_from=url2)
    attempt_id = re.search(r"/attempt/(\d+)/", url).group(1)
    browser.post(f"/attempt/{attempt_id}/finish", {"confirm": "yes"}, token_from=url2)
    assert "3 out of 3" in browser.get(f"/attempt/{attempt_id}/results").get_data(as_text=True)
    progress = browser.get("/progress").get_data(as_text=True)
    assert "100%" in progress


def test_progress_streaks_on_postgres(pg_app: Flask) -> None:
    from test_services_progress import check_streaks_against_the_rule

    from quizapp.extensions import db
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "stella", "correct horse", "student").id
    check_streaks_against_the_rule(pg_app, user)


def test_usernames_unique_on_postgres(pg_app: Flask) -> None:
    Browser(pg_app.test_client()).register("Quinn")
    response = Browser(pg_app.test_client()).register("quinn")
    assert response.status_code == 422


def test_concurrent_answers_and_aggregates_on_postgres(pg_app: Flask) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import func, select

    from quizapp.extensions import db
    from quizapp.models import Answer, DayStat, TopicStat
    from quizapp.services import attempts
    from quizapp.services.accounts import create_user

    now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    with pg_app.app_context():
        learner = create_user(db.session, "paula", "correct horse").id
        attempt_id = attempts.start_attempt(
            db.session, learner, quiz_id(pg_app, "practice"), now).id
    def submit() -> None:
        with pg_app.app_context():
            attempts.submit_answer(db.session, learner, attempt_id, 1,
                                   lambda spec, seed: spec.parse_json("1520", seed), now)

    all_at_once([submit] * 30)
    with pg_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
        topic = db.session.scalar(select(TopicStat))
        assert (topic.answered, topic.correct) == (1, 1)
        assert db.session.scalar(select(DayStat.answered)) == 1


def test_bank_edits_sync_on_postgres(pg_app: Flask, questions_dir) -> None:
    from helpers import SAMPLE_BANK
    from sqlalchemy import select

    from quizapp.banks.sync import sync_folder
    from quizapp.extensions import db
    from quizapp.models import Question

    (questions_dir / "sample.yaml").write_text(
        SAMPLE_BANK.split("  - id: city\n")[0], encoding="utf-8")
    with pg_app.app_context():
        report = sync_folder(db.session, questions_dir)
        assert report.loaded == ["sample.yaml"]
        city = db.session.scalar(select(Question).where(Question.slug == "city"))
        assert city.retired
