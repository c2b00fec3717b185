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
from emsterm.interfaces import nacha
from emsterm.interfaces.benefit_files import FILES, Benefit, BenefitFile, build, plain
from emsterm.model import (
    Alert,
    AlertStatus,
    AlertType,
    BankAccount,
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
from emsterm.services.parameters import admin_parameter, cycle_parameter, significant_dates

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
        select(Member.case_id, Client.last_name, Client.id)
        .join(Client, Client.id == Member.client_id)
        .where(Member.case_id.between(low, high), Member.role == UnitRole.HEAD)
    )
    last_names: dict[int, str] = {}
    head_client: dict[int, int] = {}
    for case_id, name, client_id in session.execute(head):
        last_names[case_id] = name
        head_client[case_id] = client_id
    accounts = head_accounts(session, list(head_client.values()), job.business_date)
    no_account: set[int] = set()
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
        if (
            method == PaymentMethod.DIRECT_DEPOSIT
            and account_on(accounts.get(head_client.get(case_id, 0), []), on) is None
        ):
            # no account in force: pay by check rather than not at all, and tell the worker
            method = PaymentMethod.CHECK
            on = available(days, method, last_names.get(case_id, ""), month, job.business_date)
            no_account.add(case_id)
            job.counts["dd_paid_by_check"] += 1
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
    if no_account:
        alert_no_account(session, job, sorted(no_account))


def head_accounts(session: Session, client_ids: list[int], since: dt.date) -> dict[int, list[BankAccount]]:
    """The bank accounts of these clients still in force on or after `since`, by client."""
    found: dict[int, list[BankAccount]] = defaultdict(list)
    if not client_ids:
        return found
    for account in session.scalars(
        select(BankAccount)
        .where(
            BankAccount.client_id.in_(client_ids),
            (BankAccount.effective_to.is_(None)) | (BankAccount.effective_to >= since),
        )
        .order_by(BankAccount.client_id, BankAccount.seq)
    ):
        found[account.client_id].append(account)
    return found


def account_on(accounts: list[BankAccount], day: dt.date) -> BankAccount | None:
    """The account in force on `day` (the latest entered when several are)."""
    chosen = None
    for account in accounts:
        if account.effective_from <= day and (account.effective_to is None or account.effective_to >= day):
            chosen = account
    return chosen


def alert_no_account(session: Session, job: StepJob, case_ids: list[int]) -> None:
    """A DDAC alert to each case's worker whose direct deposit went by check for want of a bank
    account in force, unless one is open already."""
    days = int(cycle_parameter(session, job.stream, "DD_ALERT_DAYS", job.business_date))
    open_already = set(
        session.scalars(
            select(Alert.case_id).where(
                Alert.case_id.in_(case_ids),
                Alert.alert_type == AlertType.DIRECT_DEPOSIT_ACCOUNT,
                Alert.status == AlertStatus.OPEN,
            )
        )
    )
    rows = session.execute(select(Case.id, Case.worker_id).where(Case.id.in_(case_ids)))
    workers = {case_id: worker for case_id, worker in rows}  # noqa: C416  (dict(Result) would read its keys)
    for case_id in case_ids:
        if case_id in open_already:
            continue
        session.add(
            Alert(
                case_id=case_id,
                seq=Alert.next_seq(session, case_id),
                alert_type=AlertType.DIRECT_DEPOSIT_ACCOUNT,
                worker_id=workers.get(case_id),
                due_date=job.business_date + dt.timedelta(days=days),
                text="DIRECT DEPOSIT PAID BY CHECK - NO BANK ACCOUNT IN FORCE",
                status=AlertStatus.OPEN,
            )
        )
        session.flush()
        job.counts[f"alert:{AlertType.DIRECT_DEPOSIT_ACCOUNT}"] += 1


def write_files(session: Session, job: StepJob) -> None:
    """Write the run's EBT, direct-deposit and check files from its issuances, and log them."""
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    rows = session.execute(
        select(Issuance, Case.case_number, Client.last_name, Client.first_name, Client.id)
        .join(Case, Case.id == Issuance.case_id)
        .join(Member, and_(Member.case_id == Case.id, Member.role == UnitRole.HEAD))
        .join(Client, Client.id == Member.client_id)
        .where(Issuance.batch_run_id == job.run_id)
        .order_by(
            Issuance.method, Issuance.available_date, Case.case_number, Issuance.program_code, Issuance.benefit_month
        )
    ).all()
    by_method: dict[PaymentMethod, list[Benefit]] = defaultdict(list)
    credits: list[tuple[Issuance, str, str, int]] = []
    for issuance, case_number, last, first, client_id in rows:
        if issuance.method == PaymentMethod.DIRECT_DEPOSIT:
            credits.append((issuance, case_number, f"{last}, {first}", client_id))
            continue
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
    ach = ach_file(session, job, credits, by_method)
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for method in FILES:
        built = (
            ach
            if method == PaymentMethod.DIRECT_DEPOSIT
            else build(method, by_method.get(method, []), job.business_date, job.run_id)
        )
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


def originator(session: Session, on: dt.date) -> nacha.Originator:
    """The sender of the direct-deposit file, from the administrative parameters ACH_*."""
    return nacha.Originator(
        company_name=admin_parameter(session, "ACH_COMPANY_NAME", on),
        company_id=admin_parameter(session, "ACH_COMPANY_ID", on),
        odfi_routing=admin_parameter(session, "ACH_ODFI_ROUTING", on),
        destination_routing=admin_parameter(session, "ACH_DESTINATION_ROUTING", on),
        destination_name=admin_parameter(session, "ACH_DESTINATION_NAME", on),
        origin_name=admin_parameter(session, "ACH_ORIGIN_NAME", on),
    )


def ach_file(
    session: Session,
    job: StepJob,
    credits: list[tuple[Issuance, str, str, int]],
    by_method: dict[PaymentMethod, list[Benefit]],
) -> BenefitFile:
    """The run's direct deposits as a NACHA file of PPD credits. A benefit whose head has lost
    the account since it was issued goes on the check register instead (and its issuance says
    so); the worker was alerted when it was issued, or is now."""
    holidays = [dt.date.fromisoformat(v) for v in significant_dates(session, "BANKHOL", job.business_date).values()]
    accounts = head_accounts(session, [client_id for *_, client_id in credits], job.business_date)
    entries: list[nacha.Credit] = []
    lost: list[int] = []
    for issuance, case_number, name, client_id in credits:
        account = account_on(accounts.get(client_id, []), issuance.available_date)
        if account is None:
            issuance.method = PaymentMethod.CHECK
            lost.append(issuance.case_id)
            by_method[PaymentMethod.CHECK].append(
                Benefit(
                    case_number,
                    name,
                    issuance.program_code,
                    "CASH",
                    issuance.benefit_month,
                    issuance.amount,
                    issuance.available_date,
                    issuance.kind,
                )
            )
            continue
        entries.append(
            nacha.Credit(
                case_number,
                plain(name),
                account.routing_number,
                account.account_number,
                account.account_type,
                int(issuance.amount * 100),
                nacha.banking_day(issuance.available_date, holidays),
            )
        )
    if lost:
        job.counts["dd_paid_by_check"] += len(lost)
        alert_no_account(session, job, sorted(set(lost)))
    earlier = session.scalar(
        select(func.count(InterfaceFile.id))
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .where(
            BatchRun.business_date == job.business_date,
            InterfaceFile.run_id != job.run_id,
            InterfaceFile.interface == FILES[PaymentMethod.DIRECT_DEPOSIT][1],
            InterfaceFile.direction == FileDirection.OUT,
        )
    )
    built = nacha.build_ach(
        originator(session, job.business_date),
        entries,
        # the business date at midnight, as the notice print file: a rerun writes the same bytes
        dt.datetime.combine(job.business_date, dt.time(0)),
        nacha.file_id_modifier(earlier or 0),
        f"{job.run_id:08d}",
    )
    name, interface = FILES[PaymentMethod.DIRECT_DEPOSIT]
    dollars = Decimal(built.credit_cents) / 100
    totals: dict[str, dict[str, str | int]] = (
        {"CASH": {"records": built.entries, "dollars": f"{dollars:.2f}"}} if built.entries else {}
    )
    return BenefitFile(name, interface, built.text.encode("ascii"), built.entries, dollars, totals)
