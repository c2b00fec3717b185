"""Reading effective-dated reference rows in force on a business date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from emsterm.model import AdminParameter, CycleParameter, Office, Reference, SignificantDate

R = TypeVar("R", bound=Reference)
"""A reference model: `in_force` selects its rows (SQLAlchemy 2.1's `Select` is generic over the row's
columns, so `Select[R]` is a SELECT whose rows are one `R` each)."""


class ParameterMissing(LookupError):
    """No row of a reference table is in force for the key on the date."""


def in_force(model: type[R], on: dt.date) -> Select[R]:
    """A SELECT of the rows of `model` in force on the date `on`."""
    return select(model).where(
        model.effective_from <= on,
        or_(model.effective_to.is_(None), model.effective_to > on),
    )


def admin_parameter(session: Session, name: str, on: dt.date) -> str:
    """The value of an administrative parameter in force on `on`."""
    row = session.scalars(in_force(AdminParameter, on).where(AdminParameter.name == name)).first()
    if row is None:
        raise ParameterMissing(f"administrative parameter {name} is not in force on {on}")
    return row.value


def cycle_parameter(session: Session, stream: str, name: str, on: dt.date) -> str:
    """The value of a batch cycle parameter in force on `on`: the stream's own, else ALL's."""
    rows = session.scalars(
        in_force(CycleParameter, on).where(
            CycleParameter.name == name, CycleParameter.stream.in_((stream.upper(), "ALL"))
        )
    ).all()
    for wanted in (stream.upper(), "ALL"):
        for row in rows:
            if row.stream == wanted:
                return row.value
    raise ParameterMissing(f"cycle parameter {stream.upper()}.{name} is not in force on {on}")


def significant_dates(session: Session, date_type: str, on: dt.date) -> dict[str, str]:
    """The significant dates of a type in force on `on`, by key."""
    rows = session.scalars(in_force(SignificantDate, on).where(SignificantDate.date_type == date_type))
    return {row.key: row.value for row in rows}


def office_codes(session: Session, on: dt.date) -> list[str]:
    """The codes of the DSS offices in force on `on`."""
    return sorted(o.code for o in session.scalars(in_force(Office, on)))


def as_dict(row: Any, columns: list[str]) -> dict[str, Any]:
    """The named attributes of a row, as JSON-friendly values for the audit trail."""
    out: dict[str, Any] = {}
    for name in columns:
        value = getattr(row, name)
        if isinstance(value, (dt.date, dt.datetime)):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)
        out[name] = value
    return out
