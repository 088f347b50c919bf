"""Kept figures: a payload is computed once per fingerprint, kept in the database for
every worker and in the worker for its next views; a new fingerprint computes afresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from quizapp.extensions import db
from quizapp.models import StatsCache
from quizapp.services import stats_cache


def computing(payload: dict[str, Any], calls: list[str]) -> Callable[[], dict[str, Any]]:
    def compute() -> dict[str, Any]:
        calls.append("computed")
        return payload

    return compute


def statements_in(app: Flask, action: Callable[[], Any]) -> int:
    sent: list[str] = []
    engine = db.engine
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(sent)


def test_a_payload_is_computed_once_per_fingerprint(app: Flask) -> None:
    calls: list[str] = []
    with app.app_context():
        first = stats_cache.cached(db.session, "k", "f1", computing({"n": 1}, calls))
        again = stats_cache.cached(db.session, "k", "f1", computing({"n": 99}, calls))
        assert first == again == {"n": 1} and calls == ["computed"]
        changed = stats_cache.cached(db.session, "k", "f2", computing({"n": 2}, calls))
        assert changed == {"n": 2} and calls == ["computed", "computed"]
        stored = db.session.scalars(select(StatsCache)).one()
        assert (stored.key, stored.fingerprint, stored.payload) == ("k", "f2", {"n": 2})


def test_a_kept_payload_is_not_read_again(app: Flask) -> None:
    calls: list[str] = []
    with app.app_context():
        stats_cache.cached(db.session, "k", "f1", computing({"n": 1}, calls))
        assert statements_in(app, lambda: stats_cache.cached(
            db.session, "k", "f1", computing({"n": 9}, calls))) == 0
        # Another worker's payload, found in the database: read once, then kept.
        db.session.execute(StatsCache.__table__.update().values(
            fingerprint="f3", payload={"n": 3}))
        db.session.commit()
        assert statements_in(app, lambda: stats_cache.cached(
            db.session, "k", "f3", computing({"n": 9}, calls))) == 1
        assert statements_in(app, lambda: stats_cache.cached(
            db.session, "k", "f3", computing({"n": 9}, calls))) == 0
        assert stats_cache.cached(db.session, "k", "f3", computing({}, calls)) == {"n": 3}
        assert calls == ["computed"]


def test_each_database_keeps_its_own_payloads(make_app: Callable[..., Flask], tmp_path) -> None:
    calls: list[str] = []
    one = make_app()
    other = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with one.app_context():
        assert stats_cache.cached(db.session, "k", "f", computing({"db": 1}, calls)) == {
            "db": 1}
    with other.app_context():
        assert stats_cache.cached(db.session, "k", "f", computing({"db": 2}, calls)) == {
            "db": 2}
    assert calls == ["computed", "computed"]
