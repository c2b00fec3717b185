"""ISSUE / DAILYISS: benefits issued from the current determinations, by payment method.

Monthly mode issues the next benefit month: one regular issuance per case, program and month.
Daily mode issues the current month (and the next, once its monthly cycle has run) to programs
opened since the last nightly run (the first month, prorated by the rules) and a supplement
where a favourable change raised a benefit already issued. The issuance table's unique key
(case, program, month, kind) and the check before each insert make it impossible to pay a
benefit twice, however often a run is restarted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from emsterm.cycles.job import StepJob, write_atomically
from emsterm.database.bulk import bulk_insert
from emsterm.interfaces.benefit_files import FILES, Benefit, build
from emsterm.model import (
    Case,
    Client,
    Eligibility,
    FileDirection,
    Issuance,
    IssuanceKind,
    IssuanceStatus,
    Member,
    PaymentMethod,
    Program,
    ProgramStatus,
    RunStatus,
    UnitRole,
    current_actor,
)
from emsterm.model.base import table_of, utcnow
from emsterm.model.batch import BatchRun, InterfaceFile
from emsterm.services.changes import month_of, next_month
from emsterm.services.parameters import cycle_parameter, significant_dates

FOOD = "SNAP"


def _issued_total() -> Any:
    """What has been issued so far for the eligibility row's case, program and month."""
    return (
        select(func.coalesce(func.sum(Issuance.amount), 0))
        .where(
            Issuance.case_id == Eligibility.case_id,
            Issuance.program_code == Eligibility.program_code,
            Issuance.benefit_month == Eligibility.benefit_month,
            Issuance.status == IssuanceStatus.ISSUED,
        )
        .correlate(Eligibility)
        .scalar_subquery()
    )


def _months(session: Session, job: StepJob) -> list[dt.date]:
    this_month = month_of(job.business_date)
    if job.spec.mode == "monthly":
        return [next_month(this_month)]
    monthly_done = session.scalar(
        select(BatchRun.id)
        .where(
            BatchRun.stream == "monthly",
            BatchRun.status == RunStatus.ENDED,
            BatchRun.business_date.between(this_month, job.business_date),
        )
        .limit(1)
    )
    return [this_month, next_month(this_month)] if monthly_done else [this_month]


def _window_start(session: Session, job: StepJob) -> dt.date:
    """Programs opened on or after this date are new to issuance: the day after the last
    nightly run that ended, or the first of the month when there was none this month."""
    last = session.scalar(
        select(func.max(BatchRun.business_date)).where(
            BatchRun.stream == job.stream,
            BatchRun.status == RunStatus.ENDED,
            BatchRun.business_date < job.business_date,
        )
    )
    start = month_of(job.business_date)
    return max(start, last + dt.timedelta(days=1)) if last else start


def availability(session: Session, on: dt.date) -> dict[str, list[tuple[str, str, int]]]:
    """AVAIL significant dates: per purse or method, (first letter, last letter, day)."""
    table: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
    for key, value in significant_dates(session, "AVAIL", on).items():
        purse, _, letters = key.partition(":")
        first, _, last = letters.partition("-")
        table[purse].append((first, last or first, int(value)))
    return table


def available(
    table: dict[str, list[tuple[str, str, int]]], purse: str, last_name: str, month: dt.date, issued: dt.date
) -> dt.date:
    """The day a benefit for `month` issued on `issued` becomes available: the AVAIL day of the
    purse or method for the initial of the head's last name, but never before it was issued."""
    initial = (last_name[:1] or "A").upper()
    day = 1
    for first, last, value in table.get(purse, ()):
        if first <= initial <= last:
            day = value
            break
    return max(month.replace(day=day), issued)


def run(job: StepJob) -> int:
    """Issue the benefits due, a chunk of cases at a time, then write the run's files."""
    with job.session() as session:
        programs = cycle_parameter(session, job.stream, "ISSUE_PROGRAMS", job.business_date).split()
        months = _months(session, job)
        window = _window_start(session, job)
        days = availability(session, job.business_date)
        keys = list(
            session.scalars(
                select(Eligibility.case_id)
                .distinct()
                .join(
                    Program,
                    and_(Program.case_id == Eligibility.case_id, Program.program_code == Eligibility.program_code),
                )
                .where(
                    Eligibility.benefit_month.in_(months),
                    Eligibility.current.is_(True),
                    Eligibility.eligible.is_(True),
                    Eligibility.amount > 0,
                    Eligibility.program_code.in_(programs),
                    Program.status == ProgramStatus.ACTIVE,
                    Eligibility.amount > _issued_total(),
                )
                .order_by(Eligibility.case_id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        issue_chunk(session, job, ids, months, programs, window, days)

    job.in_chunks(keys, work)
    with job.session() as session:
        write_files(session, job)
    return 0


def issue_chunk(
    session: Session,
    job: StepJob,
    ids: list[int],
    months: list[dt.date],
    programs: list[str],
    window: dt.date,
    days: dict[str, list[tuple[str, str, int]]],
) -> None:
    """Issue what is due to the cases of one chunk."""
    low, high = ids[0], ids[-1]
    wanted = set(ids)
    head = (
        select(Member.case_id, Client.last_name)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id.between(low, high), Member.role == UnitRole.HEAD)
    )
    last_names = {case_id: name for case_id, name in session.execute(head)}  # noqa: C416  (dict(Result) would read its keys)
    due = session.execute(
        select(
            Eligibility.case_id,
            Eligibility.program_code,
            Eligibility.benefit_month,
            Eligibility.amount,
            Program.payment_method,
            Program.status_date,
        )
        .join(Program, and_(Program.case_id == Eligibility.case_id, Program.program_code == Eligibility.program_code))
        .where(
            Eligibility.case_id.between(low, high),
            Eligibility.benefit_month.in_(months),
            Eligibility.current.is_(True),
            Eligibility.eligible.is_(True),
            Eligibility.amount > 0,
            Eligibility.program_code.in_(programs),
            Program.status == ProgramStatus.ACTIVE,
        )
        .order_by(Eligibility.case_id, Eligibility.program_code, Eligibility.benefit_month)
    ).all()
    paid: dict[tuple[int, str, dt.date], dict[IssuanceKind, Decimal]] = defaultdict(dict)
    for case_id, program, month, kind, amount in session.execute(
        select(Issuance.case_id, Issuance.program_code, Issuance.benefit_month, Issuance.kind, Issuance.amount).where(
            Issuance.case_id.between(low, high),
            Issuance.benefit_month.in_(months),
            Issuance.status == IssuanceStatus.ISSUED,
        )
    ):
        paid[case_id, program, month][kind] = amount
    next_seq = dict(
        session.execute(
            select(Issuance.case_id, func.max(Issuance.seq))
            .where(Issuance.case_id.between(low, high))
            .group_by(Issuance.case_id)
        ).all()
    )
    actor, now = current_actor.get(), utcnow()
    rows = []
    seen: set[tuple[int, str, dt.date]] = set()
    for case_id, program, month, amount, method, opened in due:
        key = (case_id, program, month)
        if case_id not in wanted or key in seen:
            continue
        seen.add(key)
        already = paid.get(key, {})
        if job.spec.mode == "monthly" or not already:
            if IssuanceKind.REGULAR in already:
                continue
            if job.spec.mode != "monthly" and opened < window:
                job.counts["not_new"] += 1
                continue
            kind, value = IssuanceKind.REGULAR, amount
        else:
            total = sum(already.values(), Decimal("0"))
            if amount <= total:
                continue
            if IssuanceKind.SUPPLEMENTAL in already:
                job.counts["supplement_already_issued"] += 1
                continue
            kind, value = IssuanceKind.SUPPLEMENTAL, amount - total
        method = method or PaymentMethod.EBT
        purse = FOOD if program == FOOD else "CASH"
        on = available(
            days,
            purse if method == PaymentMethod.EBT else method,
            last_names.get(case_id, ""),
            month,
            job.business_date,
        )
        seq = next_seq.get(case_id, 0) + 1
        next_seq[case_id] = seq
        rows.append(
            {
                "case_id": case_id,
                "seq": seq,
                "program_code": program,
                "benefit_month": month,
                "kind": kind,
                "amount": value,
                "method": method,
                "issue_date": job.business_date,
                "available_date": on,
                "status": IssuanceStatus.ISSUED,
                "batch_run_id": job.run_id,
                "created_by": actor,
                "created_at": now,
                "updated_by": actor,
                "updated_at": now,
                "version": 1,
            }
        )
        job.counts[f"issued:{program}"] += 1
        job.counts[f"issued_cents:{program}"] += int(value * 100)
        job.counts[f"method:{method}"] += 1
        job.counts["written"] += 1
    bulk_insert(session.connection(), table_of(Issuance), rows)


def write_files(session: Session, job: StepJob) -> None:
    """Write the run's EBT, direct-deposit and check files from its issuances, and log them."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    rows = session.execute(
        select(Issuance, Case.case_number, Client.last_name, Client.first_name)
        .join(Case, Case.id == Issuance.case_id)
        .join(Member, and_(Member.case_id == Case.id, Member.role == UnitRole.HEAD))
        .join(Client, Client.id == Member.client_id)
        .where(Issuance.batch_run_id == job.run_id)
        .order_by(
            Issuance.method, Issuance.available_date, Case.case_number, Issuance.program_code, Issuance.benefit_month
        )
    ).all()
    by_method: dict[PaymentMethod, list[Benefit]] = defaultdict(list)
    for issuance, case_number, last, first in rows:
        by_method[issuance.method].append(
            Benefit(
                case_number,
                f"{last}, {first}",
                issuance.program_code,
                FOOD if issuance.program_code == FOOD else "CASH",
                issuance.benefit_month,
                issuance.amount,
                issuance.available_date,
                issuance.kind,
            )
        )
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for method in FILES:
        built = build(method, by_method.get(method, []), job.business_date, job.run_id)
        path = job.file(built.name)
        write_atomically(path, built.data)
        seq += 1
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=seq,
                step_name=job.spec.name,
                interface=built.interface,
                direction=FileDirection.OUT,
                path=str(path),
                record_count=built.records,
                total_amount=built.dollars,
                control_totals=built.totals,
            )
        )
