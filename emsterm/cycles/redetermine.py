"""REDETERM: EDBC for cases whose facts changed since their last determination, or whose
certification ends this month, for the current and the next benefit month. First, the
determinations of those months whose programs are denied or closed stop being current.

It runs the same change engine as the maintenance screens: a lower benefit waits for its
advance notice, every change writes a notice.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Case, CaseStatus, Eligibility, Program, ProgramStatus
from emsterm.services.caseload import redetermine_chunk, retire_ended_programs
from emsterm.services.changes import month_of, next_month


def _month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


def run(job: StepJob) -> int:
    """Redetermine the changed and certification-ending cases, a chunk at a time."""
    this_month = month_of(job.business_date)
    months = [this_month, next_month(this_month)]
    last_determined = (
        select(func.max(Eligibility.determined_at))
        .where(Eligibility.case_id == Case.id)
        .correlate(Case)
        .scalar_subquery()
    )
    active = exists().where(Program.case_id == Case.id, Program.status == ProgramStatus.ACTIVE)
    cert_ending = exists().where(
        Program.case_id == Case.id,
        Program.status == ProgramStatus.ACTIVE,
        Program.cert_end.between(this_month, _month_end(this_month)),
    )
    with job.session() as session:
        job.counts["retired"] += retire_ended_programs(session, months)
        keys = list(
            session.scalars(
                select(Case.id)
                .where(
                    Case.status == CaseStatus.ACTIVE,
                    active,
                    or_(last_determined.is_(None), Case.updated_at > last_determined, cert_ending),
                )
                .order_by(Case.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        tally = redetermine_chunk(session, ids, months, job.business_date, restore_unchanged=True)
        tally.count_into(job.counts)

    job.in_chunks(keys, work)
    return 0
