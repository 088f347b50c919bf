"""Writers to one SQLite file take turns through a kernel lock, not SQLite's busy wait.

SQLite lets one connection write at a time. A connection that finds the write lock
taken waits in SQLite's busy handler, which sleeps 1, 2, 5, 10, 15, 20, 25 ... 100 ms
between tries: while the lock is free, waiters may still be asleep, and one unlucky
writer can keep losing to newcomers. Under a class answering at once that made the
slowest answers hundreds of times slower than the typical one.

Here every connection to the same database file also holds an exclusive `flock` on a
companion file (`<database>-writers`) from its first write to its commit or rollback.
A writer that finds it held tries the kernel lock again after short pauses (0.1 ms,
doubling to at most 1 ms: a turn lasts about a millisecond), so it goes on within about
a millisecond of the holder's commit. It is a scheduling aid only: SQLite's own locking
still decides what is safe, and a writer that waits longer than the busy timeout goes
on without its turn, so SQLite answers as it would have ("database is locked").

Readers never take a turn: in WAL mode they do not block writers or each other.
Where `flock` does not exist (Windows), writers wait in SQLite's busy handler as before.

The turn is taken in the driver's cursor (`TurnTakingCursor`), not in a SQLAlchemy
event: an engine with any execution listener runs SQLAlchemy's event dispatch at every
statement, begin and commit, about 280 Python calls of an answer's 3,500.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, event

try:
    import fcntl
except ImportError:  # not on Windows
    HAS_FLOCK = False
else:
    HAS_FLOCK = True

# Statements that only read; anything else takes the writers' turn first.
READ_ONLY_PREFIXES = ("SELECT", "PRAGMA", "EXPLAIN")


def companion_path(database: Path) -> Path:
    return database.with_name(database.name + "-writers")


def reads_only(statement: str) -> bool:
    return statement.lstrip()[:8].upper().startswith(READ_ONLY_PREFIXES)


class TurnTakingConnection(sqlite3.Connection):
    """A SQLite connection that holds the writers' turn from its first write to its end."""

    turn_file: int | None = None
    turn_wait: float = 5.0
    holds_turn: bool = False

    def cursor(self, factory: Any = None) -> Any:
        return super().cursor(factory or TurnTakingCursor)

    # The connection's own shortcuts open a plain cursor: these open one of ours.
    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any:
        return self.cursor().executemany(sql, seq_of_parameters)

    def executescript(self, sql_script: str, /) -> Any:
        return self.cursor().executescript(sql_script)

    def before_statement(self, statement: str) -> None:
        if not self.holds_turn and not reads_only(statement):
            self.take_turn()

    def take_turn(self) -> None:
        if self.holds_turn or self.turn_file is None:
            return
        if _lock(self.turn_file, self.turn_wait):
            self.holds_turn = True

    def give_turn(self) -> None:
        if self.holds_turn and self.turn_file is not None:
            self.holds_turn = False
            fcntl.flock(self.turn_file, fcntl.LOCK_UN)

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.give_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.give_turn()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.give_turn()
            if self.turn_file is not None:
                os.close(self.turn_file)
                self.turn_file = None


class TurnTakingCursor(sqlite3.Cursor):
    """A cursor that takes its connection's turn before a statement that may write."""

    def execute(self, sql: str, parameters: Any = (), /) -> TurnTakingCursor:
        _turn_taker(self).before_statement(sql)
        super().execute(sql, parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> TurnTakingCursor:
        _turn_taker(self).before_statement(sql)
        super().executemany(sql, seq_of_parameters)
        return self

    def executescript(self, sql_script: str, /) -> TurnTakingCursor:
        _turn_taker(self).take_turn()
        super().executescript(sql_script)
        return self


def _turn_taker(cursor: sqlite3.Cursor) -> TurnTakingConnection:
    # Only TurnTakingConnection opens these cursors (its cursor()).
    return cast(TurnTakingConnection, cursor.connection)


def _lock(descriptor: int, wait: float) -> bool:
    """Take the exclusive lock, waiting at most `wait` seconds; False if not taken."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        pass
    deadline = time.monotonic() + wait
    pause = 0.0001
    while time.monotonic() < deadline:
        time.sleep(pause)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            # Short, bounded pauses: a turn lasts about a millisecond.
            pause = min(pause * 2, 0.001)
    return False


def take_turns(engine: Engine, database: Path, busy_timeout_ms: int) -> None:
    """Make the engine's connections to `database` take turns to write."""
    if not HAS_FLOCK:
        return
    lock_path = companion_path(database)

    @event.listens_for(engine, "do_connect")
    def _connect_with_turns(
        _dialect: Any, _record: Any, _args: Any, params: dict[str, Any]
    ) -> None:
        params["factory"] = TurnTakingConnection

    @event.listens_for(engine, "connect")
    def _open_turn_file(dbapi_connection: Any, _record: Any) -> None:
        if isinstance(dbapi_connection, TurnTakingConnection):
            dbapi_connection.turn_file = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            dbapi_connection.turn_wait = busy_timeout_ms / 1000
