"""Helpers the tests share: a sample bank, a browser-like client, a settable clock."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection

from quizapp.extensions import db

REPO_ROOT = Path(__file__).resolve().parents[1]
# A cheap password hash for tests (production always uses scrypt: services/accounts.py).
FAST_HASH_METHOD = "pbkdf2:sha256:1000"
# Beside the repository, unless QUIZAPP_TEST_SOURCES_DIR names another copy.
SOURCES_DIR = Path(os.environ.get("QUIZAPP_TEST_SOURCES_DIR")
                   or REPO_ROOT.parent / "shared" / "sources")

SAMPLE_BANK = """\
id: sample
title: Sample bank
description: A small bank for tests.
sources:
  - id: art
    title: An article
    publisher: A paper
    date: 2023-03-17
    url: https://example.org/article
topics:
  - id: rail
    title: Railways
  - id: people
    title: People
quizzes:
  - id: practice
    title: Sample practice
    mode: practice
    shuffle_questions: false
  - id: exam
    title: Sample exam
    mode: exam
    time_limit: 10
    attempts_allowed: 2
    grading: highest
    pass_mark: 50
    shuffle_questions: false
questions:
  - id: gauge
    type: numeric
    prompt: How wide is the rail gauge in Belarus, in millimetres?
    answers:
      - value: 1520
        feedback: Yes, the same gauge as Russia.
    units: {mm: 1, cm: 10, m: 1000}
    explanation: Belarus uses the Russian broad gauge.
    evidence: {source: art, paragraph: 3, quote: "use Russia’s 1,520mm gauge"}
    topics: [rail]
    difficulty: easy
  - id: city
    type: single_choice
    prompt: Which city is Belarus's second city?
    options:
      - id: gomel
        text: Gomel
        correct: true
        feedback: Right, Gomel is the second city.
      - id: minsk
        text: Minsk
        feedback: Minsk is the capital, not the second city.
      - id: brest
        text: Brest
        feedback: Brest is on the Polish border.
    explanation: The article names Gomel as the second city.
    evidence: {source: art, paragraph: 4, quote: "Gomel, Belarus’s second city"}
    topics: [people]
    difficulty: medium
    points: 2
"""


class Browser:
    """A test client that behaves like a person with a browser: it sends CSRF tokens."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def csrf(self, url: str = "/login") -> str:
        html = self.client.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def post(self, url: str, data: dict[str, Any] | None = None, *, token_from: str = "/",
             **kwargs: Any) -> Any:
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(token_from))
        return self.client.post(url, data=data, **kwargs)

    def register(self, username: str = "anna", password: str = "correct horse") -> Any:
        return self.post("/register", {"username": username, "password": password,
                                       "confirm": password}, token_from="/register")

    def login(self, username: str, password: str = "correct horse") -> Any:
        return self.post("/login", {"username": username, "password": password},
                         token_from="/login")

    def tabs(self, count: int) -> list[FlaskClient]:
        """`count` more test clients sending this browser's login, like its other tabs."""
        cookie = self.client.get_cookie("session")
        assert cookie is not None, "log in first"
        return clients_sharing(self.client.application, cookie.value, count)


class Clock:
    """A settable clock the app reads through its CLOCK setting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def quiz_id(app: Flask, slug: str) -> int:
    from quizapp.models import Quiz

    with app.app_context():
        return db.session.query(Quiz).filter_by(slug=slug).one().id


# -- races: many requests at once ---------------------------------------------------------


def all_at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together by a barrier; their results in order.

    An exception in any thread is raised here once all have finished, so a race that
    crashes fails the test rather than leaving a None in the results.
    """
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except BaseException as error:  # re-raised in the test's thread below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def clients_sharing(app: Flask, cookie: str, count: int) -> list[FlaskClient]:
    """`count` test clients sending one login's session cookie, like tabs of one browser."""
    clients = []
    for _ in range(count):
        client = app.test_client()
        client.set_cookie("session", cookie)
        clients.append(client)
    return clients


# -- migrations ------------------------------------------------------------------------

@contextmanager
def database_at(url: str, folder: Path, revision: str, rows: Sequence[str] = (),
                ) -> Iterator[Connection]:
    """The database at `url` migrated only up to `revision`, holding two learners (ids 1
    and 2), a bank (id 1) and whatever the statements in `rows` add, committed, inside
    an app context: a migration test then upgrades the rest of the way."""
    from flask_migrate import upgrade

    from quizapp import create_app

    app = create_app({"TESTING": True, "INSTANCE_DIR": str(folder),
                      "SQLALCHEMY_DATABASE_URI": url, "SYNC_ON_START": False})
    with app.app_context():
        upgrade(revision=revision)
        connection = db.session.connection()
        connection.exec_driver_sql(
            "INSERT INTO users (id, username, username_key, password_hash, role, created_at)"
            " VALUES (1, 'u', 'u', 'x', 'student', '2026-01-01 00:00:00'),"
            " (2, 'v', 'v', 'x', 'student', '2026-01-01 00:00:00')")
        connection.exec_driver_sql(
            "INSERT INTO banks (id, slug, title, language, meta, retired, synced_at)"
            " VALUES (1, 'b', 'B', 'en', '{}', false, '2026-01-01 00:00:00')")
        for sql in rows:
            connection.exec_driver_sql(sql)
        db.session.commit()
        try:
            yield db.session.connection()
        finally:
            db.session.remove()
            db.engine.dispose()


# -- PostgreSQL ---------------------------------------------------------------------------

POSTGRES_URL = os.environ.get("QUIZAPP_TEST_POSTGRES_URL")


def require_postgres() -> str:
    """The test server's URL (QUIZAPP_TEST_POSTGRES_URL). Without one the calling module
    is skipped on a developer's machine, but in CI a missing server is a failure."""
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            raise RuntimeError("CI must provide QUIZAPP_TEST_POSTGRES_URL (see .ci/run)")
        pytest.skip("no PostgreSQL server (set QUIZAPP_TEST_POSTGRES_URL)",
                    allow_module_level=True)
    return POSTGRES_URL


def empty_postgres(url: str) -> None:
    """Drop every table of the test database, so each test migrates a fresh schema."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
