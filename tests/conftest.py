"""Shared fixtures: an app over a temporary database and questions folder."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from quizapp import create_app
from quizapp.banks.sync import sync_folder
from quizapp.database import upgrade_database
from quizapp.extensions import db
from quizapp.services.accounts import create_user

REPO_ROOT = Path(__file__).resolve().parents[1]
SOURCES_DIR = REPO_ROOT.parent / "shared" / "sources"

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


class Clock:
    """A settable clock the app reads through its CLOCK setting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def questions_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "sample.yaml").write_text(SAMPLE_BANK, encoding="utf-8")
    return folder


@pytest.fixture
def make_app(tmp_path: Path, questions_dir: Path, clock: Clock) -> Callable[..., Flask]:
    def make(**overrides: Any) -> Flask:
        config = {
            "TESTING": True,
            "INSTANCE_DIR": str(tmp_path / "instance"),
            "QUESTIONS_DIR": str(questions_dir),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
            "CLOCK": clock,
            **overrides,
        }
        app = create_app(config)
        with app.app_context():
            upgrade_database()
            sync_folder(db.session, Path(app.config["QUESTIONS_DIR"]))
        return app

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    app = make_app()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def browser(app: Flask) -> Browser:
    return Browser(app.test_client())


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Any]:
    def make(username: str, role: str = "student", password: str = "correct horse") -> int:
        with app.app_context():
            return create_user(db.session, username, password, role).id

    return make


@pytest.fixture
def teacher(app: Flask, make_user: Callable[..., Any]) -> Browser:
    make_user("tess", role="teacher")
    browser = Browser(app.test_client())
    browser.login("tess")
    return browser


def quiz_id(app: Flask, slug: str) -> int:
    from quizapp.models import Quiz

    with app.app_context():
        return db.session.query(Quiz).filter_by(slug=slug).one().id
