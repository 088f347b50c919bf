"""Shared fixtures: an app over a temporary database and questions folder."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import (
    FAST_HASH_METHOD,
    SAMPLE_BANK,
    Browser,
    Clock,
    empty_postgres,
    require_postgres,
)
from hypothesis import HealthCheck, settings

from quizapp import create_app
from quizapp.banks.sync import sync_folder
from quizapp.database import upgrade_database
from quizapp.extensions import db
from quizapp.services.accounts import configure_hashing, create_user

# Hypothesis: the `dev` profile runs each property thoroughly; CI sets
# HYPOTHESIS_PROFILE=ci for a quicker pass (the `thorough` one is for hunting bugs).
settings.register_profile("dev", max_examples=150, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", settings.get_profile("dev"), max_examples=30)
settings.register_profile("thorough", settings.get_profile("dev"), max_examples=1000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Users made without an app (and before the first one) hash cheaply too.
configure_hashing(FAST_HASH_METHOD, testing=True)


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
            "PASSWORD_HASH_METHOD": FAST_HASH_METHOD,
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


@pytest.fixture(params=["sqlite", "postgresql"])
def any_app(request: pytest.FixtureRequest, make_app: Callable[..., Flask]) -> Iterator[Flask]:
    """The app over each kind of database (PostgreSQL: QUIZAPP_TEST_POSTGRES_URL)."""
    if request.param == "sqlite":
        app = make_app()
    else:
        url = require_postgres()
        empty_postgres(url)
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def make_pg_app(make_app: Callable[..., Flask]) -> Iterator[Callable[..., Flask]]:
    """Apps over a freshly emptied PostgreSQL database (QUIZAPP_TEST_POSTGRES_URL), for the
    tests/test_postgres*.py modules; their connections are closed afterwards."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        url = require_postgres()
        empty_postgres(url)
        app = make_app(SQLALCHEMY_DATABASE_URI=url, **overrides)
        made.append(app)
        return app

    yield make
    for app in made:
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
