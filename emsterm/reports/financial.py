"""The financial control report: issuances by benefit month, program and payment method, and
each batch run's issuance files reconciled against the issuances the run recorded.

A run's benefit files carry control totals (records and dollars in their trailers, logged as
INTERFACE_FILE rows); the reconciliation sets them beside the ISSUANCE rows of the run for the
same payment method. Any difference is flagged: a file and the database that disagree mean a
benefit was paid without a record, or recorded without being paid.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.interfaces.benefit_files import FILES
from emsterm.model import FileDirection, Issuance, IssuanceStatus
from emsterm.model.batch import BatchRun, InterfaceFile


@dataclass(frozen=True)
class IssuedRow:
    """Issuances of one program, payment method and benefit month."""

    benefit_month: dt.date
    program: str
    method: str
    issuances: int
    dollars: Decimal


@dataclass(frozen=True)
class ReconciledRow:
    """One run's file for one payment method beside what the run recorded."""

    run_id: int
    stream: str
    business_date: dt.date
    method: str
    file_records: int
    file_dollars: Decimal
    issued_records: int
    issued_dollars: Decimal

    @property
    def agrees(self) -> bool:
        """Records and dollars are the same on both sides."""
        return (self.file_records, self.file_dollars) == (self.issued_records, self.issued_dollars)


def issued(session: Session, first: dt.date, last: dt.date) -> list[IssuedRow]:
    """Issued (not cancelled) benefits of the benefit months from `first` to `last`."""
    return [
        IssuedRow(month, program, method, count, dollars or Decimal("0.00"))
        for month, program, method, count, dollars in session.execute(
            select(
                Issuance.benefit_month, Issuance.program_code, Issuance.method, func.count(), func.sum(Issuance.amount)
            )
            .where(Issuance.benefit_month.between(first, last), Issuance.status == IssuanceStatus.ISSUED)
            .group_by(Issuance.benefit_month, Issuance.program_code, Issuance.method)
            .order_by(Issuance.benefit_month, Issuance.program_code, Issuance.method)
        )
    ]


def reconciled(session: Session, first: dt.date, last: dt.date) -> list[ReconciledRow]:
    """For each run that issued benefits for the benefit months from `first` to `last`, or ran
    in those months: each issuance file's control totals beside the run's recorded issuances."""
    interface_method = {interface: method for method, (_, interface) in FILES.items()}
    end = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    runs = (
        select(Issuance.batch_run_id)
        .where(Issuance.benefit_month.between(first, last))
        .union(select(BatchRun.id).where(BatchRun.business_date >= first, BatchRun.business_date < end))
    )
    recorded = {
        (run_id, method): (count, dollars or Decimal("0.00"))
        for run_id, method, count, dollars in session.execute(
            select(Issuance.batch_run_id, Issuance.method, func.count(), func.sum(Issuance.amount))
            .where(Issuance.batch_run_id.in_(runs))
            .group_by(Issuance.batch_run_id, Issuance.method)
        )
    }
    rows = []
    for file, run in session.execute(
        select(InterfaceFile, BatchRun)
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .where(
            BatchRun.id.in_(runs),
            InterfaceFile.interface.in_(interface_method),
            InterfaceFile.direction == FileDirection.OUT,
        )
        .order_by(BatchRun.id, InterfaceFile.seq)
    ):
        method = interface_method[file.interface]
        count, dollars = recorded.get((run.id, method), (0, Decimal("0.00")))
        rows.append(
            ReconciledRow(
                run.id, run.stream, run.business_date, method, file.record_count, file.total_amount, count, dollars
            )
        )
    return rows
