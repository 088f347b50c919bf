"""Configuration: environment variables, the instance folder and the SQLite settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy import text

from quizapp import create_app
from quizapp.config import resource_dir, settings_from_env
from quizapp.extensions import db


def test_environment_variables_map_to_settings() -> None:
    settings = settings_from_env({
        "QUIZAPP_DATABASE_URL": "postgresql://x/y",
        "QUIZAPP_SECRET_KEY": "k",
        "QUIZAPP_QUESTIONS_DIR": "/q",
        "QUIZAPP_HTTPS": "1",
        "UNRELATED": "z",
    })
    assert settings == {"SQLALCHEMY_DATABASE_URI": "postgresql://x/y", "SECRET_KEY": "k",
                        "QUESTIONS_DIR": "/q", "HTTPS": True}


def test_defaults_put_sqlite_and_a_private_key_in_the_instance_folder(
    tmp_path: Path, monkeypatch
) -> None:
    for name in list(os.environ):
        if name.startswith("QUIZAPP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("QUIZAPP_INSTANCE_DIR", str(tmp_path / "inst"))
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        "sqlite:///" + str(tmp_path / "inst" / "quizapp.sqlite3")
    )
    key_file = tmp_path / "inst" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text()
    # A restart keeps the key, so sessions survive it.
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_sqlite_connections_are_tuned(app) -> None:
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_templates_and_banks_are_found_through_the_package() -> None:
    assert (resource_dir("templates") / "base.html").is_file()
    assert resource_dir("questions").is_dir()
