"""The banks' ACH returns files (NACHA return entries and notifications of change), read by the
RETURNS step (`emsterm.cycles.returns`).

A return names our entry by its original trace number (`issuance.trace_number`): the issuance
is marked returned (status T), the next issuance run pays it by check once (a replacement that
names it), and the case's worker is alerted (ACHR). R02 account closed, R03 no account, R04
invalid account number, R12 account sold, R14/R15 holder deceased, R16 frozen, R20
non-transaction account end the account the credit went to (from the business date), so later
benefits go by check (with a DDAC alert) until the worker enters a new one. A notification of
change is stored as a pending account change (ACCTCHG) with an ACHC alert: the worker reviews
it (`ems interfaces account-changes`), it is never applied unseen. A file that fails its
controls is refused whole; a file read before is skipped; an entry whose trace is not ours is
a warning.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from emsterm.cycles.inbox import incoming, log_files
from emsterm.cycles.issue import raise_alert
from emsterm.cycles.job import StepJob
from emsterm.interfaces import nacha_returns
from emsterm.model import (
    AccountChange,
    AlertType,
    BankAccount,
    Issuance,
    IssuanceKind,
    IssuanceStatus,
    Member,
    PaymentMethod,
    PendingChangeStatus,
    UnitRole,
)

RECEIVE_NAME = "ach-return"
"""The name `ems interfaces receive` gives this file."""
ENDS_ACCOUNT = frozenset({"R02", "R03", "R04", "R12", "R14", "R15", "R16", "R20"})
"""Return reasons that mean the account cannot take deposits any more."""
REASONS = {
    "R01": "INSUFFICIENT FUNDS",
    "R02": "ACCOUNT CLOSED",
    "R03": "NO ACCOUNT",
    "R04": "INVALID ACCOUNT NUMBER",
}
"""How the alert names the common return reasons (others by their code)."""


def receive(session: Session, job: StepJob) -> None:
    """Read, check and apply each incoming returns file."""
    files = incoming(session, job, nacha_returns.INTERFACE, nacha_returns.PATTERN, RECEIVE_NAME)
    for received in files:
        if received.read_by_run is not None:
            continue
        try:
            parsed = nacha_returns.parse(received.data)
        except nacha_returns.ReturnFileError as err:
            received.problem = str(err)
            job.warn(f"{received.path.name} refused: {err}")
            continue
        received.records = len(parsed.entries)
        received.dollars = Decimal(parsed.returned_cents) / 100
        received.totals = {"returns": len(parsed.returns), "changes": len(parsed.changes)}
        for entry in parsed.entries:
            issuance = session.scalars(
                select(Issuance).where(
                    Issuance.trace_number == entry.original_trace,
                    Issuance.method == PaymentMethod.DIRECT_DEPOSIT,
                )
            ).first()
            if issuance is None:
                job.warn(f"{received.path.name}: trace {entry.original_trace} is no direct deposit of ours")
                job.counts["unmatched"] += 1
                continue
            if entry.is_change:
                _change(session, job, entry, issuance)
            else:
                _return(session, job, entry, issuance)
    log_files(session, job, nacha_returns.INTERFACE, files)


def _account(session: Session, entry: nacha_returns.Returned, issuance: Issuance) -> BankAccount | None:
    """The head's account the credit went to (same bank and account number)."""
    return session.scalars(
        select(BankAccount)
        .join(Member, and_(Member.client_id == BankAccount.client_id, Member.role == UnitRole.HEAD))
        .where(
            Member.case_id == issuance.case_id,
            BankAccount.account_number == entry.account,
            BankAccount.routing_number.startswith(entry.dfi),
        )
        .order_by(BankAccount.seq.desc())
    ).first()


def _return(session: Session, job: StepJob, entry: nacha_returns.Returned, issuance: Issuance) -> None:
    """A returned credit: the issuance returned, the account ended when it is gone, the worker told."""
    if issuance.status != IssuanceStatus.ISSUED:
        job.counts["already_returned"] += 1
        return
    issuance.status = IssuanceStatus.RETURNED
    job.counts[f"returned:{entry.return_code}"] += 1
    job.counts["returned_cents"] += entry.cents
    reason = REASONS.get(entry.return_code, entry.return_code)
    what = f"DD {issuance.program_code} {issuance.benefit_month:%m/%Y} {issuance.amount:.2f} {entry.return_code}"
    ended = ""
    if entry.return_code in ENDS_ACCOUNT:
        account = _account(session, entry, issuance)
        if account is not None and (account.effective_to is None or account.effective_to >= job.business_date):
            account.effective_to = max(account.effective_from, job.business_date - dt.timedelta(days=1))
            job.counts["accounts_ended"] += 1
            ended = " ACCT ENDED"
    again = "ISSUE BY HAND" if issuance.kind == IssuanceKind.REPLACEMENT else "CHECK NEXT RUN"
    text = f"{what} {reason}{ended} - {again}"
    raise_alert(session, job, issuance.case_id, AlertType.ACH_RETURNED, text, "PAYMENT_RETURN_ALERT_DAYS")


def _change(session: Session, job: StepJob, entry: nacha_returns.Returned, issuance: Issuance) -> None:
    """A notification of change: kept for review, the worker told."""
    account = _account(session, entry, issuance)
    if account is None:
        job.warn(f"NOC {entry.change_code} for trace {entry.original_trace}: the account is no longer on file")
        job.counts["unmatched"] += 1
        return
    known = session.scalars(
        select(AccountChange).where(
            AccountChange.bank_account_id == account.id, AccountChange.original_trace == entry.original_trace
        )
    ).first()
    if known is not None:
        job.counts["change_known"] += 1
        return
    session.add(
        AccountChange(
            bank_account_id=account.id,
            seq=AccountChange.next_seq(session, account.id),
            change_code=entry.change_code,
            corrected_data=entry.corrected_data[:29],
            original_trace=entry.original_trace,
            received_on=job.business_date,
            status=PendingChangeStatus.PENDING,
        )
    )
    session.flush()
    job.counts[f"change:{entry.change_code}"] += 1
    text = f"BANK ACCOUNT CHANGE {entry.change_code} FROM THE BANK - REVIEW IT"
    raise_alert(session, job, issuance.case_id, AlertType.ACCOUNT_CHANGE, text, "ACCOUNT_CHANGE_ALERT_DAYS")
