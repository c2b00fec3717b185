"""A month of child support collections for the seeded caseload, as the payment processing unit
would send them (`emsterm.interfaces.ccses_collections`), for demos, drills and the benchmark.

Each open case in enforcement with a current support order pays in most months: by income
withholding one payment per due date of the month (the employer remits each payday), else
directly once a month, sometimes less than is due, sometimes more; a few pay by unemployment
withholding, and in February to April a federal tax refund offset comes in for some of the
cases owing arrears. About one collection in two hundred names a case that is not one (a typo on
the payer's coupon) and goes to suspense. The same seed and month give the same file.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.obligations import schedule
from emsterm.interfaces.ccses_collections import Collection
from emsterm.model import (
    LedgerAccount,
    OrderType,
    PaymentSource,
    SupportCase,
    SupportLedgerEntry,
    SupportOrder,
    SupportParty,
    SupportRole,
    SupportStatus,
)

PAYING_SHARE = 0.8
"""How many cases in enforcement pay something in a month."""
WAGE_SHARE = 0.65
"""Of those, how many pay by income withholding."""


def _month_end(month: dt.date) -> dt.date:
    nxt = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def month_of_collections(session: Session, month: dt.date, seed: int = 1) -> list[Collection]:
    """The collections received in `month` (its first day) for the database's support cases."""
    rng = random.Random(f"emsterm-collections-{seed}-{month:%Y%m}")
    first, last = month.replace(day=1), _month_end(month)
    cases = list(
        session.execute(
            select(SupportCase.id, SupportCase.support_number)
            .where(SupportCase.status == SupportStatus.ENFORCEMENT)
            .order_by(SupportCase.id)
        )
    )
    ids = [cid for cid, _ in cases]
    orders: dict[int, list[SupportOrder]] = defaultdict(list)
    ssns: dict[int, str] = {}
    arrears: set[int] = set()
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        for order in session.scalars(select(SupportOrder).where(SupportOrder.support_case_id.in_(chunk))):
            orders[order.support_case_id].append(order)
        for cid, ssn in session.execute(
            select(SupportParty.support_case_id, SupportParty.ssn).where(
                SupportParty.support_case_id.in_(chunk),
                SupportParty.role == SupportRole.NON_CUSTODIAL,
                SupportParty.end_date.is_(None),
            )
        ):
            ssns[cid] = ssn or ""
        arrears.update(
            session.scalars(
                select(SupportLedgerEntry.support_case_id).where(
                    SupportLedgerEntry.support_case_id.in_(chunk),
                    SupportLedgerEntry.debit.in_(
                        [LedgerAccount.OWED_FAMILY_ARREARS, LedgerAccount.OWED_ASSIGNED_ARREARS]
                    ),
                )
            )
        )
    out: list[Collection] = []
    for cid, number in cases:
        due = [o for o in schedule(orders.get(cid, []), first, last) if o.order_type == OrderType.CURRENT_SUPPORT]
        ssn = ssns.get(cid, "")
        if due and rng.random() < PAYING_SHARE:
            if rng.random() < WAGE_SHARE:
                source = PaymentSource.UNEMPLOYMENT if rng.random() < 0.05 else PaymentSource.WAGE
                for o in due:
                    part = o.amount if rng.random() < 0.85 else (o.amount * Decimal(rng.randrange(40, 100)) / 100)
                    out.append(
                        _collection(rng, number, ssn, part, min(o.due_date + dt.timedelta(days=3), last), source)
                    )
            else:
                total = sum((o.amount for o in due), Decimal("0"))
                part = total * Decimal(rng.choice((50, 75, 100, 100, 100, 120))) / 100
                day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
                out.append(_collection(rng, number, ssn, part, day, PaymentSource.DIRECT))
        if cid in arrears and month.month in (2, 3, 4) and rng.random() < 0.15:
            offset = Decimal(rng.randrange(150, 2500))
            out.append(
                _collection(
                    rng, number, ssn, offset, first + dt.timedelta(days=rng.randrange(20)), PaymentSource.TAX_OFFSET
                )
            )
    return out


def _collection(
    rng: random.Random, number: str, ssn: str, amount: Decimal, received: dt.date, source: PaymentSource
) -> Collection:
    amount = amount.quantize(Decimal("0.01"))
    if rng.random() < 0.005:
        return Collection(f"{rng.randrange(10**9, 10**10)}", "", amount, received, source)
    return Collection(number, ssn, amount, received, source)
