"""REPORTS: the monthly stream's management reports, written into the run's outbox.

- `participation.csv`: program participation by month (the public-data shape) from January of
  the year to the benefit month this run issued (from the January before when that month is
  January, so the trend is never one point), and `participation.png`, its trend, with the
  small programs in a second panel of their own scale;
- `financial.csv`: issuances by benefit month, program and method over the same months;
- `financial-control.csv`: the benefit files of each run that issued for those months against
  its recorded issuances, this run's included. A file that disagrees is a warning (RC 04).
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.model.batch import InterfaceFile
from emsterm.model.codes import FileDirection
from emsterm.reports.chart import png_bytes
from emsterm.reports.financial import issued, reconciled
from emsterm.reports.output import csv_bytes
from emsterm.reports.participation import participation, year_to_month
from emsterm.reports.publish import (
    ISSUED_HEADER,
    PARTICIPATION_HEADER,
    RECONCILED_HEADER,
    issued_record,
    participation_record,
    reconciled_record,
)
from emsterm.services.changes import month_of, next_month


def run(job: StepJob) -> int:
    """Write the reports of the months up to the benefit month the run issued."""

    def write(session: Session) -> None:
        first, last = year_to_month(next_month(month_of(job.business_date)))
        rows = participation(session, first, last)
        money = issued(session, first, last)
        control = reconciled(session, first, last)
        files = [
            (
                "participation.csv",
                *csv_bytes(PARTICIPATION_HEADER[False], (participation_record(r, False) for r in rows)),
            ),
            (
                "participation.png",
                png_bytes(rows, f"DSS program participation by month, {first:%b %Y} - {last:%b %Y}"),
                len(rows),
            ),
            ("financial.csv", *csv_bytes(ISSUED_HEADER, (issued_record(r) for r in money))),
            ("financial-control.csv", *csv_bytes(RECONCILED_HEADER, (reconciled_record(r) for r in control))),
        ]
        session.execute(
            delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
        )
        seq = InterfaceFile.next_seq(session, job.run_id) - 1
        for name, data, records in files:
            path = job.file(name)
            write_atomically(path, data)
            seq += 1
            session.add(
                InterfaceFile(
                    run_id=job.run_id,
                    seq=seq,
                    step_name=job.spec.name,
                    interface="REPORT",
                    direction=FileDirection.OUT,
                    path=str(path),
                    record_count=records,
                    control_totals={"from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"},
                )
            )
        job.counts.update(
            {
                "participation_rows": len(rows),
                "financial_rows": len(money),
                "control_rows": len(control),
                "control_differs": sum(not r.agrees for r in control),
            }
        )
        for row in control:
            if not row.agrees:
                job.warn(
                    f"run {row.run_id} {row.method} file has {row.file_records} records {row.file_dollars:.2f}, "
                    f"issued {row.issued_records} records {row.issued_dollars:.2f}"
                )

    job.in_phases([write])
    return 0
