"""Loading the reference tables from `db/reference/<table>.csv`.

A CSV file is named after its table and has a header of column names. Loading is idempotent:
a row whose natural key (with `effective_from`) is already in the table is left alone, so
rows that administrators added or ended online are never overwritten by a reload.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Boolean, Date, Engine, Integer, Table, UniqueConstraint, select
from sqlalchemy.sql.type_api import TypeEngine

from emsterm.model import metadata
from emsterm.model.base import SYSTEM_ACTOR, utcnow
from emsterm.model.types import DecimalText, Money
from emsterm.resources import reference_dir

_TRUE = {"y", "yes", "true", "1"}
_FALSE = {"n", "no", "false", "0"}


class ReferenceDataError(ValueError):
    """A reference CSV file is malformed; the message names the file, line and column."""


@dataclass(frozen=True)
class LoadResult:
    """What loading one CSV file did."""

    table: str
    read: int
    inserted: int


def _convert(text: str, type_: TypeEngine[Any], nullable: bool) -> Any:
    if text == "":
        if nullable:
            return None
        if isinstance(type_, (Integer, Boolean, Date, Money, DecimalText)):
            raise ValueError("a value is required")
        return ""
    if isinstance(type_, Boolean):
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(f"{text!r} is not Y or N")
    if isinstance(type_, Date):
        return dt.date.fromisoformat(text)
    if isinstance(type_, (Money, DecimalText)):
        return Decimal(text)
    if isinstance(type_, Integer):
        return int(text)
    length = getattr(type_, "length", None)
    if length is not None and len(text) > length:
        raise ValueError(f"{len(text)} characters, more than the {length} the column holds")
    return text


def _natural_key(table: Table) -> tuple[str, ...]:
    """The columns that identify a row: the table's unique constraint, else its primary key."""
    for constraint in sorted(table.constraints, key=lambda c: str(c.name)):
        if isinstance(constraint, UniqueConstraint):
            return tuple(column.name for column in constraint.columns)
    return tuple(column.name for column in table.primary_key.columns)


def read_rows(path: Path, table: Table) -> list[dict[str, Any]]:
    """Read and type-convert the rows of one CSV file for `table`."""
    rows: list[dict[str, Any]] = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        unknown = set(reader.fieldnames or ()) - set(table.columns.keys())
        if unknown:
            raise ReferenceDataError(f"{path.name}: unknown columns {sorted(unknown)}")
        for line, raw in enumerate(reader, start=2):
            row: dict[str, Any] = {}
            for name, text in raw.items():
                column = table.columns[name]
                try:
                    row[name] = _convert((text or "").strip(), column.type, bool(column.nullable))
                except ValueError as err:
                    raise ReferenceDataError(f"{path.name} line {line}, column {name}: {err}") from None
            rows.append(row)
    return rows


def load_reference(engine: Engine, folder: Path | None = None) -> list[LoadResult]:
    """Load every `<table>.csv` in `folder` (default `db/reference/`) in one transaction."""
    folder = folder or reference_dir()
    results: list[LoadResult] = []
    stamp = {
        "created_by": SYSTEM_ACTOR,
        "updated_by": SYSTEM_ACTOR,
        "created_at": utcnow(),
        "updated_at": utcnow(),
        "version": 1,
    }
    with engine.begin() as connection:
        for path in sorted(folder.glob("*.csv")):
            table = metadata.tables.get(path.stem)
            if table is None:
                raise ReferenceDataError(f"{path.name}: no table named {path.stem}")
            rows = read_rows(path, table)
            key = _natural_key(table)
            existing = {tuple(r) for r in connection.execute(select(*(table.c[k] for k in key)))}
            fresh = []
            for row in rows:
                identity = tuple(row.get(k) for k in key)
                if identity in existing:
                    continue
                existing.add(identity)
                fresh.append({**{k: v for k, v in stamp.items() if k in table.c}, **row})
            if fresh:
                connection.execute(table.insert(), fresh)
            results.append(LoadResult(table.name, len(rows), len(fresh)))
    return results
