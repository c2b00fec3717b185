"""Set-based inserts for batch and seeding: many rows per statement, no per-value ORM work.

SQLAlchemy's per-parameter processing costs more than the database's own work when millions of
rows go in, so `bulk_insert` hands the driver ready-made tuples. The few conversions a driver
cannot do itself (money to cents; on SQLite, dates to the text SQLAlchemy stores) are applied
per column, chosen once from the column types. On SQLite a code (`emsterm.model.codes`) goes in
as its plain string too: the sqlite3 module binds a str subclass through its adaptation
protocol, which costs more per value than converting it here.

Where even that costs too much (the seed's budget lines, millions of rows a few of whose values
repeat), a caller converts each value itself once with `column_converter` and gives the rows
as tuples of the driver's values to `insert_converted`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, text

from emsterm.model.types import CodeString, Money, to_money

Converter = Callable[[Any], Any]


@lru_cache(maxsize=65536)
def _cents(value: Any) -> int | None:
    # Amounts repeat (budget lines, standard benefits): each distinct one is worked out once.
    return None if value is None else int(to_money(value) * 100)


@lru_cache(maxsize=4096)
def _sqlite_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


@lru_cache(maxsize=4096)
def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # The storage format of SQLAlchemy's SQLite DATETIME, so the ORM reads these rows back.
    return None if value is None else value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _code_text(value: Any) -> Any:
    # A code set's member as its plain code (what CodeString binds); anything else as it is.
    return value._value_ if isinstance(value, StrEnum) else value


def _converter(column_type: Any, dialect: str) -> Converter | None:
    if isinstance(column_type, Money):
        return _cents
    if dialect == "sqlite":
        if isinstance(column_type, CodeString):
            return _code_text
        if isinstance(column_type, DateTime):
            return _sqlite_datetime
        if isinstance(column_type, Date):
            return _sqlite_date
    return None


def _unchanged(value: Any) -> Any:
    return value


def column_converter(connection: Connection, table: Table, name: str) -> Converter:
    """The function that turns a value of the column, as the model holds it, into the value the
    connection's driver is given for it (the identity where none is needed)."""
    return _converter(table.c[name].type, connection.dialect.name) or _unchanged


def _insert_sql(connection: Connection, table: Table, names: Sequence[str]) -> str:
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quote = connection.dialect.identifier_preparer.quote
    return (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(marker for _ in names)})"
    )


def insert_converted(
    connection: Connection, table: Table, names: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> int:
    """Insert rows given as tuples of driver values (see `column_converter`) in the order of
    `names`; return how many."""
    if not rows:
        return 0
    connection.exec_driver_sql(_insert_sql(connection, table, names), rows if isinstance(rows, list) else list(rows))
    return len(rows)


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows that all have the same keys, in that key order; return how many."""
    if not rows:
        return 0
    names = list(rows[0])
    dialect = connection.dialect.name
    sql = _insert_sql(connection, table, names)
    converters = [
        (index, conv)
        for index, name in enumerate(names)
        if (conv := _converter(table.c[name].type, dialect)) is not None
    ]
    if converters:
        params = []
        for row in rows:
            values = list(row.values())
            for index, conv in converters:
                values[index] = conv(values[index])
            params.append(tuple(values))
    else:
        params = [tuple(row.values()) for row in rows]
    connection.exec_driver_sql(sql, params)
    return len(params)


def reset_id_sequences(connection: Connection, tables: Sequence[str]) -> None:
    """After rows inserted with explicit ids, move PostgreSQL's id sequences of `tables` past
    them (nothing to do on SQLite)."""
    if connection.dialect.name != "postgresql":
        return
    for name in tables:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
            )
        )
