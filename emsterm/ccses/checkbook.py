"""The checkbook of a support case: its ledger read as a worker reads it, each entry in order
with the running balances (what the parent owes, what is held, what awaits the family), and
the distribution of one collection. For the checkbook screen and `ems ccses ledger`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.distribution import OWED_ACCOUNTS, ZERO
from emsterm.model import (
    Destination,
    LedgerAccount,
    LedgerEntryType,
    SupportCase,
    SupportLedgerEntry,
    SupportPayment,
)

A = LedgerAccount
BUCKET_WORDS = {
    A.OWED_CURRENT: "CURRENT",
    A.OWED_MEDICAL: "MEDICAL",
    A.OWED_FAMILY_ARREARS: "FAMILY ARR",
    A.OWED_ASSIGNED_ARREARS: "STATE ARR",
}
"""How a bucket of what is owed is named on the checkbook."""


@dataclass(frozen=True)
class Line:
    """One ledger entry with the balances after it."""

    seq: int
    date: dt.date
    entry: str
    amount: Decimal
    detail: str
    owed: Decimal
    held: Decimal
    awaiting: Decimal
    receipt: str


@dataclass
class Checkbook:
    """A case's ledger lines and its totals."""

    lines: list[Line] = field(default_factory=list)
    totals: dict[str, Decimal] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """For JSON: amounts as strings."""
        return {
            "lines": [
                {
                    "seq": x.seq,
                    "date": x.date.isoformat(),
                    "entry": x.entry,
                    "amount": f"{x.amount:.2f}",
                    "detail": x.detail,
                    "owed": f"{x.owed:.2f}",
                    "held": f"{x.held:.2f}",
                    "awaiting": f"{x.awaiting:.2f}",
                    "receipt": x.receipt,
                }
                for x in self.lines
            ],
            "totals": {k: f"{v:.2f}" for k, v in self.totals.items()},
        }


def _detail(e: SupportLedgerEntry) -> str:
    side = "" if e.destination is None else (" TO FAMILY" if e.destination == Destination.FAMILY else " TO STATE")
    match e.entry_type:
        case LedgerEntryType.CHARGE:
            return f"ORDER {e.order_no} {BUCKET_WORDS[e.debit]}"
        case LedgerEntryType.OPENING:
            return f"BROUGHT FORWARD {BUCKET_WORDS[e.debit]}"
        case LedgerEntryType.ARREARS:
            return f"UNPAID {BUCKET_WORDS[e.credit]} TO {BUCKET_WORDS[e.debit]}"
        case LedgerEntryType.DISTRIBUTION:
            return f"{BUCKET_WORDS[e.credit]}{side}"
        case LedgerEntryType.REVERSAL:
            return f"REVERSES {e.reverses_seq}"
        case LedgerEntryType.RETENTION:
            return "TFA REIMBURSEMENT"
        case LedgerEntryType.FEE:
            return "ANNUAL FEE"
        case _:
            return ""


def checkbook(session: Session, case: SupportCase) -> Checkbook:
    """The case's checkbook."""
    receipts = dict(
        session.execute(
            select(SupportPayment.id, SupportPayment.receipt_number).where(SupportPayment.support_case_id == case.id)
        ).all()
    )
    balance: dict[LedgerAccount, Decimal] = defaultdict(lambda: ZERO)
    book = Checkbook()
    for e in session.scalars(
        select(SupportLedgerEntry).where(SupportLedgerEntry.support_case_id == case.id).order_by(SupportLedgerEntry.seq)
    ):
        balance[e.debit] += e.amount
        balance[e.credit] -= e.amount
        book.lines.append(
            Line(
                e.seq,
                e.effective_date,
                e.entry_type.name.replace("_", " "),
                e.amount,
                _detail(e),
                sum((balance[b] for b in OWED_ACCOUNTS), ZERO),
                -balance[A.UNDISTRIBUTED],
                balance[A.CASH] + balance[A.UNDISTRIBUTED],
                receipts.get(e.payment_id or 0, ""),
            )
        )
    family = balance[A.DISBURSED] + balance[A.FEE] + balance[A.CASH] + balance[A.UNDISTRIBUTED]
    book.totals = {
        "charged": -balance[A.OBLIGATION],
        "collected": balance[A.CASH] + balance[A.STATE_RETAINED] + balance[A.FEE] + balance[A.DISBURSED],
        "family": family,
        "retained": balance[A.STATE_RETAINED],
        "fee": balance[A.FEE],
        "disbursed": balance[A.DISBURSED],
        "held": -balance[A.UNDISTRIBUTED],
        "owed": sum((balance[b] for b in OWED_ACCOUNTS), ZERO),
        **{BUCKET_WORDS[b].lower().replace(" ", "_"): balance[b] for b in OWED_ACCOUNTS},
    }
    return book


def distribution_of(session: Session, payment: SupportPayment) -> list[Line]:
    """The checkbook lines of one collection: its receipt, each share, retention, fee, reversal."""
    case = session.get(SupportCase, payment.support_case_id)
    assert case is not None
    return [line for line in checkbook(session, case).lines if line.receipt == payment.receipt_number]
