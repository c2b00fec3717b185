"""Bank account changes a bank asked for (ACH notifications of change), reviewed by a worker:
applying one ends the account the day before and adds the corrected account from that day;
rejecting it leaves the account as it was.

The corrected data (addenda positions 36-64) by change code, as NACHA lays it out:
C01 the account number; C02 the routing number; C03 the routing number (1-9) and the account
number (13-29); C05 the transaction code (22/32); C06 the account number (1-17) and the
transaction code (21-22); C07 the routing number (1-9), the account number (10-26) and the
transaction code (27-28).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AccountChange, AccountType, BankAccount, PendingChangeStatus
from emsterm.model.numbers import valid_account_number, valid_routing_number

ACCOUNT_TYPE_OF_CODE = {"22": AccountType.CHECKING, "32": AccountType.SAVINGS}
"""A corrected transaction code -> the account type it means."""


class AccountChangeError(ValueError):
    """The change cannot be decided; the message says why."""


def pending_changes(session: Session) -> list[tuple[AccountChange, BankAccount]]:
    """The changes waiting for review, oldest first, with their accounts."""
    return [
        (change, account)
        for change, account in session.execute(
            select(AccountChange, BankAccount)
            .join(BankAccount, BankAccount.id == AccountChange.bank_account_id)
            .where(AccountChange.status == PendingChangeStatus.PENDING)
            .order_by(AccountChange.received_on, AccountChange.id)
        )
    ]


def corrected(change: AccountChange, account: BankAccount) -> tuple[str, str, AccountType]:
    """(routing, account number, account type) after the change."""
    data = change.corrected_data.ljust(29)
    routing, number, kind = account.routing_number, account.account_number, account.account_type
    code = change.change_code
    if code == "C01":
        number = data[:17].strip()
    elif code == "C02":
        routing = data[:9].strip()
    elif code == "C03":
        routing, number = data[:9].strip(), data[12:29].strip()
    elif code == "C05":
        kind = _kind(data[:2])
    elif code == "C06":
        number, kind = data[:17].strip(), _kind(data[20:22])
    elif code == "C07":
        routing, number, kind = data[:9].strip(), data[9:26].strip(), _kind(data[26:28])
    else:
        raise AccountChangeError(f"change code {code} does not change an account: reject it")
    if not valid_routing_number(routing):
        raise AccountChangeError(f"the corrected routing number {routing!r} fails the ABA check digit: reject it")
    if not valid_account_number(number):
        raise AccountChangeError(f"the corrected account number {number!r} is not 1-17 letters and digits")
    return routing, number, kind


def _kind(code: str) -> AccountType:
    if code not in ACCOUNT_TYPE_OF_CODE:
        raise AccountChangeError(f"corrected transaction code {code!r} is neither 22 nor 32")
    return ACCOUNT_TYPE_OF_CODE[code]


def decide_change(session: Session, change_id: int, *, apply: bool, user_id: str, on: dt.date) -> BankAccount | None:
    """Apply (a new account row from `on`, the old one ended the day before) or reject a
    pending change; the new account when applied."""
    change = session.get(AccountChange, change_id)
    if change is None:
        raise AccountChangeError(f"no account change {change_id}")
    if change.status != PendingChangeStatus.PENDING:
        raise AccountChangeError(f"account change {change_id} was decided already ({change.status})")
    account = session.get(BankAccount, change.bank_account_id)
    assert account is not None  # the parent segment
    change.decided_by = user_id[:8]
    change.decided_on = on
    if not apply:
        change.status = PendingChangeStatus.REJECTED
        return None
    routing, number, kind = corrected(change, account)
    account.effective_to = max(account.effective_from, on - dt.timedelta(days=1))
    new = BankAccount(
        client_id=account.client_id,
        seq=BankAccount.next_seq(session, account.client_id),
        routing_number=routing,
        account_number=number,
        account_type=kind,
        effective_from=on,
    )
    session.add(new)
    change.status = PendingChangeStatus.APPROVED
    session.flush()
    return new
