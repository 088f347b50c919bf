"""Writers to one SQLite file take turns through a kernel lock (quizapp/write_turns.py)."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from quizapp.database import configure_engine
from quizapp.write_turns import companion_path


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "turns.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    engine.dispose()
    return path


def engine_for(database: Path, busy_timeout_ms: int = 5000) -> Engine:
    engine = create_engine(f"sqlite:///{database}")
    configure_engine(engine, busy_timeout_ms)
    return engine


@pytest.fixture
def engine(database: Path) -> Iterator[Engine]:
    engine = engine_for(database)
    yield engine
    engine.dispose()


def turn_is_free(database: Path) -> bool:
    """Whether a writer could take the turn now (tried from a descriptor of our own)."""
    descriptor = os.open(companion_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def test_a_writer_holds_the_turn_from_its_first_write_to_its_commit(
    engine: Engine, database: Path
) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM notes")).scalar()
        assert turn_is_free(database)  # reading takes no turn
        connection.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        assert not turn_is_free(database)
        connection.execute(text("INSERT INTO notes (body) VALUES ('second')"))
        connection.commit()
        assert turn_is_free(database)
    assert (companion_path(database).stat().st_mode & 0o777) == 0o600


def test_a_write_through_the_drivers_own_shortcut_takes_the_turn(
    engine: Engine, database: Path
) -> None:
    raw = engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("SELECT count(*) FROM notes")
        assert turn_is_free(database)
        driver.execute("INSERT INTO notes (body) VALUES ('direct')")
        assert not turn_is_free(database)
        driver.commit()
        assert turn_is_free(database)
        driver.executemany("INSERT INTO notes (body) VALUES (?)", [("a",), ("b",)])
        assert not turn_is_free(database)
        driver.rollback()
        assert turn_is_free(database)
    finally:
        raw.close()


def test_taking_turns_adds_no_statement_listener_to_the_engine(engine: Engine) -> None:
    # The turn is taken in the driver's cursor: any execution listener would make
    # SQLAlchemy dispatch its events at every statement, begin and commit.
    assert not list(engine.dispatch.before_cursor_execute)
    assert not list(engine.dispatch.before_execute)


def test_the_turn_is_given_back_on_rollback_and_when_the_connection_closes(
    engine: Engine, database: Path
) -> None:
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO notes (body) VALUES ('undone')"))
        connection.rollback()
        assert turn_is_free(database)
        connection.execute(text("UPDATE notes SET body = 'x'"))
    # Returned to the pool: the pool's rollback gives the turn back.
    assert turn_is_free(database)
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO notes (body) VALUES ('dropped')"))
        connection.invalidate()  # the connection is closed, not returned
    assert turn_is_free(database)


def test_a_second_writer_waits_for_the_first_ones_commit(engine: Engine) -> None:
    order: list[str] = []
    with engine.connect() as first:
        first.execute(text("INSERT INTO notes (body) VALUES ('first')"))

        def second_writer() -> None:
            with engine.connect() as second:
                second.execute(text("INSERT INTO notes (body) VALUES ('second')"))
                order.append("second wrote")
                second.commit()

        thread = threading.Thread(target=second_writer)
        thread.start()
        time.sleep(0.2)
        order.append("first commits")
        first.commit()
        thread.join(timeout=5)
    assert order == ["first commits", "second wrote"]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 2


def test_a_writer_kept_waiting_past_the_busy_timeout_goes_on_without_its_turn(
    database: Path,
) -> None:
    engine = engine_for(database, busy_timeout_ms=200)
    descriptor = os.open(companion_path(database), os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)  # a stuck holder that never writes
    try:
        started = time.monotonic()
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO notes (body) VALUES ('late')"))
        waited = time.monotonic() - started
    finally:
        os.close(descriptor)
        engine.dispose()
    assert 0.15 <= waited < 3


def test_thirty_writers_at_once_all_commit(engine: Engine) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(30)

    def write(n: int) -> None:
        try:
            barrier.wait()
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO notes (body) VALUES (:b)"), {"b": str(n)})
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM notes")).scalar() == 30
