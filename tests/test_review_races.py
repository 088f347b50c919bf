"""Review and mistakes sessions under simultaneous starts: thirty presses of "Review
now" (the page's form or the API) from one learner open one session, and every other
press is sent to it; sessions left open twice by older versions are closed by the
migration that adds the rule. The PostgreSQL variants run when
QUIZAPP_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from helpers import (
    POSTGRES_URL,
    Browser,
    Clock,
    database_at,
    empty_postgres,
    quiz_id,
)
from sqlalchemy import func, select
from test_exam_integrity import THREADS, all_at_once, clients_of

from quizapp.extensions import db
from quizapp.models import Attempt, AttemptItem

needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)")


def sessions_of(app: Flask, user_id: int, kind: str) -> list[Attempt]:
    with app.app_context():
        return list(db.session.scalars(select(Attempt).where(
            Attempt.user_id == user_id, Attempt.kind == kind).order_by(Attempt.id)))


def with_a_mistake_due(app: Flask, username: str, clock: Clock) -> int:
    """A finished practice attempt with one wrong answer, its cards due for review;
    the attempt's id."""
    client = clients_of(app, username, 1)[0]
    attempt = client.post(f"/api/quizzes/{quiz_id(app, 'practice')}/attempts",
                          json={}).get_json()["id"]
    assert client.post(f"/api/attempts/{attempt}/questions/1",
                       json={"response": "1435"}).status_code == 200  # wrong
    assert client.post(f"/api/attempts/{attempt}/finish", json={}).status_code == 200
    clock.advance(days=400)
    return int(attempt)


def check_api_starts(app: Flask, user: int, username: str, kind: str) -> None:
    clients = clients_of(app, username, THREADS)
    results = all_at_once([lambda c=c: c.post(f"/api/review/{kind}", json={})
                           for c in clients])
    rows = sessions_of(app, user, kind)
    assert len(rows) == 1, [r.id for r in rows]
    assert [r.status_code for r in results] == [201] * THREADS, [
        r.get_json() for r in results if r.status_code != 201]
    # Every press was sent to the one session.
    assert {r.get_json()["id"] for r in results} == {rows[0].id}


@pytest.mark.parametrize("kind", ["review", "mistakes"])
def test_thirty_api_starts_at_once_open_one_session(
    app: Flask, make_user: Callable[..., int], clock: Clock, kind: str
) -> None:
    user = make_user("racer")
    with_a_mistake_due(app, "racer", clock)
    check_api_starts(app, user, "racer", kind)


def test_thirty_form_starts_at_once_open_one_session(
    app: Flask, make_user: Callable[..., int], clock: Clock
) -> None:
    user = make_user("clicker")
    with_a_mistake_due(app, "clicker", clock)
    browser = Browser(app.test_client())
    browser.login("clicker")
    token = browser.csrf("/progress")
    clients = browser.tabs(THREADS)
    results = all_at_once([lambda c=c: c.post("/review/review/start",
                                              data={"csrf_token": token})
                           for c in clients])
    rows = sessions_of(app, user, "review")
    assert len(rows) == 1, [r.id for r in rows]
    assert {(r.status_code, r.headers.get("Location")) for r in results} == {
        (302, f"/attempt/{rows[0].id}")}


def test_plain_and_practise_what_i_missed_starts_at_once_leave_one_open_session(
    app: Flask, make_user: Callable[..., int], clock: Clock
) -> None:
    """"Practise my mistakes" and one attempt's "Practise what I missed here", pressed
    together: whichever way they interleave, one mistakes session is left open and no
    press fails."""
    check_mixed_starts(app, make_user("mixer"), "mixer", clock)


def check_mixed_starts(app: Flask, user: int, username: str, clock: Clock) -> None:
    attempt = with_a_mistake_due(app, username, clock)
    browser = Browser(app.test_client())
    browser.login(username)
    token = browser.csrf("/progress")
    calls = []
    for index, client in enumerate(browser.tabs(THREADS)):
        data = {"csrf_token": token, **({"attempt": str(attempt)} if index % 2 else {})}
        calls.append(lambda c=client, d=data: c.post("/review/mistakes/start", data=d))
    results = all_at_once(calls)
    assert {r.status_code for r in results} == {302}
    assert all(r.headers["Location"].startswith("/attempt/") for r in results)
    rows = sessions_of(app, user, "mistakes")
    assert [r.id for r in rows if r.finished_at is None] == [rows[-1].id]


def test_a_finished_round_then_thirty_starts_open_one_new_session(
    app: Flask, make_user: Callable[..., int], clock: Clock
) -> None:
    """Every start finds the open session all answered: one of them finishes it, and
    the thirty still share one new session rather than opening one each."""
    user = make_user("again")
    with_a_mistake_due(app, "again", clock)
    client = clients_of(app, "again", 1)[0]
    first = client.post("/api/review/review", json={}).get_json()
    for question in first["questions"]:
        client.post(f"/api/attempts/{first['id']}/questions/{question['position']}",
                    json={"response": "1435"})  # wrong again: due again soon
    clock.advance(days=400)
    client.post("/api/session", json={"username": "again", "password": "correct horse"})
    results = all_at_once([lambda c=c: c.post("/api/review/review", json={})
                           for c in clients_of(app, "again", THREADS)])
    rows = sessions_of(app, user, "review")
    assert len(rows) == 2 and rows[0].finished_at is not None
    assert rows[1].finished_at is None
    assert {r.status_code for r in results} == {201}
    assert {r.get_json()["id"] for r in results} == {rows[1].id}


# -- the migration closes sessions opened twice before it ------------------------------
def check_migration_closes_duplicate_sessions(url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    with database_at(url, tmp_path / "mig", "0007") as connection:
        connection.exec_driver_sql(
            "INSERT INTO questions (id, bank_id, slug, position, retired)"
            " VALUES (1, 1, 'q', 0, false)")
        connection.exec_driver_sql(
            "INSERT INTO question_versions (id, question_id, content_hash, qtype, spec,"
            " created_at)"
            " VALUES (1, 1, 'h', 'numeric', '{}', '2026-01-01 00:00:00')")
        # (user, kind, finished): user 1 has three open review sessions and two open
        # mistakes sessions; user 2 one of each, and a finished one.
        rows = [(1, "review", False), (1, "review", False), (1, "mistakes", False),
                (1, "review", False), (1, "mistakes", False), (2, "review", False),
                (2, "review", True), (2, "mistakes", False)]
        for number, (user, kind, finished) in enumerate(rows, start=1):
            finished_at = "'2026-01-01 00:30:00'" if finished else "NULL"
            connection.exec_driver_sql(
                "INSERT INTO attempts (id, user_id, quiz_id, kind, mode, feedback, seed,"
                " started_at, finished_at, score, max_score, last_position) VALUES"
                f" ({number}, {user}, NULL, '{kind}', 'practice', 'immediate', 1,"
                f" '2026-01-01 00:0{number}:00', {finished_at}, 0, 3, 0)")
        # The oldest review session of user 1 has an answer worth 2 of its 3 points.
        connection.exec_driver_sql(
            "INSERT INTO attempt_items (id, attempt_id, position, question_version_id,"
            " points, flagged, sequence) VALUES (1, 1, 1, 1, 3, false, 1)")
        connection.exec_driver_sql(
            "INSERT INTO answers (id, item_id, response, fraction, points, outcome,"
            " answered_at) VALUES (1, 1, '\"x\"', 0.66, 2, '{}', '2026-01-01 00:20:00')")
        db.session.commit()
        upgrade(revision="0008")
        found = db.session.execute(
            select(Attempt.id, Attempt.finished_at, Attempt.score).order_by(Attempt.id)).all()
        open_ids = [row.id for row in found if row.finished_at is None]
        # The newest open session of each learner and kind stays open; the rest are
        # finished, scored from their answers, at their last answer (or their start).
        assert open_ids == [4, 5, 6, 8]
        closed = {row.id: row for row in found if row.id in (1, 2, 3)}
        assert closed[1].score == 2 and closed[1].finished_at.minute == 20
        assert closed[2].score == 0 and closed[2].finished_at.minute == 2
        assert closed[3].finished_at.minute == 3
        # And now the rule holds: a second open review session for user 1 is refused.
        from sqlalchemy.exc import IntegrityError

        with pytest.raises(IntegrityError):
            db.session.connection().exec_driver_sql(
                "INSERT INTO attempts (user_id, quiz_id, kind, mode, feedback, seed,"
                " started_at, score, max_score, last_position) VALUES"
                " (1, NULL, 'review', 'practice', 'immediate', 1,"
                " '2026-01-02 00:00:00', 0, 0, 0)")


def test_the_migration_closes_sessions_opened_twice(tmp_path: Path) -> None:
    check_migration_closes_duplicate_sessions(f"sqlite:///{tmp_path / 'mig.sqlite3'}", tmp_path)


# -- the same on PostgreSQL -----------------------------------------------------------
@pytest.fixture
def pg_app(make_pg_app: Callable[..., Flask]) -> Flask:
    return make_pg_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_size": THREADS, "max_overflow": 5})


@needs_postgres
@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["review", "mistakes"])
def test_thirty_starts_at_once_open_one_session_on_postgres(
    pg_app: Flask, clock: Clock, kind: str
) -> None:
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "pgracer", "correct horse", "student").id
    with_a_mistake_due(pg_app, "pgracer", clock)
    check_api_starts(pg_app, user, "pgracer", kind)
    with pg_app.app_context():
        items = db.session.scalar(select(func.count(AttemptItem.id)).join(Attempt).where(
            Attempt.kind == kind))
    assert items  # the one session has its questions


@needs_postgres
@pytest.mark.postgres
def test_plain_and_practise_what_i_missed_starts_at_once_on_postgres(
    pg_app: Flask, clock: Clock
) -> None:
    from quizapp.services.accounts import create_user

    with pg_app.app_context():
        user = create_user(db.session, "pgmixer", "correct horse", "student").id
    check_mixed_starts(pg_app, user, "pgmixer", clock)


@needs_postgres
@pytest.mark.postgres
def test_the_migration_closes_sessions_opened_twice_on_postgres(tmp_path: Path) -> None:
    empty_postgres(str(POSTGRES_URL))
    check_migration_closes_duplicate_sessions(str(POSTGRES_URL), tmp_path)


# -- the migrations build the schema the models declare --------------------------------
def check_migrations_match_models(url: str, tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from quizapp import create_app
    from quizapp.database import upgrade_database

    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "cmp"),
                      "SQLALCHEMY_DATABASE_URI": url, "SYNC_ON_START": False})
    with app.app_context():
        upgrade_database()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
        db.engine.dispose()


def test_the_migrations_match_the_models(tmp_path: Path) -> None:
    check_migrations_match_models(f"sqlite:///{tmp_path / 'cmp.sqlite3'}", tmp_path)


@needs_postgres
@pytest.mark.postgres
def test_the_migrations_match_the_models_on_postgres(tmp_path: Path) -> None:
    empty_postgres(str(POSTGRES_URL))
    check_migrations_match_models(str(POSTGRES_URL), tmp_path)
