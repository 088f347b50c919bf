"""Times read back from SQLite's text (the gradebook reads hundreds a page): aware UTC,
whatever form the stored text has."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import text

from quizapp.extensions import db
from quizapp.models import User


@pytest.mark.parametrize(("stored", "expected"), [
    ("2026-03-01 09:00:00.250000", datetime(2026, 3, 1, 9, 0, 0, 250000, tzinfo=UTC)),
    ("2026-03-01 09:00:00", datetime(2026, 3, 1, 9, tzinfo=UTC)),
    ("2026-03-01T09:00:00", datetime(2026, 3, 1, 9, tzinfo=UTC)),
    ("2026-03-01 10:00:00+01:00", datetime(2026, 3, 1, 9, tzinfo=UTC)),
    ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
])
def test_stored_text_reads_as_aware_utc(app: Flask, make_user, stored: str,
                                        expected: datetime) -> None:
    user_id = make_user("anna")
    with app.app_context():
        db.session.execute(text("UPDATE users SET created_at = :t WHERE id = :id"),
                           {"t": stored, "id": user_id})
        db.session.commit()
        db.session.expire_all()
        read = db.session.get(User, user_id).created_at
    assert read == expected and read.utcoffset() == timedelta(0)


def test_a_time_written_reads_back_the_same(app: Flask, make_user) -> None:
    user_id = make_user("ben")
    moment = datetime(2026, 3, 1, 10, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))
    with app.app_context():
        db.session.get(User, user_id).created_at = moment
        db.session.commit()
        db.session.expire_all()
        assert db.session.get(User, user_id).created_at == moment.astimezone(UTC)
