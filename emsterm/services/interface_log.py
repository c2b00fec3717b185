"""The interface log: every file EMS wrote for or read from an outside system, newest first, as
the operators' screen (EM94/EM95) and `ems interfaces list` show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import Session

from emsterm.interfaces.registry import of_partner, partner_of
from emsterm.model import FileDirection, InterfaceStatus
from emsterm.model.batch import BatchRun, InterfaceFile


@dataclass(frozen=True)
class LoggedFile:
    """One interface log entry with its run and partner."""

    run_id: int
    seq: int
    stream: str
    business_date: dt.date
    step: str
    interface: str
    partner: str
    direction: FileDirection
    path: str
    records: int
    dollars: Decimal
    control_number: str
    status: InterfaceStatus
    errors: tuple[str, ...]
    totals: dict[str, Any]

    @property
    def name(self) -> str:
        """The file's name (without its folder)."""
        return PurePath(self.path).name

    @property
    def key(self) -> str:
        """`RUN.SEQ`: how a command names one entry."""
        return f"{self.run_id}.{self.seq}"


class UnknownPartner(ValueError):
    """A partner the interface registry does not list."""


def query(
    *,
    partner: str = "",
    interface: str = "",
    direction: FileDirection | None = None,
    run_id: int | None = None,
    status: InterfaceStatus | None = None,
) -> Select[InterfaceFile, BatchRun]:
    """The log entries that match, newest run first, in the order each run logged them."""
    statement = (
        select(InterfaceFile, BatchRun)
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .order_by(InterfaceFile.run_id.desc(), InterfaceFile.seq)
    )
    if partner:
        names = of_partner(partner)
        if not names:
            raise UnknownPartner(partner)
        statement = statement.where(InterfaceFile.interface.in_(names))
    if interface:
        statement = statement.where(InterfaceFile.interface == interface.upper())
    if direction is not None:
        statement = statement.where(InterfaceFile.direction == direction)
    if run_id is not None:
        statement = statement.where(InterfaceFile.run_id == run_id)
    if status is not None:
        statement = statement.where(InterfaceFile.status == status)
    return statement


def logged(row: Row[InterfaceFile, BatchRun] | tuple[InterfaceFile, BatchRun]) -> LoggedFile:
    """A row of `query` as a log entry."""
    f, run = row
    return LoggedFile(
        run_id=f.run_id,
        seq=f.seq,
        stream=run.stream,
        business_date=run.business_date,
        step=f.step_name,
        interface=f.interface,
        partner=partner_of(f.interface),
        direction=f.direction,
        path=f.path,
        records=f.record_count,
        dollars=f.total_amount,
        control_number=f.control_number or "",
        status=f.status,
        errors=tuple(f.errors or ()),
        totals=dict(f.control_totals or {}),
    )


def entries(session: Session, limit: int = 50, **criteria: Any) -> list[LoggedFile]:
    """The newest `limit` entries that match (`query`'s criteria)."""
    return [logged(row) for row in session.execute(query(**criteria).limit(limit))]


def entry(session: Session, run_id: int, seq: int) -> LoggedFile | None:
    """One entry by its run and sequence number, if logged."""
    row = session.execute(query(run_id=run_id).where(InterfaceFile.seq == seq)).first()
    return logged(row) if row else None
