"""The database throttle: counts, windows, waits, and 30 hits at once counting 30."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from quizapp.extensions import db
from quizapp.models import Throttle
from quizapp.services import throttle
from quizapp.services.throttle import Limit

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_counts_up_to_the_limit_then_refuses_with_the_wait(any_app: Flask) -> None:
    limit = Limit(3, 600)
    with any_app.app_context():
        results = [
            throttle.hit(db.session, "login-account", "anna", limit, T0 + timedelta(seconds=n))
            for n in range(5)
        ]
    assert [r.allowed for r in results] == [True, True, True, False, False]
    assert [r.count for r in results] == [1, 2, 3, 4, 5]
    # The window began at T0, so 4 seconds in there are 596 seconds left.
    assert results[4].retry_after == 596


def test_a_new_window_starts_afresh_and_keys_and_scopes_are_separate(any_app: Flask) -> None:
    limit = Limit(1, 60)
    with any_app.app_context():
        assert throttle.hit(db.session, "s", "k", limit, T0).allowed
        assert not throttle.hit(db.session, "s", "k", limit, T0 + timedelta(seconds=59)).allowed
        assert throttle.hit(db.session, "s", "other", limit, T0).allowed
        assert throttle.hit(db.session, "other-scope", "k", limit, T0).allowed
        later = throttle.hit(db.session, "s", "k", limit, T0 + timedelta(seconds=60))
        assert later.allowed and later.count == 1


def test_refund_and_reset(any_app: Flask) -> None:
    limit = Limit(2, 60)
    with any_app.app_context():
        for _ in range(2):
            throttle.hit(db.session, "s", "k", limit, T0)
        throttle.refund(db.session, "s", "k")
        assert throttle.hit(db.session, "s", "k", limit, T0).allowed
        assert not throttle.hit(db.session, "s", "k", limit, T0).allowed
        throttle.reset(db.session, "s", "k")
        assert throttle.hit(db.session, "s", "k", limit, T0).count == 1


def test_keys_are_stored_hashed(any_app: Flask) -> None:
    with any_app.app_context():
        throttle.hit(db.session, "login-address", "203.0.113.9", Limit(5, 60), T0)
        keys = db.session.scalars(select(Throttle.key)).all()
    assert keys and all("203.0.113.9" not in key and len(key) == 64 for key in keys)


def test_old_windows_are_pruned(any_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    # No hit draws a prune of its own here, so the explicit one finds the old window.
    monkeypatch.setattr(throttle, "prune_is_due", lambda: False)
    with any_app.app_context():
        throttle.hit(db.session, "s", "old", Limit(5, 60), T0)
        throttle.hit(db.session, "s", "new", Limit(5, 60), T0 + timedelta(days=3))
        assert throttle.prune(db.session, T0 + timedelta(days=3)) == 1
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Throttle)) == 1


def test_a_hit_that_draws_a_prune_deletes_old_windows(
    any_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with any_app.app_context():
        monkeypatch.setattr(throttle, "prune_is_due", lambda: False)
        throttle.hit(db.session, "s", "old", Limit(5, 60), T0)
        throttle.hit(db.session, "s", "recent", Limit(5, 60), T0 + timedelta(days=2, hours=1))
        monkeypatch.setattr(throttle, "prune_is_due", lambda: True)
        throttle.hit(db.session, "s", "new", Limit(5, 60), T0 + timedelta(days=3))
        # The window of two days and one hour ago stays: only those PRUNE_AFTER old go.
        assert db.session.scalar(select(func.count()).select_from(Throttle)) == 2


def test_about_one_hit_in_prune_one_in_draws_a_prune() -> None:
    draws = sum(throttle.prune_is_due() for _ in range(throttle.PRUNE_ONE_IN * 100))
    assert 40 <= draws <= 200  # expected 100; outside this range less than once in 10^11 runs


def test_thirty_simultaneous_hits_count_thirty(any_app: Flask) -> None:
    hits = 30
    limit = Limit(10, 600)
    barrier = threading.Barrier(hits)
    results: list[throttle.ThrottleResult] = []
    errors: list[BaseException] = []

    def one() -> None:
        try:
            with any_app.app_context():
                barrier.wait()
                results.append(throttle.hit(db.session, "login-account", "anna", limit, T0))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(hits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.count for r in results) == list(range(1, hits + 1))
    assert sum(r.allowed for r in results) == limit.count


def test_wait_message() -> None:
    assert throttle.wait_message(1) == "Too many attempts. Try again in 1 second."
    assert throttle.wait_message(45) == "Too many attempts. Try again in 45 seconds."
    assert throttle.wait_message(61) == "Too many attempts. Try again in 2 minutes."
    assert throttle.wait_message(240) == "Too many attempts. Try again in 4 minutes."


def test_check_reads_without_counting(any_app: Flask) -> None:
    limit = Limit(2, 60)
    with any_app.app_context():
        assert throttle.check(db.session, "s", "k", limit, T0).allowed
        throttle.hit(db.session, "s", "k", limit, T0)
        assert throttle.check(db.session, "s", "k", limit, T0).allowed
        throttle.hit(db.session, "s", "k", limit, T0)
        blocked = throttle.check(db.session, "s", "k", limit, T0 + timedelta(seconds=20))
        assert not blocked.allowed and blocked.count == 2 and blocked.retry_after == 40
        assert throttle.check(db.session, "s", "k", limit, T0 + timedelta(seconds=60)).allowed
        assert throttle.hit(db.session, "s", "k", limit, T0 + timedelta(seconds=1)).count == 3
