"""The exam-only flag is a column of each question version: set when a bank is
synced, copied from the stored specs by migration 0009, and what review counts and
review sessions filter on (their rule is tested in test_exam_integrity.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from helpers import POSTGRES_URL, database_at, empty_postgres
from sqlalchemy import select
from test_exam_integrity import race_bank

from quizapp.extensions import db
from quizapp.models import QuestionVersion


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    # The race bank's last question is exam-only.
    (folder / "race.yaml").write_text(race_bank(), encoding="utf-8")
    return folder


def test_synced_versions_carry_their_specs_exam_only_flag(app: Flask) -> None:
    with app.app_context():
        versions = db.session.execute(select(QuestionVersion.spec, QuestionVersion.exam_only))
        flags = [(bool(spec.get("exam_only")), exam_only) for spec, exam_only in versions]
    assert len(flags) > 1
    assert all(from_spec == stored for from_spec, stored in flags)
    assert sum(stored for _spec, stored in flags) == 1


def check_migration_copies_the_flag(url: str, folder: Path) -> None:
    from flask_migrate import upgrade

    with database_at(url, folder, "0008") as connection:
        connection.exec_driver_sql(
            "INSERT INTO questions (id, bank_id, slug, position, retired) VALUES"
            " (1, 1, 'a', 0, false), (2, 1, 'b', 1, false), (3, 1, 'c', 2, false)")
        for version, spec in ((1, '{"exam_only": true}'), (2, '{"exam_only": false}'),
                              (3, '{"id": "c"}')):
            connection.exec_driver_sql(
                "INSERT INTO question_versions (id, question_id, content_hash, qtype, spec,"
                f" created_at) VALUES ({version}, {version}, 'h', 'numeric', '{spec}',"
                " '2026-01-01 00:00:00')")
        db.session.commit()
        upgrade(revision="0009")
        flags = dict(db.session.execute(
            select(QuestionVersion.id, QuestionVersion.exam_only).order_by(QuestionVersion.id)
        ).all())
    # Only the spec that says so is exam-only; one stored before the field is not.
    assert flags == {1: True, 2: False, 3: False}


def test_migration_copies_the_flag_from_stored_specs(tmp_path: Path) -> None:
    check_migration_copies_the_flag(f"sqlite:///{tmp_path / 'm.sqlite3'}", tmp_path)


@pytest.mark.skipif(not POSTGRES_URL, reason="no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)")
def test_migration_copies_the_flag_on_postgres(tmp_path: Path) -> None:
    assert POSTGRES_URL
    empty_postgres(POSTGRES_URL)
    check_migration_copies_the_flag(POSTGRES_URL, tmp_path)
