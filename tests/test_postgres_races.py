"""The races of test_exam_integrity on a real PostgreSQL server (READ COMMITTED):
thirty simultaneous starts keep the attempt limit, and answers racing a finish are
counted or refused. Skipped, like test_postgres, without QUIZAPP_TEST_POSTGRES_URL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from helpers import all_at_once, empty_postgres, quiz_id, require_postgres
from test_exam_integrity import (  # noqa: F401 (questions_dir is a fixture)
    THREADS,
    attempts_on,
    check_exam_only,
    check_migration_numbers_attempts,
    clients_of,
    questions_dir,
    race_rounds,
)

require_postgres()
pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(make_pg_app: Callable[..., Flask]) -> Flask:
    # Room for thirty requests at once.
    return make_pg_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS, "max_overflow": 5})


def test_thirty_starts_at_once_keep_the_limit_on_postgres(pg_app: Flask, make_user) -> None:
    from quizapp.extensions import db
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "pgracer", "correct horse", "student").id
    clients = clients_of(pg_app, "pgracer", THREADS)
    url = f"/api/quizzes/{quiz_id(pg_app, 'once')}/attempts"
    results = all_at_once([lambda c=c: c.post(url, json={}) for c in clients])
    rows = attempts_on(pg_app, user, "once")
    assert len(rows) == 1
    assert all(r.status_code in (201, 409) for r in results)
    assert clients[0].post(f"/api/attempts/{rows[0].id}/finish", json={}).status_code == 200
    results = all_at_once([lambda c=c: c.post(url, json={}) for c in clients])
    assert [r.status_code for r in results] == [403] * THREADS
    assert len(attempts_on(pg_app, user, "once")) == 1


def test_answers_racing_a_finish_on_postgres(pg_app: Flask) -> None:
    from quizapp.extensions import db
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "pgphoto", "correct horse", "student").id
    race_rounds(pg_app, user, "pgphoto", rounds=3)


def test_the_migration_numbers_existing_attempts_on_postgres(tmp_path) -> None:
    url = require_postgres()
    empty_postgres(url)
    check_migration_numbers_attempts(url, tmp_path)


def test_exam_only_questions_on_postgres(pg_app: Flask, clock) -> None:
    from quizapp.extensions import db
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "pgexam", "correct horse", "student").id
    check_exam_only(pg_app, user, clock)
