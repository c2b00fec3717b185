"""RENEWALS: a renewal notice for each active program whose certification ends within the
notice period, once per certification period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Notice, NoticeStatus, NoticeType, Program, ProgramStatus
from emsterm.services.changes import month_of
from emsterm.services.parameters import cycle_parameter


def run(job: StepJob) -> int:
    """Write the renewal notices due, a chunk of programs at a time."""
    bd = job.business_date
    with job.session() as session:
        days = int(cycle_parameter(session, "WEEKEND", "RENEWAL_NOTICE_DAYS", bd))
        keys = list(
            session.scalars(
                select(Program.id)
                .where(
                    Program.status == ProgramStatus.ACTIVE, Program.cert_end.between(bd, bd + dt.timedelta(days=days))
                )
                .order_by(Program.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        for program in session.scalars(select(Program).where(Program.id.in_(ids)).order_by(Program.id)):
            assert program.cert_end is not None
            already = session.scalar(
                select(
                    exists().where(
                        Notice.case_id == program.case_id,
                        Notice.program_code == program.program_code,
                        Notice.notice_type == NoticeType.RENEWAL,
                        Notice.effective_date == program.cert_end,
                    )
                )
            )
            if already:
                job.counts["already_sent"] += 1
                continue
            session.add(
                Notice(
                    case_id=program.case_id,
                    seq=Notice.next_seq(session, program.case_id),
                    notice_type=NoticeType.RENEWAL,
                    program_code=program.program_code,
                    notice_date=bd,
                    effective_date=program.cert_end,
                    status=NoticeStatus.PENDING_PRINT,
                    benefit_month=month_of(program.cert_end),
                )
            )
            session.flush()
            job.counts[f"renewal:{program.program_code}"] += 1
            job.counts["written"] += 1

    job.in_chunks(keys, work)
    return 0
