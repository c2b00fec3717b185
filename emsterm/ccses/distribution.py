"""Distribution of a child support collection (pure: no database): what it pays, in what order,
and whose each part is.

The rules, 42 USC 657 and 45 CFR 302.51 with Connecticut's pass-through:

- **Current support first** (45 CFR 302.51(a)): what is owed this month under the order, current
  support then medical support; then arrears.
- **Arrears by the kind of case** (42 USC 657(a)):
  - current assistance (TFA now): arrears assigned to the state, then the family's
    (657(a)(1): the state keeps, as reimbursement of assistance paid);
  - former assistance: the family's arrears before the state's (657(a)(2)(B), "family first");
  - never assistance and Medicaid only: the family's (657(a)(3)), then any assigned.
- **Federal tax refund offsets** pay arrears only, assigned arrears first (42 USC
  657(a)(2)(B)(iv), 664(a); 45 CFR 303.72(h)).
- **Whose it is**: current and medical support of a current-assistance case is the state's
  (assigned, 42 USC 608(a)(3)) except the pass-through: up to PASS_THROUGH_LIMIT of current
  support a month goes to the family (CGS 17b-112(d)), and EMS disregards it in the TFA budget.
  On every other case current support is the family's. Family arrears are the family's,
  assigned arrears the state's.
- **More than is owed** is held (undistributed) for the next charge.

The never-assistance annual fee (`annual_fee`) is kept from the family's share once the year's
collections for the family reach the threshold (42 USC 654(6)(B)(ii)).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from emsterm.model.codes import Destination, LedgerAccount, PaymentSource, SupportCaseType

ZERO = Decimal("0.00")

CURRENT_BUCKETS = (LedgerAccount.OWED_CURRENT, LedgerAccount.OWED_MEDICAL)
"""What is owed this month, in the order it is paid."""
ARREARS_ORDER = {
    SupportCaseType.CURRENT_ASSISTANCE: (LedgerAccount.OWED_ASSIGNED_ARREARS, LedgerAccount.OWED_FAMILY_ARREARS),
    SupportCaseType.FORMER_ASSISTANCE: (LedgerAccount.OWED_FAMILY_ARREARS, LedgerAccount.OWED_ASSIGNED_ARREARS),
    SupportCaseType.NEVER_ASSISTANCE: (LedgerAccount.OWED_FAMILY_ARREARS, LedgerAccount.OWED_ASSIGNED_ARREARS),
    SupportCaseType.MEDICAID_ONLY: (LedgerAccount.OWED_FAMILY_ARREARS, LedgerAccount.OWED_ASSIGNED_ARREARS),
}
"""The arrears a collection pays after current support, by the kind of case (42 USC 657(a))."""
TAX_OFFSET_ORDER = (LedgerAccount.OWED_ASSIGNED_ARREARS, LedgerAccount.OWED_FAMILY_ARREARS)
"""A federal tax refund offset pays arrears only, the state's first (42 USC 657(a)(2)(B)(iv))."""
OWED_ACCOUNTS = (*CURRENT_BUCKETS, LedgerAccount.OWED_FAMILY_ARREARS, LedgerAccount.OWED_ASSIGNED_ARREARS)
"""Every account of what the non-custodial parent owes."""


@dataclass(frozen=True)
class Share:
    """Part of a collection applied to one bucket of what is owed, and whose it is."""

    bucket: LedgerAccount
    destination: Destination
    amount: Decimal


@dataclass(frozen=True)
class Distribution:
    """How one collection is distributed: its shares, in order, and what is held."""

    shares: tuple[Share, ...]
    held: Decimal

    def to(self, destination: Destination) -> Decimal:
        """What the shares give the family, or the state."""
        return sum((s.amount for s in self.shares if s.destination == destination), ZERO)


def order_of_payment(case_type: SupportCaseType, source: PaymentSource) -> tuple[LedgerAccount, ...]:
    """The buckets a collection pays, in order."""
    if source == PaymentSource.TAX_OFFSET:
        return TAX_OFFSET_ORDER
    return (*CURRENT_BUCKETS, *ARREARS_ORDER[case_type])


def distribute(
    amount: Decimal,
    source: PaymentSource,
    case_type: SupportCaseType,
    owed: dict[LedgerAccount, Decimal],
    pass_through_room: Decimal,
) -> Distribution:
    """Distribute `amount` over what is `owed` (by bucket) on a case of `case_type`;
    `pass_through_room` is what may still be passed through to a TFA family this month."""
    left = amount
    room = pass_through_room
    shares: list[Share] = []
    for bucket in order_of_payment(case_type, source):
        paid = min(left, max(owed.get(bucket, ZERO), ZERO))
        if paid <= ZERO:
            continue
        left -= paid
        for destination, part in _whose(bucket, case_type, paid, room):
            if bucket == LedgerAccount.OWED_CURRENT and destination == Destination.FAMILY and _assigned(case_type):
                room -= part
            shares.append(Share(bucket, destination, part))
        if left <= ZERO:
            break
    return Distribution(tuple(shares), left)


def _assigned(case_type: SupportCaseType) -> bool:
    return case_type == SupportCaseType.CURRENT_ASSISTANCE


def _whose(
    bucket: LedgerAccount, case_type: SupportCaseType, paid: Decimal, room: Decimal
) -> list[tuple[Destination, Decimal]]:
    """Split what a bucket got between family and state."""
    if bucket == LedgerAccount.OWED_ASSIGNED_ARREARS:
        return [(Destination.STATE, paid)]
    if bucket == LedgerAccount.OWED_FAMILY_ARREARS or not _assigned(case_type):
        return [(Destination.FAMILY, paid)]
    passed = min(paid, room) if bucket == LedgerAccount.OWED_CURRENT else ZERO
    parts = [(Destination.FAMILY, passed), (Destination.STATE, paid - passed)]
    return [(d, a) for d, a in parts if a > ZERO]


def annual_fee(
    family_share: Decimal,
    collected_this_year: Decimal,
    fee_kept_this_year: Decimal,
    fee: Decimal,
    threshold: Decimal,
) -> Decimal:
    """What of a never-assistance family's share is kept as the annual fee: once the year's
    collections for the family (before this share, `collected_this_year`) reach `threshold`
    with this share, the fee not yet kept this year, as far as the share goes."""
    if collected_this_year + family_share < threshold:
        return ZERO
    return max(min(fee - fee_kept_this_year, family_share), ZERO)


def fee_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """The federal fiscal year holding `day` (October 1 to September 30): the annual fee's year."""
    start = dt.date(day.year if day.month >= 10 else day.year - 1, 10, 1)
    return start, dt.date(start.year + 1, 9, 30)
