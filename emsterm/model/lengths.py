"""Text lengths as the model declares them, checked before a row is written: SQLite would store
a 10,000-character name in a 40-character column, PostgreSQL would refuse it with an error the
user cannot read. One rule for both: the model's length, checked at flush."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from emsterm.model.types import text_type


class TextTooLong(ValueError):
    """A text longer than its column allows."""

    def __init__(self, table: str, column: str, length: int, given: int) -> None:
        super().__init__(f"{column.upper().replace('_', ' ')} may have at most {length} characters, not {given:,}")
        self.table, self.column, self.length = table, column, length


def max_length(model: type[Any], column: str) -> int | None:
    """The most characters the model's column holds (None when it is not a sized text)."""
    kind = text_type(model.__table__.c[column].type)
    return kind.length if isinstance(kind, String) else None


def check_lengths(instance: Any) -> None:
    """Raise TextTooLong for the first text attribute longer than its column."""
    mapper = inspect(instance).mapper
    for column in mapper.columns:
        kind = text_type(column.type)
        if isinstance(kind, String) and kind.length and column.key in mapper.attrs:
            value = getattr(instance, mapper.get_property_by_column(column).key, None)
            if isinstance(value, str) and len(value) > kind.length:
                raise TextTooLong(column.table.name, column.name, kind.length, len(value))


@event.listens_for(Session, "before_flush")
def _check_before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for instance in (*session.new, *session.dirty):
        check_lengths(instance)
