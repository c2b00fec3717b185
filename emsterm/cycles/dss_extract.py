"""DSSEXTR: the month's extract for the DSS data warehouse (Decision Support System): the cases
with a determination or an issuance for the benefit month the cycle just determined, their
members, those determinations (the current ones) and issuances, as Parquet files partitioned by
benefit month (`emsterm.interfaces.dss_extract` holds the layout and the schema).

The rows are read set-based and streamed into the files in batches; each file is logged in the
interface log with its row count and dollars. A restart writes the same files again (they are
whole or absent: each is renamed into place when complete).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Select, delete, select, union
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob
from emsterm.interfaces import dss_extract
from emsterm.model import Case, Client, Eligibility, FileDirection, Issuance, Member
from emsterm.model.batch import InterfaceFile
from emsterm.services.changes import month_of, next_month

INTERFACE = "DSS-EXTRACT"
"""The interface log name of the extract's files."""
BATCH = 20_000
"""Rows read and written at a time."""


def _statements(month: Any) -> dict[str, Select[*tuple[Any, ...]]]:
    """Each table's query, its columns in the schema's order."""
    in_month = union(
        select(Eligibility.case_id).where(Eligibility.benefit_month == month, Eligibility.current.is_(True)),
        select(Issuance.case_id).where(Issuance.benefit_month == month),
    ).subquery()
    cases = select(in_month.c.case_id)
    return {
        "cases": select(
            Case.case_number,
            Case.office_code,
            Case.town_code,
            Case.zip,
            Case.status,
            Case.worker_id,
            Case.application_date,
            Case.opened_date,
            Case.closed_date,
        )
        .where(Case.id.in_(cases))
        .order_by(Case.id),
        "members": select(
            Case.case_number,
            Member.seq,
            Client.client_number,
            Member.role,
            Member.relationship_code,
            Client.birth_date,
            Client.sex,
            Client.citizenship,
            Member.start_date,
            Member.end_date,
        )
        .join(Case, Case.id == Member.case_id)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id.in_(cases))
        .order_by(Member.case_id, Member.seq),
        "determinations": select(
            Case.case_number,
            Eligibility.program_code,
            Eligibility.eligible,
            Eligibility.amount,
            Eligibility.coverage_group,
            Eligibility.reason_codes,
            Eligibility.override_reason,
        )
        .join(Case, Case.id == Eligibility.case_id)
        .where(Eligibility.benefit_month == month, Eligibility.current.is_(True))
        .order_by(Eligibility.case_id, Eligibility.program_code),
        "issuances": select(
            Case.case_number,
            Issuance.program_code,
            Issuance.kind,
            Issuance.amount,
            Issuance.method,
            Issuance.issue_date,
            Issuance.available_date,
            Issuance.status,
        )
        .join(Case, Case.id == Issuance.case_id)
        .where(Issuance.benefit_month == month)
        .order_by(Issuance.case_id, Issuance.seq),
    }


def _batches(session: Session, statement: Select[*tuple[Any, ...]]) -> Iterator[Sequence[tuple[Any, ...]]]:
    result = session.execute(statement.execution_options(yield_per=BATCH))
    for part in result.partitions():
        yield [tuple(row) for row in part]


def run(job: StepJob) -> int:
    """Write the benefit month's extract and log its files."""
    month = next_month(month_of(job.business_date))

    def work(session: Session) -> None:
        session.execute(
            delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
        )
        folder = dss_extract.partition(job.outbox, month)
        seq = InterfaceFile.next_seq(session, job.run_id) - 1
        for table, statement in _statements(month).items():
            written = dss_extract.write(folder / f"{table}.parquet", table, _batches(session, statement))
            job.counts[f"{table}"] = written.rows
            job.counts["records"] += written.rows
            seq += 1
            session.add(
                InterfaceFile(
                    run_id=job.run_id,
                    seq=seq,
                    step_name=job.spec.name,
                    interface=INTERFACE,
                    direction=FileDirection.OUT,
                    path=str(written.path),
                    record_count=written.rows,
                    total_amount=written.dollars,
                    control_totals={"table": table, "benefit_month": f"{month:%Y-%m}", "rows": written.rows},
                )
            )
        job.counts["written"] = job.counts["records"]

    job.finish(work)
    return 0
