"""DISBURSE (stream ccses): pay each family the support money in hand for it, within two business
days of receipt (42 USC 654b(c)(1), 45 CFR 302.32(b)).

For every support case whose family money awaits (`CaseBook.family_awaiting` above zero; below
zero a reversed collection's family share went out already and the family owes it back, so
nothing goes out until later shares net it) one `SupportDisbursement` and its DISBURSEMENT
ledger entry, a chunk of cases at a time, each chunk committed with its checkpoint. Then the
run's files are written from the run's disbursements:

- a custodial party who is an EMS client is paid to the CASH purse of their EBT card: CCSES's own
  authorization file in the processor's layout (`emsterm.interfaces.ebt`), `ccses-ebt-YYYYMMDD.txt`,
  interface CCSES-EBT, with its own file sequence (one more than the last CCSES-EBT file's).
  Authorization numbers come from a range of CCSES's own, `AUTHORIZATION_FIRST` up: EMS numbers
  its authorizations from 1 up (the highest on an issuance, plus one), so the two never meet
  (EMS would need 900 billion authorizations first);
- a custodial party who is not an EMS client but gave a bank account (`SupportParty.bank_routing`
  and `bank_account`) by direct deposit: a NACHA file of PPD credits written by EMS's own writer
  (`emsterm.interfaces.nacha.build_ach`, EMS's originator, parameters ACH_*),
  `ccses-direct-deposit-YYYYMMDD.ach`, interface CCSES-ACH; its trace numbers continue the one
  sequence EMS's ACH files use (`cycles.issue.next_trace`) and its file id modifier follows the
  day's earlier ACH files; the effective entry date is the business date, or the next banking
  day. The trace number is the disbursement's `reference`. An account gone by the time the file
  is written (a worker removed it) is paid by check instead;
- any other custodial party (a never-assistance family without an account) by check: a check
  register in the benefit files' CHECK layout, `ccses-checks-YYYYMMDD.txt`, interface
  CCSES-CHECKS, numbered from CCSES's own check stock (administrative parameters
  CCSES_CHECK_NUMBER_FIRST and _LAST).

`due_date` is the earliest receipt date of the collections whose family shares are in the
payment, plus DISBURSE_DAYS business days (weekends and the BANKHOL holidays); a payment made
after it is counted `late`, and the step warns (once) of how many there were.

A rerun for the same run pays nothing twice (the ledger's family money awaiting is then zero)
and writes the same files: they are written from the run's disbursements, whose numbers,
traces and file sequence are kept.

Counts: records (cases looked at), disbursed, disbursed_cents, method:<code>, late, owed_back,
dd_paid_by_check.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, type_coerce
from sqlalchemy.orm import Session

from emsterm.ccses.business_days import add_business_days, holidays
from emsterm.ccses.ledger import load_books, month_start, write_entries
from emsterm.cycles.check_register import CheckStockExhausted
from emsterm.cycles.issue import next_trace, originator
from emsterm.cycles.job import StepJob, write_atomically
from emsterm.interfaces import ebt, nacha
from emsterm.interfaces.benefit_files import Benefit, BenefitFile, build, plain
from emsterm.model import (
    AccountType,
    Destination,
    FileDirection,
    IssuanceKind,
    LedgerAccount,
    LedgerEntryType,
    PaymentMethod,
    SupportCase,
    SupportDisbursement,
    SupportLedgerEntry,
    SupportParty,
    SupportPayment,
    SupportRole,
)
from emsterm.model.batch import BatchRun, InterfaceFile
from emsterm.model.numbers import hold_numbering
from emsterm.model.types import Money
from emsterm.services.parameters import admin_parameter, cycle_parameter

STREAM = "CCSES"
"""The cycle parameters' stream."""
EBT_INTERFACE = "CCSES-EBT"
"""The EBT authorization file's interface name in the interface log."""
EBT_FILE = "ccses-ebt-{date:%Y%m%d}.txt"
CHECK_INTERFACE = "CCSES-CHECKS"
"""The check register's interface name in the interface log."""
CHECK_FILE = "ccses-checks-{date:%Y%m%d}.txt"
ACH_INTERFACE = nacha.CCSES_INTERFACE
"""The direct-deposit file's interface name in the interface log."""
ACH_FILE = "ccses-direct-deposit-{date:%Y%m%d}.ach"
SENDER = "CTDSSCS"
"""Who sends the EBT file: DSS child support (EMS's is CTDSSEMS)."""
AUTHORIZATION_FIRST = 900_000_000_001
"""CCSES's first EBT authorization number: apart from EMS's, which run from 1."""
PROGRAM = "CS"
"""The program the files give a support payment."""
ZERO = Decimal("0.00")
_FAMILY_MONEY = (LedgerAccount.CASH, LedgerAccount.UNDISTRIBUTED)


def run(job: StepJob) -> int:
    """Disburse the family money awaiting, then write and log the run's files."""
    with job.session() as session:
        keys = awaiting_cases(session)
    job.in_chunks(keys, lambda session, chunk: disburse_chunk(session, job, chunk))
    job.finish(lambda session: write_files(session, job))
    return 0


def awaiting_cases(session: Session) -> list[int]:
    """The support cases whose family money in hand is not zero (CASH less UNDISTRIBUTED)."""
    e = SupportLedgerEntry
    moves: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for side, sign in ((e.debit, 1), (e.credit, -1)):
        rows = session.execute(
            select(e.support_case_id, type_coerce(func.sum(e.amount), Money()))
            .where(side.in_(_FAMILY_MONEY))
            .group_by(e.support_case_id)
        )
        for case_id, total in rows:
            moves[case_id] += sign * total
    return sorted(case_id for case_id, amount in moves.items() if amount != ZERO)


def disburse_chunk(session: Session, job: StepJob, case_ids: list[int]) -> None:
    """One disbursement per case of the chunk whose family money awaits, with its ledger entry."""
    bd = job.business_date
    days = int(cycle_parameter(session, STREAM, "DISBURSE_DAYS", bd))
    closed = holidays(session, bd)
    cases = list(session.scalars(select(SupportCase).where(SupportCase.id.in_(case_ids)).order_by(SupportCase.id)))
    books = load_books(session, cases)
    payees = custodial_parties(session, case_ids)
    received = earliest_receipts(session, case_ids)
    for case in cases:
        book = books[case.id]
        amount = book.family_awaiting
        if amount < ZERO:
            job.counts["owed_back"] += 1
            continue
        if amount == ZERO:
            continue
        payee = payees.get(case.id)
        if payee is None:
            job.warn(f"{case.support_number}: {amount} awaits the family but the case has no custodial party")
            continue
        due = add_business_days(received.get(case.id, bd), days, closed)
        disbursement = SupportDisbursement(
            support_case_id=case.id,
            seq=SupportDisbursement.next_seq(session, case.id),
            amount=amount,
            method=payment_method(payee),
            disbursed_date=bd,
            due_date=due,
            payee_client_number=payee.ems_client_number or "",
            payee_name=f"{payee.last_name}, {payee.first_name}"[:40],
            run_id=job.run_id,
        )
        session.add(disbursement)
        session.flush()
        book.disburse(disbursement.id, amount, bd)
        job.counts["disbursed"] += 1
        job.counts["disbursed_cents"] += int(amount * 100)
        job.counts[f"method:{disbursement.method}"] += 1
        if bd > due:
            job.counts["late"] += 1
    write_entries(session, books.values(), bd)


def payment_method(payee: SupportParty) -> PaymentMethod:
    """How the custodial party is paid: an EMS client to their EBT card, anyone else with a
    bank account by direct deposit, the rest by check."""
    if payee.ems_client_number:
        return PaymentMethod.EBT
    if payee.bank_routing and payee.bank_account:
        return PaymentMethod.DIRECT_DEPOSIT
    return PaymentMethod.CHECK


def custodial_parties(session: Session, case_ids: list[int]) -> dict[int, SupportParty]:
    """Each case's custodial party now (the first when there are several)."""
    found: dict[int, SupportParty] = {}
    for party in session.scalars(
        select(SupportParty)
        .where(
            SupportParty.support_case_id.in_(case_ids),
            SupportParty.role == SupportRole.CUSTODIAL,
            SupportParty.end_date.is_(None),
        )
        .order_by(SupportParty.support_case_id, SupportParty.seq)
    ):
        found.setdefault(party.support_case_id, party)
    return found


def earliest_receipts(session: Session, case_ids: list[int]) -> dict[int, dt.date]:
    """Per case, the earliest receipt date of the collections whose family shares were
    distributed after the case's last disbursement (the money the next one pays)."""
    e = SupportLedgerEntry
    last = dict(
        session.execute(
            select(e.support_case_id, func.max(e.seq))
            .where(e.support_case_id.in_(case_ids), e.entry_type == LedgerEntryType.DISBURSEMENT)
            .group_by(e.support_case_id)
        ).all()
    )
    found: dict[int, dt.date] = {}
    rows = session.execute(
        select(e.support_case_id, e.seq, SupportPayment.received_date)
        .join(SupportPayment, SupportPayment.id == e.payment_id)
        .where(
            e.support_case_id.in_(case_ids),
            e.entry_type == LedgerEntryType.DISTRIBUTION,
            e.destination == Destination.FAMILY,
        )
    )
    for case_id, seq, day in rows:
        if seq > (last.get(case_id) or 0) and (case_id not in found or day < found[case_id]):
            found[case_id] = day
    return found


def write_files(session: Session, job: StepJob) -> None:
    """Number the run's payments that have no number yet, write its EBT file, direct-deposit
    file and check register (each only when it has a payment) and log them; a rerun writes the
    same files."""
    if job.counts["late"]:
        job.warn(f"{job.counts['late']} disbursements went after their due date (42 USC 654b(c)(1))")
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
        select(SupportDisbursement, SupportCase.support_number, SupportCase.ems_case_number)
        .join(SupportCase, SupportCase.id == SupportDisbursement.support_case_id)
        .where(SupportDisbursement.run_id == job.run_id)
        .order_by(SupportDisbursement.method, SupportCase.support_number, SupportDisbursement.seq)
    ).all()
    cards = [(d, number, ems or "") for d, number, ems in rows if d.method == PaymentMethod.EBT]
    deposits = [(d, number) for d, number, _ in rows if d.method == PaymentMethod.DIRECT_DEPOSIT]
    checks = [(d, number) for d, number, _ in rows if d.method == PaymentMethod.CHECK]
    built: list[tuple[BenefitFile, dict[str, Any], str | None, list[SupportDisbursement]]] = []
    if cards:
        ebt_built = ebt_file(session, job, cards, own.get(EBT_INTERFACE, {}).get("sequence"))
        built.append((*ebt_built, [d for d, *_ in cards]))
    if deposits:
        ach_built, paid = ach_file(session, job, deposits, checks, own.get(ACH_INTERFACE, {}).get("first_trace"))
        if paid:
            built.append((*ach_built, paid))
    if checks:
        built.append((*check_register(session, job, checks), [d for d, _ in checks]))
    seq = InterfaceFile.next_seq(session, job.run_id) - 1
    for file, extra, control, paid in built:
        path = job.file(file.name)
        write_atomically(path, file.data)
        for d in paid:
            d.file_name = file.name
        seq += 1
        session.add(
            InterfaceFile(
                run_id=job.run_id,
                seq=seq,
                step_name=job.spec.name,
                interface=file.interface,
                direction=FileDirection.OUT,
                path=str(path),
                record_count=file.records,
                total_amount=file.dollars,
                control_totals={**file.totals, **extra},
                control_number=control,
            )
        )
        job.counts["files"] += 1


def ebt_file(
    session: Session, job: StepJob, cards: list[tuple[SupportDisbursement, str, str]], sequence: int | None
) -> tuple[BenefitFile, dict[str, Any], str | None]:
    """The CCSES EBT authorization file: CASH purse credits to the custodial parties' cards."""
    hold_numbering(session, "ccses_ebt_authorization")
    highest = session.scalar(
        select(func.max(SupportDisbursement.reference)).where(
            SupportDisbursement.method == PaymentMethod.EBT, SupportDisbursement.reference != ""
        )
    )
    counter = max(int(highest) if highest else 0, AUTHORIZATION_FIRST - 1)
    bd = job.business_date
    authorizations = []
    for d, _support_number, ems_case in cards:
        if not d.reference:
            counter += 1
            d.reference = ebt.authorization_number(counter)
        authorizations.append(
            ebt.Authorization(
                d.reference,
                ems_case,
                d.payee_client_number,
                d.payee_name,
                "CASH",
                PROGRAM,
                month_start(bd),
                d.amount,
                bd,
                ebt.IssuanceType.REGULAR,
            )
        )
    session.flush()
    number = int(sequence) if sequence else next_sequence(session, job.run_id)
    file = ebt.build(authorizations, bd, number, job.run_id, SENDER)
    return replace(file, name=EBT_FILE.format(date=bd), interface=EBT_INTERFACE), {"sequence": number}, f"{number:06d}"


def ach_file(
    session: Session,
    job: StepJob,
    deposits: list[tuple[SupportDisbursement, str]],
    checks: list[tuple[SupportDisbursement, str]],
    first_trace: int | None,
) -> tuple[tuple[BenefitFile, dict[str, Any], str | None], list[SupportDisbursement]]:
    """The CCSES direct-deposit file: a PPD credit per payment to the custodial party's account,
    trace numbers from the State's one ACH sequence (kept on a rerun: `first_trace`). A payment
    whose payee has no account now goes to `checks` instead (its method made CHECK)."""
    bd = job.business_date
    payees = custodial_parties(session, sorted({d.support_case_id for d, _ in deposits}))
    credits: list[nacha.Credit] = []
    paid: list[SupportDisbursement] = []
    effective = nacha.banking_day(bd, holidays(session, bd))
    for d, support_number in deposits:
        payee = payees.get(d.support_case_id)
        if payee is None or not (payee.bank_routing and payee.bank_account):
            d.method = PaymentMethod.CHECK
            d.reference = ""
            checks.append((d, support_number))
            job.counts["dd_paid_by_check"] += 1
            continue
        credits.append(
            nacha.Credit(
                support_number,
                plain(d.payee_name),
                payee.bank_routing,
                payee.bank_account,
                AccountType.CHECKING,
                int(d.amount * 100),
                effective,
                d.id,
            )
        )
        paid.append(d)
    checks.sort(key=lambda pair: (pair[1], pair[0].seq))
    if job.counts["dd_paid_by_check"]:
        job.warn(f"{job.counts['dd_paid_by_check']} direct deposits went by check: the payee has no account now")
    earlier = session.scalar(
        select(func.count(InterfaceFile.id))
        .join(BatchRun, BatchRun.id == InterfaceFile.run_id)
        .where(
            BatchRun.business_date == bd,
            InterfaceFile.run_id != job.run_id,
            InterfaceFile.interface.in_(nacha.INTERFACES),
            InterfaceFile.direction == FileDirection.OUT,
        )
    )
    first = int(first_trace) if first_trace else next_trace(session, job.run_id)
    modifier = nacha.file_id_modifier(earlier or 0)
    built = nacha.build_ach(
        originator(session, bd),
        credits,
        # the business date at midnight, as EMS's ACH file: a rerun writes the same bytes
        dt.datetime.combine(bd, dt.time(0)),
        modifier,
        f"{job.run_id:08d}",
        first_trace=first,
    )
    for d in paid:
        d.reference = built.traces[d.id]
    session.flush()
    dollars = Decimal(built.credit_cents) / 100
    totals: dict[str, Any] = {"CASH": {"records": built.entries, "dollars": f"{dollars:.2f}"}}
    file = BenefitFile(
        ACH_FILE.format(date=bd), ACH_INTERFACE, built.text.encode("ascii"), built.entries, dollars, totals
    )
    extra = {"first_trace": first, "last_trace": first + built.entries - 1}
    return (file, extra, f"{bd:%y%m%d}{modifier}"), paid


def next_sequence(session: Session, run_id: int) -> int:
    """The next CCSES EBT file's sequence: one more than the highest another run's file has."""
    totals = session.scalars(
        select(InterfaceFile.control_totals).where(
            InterfaceFile.interface == EBT_INTERFACE,
            InterfaceFile.direction == FileDirection.OUT,
            InterfaceFile.run_id != run_id,
        )
    )
    return 1 + max((int((t or {}).get("sequence", 0)) for t in totals), default=0)


def check_register(
    session: Session, job: StepJob, checks: list[tuple[SupportDisbursement, str]]
) -> tuple[BenefitFile, dict[str, Any], str | None]:
    """The CCSES check register: a check per payment, numbered from CCSES's check stock."""
    bd = job.business_date
    hold_numbering(session, "ccses_check_number")
    first = int(admin_parameter(session, "CCSES_CHECK_NUMBER_FIRST", bd))
    last = int(admin_parameter(session, "CCSES_CHECK_NUMBER_LAST", bd))
    highest = session.scalar(
        select(func.max(SupportDisbursement.reference)).where(
            SupportDisbursement.method == PaymentMethod.CHECK,
            SupportDisbursement.reference.between(f"{first:09d}", f"{last:09d}"),
        )
    )
    following = int(highest) + 1 if highest else first
    register = []
    for d, support_number in checks:
        if not d.reference:
            if following > last:
                raise CheckStockExhausted(
                    f"CCSES check stock exhausted: number {following:09d} is past CCSES_CHECK_NUMBER_LAST"
                    f" {last:09d}; load a new range and start the stream again"
                )
            d.reference = f"{following:09d}"
            following += 1
        register.append(
            Benefit(
                support_number,
                d.payee_name,
                PROGRAM,
                "CASH",
                month_start(bd),
                d.amount,
                bd,
                IssuanceKind.REGULAR,
                d.reference,
            )
        )
    session.flush()
    file = build(PaymentMethod.CHECK, register, bd, job.run_id)
    return replace(file, name=CHECK_FILE.format(date=bd), interface=CHECK_INTERFACE), {}, None
