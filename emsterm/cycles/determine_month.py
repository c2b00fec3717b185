"""EDBCMON: EDBC for every active case for the next benefit month (the monthly cycle).

Determinations that are unchanged are carried into the new month in bulk; a changed benefit
goes through the change engine (notices; a reduction after its advance notice, which the cycle
date, the adverse-action cutoff, leaves time for). A program held by a scheduled action keeps
the amount its notice gave until the action's month. Determinations of the month whose
programs are denied or closed stop being current first.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.model import Case, CaseStatus, Program, ProgramStatus
from emsterm.services.caseload import redetermine_chunk, retire_ended_programs
from emsterm.services.changes import month_of, next_month


def run(job: StepJob) -> int:
    """Determine the next benefit month for every active case, a chunk at a time."""
    month = next_month(month_of(job.business_date))
    with job.session() as session:
        job.counts["retired"] += retire_ended_programs(session, [month])
        keys = list(
            session.scalars(
                select(Case.id)
                .where(
                    Case.status == CaseStatus.ACTIVE,
                    exists().where(Program.case_id == Case.id, Program.status == ProgramStatus.ACTIVE),
                )
                .order_by(Case.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        tally = redetermine_chunk(session, ids, [month], job.business_date)
        tally.count_into(job.counts)
        for (program, _), row in tally.per_program.items():
            job.counts[f"eligible_cents:{program}"] += row["after"]

    job.in_chunks(keys, work)
    return 0
