"""Keeping the reference tables online: list the rows in force, show a row's history, and
change a row by adding a new effective-dated version, never by overwriting one.

A change from a date closes the version in force then (its `effective_to` becomes the date)
and adds the new version, which runs until the next version already scheduled, if any, so
the versions of a row never overlap. A change cannot start before the business date (what was
decided under the old value stays explained by it), cannot start on the same day as another
version, and is refused while a batch run is running, so a run sees one set of tables.
Values are checked against the column's type and length, against the ranges below, and codes
against the tables they come from; the error names the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Boolean, Date, Engine, Integer, String, Text, or_, select
from sqlalchemy.orm import Session

from emsterm.database.locks import run_is_live
from emsterm.model import (
    AdminParameter,
    Code,
    CycleParameter,
    Message,
    MessageSeverity,
    NoticeText,
    Office,
    ParameterUnit,
    ProgramFunding,
    ProgramParameter,
    ProgramRef,
    QcParameter,
    ReasonCode,
    RunStatus,
    SignificantDate,
    Town,
    VerificationParameter,
)
from emsterm.model.base import Reference, table_of
from emsterm.model.batch import BatchRun
from emsterm.model.reference import ManagedCarePlan, in_force
from emsterm.model.types import DecimalText, text_type
from emsterm.rules.programs import ProgramKind

BOOKKEEPING = {
    "id",
    "effective_from",
    "effective_to",
    "source",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
    "version",
}
"""Columns a change never sets by hand."""


class TableChangeError(ValueError):
    """A change that cannot be made; `field` names the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


Check = Callable[[Session, Any, dt.date], str | None]
"""A check of one field's converted value: a message when it is wrong, else None."""


def _not_negative(session: Session, value: Any, on: dt.date) -> str | None:
    return "MUST NOT BE NEGATIVE" if value is not None and value < 0 else None


def _between(low: int, high: int) -> Check:
    def check(session: Session, value: Any, on: dt.date) -> str | None:
        return None if low <= value <= high else f"MUST BE FROM {low} TO {high}"

    return check


ONLINE_UNITS = (
    ParameterUnit.DOLLARS,
    ParameterUnit.RATE,
    ParameterUnit.COUNT,
    ParameterUnit.MONTHS,
    ParameterUnit.DAYS,
)
"""The units a program parameter may be given on the PARMS screen (not FACTOR: the income
conversion factors are not kept online)."""


def _one_of(values: tuple[str, ...]) -> Check:
    def check(session: Session, value: Any, on: dt.date) -> str | None:
        return None if value in values else f"MUST BE ONE OF: {' '.join(values)}"

    return check


def _program(*extra: str) -> Check:
    def check(session: Session, value: Any, on: dt.date) -> str | None:
        codes = [
            *session.scalars(in_force(ProgramRef, on).with_only_columns(ProgramRef.code).order_by(ProgramRef.id)),
            *extra,
        ]
        return None if value in codes else f"MUST BE ONE OF: {' '.join(codes)}"

    return check


def _office(session: Session, value: Any, on: dt.date) -> str | None:
    codes = list(session.scalars(in_force(Office, on).with_only_columns(Office.code).order_by(Office.code)))
    return None if value in codes else f"MUST BE ONE OF: {' '.join(codes)}"


@dataclass(frozen=True)
class Table:
    """A reference table as the tables screens show it."""

    name: str
    """Its short name on the screens (PARMS, CODES, ...)."""
    model: type[Reference]
    title: str
    checks: Mapping[str, Check] = field(default_factory=dict)

    @property
    def key_columns(self) -> tuple[str, ...]:
        """The natural key."""
        return self.model.natural_key

    @property
    def value_columns(self) -> tuple[str, ...]:
        """The columns a change sets."""
        return tuple(
            c.name for c in table_of(self.model).columns if c.name not in BOOKKEEPING and c.name not in self.key_columns
        )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "PROGRAMS",
            ProgramRef,
            "PROGRAMS",
            {
                "category": _one_of(tuple(ProgramKind)),
                "funding": _one_of(tuple(ProgramFunding)),
            },
        ),
        Table(
            "PARMS",
            ProgramParameter,
            "PROGRAM PARAMETERS",
            {
                "program_code": _program("ALL"),
                "value": _not_negative,
                "unit": _one_of(ONLINE_UNITS),
            },
        ),
        Table("CODES", Code, "CODE TABLES"),
        Table("MSGS", Message, "MESSAGES", {"severity": _one_of(tuple(MessageSeverity))}),
        Table("REASONS", ReasonCode, "REASON CODES AND NOTICE SENTENCES", {"program_code": _program("ALL")}),
        Table("NTCTEXT", NoticeText, "NOTICE FIXED TEXT"),
        Table("SIGDATES", SignificantDate, "SIGNIFICANT DATES"),
        Table("CYCLE", CycleParameter, "CYCLE PARAMETERS"),
        Table("QC", QcParameter, "QC SAMPLE PARAMETERS", {"program_code": _program("ALL")}),
        Table(
            "VERIFY",
            VerificationParameter,
            "VERIFICATION PARAMETERS",
            {"program_code": _program("ALL"), "due_days": _between(0, 365)},
        ),
        Table("ADMIN", AdminParameter, "ADMINISTRATIVE PARAMETERS"),
        Table("TOWNS", Town, "TOWNS", {"office_code": _office, "population": _not_negative}),
        Table("OFFICES", Office, "OFFICES"),
        Table("MCPLANS", ManagedCarePlan, "MANAGED CARE PLANS"),
    )
}
"""Every reference table administrators keep online, by its short name."""


def table(name: str) -> Table:
    """The table called `name` (any case); TableChangeError naming the field `table` if none."""
    found = TABLES.get(name.strip().upper())
    if found is None:
        raise TableChangeError("table", f"TABLE MUST BE ONE OF: {' '.join(TABLES)}")
    return found


def in_force_rows(session: Session, spec: Table, on: dt.date, starting: str = "") -> list[Reference]:
    """The rows in force on `on`, in key order, from the first whose key starts at `starting`."""
    model = spec.model
    order = [getattr(model, c) for c in spec.key_columns]
    query = in_force(model, on).order_by(*order)
    if starting:
        query = query.where(getattr(model, spec.key_columns[0]) >= starting.strip().upper())
    return list(session.scalars(query))


def history(session: Session, spec: Table, key: Mapping[str, Any]) -> list[Reference]:
    """Every version of the row with this natural key, oldest first (with who made each)."""
    model = spec.model
    query = select(model).where(*(getattr(model, c) == key[c] for c in spec.key_columns))
    return list(session.scalars(query.order_by(model.effective_from)))


def key_of(row: Reference) -> dict[str, Any]:
    """A row's natural key."""
    return {c: getattr(row, c) for c in row.natural_key}


def convert(spec: Table, column: str, text: str) -> Any:
    """A field's text as the column's value; TableChangeError naming the column if it is not one."""
    col = table_of(spec.model).columns[column]
    raw = text.strip()
    kind = col.type
    label = column.upper()
    if isinstance(kind, DecimalText):
        try:
            value = Decimal(raw.replace(",", ""))
        except InvalidOperation:
            raise TableChangeError(column, f"{label} MUST BE A NUMBER") from None
        if not value.is_finite():
            raise TableChangeError(column, f"{label} MUST BE A NUMBER")
        return value
    if isinstance(kind, Boolean):
        if raw.upper() not in ("Y", "N"):
            raise TableChangeError(column, f"{label} MUST BE Y OR N")
        return raw.upper() == "Y"
    if isinstance(kind, Integer):
        if not raw.lstrip("-").isdigit():
            raise TableChangeError(column, f"{label} MUST BE A WHOLE NUMBER")
        return int(raw)
    if isinstance(kind, Date):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise TableChangeError(column, f"{label} MUST BE A DATE YYYY-MM-DD") from None
    text = text_type(kind)
    if isinstance(text, String) and not isinstance(text, Text) and text.length and len(raw) > text.length:
        raise TableChangeError(column, f"{label} IS LONGER THAN {text.length} CHARACTERS")
    return raw


def change(
    session: Session,
    spec: Table,
    key: Mapping[str, str],
    values: Mapping[str, str],
    effective: dt.date,
    business_date: dt.date,
    source: str = "",
) -> Reference:
    """Add a version of the row with this key (a new row when no version exists) effective
    from `effective`, with `values` (text as typed) for its value columns; answer it."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    running = next(
        (
            run.id
            for run in session.scalars(select(BatchRun).where(BatchRun.status == RunStatus.RUNNING))
            if run_is_live(engine, run.stream, run.business_date, run.parameters)
        ),
        None,
    )
    if running is not None:
        raise TableChangeError("effective_from", f"BATCH RUN {running} IS RUNNING - CHANGE THE TABLES WHEN IT ENDS")
    if effective < business_date:
        raise TableChangeError("effective_from", f"EFFECTIVE DATE MUST NOT BE BEFORE {business_date:%m/%d/%Y}")
    typed: dict[str, Any] = {}
    for column in spec.key_columns:
        text = key.get(column, "")
        if not text.strip() and column != "key":
            raise TableChangeError(column, f"{column.upper()} IS REQUIRED")
        typed[column] = convert(spec, column, text)
    _check(session, spec, typed, spec.key_columns, effective)
    versions = history(session, spec, typed)
    current = next((v for v in reversed(versions) if v.effective_from <= effective), None)
    for column in spec.value_columns:
        if column in values:
            typed[column] = convert(spec, column, values[column])
        elif current is not None:
            typed[column] = getattr(current, column)
        elif not table_of(spec.model).columns[column].nullable and table_of(spec.model).columns[column].default is None:
            raise TableChangeError(column, f"{column.upper()} IS REQUIRED")
    _check(session, spec, typed, spec.value_columns, effective)
    if any(v.effective_from == effective for v in versions):
        raise TableChangeError(
            "effective_from", f"A VERSION ALREADY STARTS ON {effective:%m/%d/%Y} - CHOOSE ANOTHER DATE"
        )
    later = [v.effective_from for v in versions if v.effective_from > effective]
    in_force_then = (
        current if current is not None and (current.effective_to is None or current.effective_to > effective) else None
    )
    ends = min(later) if later else (in_force_then.effective_to if in_force_then is not None else None)
    if in_force_then is not None:
        in_force_then.effective_to = effective
    row = spec.model(
        **typed,
        effective_from=effective,
        effective_to=ends,
        source=source.strip() or (current.source if current is not None else ""),
    )
    session.add(row)
    session.flush()
    return row


def _check(session: Session, spec: Table, typed: Mapping[str, Any], columns: tuple[str, ...], on: dt.date) -> None:
    for column in columns:
        check = spec.checks.get(column)
        problem = check(session, typed[column], on) if check is not None and column in typed else None
        if problem:
            raise TableChangeError(column, f"{column.upper()} {problem}")


def overlapping(session: Session, spec: Table) -> list[dict[str, Any]]:
    """The keys with versions whose periods overlap, once each (none, when every change came
    through `change`)."""
    model = spec.model
    other = table_of(model).alias("other")
    query = (
        select(*(getattr(model, c) for c in spec.key_columns))
        .join(other, (other.c.id != model.id) & (other.c.effective_from > model.effective_from))
        .where(
            *(other.c[c] == getattr(model, c) for c in spec.key_columns),
            or_(model.effective_to.is_(None), model.effective_to > other.c.effective_from),
        )
        .distinct()
    )
    return [dict(zip(spec.key_columns, r)) for r in session.execute(query)]
