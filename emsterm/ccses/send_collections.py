"""EMSCOLL (stream ccses): the support collections file to EMS (`emsterm.interfaces.ccses_support`),
`ccses-support-YYYYMMDD.txt` in the outbox, for the EMS nightly's SUPCOLL step to read from its
inbox (DESIGN 7: the two systems talk through files, never each other's tables).

A record per EMS case and month touched since the last file (a receipt, distribution or
reversal of a support case referred by that EMS case, written after the last entry the last
file covered), with the month's figures as they stand, net of reversals, over the EMS case's
support cases:

- collected: the collections received in the month (RECEIPT entries);
- passed through: the family's share of current support of a current-assistance case
  (`ledger.passed_through`, at most PASS_THROUGH_LIMIT a month);
- retained current: the current support the state kept (the state's DISTRIBUTION shares of
  OWED_CURRENT), which repays the TFA paid.

Months go by each entry's effective date. The file is written and logged (interface
CCSES-SUPP, direction OUT, with the last ledger entry it covers) in one commit with the step's
checkpoint: a restart before it writes the same file. Nothing touched, no file.

Counts: records (EMS case months sent), collected_cents, passed_cents, retained_cents, no_file.
A month whose support cases have no custodial party who is an EMS client is not sent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from emsterm.ccses.disburse import custodial_parties
from emsterm.ccses.ledger import month_start, passed_through
from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import ccses_support
from emsterm.interfaces.ccses_support import SupportMonth
from emsterm.model import (
    Destination,
    FileDirection,
    LedgerAccount,
    LedgerEntryType,
    SupportCase,
    SupportLedgerEntry,
)
from emsterm.model.batch import InterfaceFile

A = LedgerAccount
T = LedgerEntryType
ZERO = Decimal("0.00")
FIGURES = (T.RECEIPT, T.DISTRIBUTION, T.REVERSAL)
"""The entries that move a month's figures (a charge or an opening balance does not)."""
LAST_ENTRY = "last_entry_id"
"""The control total naming the last ledger entry a file covers."""


def run(job: StepJob) -> int:
    """Write the support collections file of the months touched since the last one."""
    job.finish(lambda session: write_file(session, job))
    return 0


def last_covered(session: Session, run_id: int) -> int:
    """The last ledger entry another run's file covered (0 before the first file)."""
    totals = session.scalars(
        select(InterfaceFile.control_totals).where(
            InterfaceFile.interface == ccses_support.INTERFACE,
            InterfaceFile.direction == FileDirection.OUT,
            InterfaceFile.run_id != run_id,
        )
    )
    return max((int((t or {}).get(LAST_ENTRY, 0)) for t in totals), default=0)


def support_months(session: Session, after: int, through: int) -> list[SupportMonth]:
    """The EMS case months touched by ledger entries `after` < id <= `through`, with their figures."""
    e = SupportLedgerEntry
    touched = session.execute(
        select(SupportCase.ems_case_number, e.effective_date)
        .join(SupportCase, SupportCase.id == e.support_case_id)
        .where(
            e.id > after,
            e.id <= through,
            e.entry_type.in_(FIGURES),
            SupportCase.ems_case_number.is_not(None),
        )
        .distinct()
    ).all()
    keys: set[tuple[str, dt.date]] = {(number or "", month_start(day)) for number, day in touched}
    if not keys:
        return []
    numbers = sorted({number for number, _ in keys})
    cases = list(session.scalars(select(SupportCase).where(SupportCase.ems_case_number.in_(numbers))))
    by_number: dict[str, list[int]] = defaultdict(list)
    for c in cases:
        assert c.ems_case_number is not None
        by_number[c.ems_case_number].append(c.id)
    payees = custodial_parties(session, [c.id for c in cases])
    number_of = {c.id: c.ems_case_number or "" for c in cases}
    first = min(month for _, month in keys)
    collected: dict[tuple[str, dt.date], Decimal] = defaultdict(lambda: ZERO)
    retained: dict[tuple[str, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for entry in session.scalars(
        select(e).where(
            e.support_case_id.in_(list(number_of)),
            e.effective_date >= first,
            e.id <= through,
            e.entry_type.in_(FIGURES),
        )
    ):
        key = (number_of[entry.support_case_id], month_start(entry.effective_date))
        if entry.entry_type == T.RECEIPT:
            collected[key] += entry.amount
        elif entry.entry_type == T.REVERSAL and (entry.debit, entry.credit) == (A.UNDISTRIBUTED, A.CASH):
            collected[key] -= entry.amount
        elif entry.destination == Destination.STATE and entry.entry_type == T.DISTRIBUTION:
            if entry.credit == A.OWED_CURRENT:
                retained[key] += entry.amount
        elif entry.destination == Destination.STATE and entry.debit == A.OWED_CURRENT:
            retained[key] -= entry.amount
    passed: dict[tuple[str, dt.date], Decimal] = {}
    for month in sorted({m for _, m in keys}):
        for number, amount in passed_through(session, [n for n, m in keys if m == month], month).items():
            passed[number, month] = amount
    out = []
    for number, month in sorted(keys):
        payee = next(
            (payees[cid].ems_client_number for cid in sorted(by_number[number]) if cid in payees),
            None,
        )
        if not payee:
            continue
        out.append(
            SupportMonth(
                number,
                payee,
                month,
                collected[number, month],
                passed.get((number, month), ZERO),
                retained[number, month],
            )
        )
    return out


def write_file(session: Session, job: StepJob) -> None:
    """Choose the months, write the file and record it in the interface log."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    after = last_covered(session, job.run_id)
    through = int(session.scalar(select(func.max(SupportLedgerEntry.id))) or 0)
    months = support_months(session, after, through)
    if not months:
        job.counts["no_file"] = 1
        return
    for m in months:
        job.counts["records"] += 1
        job.counts["collected_cents"] += int(m.collected * 100)
        job.counts["passed_cents"] += int(m.passed_through * 100)
        job.counts["retained_cents"] += int(m.retained_current * 100)
    bd = job.business_date
    path = job.file(ccses_support.FILE_NAME.format(date=bd))
    write_atomically(path, ccses_support.build(months, bd))
    total = sum((m.collected for m in months), ZERO)
    session.add(
        InterfaceFile(
            run_id=job.run_id,
            seq=InterfaceFile.next_seq(session, job.run_id),
            step_name=job.spec.name,
            interface=ccses_support.INTERFACE,
            direction=FileDirection.OUT,
            path=str(path),
            record_count=len(months),
            total_amount=total,
            control_totals={"records": len(months), "dollars": f"{total:.2f}", LAST_ENTRY: through},
        )
    )
