"""CLOSERNW: programs whose certification period ended without a renewal are closed.

A renewal moves the certification end forward; a program still active after its end date was
not renewed. It closes from the day after, with reason D01 and a closing notice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.cycles.apply_due import close_case_if_done
from emsterm.cycles.job import StepJob
from emsterm.model import AuditAction, Case, Eligibility, Notice, NoticeStatus, NoticeType, Program, ProgramStatus
from emsterm.services import audit
from emsterm.services.changes import ZERO, month_of, next_month

REASON = "D01"


def run(job: StepJob) -> int:
    """Close every active program whose certification ended before the business date."""
    with job.session() as session:
        keys = list(
            session.scalars(
                select(Program.id)
                .where(Program.status == ProgramStatus.ACTIVE, Program.cert_end < job.business_date)
                .order_by(Program.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        for program in session.scalars(select(Program).where(Program.id.in_(ids)).order_by(Program.id)):
            close_program(session, program, job)

    job.in_chunks(keys, work)
    return 0


def close_program(session: Session, program: Program, job: StepJob) -> None:
    """Close one program for want of a renewal, with its closing notice."""
    case = session.get(Case, program.case_id)
    assert case is not None and program.cert_end is not None
    ends = program.cert_end + dt.timedelta(days=1)
    program.status, program.status_date, program.status_reason = ProgramStatus.CLOSED, ends, REASON
    last = session.scalars(
        select(Eligibility).where(
            Eligibility.case_id == case.id,
            Eligibility.program_code == program.program_code,
            Eligibility.benefit_month == month_of(program.cert_end),
            Eligibility.current.is_(True),
        )
    ).first()
    notice = Notice(
        case_id=case.id,
        seq=Notice.next_seq(session, case.id),
        notice_type=NoticeType.CLOSING,
        program_code=program.program_code,
        reason_codes=REASON,
        notice_date=job.business_date,
        effective_date=ends,
        status=NoticeStatus.PENDING_PRINT,
        benefit_month=month_of(ends) if ends.day == 1 else next_month(month_of(ends)),
        old_amount=last.amount if last is not None and last.eligible else ZERO,
        new_amount=ZERO,
    )
    session.add(notice)
    session.flush()
    audit.record(
        session,
        AuditAction.REPLACE,
        "PROGRAM",
        f"{case.case_number}:{program.program_code}",
        before={"status": ProgramStatus.ACTIVE},
        after={"status": ProgramStatus.CLOSED, "reason": REASON},
    )
    job.counts[f"closed:{program.program_code}"] += 1
    job.counts["notices"] += 1
    job.counts["written"] += 2
    close_case_if_done(session, case, ends, job)
