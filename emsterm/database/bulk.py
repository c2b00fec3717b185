"""Set-based inserts for batch and seeding: many rows per statement, no per-value ORM work.

SQLAlchemy's per-parameter processing costs more than the database's own work when millions of
rows go in, so `bulk_insert` hands the driver ready-made tuples. The few conversions a driver
cannot do itself (money to cents; on SQLite, dates to the text SQLAlchemy stores) are applied
per column, chosen once from the column types. On SQLite a code (`emsterm.model.codes`) goes in
as its plain string too: the sqlite3 module binds a str subclass through its adaptation
protocol, which costs more per value than converting it here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table

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


def bulk_insert(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows that all have the same keys, in that key order; return how many."""
    if not rows:
        return 0
    names = list(rows[0])
    dialect = connection.dialect.name
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    quote = connection.dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join(marker for _ in names)})"
    )
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
