"""ISSUE / DAILYISS: benefits issued from the current determinations, by payment method.

Monthly mode issues the next benefit month: one regular issuance per case, program and month.
Daily mode issues the current month (and the next, once its monthly cycle has run) to programs
opened since the last nightly run (the first month, prorated by the rules) and a supplement
where a favourable change raised a benefit already issued. The issuance table's unique key
(case, program, month, kind) and the check before each insert make it impossible to pay a
benefit twice, however often a run is restarted.

Either mode first pays again what came back since the last run: an EBT authorization the
processor rejected is issued again to the card (kind P, a restored benefit with a new
authorization number), a direct deposit the bank returned is paid by check; each replacement
names the issuance it replaces (`replaces_id`, unique: one replacement each), so the month's
dollars are paid once. A replacement that is itself rejected or returned is not issued a
third time: its worker's alert says so.

The run's EBT file is the processor's authorization layout (`emsterm.interfaces.ebt`): its file
sequence is one more than the last EBT file's in the interface file log (a restarted step
writes the same file with the same sequence and authorization numbers).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session, aliased

from emsterm.cycles.check_register import CheckNumbers, write_positive_pay
from emsterm.cycles.job import StepJob, write_atomically
from emsterm.database.bulk import bulk_insert
from emsterm.interfaces import ebt, nacha
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
    VoidReason,
    current_actor,
)
from emsterm.model.base import table_of, utcnow
from emsterm.model.batch import BatchRun, InterfaceFile
from emsterm.model.numbers import hold_numbering
from emsterm.services.changes import month_of, next_month
from emsterm.services.parameters import admin_parameter, cycle_parameter, significant_dates

FOOD = "SNAP"
CAME_BACK = (IssuanceStatus.REJECTED, IssuanceStatus.RETURNED)
REPLACED_VOIDS = (VoidReason.LOST,)
"""The void reasons whose check the next issuance replaces (a lost or stolen check)."""
"""Issuances that did not reach the household: paid again by a replacement."""


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
        keys = sorted(set(keys) | set(session.scalars(_to_replace().with_only_columns(Issuance.case_id).distinct())))

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
    next_seq = dict(
        session.execute(
            select(Issuance.case_id, func.max(Issuance.seq))
            .where(Issuance.case_id.between(low, high))
            .group_by(Issuance.case_id)
        ).all()
    )
    actor, now = current_actor.get(), utcnow()
    rows = replacements(session, job, low, high, wanted, next_seq, last_names, days)
    bulk_insert(session.connection(), table_of(Issuance), rows)
    rows = []
    replaced = set(
        session.scalars(
            select(Issuance.replaces_id).where(Issuance.case_id.between(low, high), Issuance.replaces_id.is_not(None))
        )
    )
    paid: dict[tuple[int, str, dt.date], dict[IssuanceKind, Decimal]] = defaultdict(dict)
    for issuance_id, case_id, program, month, kind, amount, status in session.execute(
        select(
            Issuance.id,
            Issuance.case_id,
            Issuance.program_code,
            Issuance.benefit_month,
            Issuance.kind,
            Issuance.amount,
            Issuance.status,
        ).where(
            Issuance.case_id.between(low, high),
            Issuance.benefit_month.in_(months),
            Issuance.status != IssuanceStatus.CANCELLED,
        )
    ):
        # what the month has had: issued, or come back and not (yet) replaced; a kind that came
        # back and was replaced counts nothing itself but is not issued again
        counted = status == IssuanceStatus.ISSUED or issuance_id not in replaced
        paid[case_id, program, month][kind] = paid[case_id, program, month].get(kind, Decimal("0")) + (
            amount if counted else Decimal("0")
        )
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


def _to_replace() -> Any:
    """Issuances that came back and wait for their replacement: rejected or returned, not a
    replacement themselves, not replaced yet."""
    again = aliased(Issuance)
    return select(Issuance).where(
        or_(
            Issuance.status.in_(CAME_BACK),
            and_(Issuance.status == IssuanceStatus.VOIDED, Issuance.void_reason.in_(REPLACED_VOIDS)),
        ),
        Issuance.kind != IssuanceKind.REPLACEMENT,
        ~select(again.id).where(again.replaces_id == Issuance.id).exists(),
    )


def replacements(
    session: Session,
    job: StepJob,
    low: int,
    high: int,
    wanted: set[int],
    next_seq: dict[int, int],
    last_names: dict[int, str],
    days: dict[str, list[tuple[str, str, int]]],
) -> list[dict[str, Any]]:
    """The replacement rows for the chunk's issuances that came back: a rejected EBT benefit
    again to the card, a returned direct deposit by check; each once (a month whose
    replacement kind is taken already waits for a worker, whose alert says so)."""
    taken = {
        (case_id, program, month)
        for case_id, program, month in session.execute(
            select(Issuance.case_id, Issuance.program_code, Issuance.benefit_month).where(
                Issuance.case_id.between(low, high), Issuance.kind == IssuanceKind.REPLACEMENT
            )
        )
    }
    actor, now = current_actor.get(), utcnow()
    rows: list[dict[str, Any]] = []
    blocked: set[tuple[int, AlertType]] = set()
    for original in session.scalars(
        _to_replace().where(Issuance.case_id.between(low, high)).order_by(Issuance.case_id, Issuance.seq)
    ):
        key = (original.case_id, original.program_code, original.benefit_month)
        if original.case_id not in wanted:
            continue
        if key in taken:
            came_back = AlertType.EBT_REJECTED if original.method == PaymentMethod.EBT else AlertType.ACH_RETURNED
            blocked.add((original.case_id, came_back))
            job.counts["replacement_blocked"] += 1
            continue
        taken.add(key)
        method = PaymentMethod.EBT if original.method == PaymentMethod.EBT else PaymentMethod.CHECK
        purse = (FOOD if original.program_code == FOOD else "CASH") if method == PaymentMethod.EBT else method
        on = available(days, purse, last_names.get(original.case_id, ""), original.benefit_month, job.business_date)
        seq = next_seq.get(original.case_id, 0) + 1
        next_seq[original.case_id] = seq
        rows.append(
            {
                "case_id": original.case_id,
                "seq": seq,
                "program_code": original.program_code,
                "benefit_month": original.benefit_month,
                "kind": IssuanceKind.REPLACEMENT,
                "amount": original.amount,
                "method": method,
                "issue_date": job.business_date,
                "available_date": on,
                "status": IssuanceStatus.ISSUED,
                "batch_run_id": job.run_id,
                "replaces_id": original.id,
                "created_by": actor,
                "created_at": now,
                "updated_by": actor,
                "updated_at": now,
                "version": 1,
            }
        )
        job.counts[f"replaced:{original.status}"] += 1
        job.counts[f"issued:{original.program_code}"] += 1
        job.counts[f"issued_cents:{original.program_code}"] += int(original.amount * 100)
        job.counts[f"method:{method}"] += 1
        job.counts["written"] += 1
    text = "BENEFIT CAME BACK - MONTH HAS A REPLACEMENT ALREADY: ISSUE BY HAND"
    told = {
        (case_id, kind)
        for case_id, kind in session.execute(
            select(Alert.case_id, Alert.alert_type).where(Alert.case_id.between(low, high), Alert.text == text)
        )
    }
    for case_id, came_back in sorted(blocked - told):
        raise_alert(session, job, case_id, came_back, text, "PAYMENT_RETURN_ALERT_DAYS")
    return rows


def raise_alert(session: Session, job: StepJob, case_id: int, kind: AlertType, text: str, days_parameter: str) -> None:
    """An open alert of `kind` for the case's worker, due in the cycle parameter's days."""
    days = int(cycle_parameter(session, job.stream, days_parameter, job.business_date))
    worker = session.scalar(select(Case.worker_id).where(Case.id == case_id))
    session.add(
        Alert(
            case_id=case_id,
            seq=Alert.next_seq(session, case_id),
            alert_type=kind,
            worker_id=worker,
            due_date=job.business_date + dt.timedelta(days=days),
            text=text[:78],
            status=AlertStatus.OPEN,
        )
    )
    session.flush()
    job.counts[f"alert:{kind}"] += 1


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
    """Write the run's EBT, direct-deposit and check files from its issuances, and log them.
    A restart writes the same files: the EBT file keeps the sequence it was given, each
    authorization its number, each direct deposit its trace number."""
    own = {
        f.interface: f.control_totals or {}
        for f in session.scalars(
            select(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
        )
    }
    session.execute(
        delete(InterfaceFile).where(InterfaceFile.run_id == job.run_id, InterfaceFile.step_name == job.spec.name)
    )
    rows = session.execute(
        select(Issuance, Case.case_number, Client.last_name, Client.first_name, Client.id, Client.client_number)
        .join(Case, Case.id == Issuance.case_id)
        .join(Member, and_(Member.case_id == Case.id, Member.role == UnitRole.HEAD))
        .join(Client, Client.id == Member.client_id)
        .where(Issuance.batch_run_id == job.run_id)
        .order_by(
            Issuance.method, Issuance.available_date, Case.case_number, Issuance.program_code, Issuance.benefit_month
        )
    ).all()
    checks: list[tuple[Issuance, Benefit]] = []
    credits: list[tuple[Issuance, str, str, int]] = []
    cards: list[tuple[Issuance, str, str, str]] = []
    for issuance, case_number, last, first, client_id, client_number in rows:
        if issuance.method == PaymentMethod.DIRECT_DEPOSIT:
            credits.append((issuance, case_number, f"{last}, {first}", client_id))
            continue
        if issuance.method == PaymentMethod.EBT:
            cards.append((issuance, case_number, f"{last}, {first}", client_number))
            continue
        checks.append(
            (
                issuance,
                Benefit(
                    case_number,
                    f"{last}, {first}",
                    issuance.program_code,
                    FOOD if issuance.program_code == FOOD else "CASH",
                    issuance.benefit_month,
                    issuance.amount,
                    issuance.available_date,
                    issuance.kind,
                ),
            )
        )
    ach = ach_file(session, job, credits, checks, own.get(nacha.INTERFACE, {}).get("first_trace"))
    numbers = CheckNumbers(session, job)
    register = [replace(benefit, check_number=numbers.take(issuance)) for issuance, benefit in checks]
    session.flush()
    card_file = ebt_file(session, job, cards, own.get(ebt.INTERFACE, {}).get("sequence"))
    control_numbers = {
        PaymentMethod.EBT: f"{card_file[1]['sequence']:06d}",
        PaymentMethod.DIRECT_DEPOSIT: f"{job.business_date:%y%m%d}{ach[0].data[33:34].decode()}",
    }
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for method in FILES:
        if method == PaymentMethod.DIRECT_DEPOSIT:
            built, extra = ach
        elif method == PaymentMethod.EBT:
            built, extra = card_file
        else:
            built, extra = build(method, register, job.business_date, job.run_id), {}
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
                control_totals={**built.totals, **extra},
                control_number=control_numbers.get(method),
            )
        )
    session.add(write_positive_pay(session, job, seq + 1))


def ebt_sequence(session: Session, run_id: int) -> int:
    """The next EBT file's sequence: one more than the highest any other run's EBT file has."""
    totals = session.scalars(
        select(InterfaceFile.control_totals).where(
            InterfaceFile.interface == ebt.INTERFACE,
            InterfaceFile.direction == FileDirection.OUT,
            InterfaceFile.run_id != run_id,
        )
    )
    return 1 + max((int((t or {}).get("sequence", 0)) for t in totals), default=0)


def ebt_file(
    session: Session, job: StepJob, cards: list[tuple[Issuance, str, str, str]], sequence: int | None
) -> tuple[BenefitFile, dict[str, Any]]:
    """The run's EBT authorization file: authorization numbers given to the issuances that have
    none yet (the next numbers after the highest ever given), the file sequence kept from a
    first attempt or the next in the log."""
    hold_numbering(session, "ebt_authorization")
    counter = int(session.scalar(select(func.max(Issuance.authorization_number))) or 0)
    authorizations = []
    for issuance, case_number, name, client_number in cards:
        if issuance.authorization_number is None:
            counter += 1
            issuance.authorization_number = ebt.authorization_number(counter)
        authorizations.append(
            ebt.Authorization(
                issuance.authorization_number,
                case_number,
                client_number,
                name,
                FOOD if issuance.program_code == FOOD else "CASH",
                issuance.program_code,
                issuance.benefit_month,
                issuance.amount,
                issuance.available_date,
                ebt.TYPE_OF_KIND[issuance.kind],
            )
        )
    session.flush()
    number = int(sequence) if sequence else ebt_sequence(session, job.run_id)
    return ebt.build(authorizations, job.business_date, number, job.run_id), {"sequence": number}


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
    checks: list[tuple[Issuance, Benefit]],
    first_trace: int | None = None,
) -> tuple[BenefitFile, dict[str, Any]]:
    """The run's direct deposits as a NACHA file of PPD credits. A benefit whose head has lost
    the account since it was issued goes on the check register instead (and its issuance says
    so); the worker was alerted when it was issued, or is now."""
    holidays = [dt.date.fromisoformat(v) for v in significant_dates(session, "BANKHOL", job.business_date).values()]
    accounts = head_accounts(session, [client_id for *_, client_id in credits], job.business_date)
    entries: list[nacha.Credit] = []
    paid: list[Issuance] = []
    lost: list[int] = []
    for issuance, case_number, name, client_id in credits:
        account = account_on(accounts.get(client_id, []), issuance.available_date)
        if account is None:
            issuance.method = PaymentMethod.CHECK
            lost.append(issuance.case_id)
            checks.append(
                (
                    issuance,
                    Benefit(
                        case_number,
                        name,
                        issuance.program_code,
                        "CASH",
                        issuance.benefit_month,
                        issuance.amount,
                        issuance.available_date,
                        issuance.kind,
                    ),
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
                issuance.id,
            )
        )
        paid.append(issuance)
    if lost:
        job.counts["dd_paid_by_check"] += len(lost)
        alert_no_account(session, job, sorted(set(lost)))
    earlier = session.scalar(
        select(func.count(InterfaceFile.id))
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .where(
            BatchRun.business_date == job.business_date,
            InterfaceFile.run_id != job.run_id,
            InterfaceFile.interface.in_(nacha.INTERFACES),
            InterfaceFile.direction == FileDirection.OUT,
        )
    )
    first = int(first_trace) if first_trace else next_trace(session, job.run_id)
    built = nacha.build_ach(
        originator(session, job.business_date),
        entries,
        # the business date at midnight, as the notice print file: a rerun writes the same bytes
        dt.datetime.combine(job.business_date, dt.time(0)),
        nacha.file_id_modifier(earlier or 0),
        f"{job.run_id:08d}",
        first_trace=first,
    )
    for issuance in paid:
        issuance.trace_number = built.traces[issuance.id]
    name, interface = FILES[PaymentMethod.DIRECT_DEPOSIT]
    dollars = Decimal(built.credit_cents) / 100
    totals: dict[str, dict[str, str | int]] = (
        {"CASH": {"records": built.entries, "dollars": f"{dollars:.2f}"}} if built.entries else {}
    )
    extra = {"first_trace": first, "last_trace": first + built.entries - 1}
    return BenefitFile(name, interface, built.text.encode("ascii"), built.entries, dollars, totals), extra


def next_trace(session: Session, run_id: int) -> int:
    """The first trace sequence of a new ACH file: one after the last any other run's file used
    (EMS's or CCSES's), so that a bank's return names one entry (the sequence wraps after
    9,999,999)."""
    totals = session.scalars(
        select(InterfaceFile.control_totals).where(
            InterfaceFile.interface.in_(nacha.INTERFACES),
            InterfaceFile.direction == FileDirection.OUT,
            InterfaceFile.run_id != run_id,
        )
    )
    last = max((int((t or {}).get("last_trace", 0)) for t in totals), default=0)
    return last % nacha.TRACE_LIMIT + 1
