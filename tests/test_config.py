"""Configuration: environment variables, the data folder and the SQLite settings."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from helpers import FAST_HASH_METHOD
from sqlalchemy import text

from quizapp import create_app
from quizapp.config import data_dir, resource_dir, settings_from_env
from quizapp.database import upgrade_database
from quizapp.extensions import db


def _clear_quizapp_env(monkeypatch) -> None:
    for name in list(os.environ):
        if name.startswith("QUIZAPP_"):
            monkeypatch.delenv(name)


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
    _clear_quizapp_env(monkeypatch)
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


def test_the_data_folder_is_the_per_user_one_whatever_the_directory(
    tmp_path: Path, monkeypatch
) -> None:
    _clear_quizapp_env(monkeypatch)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "quizapp"
    for cwd in (tmp_path, Path("/")):
        monkeypatch.chdir(cwd)
        assert data_dir() == expected
    assert not expected.exists(), "computing the folder must not create it"
    app = create_app()
    assert app.config["DATA_DIR"] == str(expected)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{expected / 'quizapp.sqlite3'}"
    assert app.config["QUESTIONS_DIR"] == str(expected / "banks")
    assert app.config["SOURCES_DIR"] == str(expected / "sources")
    assert app.config["BUNDLED_QUESTIONS_DIR"] == str(resource_dir("questions"))


def test_data_dir_variable_wins_and_the_old_name_still_works(tmp_path: Path) -> None:
    assert data_dir({"QUIZAPP_INSTANCE_DIR": str(tmp_path / "old")}) == tmp_path / "old"
    both = {"QUIZAPP_DATA_DIR": str(tmp_path / "new"), "QUIZAPP_INSTANCE_DIR": str(tmp_path)}
    assert data_dir(both) == tmp_path / "new"


def test_folders_can_each_be_moved(tmp_path: Path, monkeypatch) -> None:
    _clear_quizapp_env(monkeypatch)
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUIZAPP_QUESTIONS_DIR", str(tmp_path / "banks"))
    monkeypatch.setenv("QUIZAPP_SOURCES_DIR", str(tmp_path / "texts"))
    app = create_app()
    assert app.config["QUESTIONS_DIR"] == str(tmp_path / "banks")
    assert app.config["SOURCES_DIR"] == str(tmp_path / "texts")
    assert app.config["DATA_DIR"] == str(tmp_path / "data")


def test_the_data_folder_and_database_files_are_private(tmp_path: Path, monkeypatch) -> None:
    _clear_quizapp_env(monkeypatch)
    folder = tmp_path / "data"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # an existing folder made with a loose mode is tightened
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(folder))
    app = create_app()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    with app.app_context(), db.engine.connect() as connection:
        upgrade_database()
        connection.execute(text("SELECT 1"))
        database = folder / "quizapp.sqlite3"
        files = [database, folder / "quizapp.sqlite3-wal", folder / "quizapp.sqlite3-shm",
                 folder / "secret_key"]
        for path in files:
            assert path.exists(), path
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    with app.app_context():
        db.engine.dispose()


def test_pages_name_a_favicon_that_is_served(app) -> None:
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    assert icon.data.startswith(b"<svg") and len(icon.data) < 1024
    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 301 and legacy.location.endswith("/static/favicon.svg")


def _first_start(folder: str) -> str:
    """One worker's start on a new data folder: the key it ends up with."""
    app = create_app({"DATA_DIR": folder})
    with app.app_context():
        db.engine.dispose()
    return str(app.config["SECRET_KEY"])


def test_thirty_first_starts_at_once_share_one_key_and_private_files(
    tmp_path: Path, monkeypatch
) -> None:
    """Workers starting together on a new data folder agree on everything they create.

    Processes, as gunicorn's workers are (threads building 30 apps at once also meet a
    CPython bug in compiling their URL rules, which has nothing to do with the app).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _clear_quizapp_env(monkeypatch)
    folder = tmp_path / "fresh" / "data"
    with ProcessPoolExecutor(30, mp_context=multiprocessing.get_context("fork")) as pool:
        keys = set(pool.map(_first_start, [str(folder)] * 30))
    assert len(keys) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("secret_key", "quizapp.sqlite3"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600
    assert sorted(p.name for p in folder.iterdir()) == ["quizapp.sqlite3", "secret_key"]


def test_commands_see_the_folders_the_app_sees(tmp_path: Path, monkeypatch) -> None:
    from quizapp.config import configured_folders

    _clear_quizapp_env(monkeypatch)
    monkeypatch.setenv("QUIZAPP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("QUIZAPP_SOURCES_DIR", str(tmp_path / "texts"))
    folders = configured_folders()
    assert not (tmp_path / "data").exists()
    app = create_app()
    assert folders == {key: app.config[key] for key in folders}
    assert folders["SOURCES_DIR"] == str(tmp_path / "texts")


def test_a_cheap_password_hash_is_refused_outside_tests(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only for tests"):
        create_app({"DATA_DIR": str(tmp_path), "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1"})


def test_passwords_hash_with_scrypt_unless_a_test_says_otherwise(tmp_path: Path) -> None:
    from quizapp.services import accounts

    try:
        create_app({"DATA_DIR": str(tmp_path)})
        assert accounts.hash_password("correct horse").startswith("scrypt:")
        create_app({"DATA_DIR": str(tmp_path), "TESTING": True,
                    "PASSWORD_HASH_METHOD": FAST_HASH_METHOD})
        assert accounts.hash_password("correct horse").startswith("pbkdf2:sha256:1000$")
    finally:
        accounts.configure_hashing(FAST_HASH_METHOD, testing=True)
