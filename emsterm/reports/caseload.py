"""The caseload report: active cases and recipients by office, worker and program, as of a date.

A case counts for a program when the program is active (status AC); its recipients are the
members of the unit (not non-members) in the case on the date. A case with no worker assigned
is shown under worker "(NONE)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session

from emsterm.model import Case, CaseStatus, Member, Program, ProgramStatus, UnitRole

UNASSIGNED = "(NONE)"


@dataclass(frozen=True)
class CaseloadRow:
    """Active cases and recipients of one program in one office (and worker)."""

    office: str
    worker: str
    program: str
    cases: int
    recipients: int


def caseload(session: Session, on: dt.date, *, by_worker: bool = False) -> list[CaseloadRow]:
    """The rows by office (and worker), program by program, in that order."""
    worker = func.coalesce(Case.worker_id, UNASSIGNED) if by_worker else literal("")
    in_unit = and_(
        Member.case_id == Case.id,
        Member.role != UnitRole.NOT_IN_UNIT,
        Member.start_date <= on,
        or_(Member.end_date.is_(None), Member.end_date >= on),
    )
    active = and_(Program.status == ProgramStatus.ACTIVE, Case.status != CaseStatus.CLOSED)
    cases = {
        (office, who, program): count
        for office, who, program, count in session.execute(
            select(Case.office_code, worker, Program.program_code, func.count(func.distinct(Case.id)))
            .join(Program, Program.case_id == Case.id)
            .where(active)
            .group_by(Case.office_code, worker, Program.program_code)
        )
    }
    recipients = {
        (office, who, program): count
        for office, who, program, count in session.execute(
            select(Case.office_code, worker, Program.program_code, func.count(func.distinct(Member.client_id)))
            .join(Program, Program.case_id == Case.id)
            .join(Member, in_unit)
            .where(active)
            .group_by(Case.office_code, worker, Program.program_code)
        )
    }
    return [
        CaseloadRow(office, who, program, count, recipients.get((office, who, program), 0))
        for (office, who, program), count in sorted(cases.items())
    ]
