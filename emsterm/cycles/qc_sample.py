"""QCSAMPLE: the month's quality-control sample of active SNAP cases (those issued SNAP for the
benefit month) and of SNAP negative actions (denials and closings in the review month), by the
sample sizes of the QC parameter table. The draw is reproducible: the seed is derived from the
table's SEED and the sample month and printed on every line of the list."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.model import (
    Case,
    FileDirection,
    Issuance,
    IssuanceKind,
    IssuanceStatus,
    Program,
    ProgramStatus,
    QcParameter,
)
from emsterm.model.batch import InterfaceFile
from emsterm.model.reference import in_force
from emsterm.services.changes import month_of, next_month

FILE = "qc-sample.csv"
PROGRAM = "SNAP"
COLUMNS = (
    "sample",
    "seed",
    "sample_month",
    "case_number",
    "office",
    "worker",
    "program",
    "benefit_month",
    "amount",
    "status",
    "status_date",
    "reason",
)


def sample_seed(base: str, month: dt.date) -> int:
    """The month's seed: from the SEED parameter and the sample month, the same on every run."""
    return int(hashlib.sha256(f"{base}:{month:%Y-%m}".encode()).hexdigest()[:12], 16)


def _parameters(session: Session, on: dt.date) -> dict[tuple[str, str], str]:
    rows = session.scalars(in_force(QcParameter, on).where(QcParameter.program_code == PROGRAM))
    return {(r.sample, r.name): r.value for r in rows}


def run(job: StepJob) -> int:
    """Draw the samples and write the list."""

    def draw(session: Session) -> None:
        bd = job.business_date
        month = next_month(month_of(bd))
        review_from = month_of(bd)
        params = _parameters(session, bd)
        seed = sample_seed(params.get(("ALL", "SEED"), "0"), month)
        rng = random.Random(seed)
        active = session.execute(
            select(Case.case_number, Case.office_code, Case.worker_id, Issuance.benefit_month, Issuance.amount)
            .join(Case, Case.id == Issuance.case_id)
            .where(
                Issuance.program_code == PROGRAM,
                Issuance.benefit_month == month,
                Issuance.kind == IssuanceKind.REGULAR,
                Issuance.status == IssuanceStatus.ISSUED,
            )
            .order_by(Case.case_number)
        ).all()
        negative = session.execute(
            select(
                Case.case_number,
                Case.office_code,
                Case.worker_id,
                Program.status,
                Program.status_date,
                Program.status_reason,
            )
            .join(Case, Case.id == Program.case_id)
            .where(
                Program.program_code == PROGRAM,
                Program.status.in_((ProgramStatus.DENIED, ProgramStatus.CLOSED)),
                Program.status_date >= review_from,
                Program.status_date <= bd,
            )
            .order_by(Case.case_number, Program.status_date)
        ).all()
        active_size = min(int(params.get(("ACTIVE", "SAMPLE_SIZE"), "0")), len(active))
        negative_size = min(int(params.get(("NEGATIVE", "SAMPLE_SIZE"), "0")), len(negative))
        chosen_active = sorted(rng.sample(range(len(active)), active_size))
        chosen_negative = sorted(rng.sample(range(len(negative)), negative_size))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for index in chosen_active:
            r = active[index]
            writer.writerow(
                (
                    "ACTIVE",
                    seed,
                    f"{month:%Y-%m}",
                    r.case_number,
                    r.office_code,
                    r.worker_id or "",
                    PROGRAM,
                    f"{r.benefit_month:%Y-%m}",
                    f"{r.amount:.2f}",
                    ProgramStatus.ACTIVE,
                    "",
                    "",
                )
            )
        for index in chosen_negative:
            denial = negative[index]
            writer.writerow(
                (
                    "NEGATIVE",
                    seed,
                    f"{month:%Y-%m}",
                    denial.case_number,
                    denial.office_code,
                    denial.worker_id or "",
                    PROGRAM,
                    "",
                    "",
                    denial.status,
                    denial.status_date.isoformat(),
                    denial.status_reason or "",
                )
            )
        path = job.file(FILE)
        write_atomically(path, out.getvalue().encode("utf-8"))
        job.counts.update(
            {
                "seed": seed,
                "active_population": len(active),
                "active_sample": active_size,
                "negative_population": len(negative),
                "negative_sample": negative_size,
            }
        )
        session.execute(
            delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
        )
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=InterfaceFile.next_seq(session, job.run_id),
                step_name=job.spec.name,
                interface="QC",
                direction=FileDirection.OUT,
                path=str(path),
                record_count=active_size + negative_size,
                control_totals={"seed": seed, "active": active_size, "negative": negative_size},
            )
        )

    job.in_phases([draw])
    return 0
