"""Migrations 0011 to 0013, which make an answer write fewer pages: the attempts
lose last_position and six indexes that a composite index or unique key covered, the
topic and day figures are keyed by learner and topic or day (stored in that order on
SQLite), and the answers by their attempt item. Every row stays, and on SQLite an
upgrade stopped part way changes nothing. The PostgreSQL variants run when
QUIZAPP_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import POSTGRES_URL, database_at, empty_postgres
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError

from quizapp.extensions import db
from quizapp.models import Attempt


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind (PostgreSQL only when a test server is set)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    if not POSTGRES_URL:
        pytest.skip("no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)")
    empty_postgres(POSTGRES_URL)
    return POSTGRES_URL


def assert_refused(sql: str) -> None:
    """The database refuses `sql` (a key's check); the transaction is rolled back."""
    with pytest.raises(IntegrityError):
        db.session.connection().exec_driver_sql(sql)
    db.session.rollback()


def names_like(prefix: str) -> list[str]:
    return db.session.connection().exec_driver_sql(
        f"SELECT name FROM sqlite_master WHERE name LIKE '{prefix}%' ORDER BY name"
    ).scalars().all()


def count(table: str) -> int:
    return db.session.connection().exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


# One attempt as revision 0010 stores it (with its last position).
ATTEMPT_AT_0010 = (
    "INSERT INTO attempts (id, user_id, quiz_id, kind, mode, feedback, seed, started_at,"
    " score, max_score, last_position, number) VALUES (1, 1, NULL, 'review', 'practice',"
    " 'immediate', 7, '2026-01-01 00:00:00', 2, 3, 4, NULL)",)


DROPPED = {"attempts": "ix_attempts_user_id", "review_cards": "ix_review_cards_due",
           "quiz_stats": "ix_quiz_stats_user_id", "topic_stats": "ix_topic_stats_user_id",
           "day_stats": "ix_day_stats_user_id"}


def test_the_migration_drops_what_answers_no_longer_need(database_url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    with database_at(database_url, tmp_path / "mig", "0010", ATTEMPT_AT_0010):
        upgrade(revision="0011")
        schema = inspect(db.session.connection())
        assert "last_position" not in {c["name"] for c in schema.get_columns("attempts")}
        for table, index in DROPPED.items():
            assert index not in {i["name"] for i in schema.get_indexes(table)}
        kept = db.session.execute(
            select(Attempt.id, Attempt.seed, Attempt.score, Attempt.max_score)).all()
        assert [tuple(row) for row in kept] == [(1, 7, 2, 3)]


def test_the_topic_and_day_figures_are_keyed_by_learner(database_url: str, tmp_path: Path) -> None:
    from flask_migrate import downgrade, upgrade

    from quizapp.models import DayStat, TopicStat

    figures = (
        "INSERT INTO topic_stats (user_id, bank_id, topic, answered, correct, recent)"
        " VALUES (1, 1, 'places', 4, 3, 0.75), (2, 1, 'places', 1, 0, 0.0),"
        " (1, 1, 'people', 2, 2, 1.0)",
        "INSERT INTO day_stats (user_id, day, answered, correct)"
        " VALUES (1, '2026-01-02', 5, 4), (1, '2026-01-01', 1, 1), (2, '2026-01-01', 2, 0)",
    )
    with database_at(database_url, tmp_path / "mig", "0011", figures):
        upgrade(revision="0012")
        schema = inspect(db.session.connection())
        assert schema.get_pk_constraint("topic_stats")["constrained_columns"] == [
            "user_id", "bank_id", "topic"]
        assert schema.get_pk_constraint("day_stats")["constrained_columns"] == [
            "user_id", "day"]
        for table in ("topic_stats", "day_stats"):
            assert "id" not in {c["name"] for c in schema.get_columns(table)}
        kept = db.session.execute(select(
            TopicStat.user_id, TopicStat.topic, TopicStat.answered, TopicStat.correct,
            TopicStat.recent).order_by(TopicStat.user_id, TopicStat.topic)).all()
        assert [tuple(row) for row in kept] == [
            (1, "people", 2, 2, 1.0), (1, "places", 4, 3, 0.75), (2, "places", 1, 0, 0.0)]
        days = db.session.execute(select(DayStat.user_id, DayStat.day, DayStat.answered)
                                  .order_by(DayStat.user_id, DayStat.day)).all()
        assert [(user, day.isoformat(), answered) for user, day, answered in days] == [
            (1, "2026-01-01", 1), (1, "2026-01-02", 5), (2, "2026-01-01", 2)]
        if db.engine.dialect.name == "sqlite":
            for table in ("topic_stats", "day_stats"):
                options = db.session.connection().exec_driver_sql(
                    f"SELECT sql FROM sqlite_master WHERE name = '{table}'").scalar_one()
                assert options.rstrip().endswith("WITHOUT ROWID")
        # The key still refuses a second row for the same learner, bank and topic.
        assert_refused(
            "INSERT INTO topic_stats (user_id, bank_id, topic, answered, correct,"
            " recent) VALUES (1, 1, 'places', 1, 1, 1.0)")
        # And back: the rowid key returns, with the same rows.
        downgrade(revision="0011")
        for table in ("topic_stats", "day_stats"):
            assert "id" in {c["name"] for c in inspect(db.session.connection()).get_columns(
                table)}
            assert count(table) == 3


# An attempt of three questions, two answered, as revision 0012 stores them. Answered in
# another order than the items': the answers' ids are not the items'.
TWO_ANSWERS_AT_0012 = (
    "INSERT INTO questions (id, bank_id, slug, position, retired) VALUES (1, 1, 'q', 0, false)",
    "INSERT INTO question_versions (id, question_id, content_hash, qtype, spec, created_at,"
    " exam_only) VALUES (1, 1, 'h', 'true_false', '{}', '2026-01-01 00:00:00', false)",
    "INSERT INTO attempts (id, user_id, quiz_id, kind, mode, feedback, seed, started_at,"
    " score, max_score, number) VALUES (1, 1, NULL, 'review', 'practice', 'immediate', 7,"
    " '2026-01-01 00:00:00', 1, 3, NULL)",
    "INSERT INTO attempt_items (id, attempt_id, position, question_version_id, points,"
    " flagged, sequence) VALUES (10, 1, 1, 1, 1, false, 1), (11, 1, 2, 1, 1, false, 0),"
    " (12, 1, 3, 1, 1, false, 1)",
    "INSERT INTO answers (id, item_id, response, fraction, points, outcome, answered_at)"
    " VALUES (1, 12, 'true', 1, 1, '{}', '2026-01-01 00:01:00'),"
    " (2, 10, 'false', 0, 0, '{}', '2026-01-01 00:02:00')",
)


def test_the_answers_are_keyed_by_their_item(database_url: str, tmp_path: Path) -> None:
    from flask_migrate import downgrade, upgrade

    from quizapp.models import Answer

    with database_at(database_url, tmp_path / "mig", "0012", TWO_ANSWERS_AT_0012):
        upgrade(revision="0013")
        schema = inspect(db.session.connection())
        assert schema.get_pk_constraint("answers")["constrained_columns"] == ["item_id"]
        assert "id" not in {c["name"] for c in schema.get_columns("answers")}
        assert not schema.get_unique_constraints("answers")
        if db.engine.dialect.name == "sqlite":
            # The INTEGER key is the rowid: no index of its own beside the table.
            assert not db.session.connection().exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE tbl_name = 'answers'"
                " AND type = 'index'").all()
        kept = db.session.execute(select(Answer.item_id, Answer.fraction, Answer.answered_at)
                                  .order_by(Answer.item_id)).all()
        assert [(item, fraction, at.minute) for item, fraction, at in kept] == [
            (10, 0.0, 2), (12, 1.0, 1)]
        # The key still refuses a second answer to the same item.
        assert_refused(
            "INSERT INTO answers (item_id, response, fraction, points, outcome,"
            " answered_at) VALUES (10, 'true', 1, 1, '{}', '2026-01-01 00:03:00')")
        # And back: the rowid key and the unique key return, with the same answers.
        downgrade(revision="0012")
        schema = inspect(db.session.connection())
        assert schema.get_pk_constraint("answers")["constrained_columns"] == ["id"]
        assert db.session.connection().exec_driver_sql(
            "SELECT item_id FROM answers ORDER BY item_id").scalars().all() == [10, 12]
        assert_refused(
            "INSERT INTO answers (item_id, response, fraction, points, outcome,"
            " answered_at) VALUES (12, 'true', 1, 1, '{}', '2026-01-01 00:03:00')")


TOPICS_AT_0011 = ("INSERT INTO topic_stats (user_id, bank_id, topic, answered, correct,"
                  " recent) VALUES (1, 1, 'places', 4, 3, 0.75), (1, 1, 'people', 2, 2, 1.0)",)


def stop_at(monkeypatch: pytest.MonkeyPatch, operation: str, startswith: str = "") -> None:
    """Make the migration operation `operation` fail, as a power cut there would stop it
    (for `execute`, only statements starting with `startswith`)."""
    from alembic.operations import Operations

    carry_on = getattr(Operations, operation)

    def stopped(self: Operations, *args: Any, **kw: Any) -> Any:
        if str(args[0] if args else "").startswith(startswith):
            raise RuntimeError("stopped")
        return carry_on(self, *args, **kw)

    monkeypatch.setattr(Operations, operation, stopped)



@pytest.mark.parametrize(("revision", "table", "rows", "stored", "stop"), [
    ("0011", "attempts", ATTEMPT_AT_0010, 1, ("drop_column", "")),
    ("0012", "topic_stats", TOPICS_AT_0011, 2, ("execute", "INSERT INTO topic_stats_rebuilt")),
    ("0013", "answers", TWO_ANSWERS_AT_0012, 2, ("rename_table", "")),
])
def test_an_upgrade_stopped_part_way_leaves_the_schema_it_started_from(
    revision: str, table: str, rows: tuple[str, ...], stored: int, stop: tuple[str, str],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SQLite: the whole upgrade is one transaction, its DDL included, so a run stopped
    part way changes nothing (no index dropped, no half-built table left) and the next
    run starts over."""
    from flask_migrate import upgrade

    before = f"{int(revision) - 1:04d}"
    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    with database_at(url, tmp_path / "mig", before, rows):
        schema_before = names_like(table)
        stop_at(monkeypatch, *stop)
        with pytest.raises(SystemExit):  # Flask-Migrate's way of saying it failed
            upgrade(revision=revision)
        monkeypatch.undo()
        db.session.rollback()
        assert names_like(table) == schema_before
        assert db.session.connection().exec_driver_sql(
            "SELECT version_num FROM alembic_version").scalar_one() == before
        assert count(table) == stored
        upgrade(revision=revision)
        assert f"{table}_rebuilt" not in names_like(table)
        assert count(table) == stored


@pytest.mark.parametrize(("revision", "table"), [("0012", "topic_stats"), ("0013", "answers")])
def test_a_rebuild_clears_a_table_left_by_a_run_stopped_before_this_version(
    revision: str, table: str, tmp_path: Path
) -> None:
    """Before upgrades ran as one transaction on SQLite, a run stopped before the copy
    left the new, empty table behind; the rebuild drops it and goes on."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    leftover = (f"CREATE TABLE {table}_rebuilt (leftover INTEGER)",)
    with database_at(url, tmp_path / "mig", f"{int(revision) - 1:04d}", leftover):
        upgrade(revision=revision)
        assert f"{table}_rebuilt" not in names_like(table)


def test_after_an_upgrade_a_read_still_opens_no_transaction(tmp_path: Path) -> None:
    """The upgrade's own BEGIN is for its connection only: afterwards the app's reads
    on that connection hold no transaction, which begins at the first write."""
    from flask_migrate import upgrade

    url = f"sqlite:///{tmp_path / 'mig.sqlite3'}"
    with database_at(url, tmp_path / "mig", "0012"):
        upgrade()
        db.session.remove()
        # The next connection is the one the upgrade used, back from the pool.
        connection = db.session.connection()
        connection.exec_driver_sql("SELECT count(*) FROM answers").scalar_one()
        assert not connection.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]
