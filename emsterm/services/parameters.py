"""Reading effective-dated reference rows in force on a business date."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from emsterm.model import AdminParameter, CycleParameter, Office, SignificantDate
from emsterm.model.reference import in_force


class ParameterMissing(LookupError):
    """No row of a reference table is in force for the key on the date."""


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
