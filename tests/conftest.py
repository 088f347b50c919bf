"""Shared fixtures: an app over a temporary database and questions folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from helpers import SAMPLE_BANK, Browser, Clock

from quizapp import create_app
from quizapp.banks.sync import sync_folder
from quizapp.database import upgrade_database
from quizapp.extensions import db
from quizapp.services.accounts import create_user


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
