"""Settings: defaults, then `QUIZAPP_*` environment variables, then the caller's mapping.

Everything a school's install keeps lives in one data folder, the same for every
command whatever the current directory: the SQLite database, the secret key, the
teachers' banks (`banks/`) and their source texts (`sources/`). The folder is
platformdirs' per-user data folder unless `QUIZAPP_DATA_DIR` names another.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

PACKAGE_DIR = Path(__file__).resolve().parent
APP_NAME = "quizapp"
DATA_DIR_ENV = "QUIZAPP_DATA_DIR"
# The older name of the same setting, still honoured so existing installs keep their data.
DATA_DIR_ALIAS_ENV = "QUIZAPP_INSTANCE_DIR"
DATABASE_FILE = "quizapp.sqlite3"
SECRET_KEY_FILE = "secret_key"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600

DEFAULT_MAX_BANK_BYTES = 1_000_000
DEFAULT_MAX_REQUEST_BYTES = 2_000_000
# An attempt draws at most this many questions (at random) so its pages stay usable.
DEFAULT_MAX_QUESTIONS_PER_ATTEMPT = 200


def resource_dir(name: str) -> Path:
    """A folder shipped with the package: inside it when installed, beside it in a checkout.

    The wheel force-includes `templates/` and `questions/` into the package; a source
    checkout keeps them at the top level, next to `quizapp/`.
    """
    inside = PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / name


def _env_flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def settings_from_env(environ: Mapping[str, str]) -> dict[str, Any]:
    """Only the variables that are set, so defaults stay visible in one place."""
    settings: dict[str, Any] = {}
    mapping = {
        "QUIZAPP_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
        "QUIZAPP_SECRET_KEY": "SECRET_KEY",
        "QUIZAPP_QUESTIONS_DIR": "QUESTIONS_DIR",
        "QUIZAPP_SOURCES_DIR": "SOURCES_DIR",
    }
    for env_name, key in mapping.items():
        if environ.get(env_name):
            settings[key] = environ[env_name]
    if "QUIZAPP_HTTPS" in environ:
        settings["HTTPS"] = _env_flag(environ["QUIZAPP_HTTPS"])
    if "QUIZAPP_SYNC_ON_START" in environ:
        settings["SYNC_ON_START"] = _env_flag(environ["QUIZAPP_SYNC_ON_START"])
    for env_name, key in (
        ("QUIZAPP_LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ACCOUNT"),
        ("QUIZAPP_LOGIN_LIMIT_PER_ADDRESS", "LOGIN_LIMIT_PER_ADDRESS"),
        ("QUIZAPP_REGISTER_LIMIT_PER_ADDRESS", "REGISTER_LIMIT_PER_ADDRESS"),
        ("QUIZAPP_PROXY_COUNT", "PROXY_COUNT"),
    ):
        if environ.get(env_name):
            settings[key] = int(environ[env_name])
    if environ.get("QUIZAPP_MAX_QUESTIONS_PER_ATTEMPT"):
        settings["MAX_QUESTIONS_PER_ATTEMPT"] = int(environ["QUIZAPP_MAX_QUESTIONS_PER_ATTEMPT"])
    if environ.get("QUIZAPP_MAX_BANK_BYTES"):
        settings["MAX_BANK_BYTES"] = int(environ["QUIZAPP_MAX_BANK_BYTES"])
    return settings


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data folder: $QUIZAPP_DATA_DIR, else $QUIZAPP_INSTANCE_DIR, else the per-user one.

    Only computed, never created: `quizapp --help` must leave no trace.
    """
    env = os.environ if environ is None else environ
    chosen = env.get(DATA_DIR_ENV) or env.get(DATA_DIR_ALIAS_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False).resolve()


def folder_settings(base: Path) -> dict[str, Any]:
    """The settings that are folders, for a data folder `base`."""
    return {
        "DATA_DIR": str(base),
        "QUESTIONS_DIR": str(base / "banks"),
        "SOURCES_DIR": str(base / "sources"),
        "BUNDLED_QUESTIONS_DIR": str(resource_dir("questions")),
    }


def configured_folders(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The folder settings as the app would see them, without building it (for commands)."""
    env = os.environ if environ is None else environ
    folders = folder_settings(data_dir(env))
    from_env = settings_from_env(env)
    folders.update({key: from_env[key] for key in folders if key in from_env})
    return folders


def default_settings() -> dict[str, Any]:
    """Every setting but the folders (see `folder_settings`)."""
    return {
        "HTTPS": False,
        "SYNC_ON_START": True,
        "MAX_BANK_BYTES": DEFAULT_MAX_BANK_BYTES,
        "MAX_CONTENT_LENGTH": DEFAULT_MAX_REQUEST_BYTES,
        "MAX_FORM_MEMORY_SIZE": DEFAULT_MAX_REQUEST_BYTES,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # A form's token lasts a school day: long exams and pages left open over a
        # break still submit; an older one gets the friendly "form expired" page.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Login lifetimes and throttles default in services/sessions.py and
        # services/accounts.py (SESSION_LIFETIME_HOURS, REMEMBER_LIFETIME_DAYS,
        # LOGIN_LIMIT_*, REGISTER_LIMIT_PER_ADDRESS); the browser cookie never
        # outlives the server-side login.
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "PROXY_COUNT": 0,
        "SQLITE_BUSY_TIMEOUT_MS": 5000,
        "MAX_QUESTIONS_PER_ATTEMPT": DEFAULT_MAX_QUESTIONS_PER_ATTEMPT,
        # None hashes passwords with scrypt; another werkzeug method only in tests
        # (see services/accounts.py configure_hashing).
        "PASSWORD_HASH_METHOD": None,
    }


def make_private_dir(path: Path) -> Path:
    """Create a folder only its owner can enter (0700), or tighten an existing one."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def make_private_file(path: Path) -> None:
    """Create an empty file only its owner can read (0600), or tighten an existing one."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(PRIVATE_FILE_MODE)


def instance_secret_key(instance_dir: Path) -> str:
    """The key kept in the data folder: made once with mode 0600, then reused."""
    path = instance_dir / SECRET_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    # Written to a private temporary file, then linked into place: the link either
    # wins or fails, so concurrent workers never read a half-written key.
    tmp = instance_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    try:
        os.link(tmp, path)
    except FileExistsError:
        key = path.read_text().strip()
    finally:
        tmp.unlink()
    return key
