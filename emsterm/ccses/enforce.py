"""ENFORCE (stream ccses): automated enforcement, a chunk of open support cases with an order at
a time (`emsterm.ccses.enforcement.enforce_cases`: delinquency from the ledger, the actions due
taken or ended, new ones noticed), each chunk committed with its checkpoint; then, once, the
actions taken and not yet sent go in their outbound files (income withholding orders, tax
offset certification, credit bureau report, license suspension list:
`emsterm.interfaces.ccses_enforcement`), each logged as an interface file. An action is in a
file once: its `file_name` is set in the transaction that logs the file, and a file is written
whole or not at all (a killed run writes it again on restart).

Counts: records (cases read), delinquent, noticed_<type>, taken_<type>, ended_<type>,
written_<type>.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.ccses.enforcement import enforce_cases
from emsterm.ccses.parameters import enforcement_parameters
from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import ccses_enforcement
from emsterm.interfaces.ccses_enforcement import FORMATS, EnforcementRecord
from emsterm.model import (
    EnforcementStatus,
    EnforcementType,
    FileDirection,
    SupportCase,
    SupportEnforcement,
    SupportOrder,
    SupportParty,
    SupportRole,
    SupportStatus,
)
from emsterm.model.batch import InterfaceFile


def run(job: StepJob) -> int:
    """Enforce the delinquent cases, then write the night's enforcement files."""
    bd = job.business_date
    with job.session() as session:
        parameters = enforcement_parameters(session, bd)
        keys = list(
            session.scalars(
                select(SupportCase.id)
                .where(
                    SupportCase.status != SupportStatus.CLOSED,
                    SupportCase.id.in_(select(SupportOrder.support_case_id)),
                )
                .order_by(SupportCase.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        enforce_cases(session, ids, bd, parameters, job.counts)

    job.in_chunks(keys, work)
    job.finish(lambda session: write_files(session, job))
    return 0


def write_files(session: Session, job: StepJob) -> None:
    """Write a file of each action type taken and not yet sent, and log it."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    bd = job.business_date
    parameters = enforcement_parameters(session, bd)
    rows = session.execute(
        select(SupportEnforcement, SupportCase.support_number, SupportParty)
        .join(SupportCase, SupportCase.id == SupportEnforcement.support_case_id)
        .outerjoin(
            SupportParty,
            (SupportParty.support_case_id == SupportCase.id)
            & (SupportParty.role == SupportRole.NON_CUSTODIAL)
            & SupportParty.end_date.is_(None),
        )
        .where(SupportEnforcement.status == EnforcementStatus.TAKEN, SupportEnforcement.file_name == "")
        .order_by(SupportEnforcement.support_case_id, SupportEnforcement.seq, SupportParty.seq)
    ).all()
    by_kind: dict[EnforcementType, list[tuple[SupportEnforcement, list[EnforcementRecord]]]] = {}
    seen: set[int] = set()
    for action, number, party in rows:
        if action.id in seen:
            continue
        seen.add(action.id)
        ssn = (party.ssn or "") if party is not None else ""
        last = party.last_name if party is not None else ""
        first = party.first_name if party is not None else ""
        day = action.action_date or bd

        def record(kind: str, amount: Decimal, employer: str = "") -> EnforcementRecord:
            return EnforcementRecord(number, ssn, last, first, kind, amount, day, employer)  # noqa: B023

        if action.action_type == EnforcementType.TAX_OFFSET:
            family = action.arrears - action.assigned_arrears
            records = []
            if action.assigned_arrears >= parameters.tax_offset_min_assistance:
                records.append(record("A", action.assigned_arrears))
            if family >= parameters.tax_offset_min_non_assistance:
                records.append(record("N", family))
        else:
            records = [record("T", action.arrears, action.employer)]
        by_kind.setdefault(action.action_type, []).append((action, records))
    for kind, taken in by_kind.items():
        records = [r for _, rs in taken for r in rs]
        path = job.file(FORMATS[kind].file_name.format(date=bd))
        write_atomically(path, ccses_enforcement.build(kind, bd, records))
        for action, _ in taken:
            action.file_name = path.name
        total = sum((r.amount for r in records), Decimal("0.00"))
        job.counts[f"written_{kind}"] += len(records)
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=InterfaceFile.next_seq(session, job.run_id),
                step_name=job.spec.name,
                interface=FORMATS[kind].interface,
                direction=FileDirection.OUT,
                path=str(path),
                record_count=len(records),
                total_amount=total,
                control_totals={"records": len(records), "dollars": str(total), "actions": len(taken)},
            )
        )
    session.flush()
