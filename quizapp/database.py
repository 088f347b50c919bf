"""Engine set-up and schema upgrades."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event


def configure_engine(engine: Engine, busy_timeout_ms: int) -> None:
    """Per-connection SQLite settings; other databases need none."""
    if engine.dialect.name != "sqlite":
        return

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


def _is_memory(engine: Engine) -> bool:
    database = engine.url.database
    return not database or database == ":memory:"


def upgrade_database() -> None:
    """Bring the schema to the latest migration (needs an application context)."""
    from flask_migrate import upgrade

    # "heads": revisions written side by side (each from the same parent) all apply.
    upgrade(revision="heads")
