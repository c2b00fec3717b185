"""A client's bank accounts for direct deposit: opening one (which ends the one in force
before it), ending one, and how an account number is shown to a user.

Direct deposits go to the head of household's account in force on the availability date
(`cycles.issue`). Routing numbers are checked by their ABA check digit before they are stored
(`model.numbers.valid_routing_number`). Account numbers are shown in full only to the roles of
the administrative parameter ACCOUNT_NUMBER_ROLES; everyone else sees the last four digits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AccountType, AuditAction, BankAccount, Client
from emsterm.model.numbers import valid_account_number, valid_routing_number
from emsterm.services import audit
from emsterm.services.parameters import admin_parameter

SEGMENT = "BANKACCT"
"""The segment name on audit entries."""


class AccountRefused(ValueError):
    """An account change that cannot be made; the message says why."""


def masked(number: str) -> str:
    """An account number with all but its last four characters hidden."""
    return "*" * max(0, len(number) - 4) + number[-4:]


def shows_full_number(session: Session, roles: Iterable[str], on: dt.date) -> bool:
    """Whether a user with these roles sees whole account numbers."""
    allowed = set(admin_parameter(session, "ACCOUNT_NUMBER_ROLES", on).split())
    return bool(allowed & set(roles))


def accounts_of(session: Session, client: Client) -> list[BankAccount]:
    """The client's accounts, oldest first."""
    return list(
        session.scalars(select(BankAccount).where(BankAccount.client_id == client.id).order_by(BankAccount.seq))
    )


def open_account(
    session: Session, client: Client, routing: str, number: str, kind: AccountType, start: dt.date
) -> BankAccount:
    """Open an account from `start`; the account in force the day before ends then. Refused
    (AccountRefused) for a routing number failing its check digit, a bad account number, or an
    account that already begins on or after `start`."""
    if not valid_routing_number(routing):
        raise AccountRefused(f"routing number {routing} fails the ABA check digit")
    if not valid_account_number(number):
        raise AccountRefused("the account number must be 1 to 17 letters and digits")
    existing = accounts_of(session, client)
    if any(a.effective_from >= start for a in existing):
        raise AccountRefused(f"an account already begins on or after {start:%m/%d/%Y}")
    for account in existing:
        if account.effective_to is None or account.effective_to >= start:
            _end(session, client, account, start - dt.timedelta(days=1))
    account = BankAccount(
        client_id=client.id,
        seq=BankAccount.next_seq(session, client.id),
        routing_number=routing,
        account_number=number,
        account_type=kind,
        effective_from=start,
    )
    session.add(account)
    session.flush()
    audit.record(
        session,
        AuditAction.INSERT,
        SEGMENT,
        f"{client.client_number}:{account.seq}",
        after={"routing": routing, "account": masked(number), "type": kind, "from": start.isoformat()},
    )
    return account


def end_account(session: Session, client: Client, account: BankAccount, last_day: dt.date) -> None:
    """End an account on its last day (not before it began; an ended account stays ended)."""
    if account.effective_to is not None and account.effective_to <= last_day:
        raise AccountRefused(f"account {account.seq} already ended {account.effective_to:%m/%d/%Y}")
    if last_day < account.effective_from:
        raise AccountRefused(f"account {account.seq} began {account.effective_from:%m/%d/%Y}")
    _end(session, client, account, last_day)


def _end(session: Session, client: Client, account: BankAccount, last_day: dt.date) -> None:
    before = None if account.effective_to is None else account.effective_to.isoformat()
    account.effective_to = last_day
    audit.record(
        session,
        AuditAction.REPLACE,
        SEGMENT,
        f"{client.client_number}:{account.seq}",
        before={"to": before},
        after={"to": last_day.isoformat()},
    )
