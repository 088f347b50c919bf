"""Migration 0011: the attempts lose last_position and six indexes that a composite
index or unique key covered; every row stays. The PostgreSQL variant runs when
QUIZAPP_TEST_POSTGRES_URL is set."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import POSTGRES_URL, database_at, empty_postgres
from sqlalchemy import inspect, select

from quizapp.extensions import db
from quizapp.models import Attempt

DROPPED = {"attempts": "ix_attempts_user_id", "review_cards": "ix_review_cards_due",
           "quiz_stats": "ix_quiz_stats_user_id", "topic_stats": "ix_topic_stats_user_id",
           "day_stats": "ix_day_stats_user_id"}


def check_migration_drops_what_answers_no_longer_need(url: str, tmp_path: Path) -> None:
    from flask_migrate import upgrade

    with database_at(url, tmp_path / "mig", "0010") as connection:
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


def test_the_migration_drops_what_answers_no_longer_need(tmp_path: Path) -> None:
    check_migration_drops_what_answers_no_longer_need(
        f"sqlite:///{tmp_path / 'mig.sqlite3'}", tmp_path)


@pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)")
@pytest.mark.postgres
def test_the_migration_drops_what_answers_no_longer_need_on_postgres(tmp_path: Path) -> None:
    empty_postgres(str(POSTGRES_URL))
    check_migration_drops_what_answers_no_longer_need(str(POSTGRES_URL), tmp_path)
