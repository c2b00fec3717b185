"""A support case's ledger: append-only double entries, their balances, and what must reconcile.

Each entry (`SupportLedgerEntry`) debits one account and credits another by the same amount.
A balance is debits less credits, so the accounts of what the parent owes and of cash have
debit balances, and OBLIGATION and UNDISTRIBUTED credit balances:

    OPENING       Dr OWED_ASSIGNED / FAMILY_ARR.   Cr OBLIGATION       arrears brought forward (the
                                                                       orders charged from `ledger_start`)
    CHARGE        Dr OWED_CURRENT / OWED_MEDICAL   Cr OBLIGATION       an order falls due
    ARREARS       Dr OWED_ASSIGNED / FAMILY_ARR.   Cr OWED_CURRENT/MED a month ends unpaid
    RECEIPT       Dr CASH                          Cr UNDISTRIBUTED    a collection arrives
    DISTRIBUTION  Dr UNDISTRIBUTED                 Cr OWED_...         it pays a bucket (whose: destination)
    RETENTION     Dr STATE_RETAINED                Cr CASH             the state's share kept
    FEE           Dr FEE                           Cr CASH             the annual fee kept
    DISBURSEMENT  Dr DISBURSED                     Cr CASH             the family's share paid out
    REVERSAL      the entry it reverses with the sides swapped

So CASH less UNDISTRIBUTED is the family's money not yet paid out (below zero when a collection
was reversed after its family share went out: the family owes it back, and later shares net it).
Unpaid current support of a month becomes arrears when the next month is first charged:
assigned to the state on a current-assistance case (42 USC 608(a)(3)), the family's otherwise.

`CaseBook` holds one case's balances while entries are added (charges, a collection's
distribution, held money applied, a reversal), so each step sees what the one before did;
`load_books` reads many at once for batch and `write_entries` inserts them set-based.
`reconcile` checks every ledger against the orders, the payments and the disbursements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from emsterm.ccses import distribution
from emsterm.ccses.distribution import ZERO, Distribution
from emsterm.ccses.obligations import schedule
from emsterm.database.bulk import bulk_insert
from emsterm.model import (
    Destination,
    LedgerAccount,
    LedgerEntryType,
    OrderType,
    PaymentSource,
    PaymentStatus,
    SupportCase,
    SupportCaseType,
    SupportDisbursement,
    SupportLedgerEntry,
    SupportOrder,
    SupportPayment,
)
from emsterm.model.base import current_actor, table_of, utcnow

A = LedgerAccount
T = LedgerEntryType

CHARGED_TO = {OrderType.CURRENT_SUPPORT: A.OWED_CURRENT, OrderType.MEDICAL_SUPPORT: A.OWED_MEDICAL}
"""The account an order type's obligations are charged to. An arrears order (a schedule for
paying arrears already owed) charges nothing."""
ARREARS_ACCOUNT = {SupportCaseType.CURRENT_ASSISTANCE: A.OWED_ASSIGNED_ARREARS}
"""Where a month's unpaid current support goes by the kind of case (else OWED_FAMILY_ARREARS)."""


def month_start(day: dt.date) -> dt.date:
    """The first of `day`'s month."""
    return day.replace(day=1)


@dataclass
class Entry:
    """A ledger entry to be written."""

    entry_type: LedgerEntryType
    debit: LedgerAccount
    credit: LedgerAccount
    amount: Decimal
    effective_date: dt.date
    destination: Destination | None = None
    payment_id: int | None = None
    order_no: int | None = None
    disbursement_id: int | None = None
    reverses_seq: int | None = None
    seq: int = 0


@dataclass
class CaseBook:
    """One support case's ledger as it stands, and the entries added since it was read."""

    case_id: int
    case_type: SupportCaseType
    ems_case_number: str | None
    charged_through: dt.date | None
    last_seq: int
    ledger_start: dt.date | None = None
    balances: dict[LedgerAccount, Decimal] = field(default_factory=lambda: defaultdict(lambda: ZERO))
    new: list[Entry] = field(default_factory=list)

    def add(self, entry: Entry) -> Entry:
        """Add an entry (numbered after the last) and move the balances."""
        if entry.amount <= ZERO:
            raise ValueError(f"a ledger entry must be more than zero ({entry.amount})")
        self.last_seq += 1
        entry.seq = self.last_seq
        self.balances[entry.debit] += entry.amount
        self.balances[entry.credit] -= entry.amount
        self.new.append(entry)
        return entry

    def owed(self) -> dict[LedgerAccount, Decimal]:
        """What the parent owes, by bucket."""
        return {bucket: self.balances[bucket] for bucket in distribution.OWED_ACCOUNTS}

    @property
    def family_awaiting(self) -> Decimal:
        """The family's money in hand not yet paid out (CASH less UNDISTRIBUTED)."""
        return self.balances[A.CASH] + self.balances[A.UNDISTRIBUTED]

    @property
    def held(self) -> Decimal:
        """Collected and not yet applied."""
        return -self.balances[A.UNDISTRIBUTED]

    def charge(self, orders: Sequence[SupportOrder], through: dt.date) -> None:
        """Charge the orders' obligations due after `charged_through` up to `through`, rolling
        each month's unpaid current support into arrears as the next month is reached."""
        start = self.charged_through + dt.timedelta(days=1) if self.charged_through else self.ledger_start
        due = [o for o in schedule(orders, start or dt.date.min, through) if o.order_type in CHARGED_TO]
        if start is None and not due:
            return
        # The month charged so far: the one holding `charged_through` (so a charge that starts on
        # the first of a month still rolls the month before it), else the first month charged.
        if self.charged_through is not None:
            month = month_start(self.charged_through)
        else:
            month = month_start(start) if start else month_start(due[0].due_date)
        for obligation in due:
            while month_start(obligation.due_date) > month:
                month = _next_month(month)
                self._roll(month)
            self.add(
                Entry(
                    T.CHARGE,
                    CHARGED_TO[obligation.order_type],
                    A.OBLIGATION,
                    obligation.amount,
                    obligation.due_date,
                    order_no=obligation.order_no,
                )
            )
        while month_start(through) > month:
            month = _next_month(month)
            self._roll(month)
        self.charged_through = through

    def _roll(self, month: dt.date) -> None:
        """The month before `month` ended: what is still owed of its current support is arrears."""
        ended = month - dt.timedelta(days=1)
        target = ARREARS_ACCOUNT.get(self.case_type, A.OWED_FAMILY_ARREARS)
        for bucket in distribution.CURRENT_BUCKETS:
            unpaid = self.balances[bucket]
            if unpaid > ZERO:
                self.add(Entry(T.ARREARS, target, bucket, unpaid, ended))

    def receive(self, payment_id: int, amount: Decimal, received: dt.date) -> None:
        """A collection arrives (held until `apply`)."""
        self.add(Entry(T.RECEIPT, A.CASH, A.UNDISTRIBUTED, amount, received, payment_id=payment_id))

    def apply(
        self,
        payment_id: int,
        amount: Decimal,
        source: PaymentSource,
        on: dt.date,
        pass_through_room: Decimal,
        fee: FeeState | None = None,
    ) -> Distribution:
        """Distribute `amount` of a collection received (and held) over what is owed: a
        distribution per share, the state's shares retained, the annual fee kept."""
        shares = distribution.distribute(amount, source, self.case_type, self.owed(), pass_through_room)
        for share in shares.shares:
            self.add(
                Entry(T.DISTRIBUTION, A.UNDISTRIBUTED, share.bucket, share.amount, on, share.destination, payment_id)
            )
        retained = shares.to(Destination.STATE)
        if retained > ZERO:
            self.add(Entry(T.RETENTION, A.STATE_RETAINED, A.CASH, retained, on, Destination.STATE, payment_id))
        family = shares.to(Destination.FAMILY)
        if fee is not None and family > ZERO:
            kept = distribution.annual_fee(family, fee.collected, fee.kept, fee.fee, fee.threshold)
            fee.collected += family
            if kept > ZERO:
                fee.kept += kept
                self.add(Entry(T.FEE, A.FEE, A.CASH, kept, on, Destination.FAMILY, payment_id))
        return shares

    def reverse(self, entries: Iterable[SupportLedgerEntry]) -> None:
        """Reverse each entry (those already reversed are left alone by the caller)."""
        for old in entries:
            self.add(
                Entry(
                    T.REVERSAL,
                    old.credit,
                    old.debit,
                    old.amount,
                    old.effective_date,
                    old.destination,
                    old.payment_id,
                    old.order_no,
                    reverses_seq=old.seq,
                )
            )

    def disburse(self, disbursement_id: int, amount: Decimal, on: dt.date) -> None:
        """Pay the family `amount` of its money in hand."""
        self.add(
            Entry(T.DISBURSEMENT, A.DISBURSED, A.CASH, amount, on, Destination.FAMILY, disbursement_id=disbursement_id)
        )


@dataclass
class FeeState:
    """A never-assistance case's annual fee year so far: the family's collections, the fee kept,
    and the fee's terms in force."""

    collected: Decimal
    kept: Decimal
    fee: Decimal
    threshold: Decimal


def _next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def balances(session: Session, case_ids: Sequence[int]) -> dict[int, dict[LedgerAccount, Decimal]]:
    """Each case's account balances (debits less credits); accounts never used are absent."""
    out: dict[int, dict[LedgerAccount, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for side, sign in ((SupportLedgerEntry.debit, 1), (SupportLedgerEntry.credit, -1)):
        rows = session.execute(
            select(SupportLedgerEntry.support_case_id, side, func.sum(SupportLedgerEntry.amount))
            .where(SupportLedgerEntry.support_case_id.in_(case_ids))
            .group_by(SupportLedgerEntry.support_case_id, side)
        )
        for case_id, account, total in rows:
            out[case_id][LedgerAccount(account)] += sign * Decimal(total)
    return out


def load_books(session: Session, cases: Sequence[SupportCase]) -> dict[int, CaseBook]:
    """The books of the cases as their ledgers stand."""
    ids = [c.id for c in cases]
    found = balances(session, ids)
    last = dict(
        session.execute(
            select(SupportLedgerEntry.support_case_id, func.max(SupportLedgerEntry.seq))
            .where(SupportLedgerEntry.support_case_id.in_(ids))
            .group_by(SupportLedgerEntry.support_case_id)
        ).all()
    )
    books = {}
    for c in cases:
        book = CaseBook(c.id, c.case_type, c.ems_case_number, c.charged_through, last.get(c.id) or 0, c.ledger_start)
        for account, amount in found.get(c.id, {}).items():
            book.balances[account] = amount
        books[c.id] = book
    return books


def orders_of(session: Session, case_ids: Sequence[int]) -> dict[int, list[SupportOrder]]:
    """Every version of every order of the cases."""
    out: dict[int, list[SupportOrder]] = defaultdict(list)
    for order in session.scalars(select(SupportOrder).where(SupportOrder.support_case_id.in_(case_ids))):
        out[order.support_case_id].append(order)
    return out


def write_entries(session: Session, books: Iterable[CaseBook], posted: dt.date) -> int:
    """Insert the books' new entries (set-based) and move each case's `charged_through`."""
    stamp = {"created_by": current_actor.get(), "created_at": utcnow(), "version": 1}
    stamp |= {"updated_by": stamp["created_by"], "updated_at": stamp["created_at"]}
    rows = []
    charged: list[CaseBook] = []
    for book in books:
        charged.append(book)
        for e in book.new:
            rows.append(
                {
                    "support_case_id": book.case_id,
                    "seq": e.seq,
                    "entry_type": e.entry_type.value,
                    "debit": e.debit.value,
                    "credit": e.credit.value,
                    "amount": e.amount,
                    "posted_date": posted,
                    "effective_date": e.effective_date,
                    "destination": e.destination.value if e.destination else None,
                    "payment_id": e.payment_id,
                    "order_no": e.order_no,
                    "disbursement_id": e.disbursement_id,
                    "reverses_seq": e.reverses_seq,
                    **stamp,
                }
            )
        book.new = []
    session.flush()
    written = bulk_insert(session.connection(), table_of(SupportLedgerEntry), rows)
    by_case = {b.case_id: b.charged_through for b in charged}
    for case_row in session.scalars(select(SupportCase).where(SupportCase.id.in_(list(by_case)))):
        if by_case[case_row.id] != case_row.charged_through:
            case_row.charged_through = by_case[case_row.id]
    return written


def passed_through(session: Session, ems_case_numbers: Iterable[str], month: dt.date) -> dict[str, Decimal]:
    """What has been passed through to each EMS case's family this month: the family's current
    support of its current-assistance support cases, net of reversals."""
    numbers = [n for n in set(ems_case_numbers) if n]
    if not numbers:
        return {}
    e = SupportLedgerEntry
    net = case((e.entry_type == T.DISTRIBUTION, e.amount), else_=-e.amount)
    rows = session.execute(
        select(SupportCase.ems_case_number, func.sum(net))
        .join(SupportCase, SupportCase.id == e.support_case_id)
        .where(
            SupportCase.ems_case_number.in_(numbers),
            SupportCase.case_type == SupportCaseType.CURRENT_ASSISTANCE,
            e.destination == Destination.FAMILY,
            ((e.entry_type == T.DISTRIBUTION) & (e.credit == A.OWED_CURRENT))
            | ((e.entry_type == T.REVERSAL) & (e.debit == A.OWED_CURRENT)),
            e.effective_date >= month,
            e.effective_date < _next_month(month),
        )
        .group_by(SupportCase.ems_case_number)
    )
    return {number: Decimal(total or 0) for number, total in rows}


def fee_year_so_far(session: Session, case_ids: Sequence[int], on: dt.date) -> dict[int, tuple[Decimal, Decimal]]:
    """Each case's (family collections, fee kept) in the fee year holding `on`, net of reversals."""
    start, end = distribution.fee_year(on)
    e = SupportLedgerEntry
    sign = case((e.entry_type == T.REVERSAL, -e.amount), else_=e.amount)
    family = (e.destination == Destination.FAMILY) & (
        (e.entry_type == T.DISTRIBUTION) | ((e.entry_type == T.REVERSAL) & (e.credit == A.UNDISTRIBUTED))
    )
    fee = (e.entry_type == T.FEE) | ((e.entry_type == T.REVERSAL) & (e.credit == A.FEE))
    rows = session.execute(
        select(
            e.support_case_id,
            func.sum(case((family, sign), else_=0)),
            func.sum(case((fee, sign), else_=0)),
        )
        .where(e.support_case_id.in_(case_ids), e.effective_date >= start, e.effective_date <= end)
        .group_by(e.support_case_id)
    )
    return {cid: (Decimal(f or 0), Decimal(k or 0)) for cid, f, k in rows}


def reconcile(session: Session, case_ids: Sequence[int] | None = None) -> list[str]:
    """What does not reconcile in the ledgers of the cases (all when None), in words; empty when
    every ledger agrees with its orders, payments and disbursements:

    - the obligations charged are the orders' schedule up to the day charged through;
    - the receipts are the collections posted, less those reversed;
    - each collection's distributions and what of it is held add up to it;
    - the state's shares distributed are what was retained, and the family's shares are what was
      disbursed, kept as the fee, or is awaiting disbursement;
    - the disbursements are the disbursement records;
    - nothing is owed below zero and nothing is held below zero.
    """
    ids = list(case_ids) if case_ids is not None else list(session.scalars(select(SupportCase.id)))
    problems: list[str] = []
    for start in range(0, len(ids), 2000):
        problems += _reconcile_chunk(session, ids[start : start + 2000])
    return problems


def _reconcile_chunk(session: Session, ids: list[int]) -> list[str]:
    problems: list[str] = []
    found = balances(session, ids)
    cases = {c.id: c for c in session.scalars(select(SupportCase).where(SupportCase.id.in_(ids)))}
    orders = orders_of(session, ids)
    e = SupportLedgerEntry
    net = case((e.entry_type == T.REVERSAL, -e.amount), else_=e.amount)

    def per_case(*where: Any) -> dict[int, Decimal]:
        rows = session.execute(
            select(e.support_case_id, func.sum(net))
            .where(e.support_case_id.in_(ids), *where)
            .group_by(e.support_case_id)
        )
        return {cid: Decimal(total or 0) for cid, total in rows}

    posted = {
        cid: Decimal(total or 0)
        for cid, total in session.execute(
            select(SupportPayment.support_case_id, func.sum(SupportPayment.amount))
            .where(SupportPayment.support_case_id.in_(ids), SupportPayment.status == PaymentStatus.POSTED)
            .group_by(SupportPayment.support_case_id)
        )
    }
    disbursed = {
        cid: Decimal(total or 0)
        for cid, total in session.execute(
            select(SupportDisbursement.support_case_id, func.sum(SupportDisbursement.amount))
            .where(SupportDisbursement.support_case_id.in_(ids))
            .group_by(SupportDisbursement.support_case_id)
        )
    }
    to_state = per_case(e.destination == Destination.STATE, e.entry_type.in_([T.DISTRIBUTION, T.REVERSAL]),
                        (e.debit == A.UNDISTRIBUTED) | (e.credit == A.UNDISTRIBUTED))  # fmt: skip
    to_family = per_case(e.destination == Destination.FAMILY, e.entry_type.in_([T.DISTRIBUTION, T.REVERSAL]),
                         (e.debit == A.UNDISTRIBUTED) | (e.credit == A.UNDISTRIBUTED))  # fmt: skip
    openings = {
        cid: Decimal(total)
        for cid, total in session.execute(
            select(e.support_case_id, func.sum(e.amount))
            .where(e.support_case_id.in_(ids), e.entry_type == T.OPENING)
            .group_by(e.support_case_id)
        )
    }
    unbalanced = session.scalar(
        select(func.count()).where(e.support_case_id.in_(ids), (e.debit == e.credit) | (e.amount <= 0))
    )
    if unbalanced:
        problems.append(f"{unbalanced} entries debit and credit the same account or are not above zero")
    for cid in ids:
        c = cases[cid]
        b = found.get(cid, {})
        number = c.support_number

        def bal(account: LedgerAccount, b: dict[LedgerAccount, Decimal] = b) -> Decimal:
            return b.get(account, ZERO)

        if c.charged_through is not None:
            charged_from = c.ledger_start or dt.date.min
            due = openings.get(cid, ZERO) + sum(
                (
                    o.amount
                    for o in schedule(orders.get(cid, []), charged_from, c.charged_through)
                    if o.order_type in CHARGED_TO
                ),
                ZERO,
            )
            if -bal(A.OBLIGATION) != due:
                problems.append(f"{number}: charged {-bal(A.OBLIGATION)} but the orders charge {due}")
        received = bal(A.CASH) + bal(A.STATE_RETAINED) + bal(A.FEE) + bal(A.DISBURSED)
        if received != posted.get(cid, ZERO):
            problems.append(f"{number}: receipts {received} but collections posted {posted.get(cid, ZERO)}")
        applied = to_state.get(cid, ZERO) + to_family.get(cid, ZERO)
        if applied + (-bal(A.UNDISTRIBUTED)) != posted.get(cid, ZERO):
            problems.append(
                f"{number}: distributed {applied} and held {-bal(A.UNDISTRIBUTED)} of {posted.get(cid, ZERO)}"
            )
        if to_state.get(cid, ZERO) != bal(A.STATE_RETAINED):
            problems.append(
                f"{number}: the state's shares {to_state.get(cid, ZERO)} but retained {bal(A.STATE_RETAINED)}"
            )
        family_side = bal(A.DISBURSED) + bal(A.FEE) + bal(A.CASH) + bal(A.UNDISTRIBUTED)
        if to_family.get(cid, ZERO) != family_side:
            problems.append(
                f"{number}: the family's shares {to_family.get(cid, ZERO)} "
                f"but disbursed, fee and awaiting {family_side}"
            )
        if bal(A.DISBURSED) != disbursed.get(cid, ZERO):
            problems.append(
                f"{number}: disbursed {bal(A.DISBURSED)} but the disbursements are {disbursed.get(cid, ZERO)}"
            )
        for bucket in (*distribution.OWED_ACCOUNTS, A.UNDISTRIBUTED):
            amount = -bal(bucket) if bucket == A.UNDISTRIBUTED else bal(bucket)
            if amount < ZERO:
                problems.append(f"{number}: {bucket.name} is below zero ({amount})")
    return problems
