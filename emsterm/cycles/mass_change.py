"""MASSCHG: after a parameter change, EDBC for every case with the program open, from the
change's effective month, through the change engine with mass-change notices; the run's
`mass-change.csv` lists cases, changes and dollars before and after per program and month.

`survey` is the dry run: the same determinations inside a transaction that is rolled back.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.database.engine import session_factory
from emsterm.model import Case, CaseStatus, FileDirection, Program, ProgramStatus
from emsterm.model.batch import InterfaceFile
from emsterm.services.caseload import Tally, redetermine_chunk
from emsterm.services.changes import affected_months

FILE = "mass-change.csv"


@dataclass
class Report:
    """Per program and benefit month: cases, changed cases, dollars (cents) before and after."""

    rows: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)

    def add(self, tally: Tally) -> None:
        """Add a chunk's tally."""
        for (program, month), values in tally.per_program.items():
            row = self.rows.setdefault((program, f"{month:%Y-%m}"), {"cases": 0, "changed": 0, "before": 0, "after": 0})
            for key, value in values.items():
                row[key] += value

    @classmethod
    def from_counts(cls, counts: dict[str, int]) -> Report:
        """The report kept in a step's counts (`key:PROGRAM:YYYY-MM`)."""
        report = cls()
        for key, value in counts.items():
            parts = key.split(":")
            if len(parts) == 3 and parts[0] in ("cases", "changed", "before", "after"):
                row = report.rows.setdefault((parts[1], parts[2]), {"cases": 0, "changed": 0, "before": 0, "after": 0})
                row[parts[0]] += value
        return report

    def csv(self) -> str:
        """The report as CSV."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            ("program", "benefit_month", "cases", "changed", "dollars_before", "dollars_after", "difference")
        )
        for (program, month), r in sorted(self.rows.items()):
            writer.writerow(
                (
                    program,
                    month,
                    r["cases"],
                    r["changed"],
                    f"{r['before'] / 100:.2f}",
                    f"{r['after'] / 100:.2f}",
                    f"{(r['after'] - r['before']) / 100:.2f}",
                )
            )
        return out.getvalue()


def affected_cases(session: Session, program: str) -> list[int]:
    """The active cases with the program open."""
    return list(
        session.scalars(
            select(Program.case_id)
            .distinct()
            .join(Case, Case.id == Program.case_id)
            .where(
                Program.program_code == program,
                Program.status == ProgramStatus.ACTIVE,
                Case.status == CaseStatus.ACTIVE,
            )
            .order_by(Program.case_id)
        )
    )


def survey(
    engine: Engine,
    program: str,
    effective: dt.date,
    business_date: dt.date,
    chunk: int,
    progress: Callable[[int], None] = lambda n: None,
) -> Report:
    """The dry run: what the mass change would do, with nothing written."""
    months = affected_months(business_date, effective)
    report = Report()
    session = session_factory(engine)()
    try:
        keys = affected_cases(session, program)
        for start in range(0, len(keys), chunk):
            ids = keys[start : start + chunk]
            report.add(
                redetermine_chunk(
                    session, ids, months, business_date, programs=(program,), write=False, mass_change=True
                )
            )
            progress(len(ids))
    finally:
        session.rollback()
        session.close()
    return report


def run(job: StepJob) -> int:
    """Redetermine the affected cases and write the report."""
    program = str(job.parameters["program"])
    effective = dt.date.fromisoformat(str(job.parameters["effective"]))
    months = affected_months(job.business_date, effective)
    with job.session() as session:
        keys = affected_cases(session, program)

    def work(session: Session, ids: list[int]) -> None:
        tally = redetermine_chunk(session, ids, months, job.business_date, programs=(program,), mass_change=True)
        for (code, month), values in tally.per_program.items():
            for key, value in values.items():
                job.counts[f"{key}:{code}:{month:%Y-%m}"] += value
        job.counts["notices"] += tally.notices
        job.counts["written"] += tally.stored + tally.notices + tally.actions

    job.in_chunks(keys, work)

    def report(session: Session) -> None:
        session.execute(
            delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
        )
        path = job.file(FILE)
        made = Report.from_counts(job.counts)
        write_atomically(path, made.csv().encode("utf-8"))
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=InterfaceFile.next_seq(session, job.run_id),
                step_name=job.spec.name,
                interface="REPORT",
                direction=FileDirection.OUT,
                path=str(path),
                record_count=len(made.rows),
            )
        )

    with job.session() as session:
        report(session)
    return 0
