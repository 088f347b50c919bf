"""Migrations 0011 and 0012, which make an answer write fewer pages: the attempts
lose last_position and six indexes that a composite index or unique key covered, and
the topic and day figures are keyed by learner and topic or day (stored in that
order on SQLite). Every row stays. The PostgreSQL variants run when
QUIZAPP_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import POSTGRES_URL, database_at, empty_postgres
from sqlalchemy import inspect, select

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


DROPPED = {"attempts": "ix_attempts_user_id", "review_cards": "ix_review_cards_due",
           "quiz_stats": "ix_quiz_stats_user_id", "topic_stats": "ix_topic_stats_user_id",
           "day_stats": "ix_day_stats_user_id"}


def test_the_migration_drops_what_answers_no_longer_need(database_url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    with database_at(database_url, tmp_path / "mig", "0010") as connection:
        connection.exec_driver_sql(
            "INSERT INTO attempts (id, user_id, quiz_id, kind, mode, feedback, seed,"
            " started_at, score, max_score, last_position, number) VALUES"
            " (1, 1, NULL, 'review', 'practice', 'immediate', 7,"
            " '2026-01-01 00:00:00', 2, 3, 4, NULL)")
        db.session.commit()
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
    from sqlalchemy.exc import IntegrityError

    from quizapp.models import DayStat, TopicStat

    with database_at(database_url, tmp_path / "mig", "0011") as connection:
        connection.exec_driver_sql(
            "INSERT INTO topic_stats (user_id, bank_id, topic, answered, correct, recent)"
            " VALUES (1, 1, 'places', 4, 3, 0.75), (2, 1, 'places', 1, 0, 0.0),"
            " (1, 1, 'people', 2, 2, 1.0)")
        connection.exec_driver_sql(
            "INSERT INTO day_stats (user_id, day, answered, correct)"
            " VALUES (1, '2026-01-02', 5, 4), (1, '2026-01-01', 1, 1), (2, '2026-01-01', 2, 0)")
        db.session.commit()
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
        with pytest.raises(IntegrityError):
            db.session.connection().exec_driver_sql(
                "INSERT INTO topic_stats (user_id, bank_id, topic, answered, correct,"
                " recent) VALUES (1, 1, 'places', 1, 1, 1.0)")
        db.session.rollback()
        # And back: the rowid key returns, with the same rows.
        downgrade(revision="0011")
        for table in ("topic_stats", "day_stats"):
            assert "id" in {c["name"] for c in inspect(db.session.connection()).get_columns(
                table)}
            assert db.session.connection().exec_driver_sql(
                f"SELECT count(*) FROM {table}").scalar_one() == 3
