"""The busiest requests' statements, compiled once per database and run on its driver.

For every statement, SQLAlchemy's `Connection.execute` repeats work that never changes
between runs of the same statement: it looks the compiled form up in its cache (which
hashes the statement's whole structure), then builds an execution context and a result
with its own metadata. For the small statements of an answer that was more than half
of each statement's cost, and an answer runs seven (docs/performance.md).

A `PreparedStatement` does that work once per kind of database and then hands the
compiled SQL to the driver's cursor on the session's own connection, so it runs in the
same transaction as everything else. What SQLAlchemy would do around it is kept:
- values go through the column types' own conversions (`bind_processor` and
  `result_processor`: JSON, dates and times, booleans), in both directions;
- the engine's `before_cursor_execute` and `after_cursor_execute` listeners are called
  (with no execution context), so statement counts and logs still see every statement;
- a driver's error is raised as SQLAlchemy's (an `IntegrityError` stays one), and a
  lost connection is invalidated so the pool does not hand it out again.

It takes plain statements only, and says so when it is built: no Python-side column
defaults (pass every column), no `IN` lists expanded at run time, no RETURNING, and a
name for every selected column. Rows are named tuples, read by column name like
SQLAlchemy's.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement, Insert, Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One statement as one kind of database runs it."""

    sql: str
    # The values of bound literals (`mode = 'exam'`), under their generated names.
    literals: Mapping[str, Any]
    # For drivers that take parameters by position, the names in order.
    order: tuple[str, ...] | None
    bind_processors: tuple[tuple[str, Processor], ...]
    # The selected columns' types, and what makes a row naming them; None for a write.
    result_types: tuple[TypeEngine[Any], ...] | None
    make_row: Callable[[list[Any]], Any] | None


class PreparedStatement:
    """A Core statement compiled once per database kind and run on the driver's cursor.

    `column_keys` names the columns an INSERT without `.values()` sets, as the keys of
    the parameters passed to it would for `Connection.execute`.
    """

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None,
                 ) -> None:
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._by_dialect: dict[str, _Compiled] = {}
        # Result conversions depend on what the driver reports of each column.
        self._result_processors: dict[str, tuple[Processor | None, ...]] = {}

    def first(self, connection: Connection, parameters: Mapping[str, Any]) -> Any | None:
        """The first row the statement selects (a named tuple), or None."""
        rows = self._read(connection, parameters, only_first=True)
        return rows[0] if rows else None

    def all(self, connection: Connection, parameters: Mapping[str, Any]) -> list[Any]:
        """Every row the statement selects (named tuples)."""
        return self._read(connection, parameters, only_first=False)

    def _read(self, connection: Connection, parameters: Mapping[str, Any], *,
              only_first: bool) -> list[Any]:
        compiled = self._compiled(connection.dialect)
        cursor = self._run(connection, compiled, self._arguments(compiled, parameters),
                           many=False)
        try:
            if only_first:
                row = cursor.fetchone()
                raw = [] if row is None else [row]
            else:
                raw = cursor.fetchall()
            description = cursor.description
        finally:
            # Closing the cursor ends its read, which on SQLite holds a snapshot open.
            cursor.close()
        if not raw:
            return []
        processors = self._processors(connection.dialect, compiled, description)
        make_row = compiled.make_row
        assert make_row is not None
        return [make_row([value if process is None else process(value)
                          for process, value in zip(processors, row, strict=True)])
                for row in raw]

    def execute(self, connection: Connection, parameters: Mapping[str, Any]) -> int:
        """Run a write; returns how many rows it changed."""
        compiled = self._compiled(connection.dialect)
        cursor = self._run(connection, compiled, self._arguments(compiled, parameters),
                           many=False)
        try:
            return int(cursor.rowcount)
        finally:
            cursor.close()

    def execute_many(self, connection: Connection,
                     parameter_sets: Iterable[Mapping[str, Any]]) -> None:
        """Run a write once per set of parameters, in one call to the driver."""
        compiled = self._compiled(connection.dialect)
        arguments = [self._arguments(compiled, parameters) for parameters in parameter_sets]
        self._run(connection, compiled, arguments, many=True).close()

    def _compiled(self, dialect: Dialect) -> _Compiled:
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _compile(
                self.statement, dialect, self.column_keys)
        return compiled

    @staticmethod
    def _arguments(compiled: _Compiled, parameters: Mapping[str, Any]) -> Any:
        values = {**compiled.literals, **parameters}
        for name, process in compiled.bind_processors:
            values[name] = process(values[name])
        if compiled.order is None:
            return values
        return tuple([values[name] for name in compiled.order])

    @staticmethod
    def _run(connection: Connection, compiled: _Compiled, arguments: Any, *, many: bool,
             ) -> Any:
        dialect = connection.dialect
        sql = compiled.sql
        cursor = connection.connection.cursor()
        try:
            for listener in connection.dispatch.before_cursor_execute:
                sql, arguments = listener(connection, cursor, sql, arguments, None, many)
            if many:
                cursor.executemany(sql, arguments)
            else:
                cursor.execute(sql, arguments)
            for listener in connection.dispatch.after_cursor_execute:
                listener(connection, cursor, sql, arguments, None, many)
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
            cursor.close()
            if lost:
                connection.invalidate(error)
            raise exc.DBAPIError.instance(
                sql, arguments, error, dialect.loaded_dbapi.Error,
                connection_invalidated=lost, dialect=dialect, ismulti=many,
            ) from error
        return cursor

    def _processors(self, dialect: Dialect, compiled: _Compiled,
                    description: Sequence[Sequence[Any]]) -> tuple[Processor | None, ...]:
        processors = self._result_processors.get(dialect.name)
        if processors is None:
            assert compiled.result_types is not None
            processors = self._result_processors[dialect.name] = tuple(
                type_.dialect_impl(dialect).result_processor(dialect, column[1])
                for type_, column in zip(compiled.result_types, description, strict=True))
        return processors


def _compile(statement: ClauseElement, dialect: Dialect,
             column_keys: list[str] | None) -> _Compiled:
    if isinstance(statement, Insert):
        # Nothing reads a new row's key back: no implicit RETURNING on PostgreSQL.
        statement = statement.inline()
    compiled = statement.compile(dialect=dialect, column_keys=column_keys)
    assert isinstance(compiled, SQLCompiler)
    if compiled.insert_prefetch or compiled.update_prefetch:
        raise ValueError("a prepared statement cannot fill in Python-side column defaults: "
                         "give every column a value")
    if compiled.post_compile_params or any(
            bind.required for bind in compiled.literal_execute_params):
        raise ValueError("a prepared statement cannot expand parameters when it runs")
    sql: str = compiled.string
    order: Sequence[str] | None = compiled.positiontup
    if compiled.literal_execute_params:
        # Constants SQLAlchemy writes into the SQL text at each run (the separator of
        # string_agg, say): written in once, here. The other parameters' values do not
        # matter to the text.
        expanded = compiled.construct_expanded_state(
            {name: None for name, bind in compiled.binds.items() if bind.required})
        sql, order = expanded.statement, expanded.positiontup
    if compiled.effective_returning:
        raise ValueError("a prepared statement does not return rows from a write")
    escaped = compiled.escaped_bind_names
    if escaped:
        raise ValueError(f"bind parameter names the driver cannot take: {sorted(escaped)}")
    literals = {name: bind.value for name, bind in compiled.binds.items()
                if not bind.required and bind.callable is None}
    bind_processors = tuple(
        (name, process) for name, bind in compiled.binds.items()
        if (process := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None)
    result_types = make_row = None
    if isinstance(statement, Select):
        names = list(statement.selected_columns.keys())
        # Each name an attribute, as on SQLAlchemy's rows: no silent renaming.
        unnamed = [name for name in names
                   if not name.isidentifier() or name.startswith("_") or names.count(name) > 1]
        if unnamed:
            raise ValueError(f"label each selected column once: {unnamed}")
        make_row = namedtuple("PreparedRow", names)._make  # type: ignore[attr-defined]
        result_types = tuple(column.type for column in statement.selected_columns)
    return _Compiled(
        sql=sql, literals=literals,
        order=tuple(order or ()) if compiled.positional else None,
        bind_processors=bind_processors, result_types=result_types, make_row=make_row,
    )
