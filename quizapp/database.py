"""Engine set-up and schema upgrades."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from quizapp import write_turns
from quizapp.config import make_private_file


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Per-connection SQLite settings; other databases need none."""
    if engine.dialect.name != "sqlite":
        return
    if not _is_memory(engine):
        database = Path(str(engine.url.database))
        secure_sqlite_files(database)
        write_turns.take_turns(engine, database, busy_timeout_ms)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        try:
            # WAL lets readers go on while one writer writes; NORMAL is durable
            # across application crashes in WAL mode and much faster than FULL.
            if not _is_memory(engine):
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        finally:
            cursor.close()
    # No "BEGIN IMMEDIATE" hook on purpose: the driver opens the write transaction
    # at the first write, so reads never hold a lock that writers queue behind.


def secure_sqlite_files(database: Path) -> None:
    """The database file, and its -wal and -shm when present, readable by their owner only.

    SQLite gives the -wal and -shm files the database file's permissions, so creating
    the database with mode 0600 before the first connection covers all three.
    """
    if not database.parent.is_dir():
        return  # SQLite will say the folder is missing; this is not the place to make it
    make_private_file(database)
    for suffix in ("-wal", "-shm"):
        companion = database.with_name(database.name + suffix)
        if companion.exists():
            make_private_file(companion)


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:"


class _WarningsOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


# The loggers Alembic reports each step on ("Context impl SQLiteImpl.", "Running upgrade").
MIGRATION_LOGGERS = ("alembic.runtime.migration", "alembic.env", "flask_migrate")


def upgrade_database(verbose: bool = False) -> None:
    """Bring the schema to the latest migration (needs an application context).

    Alembic's step-by-step lines are shown only when `verbose`. The filter sits on
    the loggers themselves because Alembic's environment re-reads its logging
    configuration (resetting levels and handlers, never filters) on every run.
    """
    from flask_migrate import upgrade

    quiet = _WarningsOnly()
    loggers = [] if verbose else [logging.getLogger(name) for name in MIGRATION_LOGGERS]
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        # "heads": revisions written side by side (each from the same parent) all apply.
        upgrade(revision="heads")
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
