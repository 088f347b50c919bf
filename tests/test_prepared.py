"""Prepared statements read and write what SQLAlchemy's own execution would, on both
databases: the same values and types, the same errors, the same listeners told."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    event,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError

from quizapp.extensions import db
from quizapp.models import UTCDateTime
from quizapp.prepared import PreparedStatement

metadata = MetaData()
notes = Table(
    "prepared_notes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", String(40)),
    Column("settings", JSON),
    Column("at", UTCDateTime),
    Column("done", Boolean),
    Column("score", Float),
    Column("day", Date),
    Column("kind", String(10), default="plain"),
)
# A table whose key the database numbers.
logs = Table(
    "prepared_logs", metadata,
    Column("id", Integer, primary_key=True),
    Column("line", String(40)),
)
NOTE_COLUMNS = ("id", "name", "settings", "at", "done", "score", "day", "kind")
AT = datetime(2026, 12, 1, 9, 30, 15, 250000, tzinfo=UTC)

# Everything about a note, with a literal in the statement and a count beside it.
READ_NOTE = (
    select(notes.c.id, notes.c.name, notes.c.settings, notes.c.at, notes.c.done,
           notes.c.score, notes.c.day,
           select(func.count()).select_from(notes).where(notes.c.kind == "plain")
           .scalar_subquery().label("plain_notes"))
    .where(notes.c.id == bindparam("id"))
)
ADD_NOTE = insert(notes)
MARK_DONE = update(notes).where(notes.c.score >= bindparam("at_least")).values(done=True)


def note(id: int, **values: Any) -> dict[str, Any]:
    return {"id": id, "name": f"note {id}", "settings": {"shuffle": True, "tags": ["a"]},
            "at": AT, "done": False, "score": 0.5, "day": date(2026, 12, 1), "kind": "plain",
            **values}


@pytest.fixture
def database(any_app: Flask) -> Iterator[Flask]:
    """The app's database with a table of every kind of column the app stores."""
    with any_app.app_context():
        metadata.create_all(db.engine)
        yield any_app
        db.session.rollback()


def test_a_row_reads_as_sqlalchemy_reads_it(database: Flask) -> None:
    connection = db.session.connection()
    connection.execute(ADD_NOTE, [note(1), note(2, settings=None, at=None, score=None,
                                             day=None, kind="other")])
    prepared = PreparedStatement(READ_NOTE)
    for id in (1, 2):
        row = prepared.first(connection, {"id": id})
        assert tuple(row) == tuple(connection.execute(READ_NOTE, {"id": id}).one())
    first = prepared.first(connection, {"id": 1})
    assert first.settings == {"shuffle": True, "tags": ["a"]}
    assert first.at == AT and first.at.tzinfo is UTC
    assert first.done is False and first.day == date(2026, 12, 1)
    assert first.plain_notes == 1
    assert prepared.first(connection, {"id": 3}) is None
    every = select(notes.c.id, notes.c.at, notes.c.settings).order_by(notes.c.id)
    assert PreparedStatement(every).all(connection, {}) == [
        tuple(row) for row in connection.execute(every).all()]
    assert PreparedStatement(every.where(notes.c.id > 5)).all(connection, {}) == []


def test_constants_written_into_the_sql_text_are_written_once(database: Flask) -> None:
    # SQLAlchemy renders string_agg's separator into the text at every run.
    connection = db.session.connection()
    connection.execute(ADD_NOTE, [note(1), note(2), note(3, kind="other")])
    names = (select(func.aggregate_strings(notes.c.name, " | ").label("names"))
             .where(notes.c.kind == bindparam("kind")))
    row = PreparedStatement(names).first(connection, {"kind": "plain"})
    assert sorted(row.names.split(" | ")) == ["note 1", "note 2"]


def test_writes_say_how_many_rows_they_changed(database: Flask) -> None:
    connection = db.session.connection()
    PreparedStatement(ADD_NOTE, column_keys=NOTE_COLUMNS).execute_many(
        connection, [note(1, score=0.2), note(2, score=0.7), note(3, score=0.9)])
    assert PreparedStatement(MARK_DONE).execute(connection, {"at_least": 0.5}) == 2
    db.session.commit()
    done = db.session.execute(select(notes.c.id).where(notes.c.done)).scalars().all()
    assert sorted(done) == [2, 3]


def test_an_insert_leaves_the_key_to_the_database(database: Flask) -> None:
    connection = db.session.connection()
    add = PreparedStatement(insert(logs), column_keys=["line"])
    assert add.execute(connection, {"line": "first"}) == 1
    add.execute_many(connection, [{"line": "second"}, {"line": "third"}])
    db.session.commit()
    rows = db.session.execute(select(logs.c.id, logs.c.line).order_by(logs.c.id)).all()
    assert [line for _, line in rows] == ["first", "second", "third"]
    assert len({id for id, _ in rows}) == 3


def test_a_duplicate_is_sqlalchemys_integrity_error_and_the_session_goes_on(
    database: Flask,
) -> None:
    add = PreparedStatement(ADD_NOTE, column_keys=NOTE_COLUMNS)
    add.execute(db.session.connection(), note(1))
    db.session.commit()
    with pytest.raises(IntegrityError):
        add.execute(db.session.connection(), note(1, name="again"))
    db.session.rollback()
    add.execute(db.session.connection(), note(2))
    db.session.commit()
    names = db.session.execute(select(notes.c.name).order_by(notes.c.id)).scalars().all()
    assert names == ["note 1", "note 2"]


def test_the_engines_listeners_see_every_statement(database: Flask) -> None:
    seen: list[tuple[str, str]] = []

    def before(_conn: Any, _cursor: Any, sql: str, parameters: Any, _context: Any,
               _many: bool) -> None:
        seen.append(("before", sql.split()[0]))

    def after(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen.append(("after", sql.split()[0]))

    event.listen(db.engine, "before_cursor_execute", before)
    event.listen(db.engine, "after_cursor_execute", after)
    try:
        connection = db.session.connection()
        PreparedStatement(ADD_NOTE, column_keys=NOTE_COLUMNS).execute(connection, note(1))
        PreparedStatement(READ_NOTE).first(connection, {"id": 1})
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
        event.remove(db.engine, "after_cursor_execute", after)
    assert seen == [("before", "INSERT"), ("after", "INSERT"),
                    ("before", "SELECT"), ("after", "SELECT")]


def test_the_cursor_is_closed_once_the_row_is_read(database: Flask) -> None:
    # An open cursor would keep SQLite's read of an old snapshot going.
    cursors: list[Any] = []

    def keep(_conn: Any, cursor: Any, *_args: Any) -> None:
        cursors.append(cursor)

    connection = db.session.connection()
    connection.execute(ADD_NOTE, [note(1), note(2)])
    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        PreparedStatement(select(notes.c.id).order_by(notes.c.id)).first(connection, {})
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)
    with pytest.raises(connection.dialect.loaded_dbapi.Error):
        cursors[0].fetchone()


def test_statements_it_cannot_run_as_sqlalchemy_would_are_refused(database: Flask) -> None:
    connection = db.session.connection()
    # The column "kind" has a Python-side default, which only SQLAlchemy's run fills in.
    without_kind = [name for name in NOTE_COLUMNS if name != "kind"]
    with pytest.raises(ValueError, match="defaults"):
        PreparedStatement(ADD_NOTE, column_keys=without_kind).execute(connection, note(1))
    in_list = select(notes.c.id).where(notes.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expand"):
        PreparedStatement(in_list).first(connection, {"ids": [1, 2]})
    unlabeled = select(notes.c.id, notes.c.settings["tags"])
    with pytest.raises(ValueError, match="label"):
        PreparedStatement(unlabeled).first(connection, {})
    returning = insert(notes).returning(notes.c.id)
    with pytest.raises(ValueError, match="return"):
        PreparedStatement(returning, column_keys=NOTE_COLUMNS).execute(connection, note(1))


def test_a_lost_connection_is_invalidated_and_the_next_request_reconnects(
    make_pg_app: Callable[..., Flask],
) -> None:
    with make_pg_app().app_context():
        metadata.create_all(db.engine)
        connection = db.session.connection()
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        with pytest.raises(DBAPIError) as raised:
            PreparedStatement(READ_NOTE).first(connection, {"id": 1})
        assert raised.value.connection_invalidated
        db.session.rollback()
        assert db.session.execute(select(func.count()).select_from(notes)).scalar_one() == 0
