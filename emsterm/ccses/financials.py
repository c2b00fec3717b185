"""The CCSES financial figures of a period, from the ledger and the collections: what was
collected (by source), reversed, held in suspense; how it was distributed (to families, passed
through to TFA families, retained by the state as reimbursement of assistance, with the federal
share by the FMAP, kept as the annual fee), what was paid out, and what is held or awaits
disbursement at the period's end. The financial control report (CS13) shows them for a day or a
month; the OCSE-34 report (`emsterm.ccses.federal_reports`) for a quarter.

Each figure is net of reversals made in the period (a reversal's entries are dated the day the
reversal was posted)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from emsterm.ccses.distribution import ZERO
from emsterm.ccses.parameters import STREAM
from emsterm.model import (
    Destination,
    LedgerAccount,
    LedgerEntryType,
    PaymentSource,
    PaymentStatus,
    SupportCase,
    SupportCaseType,
    SupportLedgerEntry,
    SupportPayment,
    SuspenseStatus,
    UnidentifiedPayment,
)
from emsterm.services.parameters import cycle_parameter

A = LedgerAccount
T = LedgerEntryType
CENT = Decimal("0.01")


@dataclass
class Figures:
    """The financial figures of a period (dollars)."""

    start: dt.date
    end: dt.date
    collected: dict[PaymentSource, tuple[int, Decimal]] = field(default_factory=dict)
    """Collections posted in the period (count, dollars) by source."""
    reversed: tuple[int, Decimal] = (0, ZERO)
    suspended: tuple[int, Decimal] = (0, ZERO)
    """Collections put in suspense in the period."""
    suspense_open: tuple[int, Decimal] = (0, ZERO)
    """Unidentified payments still in suspense at the end."""
    to_family: dict[SupportCaseType, Decimal] = field(default_factory=dict)
    retained: dict[SupportCaseType, Decimal] = field(default_factory=dict)
    passed_through: Decimal = ZERO
    fees: Decimal = ZERO
    disbursed: Decimal = ZERO
    held: Decimal = ZERO
    """Collected and not yet applied, at the end."""
    awaiting: Decimal = ZERO
    """The families' money not yet paid out, at the end."""
    fmap: Decimal = ZERO

    @property
    def collected_total(self) -> tuple[int, Decimal]:
        """All collections posted in the period."""
        return sum(c for c, _ in self.collected.values()), sum((d for _, d in self.collected.values()), ZERO)

    @property
    def retained_total(self) -> Decimal:
        """Everything the state retained."""
        return sum(self.retained.values(), ZERO)

    @property
    def federal_share(self) -> Decimal:
        """The federal share of what the state retained (42 USC 657(c)(2): the FMAP)."""
        return (self.retained_total * self.fmap).quantize(CENT)

    @property
    def state_share(self) -> Decimal:
        """The state's share of what it retained."""
        return self.retained_total - self.federal_share

    @property
    def distributed_total(self) -> Decimal:
        """Everything distributed (to families and retained)."""
        return sum(self.to_family.values(), ZERO) + self.retained_total

    def as_dict(self) -> dict[str, Any]:
        """For JSON and CSV: amounts as strings."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "collected": {s.name: {"count": c, "dollars": f"{d:.2f}"} for s, (c, d) in self.collected.items()},
            "collected_total": f"{self.collected_total[1]:.2f}",
            "reversed": {"count": self.reversed[0], "dollars": f"{self.reversed[1]:.2f}"},
            "suspended": {"count": self.suspended[0], "dollars": f"{self.suspended[1]:.2f}"},
            "suspense_open": {"count": self.suspense_open[0], "dollars": f"{self.suspense_open[1]:.2f}"},
            "to_family": {t.name: f"{v:.2f}" for t, v in self.to_family.items()},
            "retained": {t.name: f"{v:.2f}" for t, v in self.retained.items()},
            "passed_through": f"{self.passed_through:.2f}",
            "federal_share": f"{self.federal_share:.2f}",
            "state_share": f"{self.state_share:.2f}",
            "fees": f"{self.fees:.2f}",
            "disbursed": f"{self.disbursed:.2f}",
            "held": f"{self.held:.2f}",
            "awaiting": f"{self.awaiting:.2f}",
        }


def _pair(row: Any) -> tuple[int, Decimal]:
    return int(row[0] or 0), Decimal(row[1] or 0)


def figures(session: Session, start: dt.date, end: dt.date) -> Figures:
    """The figures of the days from `start` to `end` (both included)."""
    out = Figures(start, end, fmap=Decimal(cycle_parameter(session, STREAM, "FMAP", end)))
    p = SupportPayment
    for source, count, dollars in session.execute(
        select(p.source, func.count(), func.sum(p.amount))
        .where(p.posted_date >= start, p.posted_date <= end)
        .group_by(p.source)
    ):
        out.collected[PaymentSource(source)] = (int(count), Decimal(dollars or 0))
    out.reversed = _pair(
        session.execute(
            select(func.count(), func.sum(p.amount)).where(
                p.status == PaymentStatus.REVERSED, p.reversed_date >= start, p.reversed_date <= end
            )
        ).one()
    )
    u = UnidentifiedPayment
    out.suspended = _pair(
        session.execute(
            select(func.count(), func.sum(u.amount)).where(u.suspended_date >= start, u.suspended_date <= end)
        ).one()
    )
    still = (u.status == SuspenseStatus.OPEN) | (u.resolved_date > end)
    out.suspense_open = _pair(
        session.execute(select(func.count(), func.sum(u.amount)).where(u.suspended_date <= end, still)).one()
    )
    e = SupportLedgerEntry
    net = case((e.entry_type == T.REVERSAL, -e.amount), else_=e.amount)
    in_period = (e.posted_date >= start) & (e.posted_date <= end)
    applied = (e.entry_type == T.DISTRIBUTION) | ((e.entry_type == T.REVERSAL) & (e.credit == A.UNDISTRIBUTED))
    for case_type, destination, total in session.execute(
        select(SupportCase.case_type, e.destination, func.sum(net))
        .join(SupportCase, SupportCase.id == e.support_case_id)
        .where(in_period, applied, e.destination.is_not(None))
        .group_by(SupportCase.case_type, e.destination)
    ):
        target = out.to_family if destination == Destination.FAMILY else out.retained
        target[SupportCaseType(case_type)] = Decimal(total or 0)
    current = ((e.entry_type == T.DISTRIBUTION) & (e.credit == A.OWED_CURRENT)) | (
        (e.entry_type == T.REVERSAL) & (e.debit == A.OWED_CURRENT)
    )
    out.passed_through = Decimal(
        session.scalar(
            select(func.sum(net))
            .join(SupportCase, SupportCase.id == e.support_case_id)
            .where(
                in_period,
                current,
                e.destination == Destination.FAMILY,
                SupportCase.case_type == SupportCaseType.CURRENT_ASSISTANCE,
            )
        )
        or 0
    )
    fee = (e.entry_type == T.FEE) | ((e.entry_type == T.REVERSAL) & (e.credit == A.FEE))
    out.fees = Decimal(session.scalar(select(func.sum(net)).where(in_period, fee)) or 0)
    out.disbursed = Decimal(
        session.scalar(select(func.sum(e.amount)).where(in_period, e.entry_type == T.DISBURSEMENT)) or 0
    )
    balance: dict[str, Decimal] = {}
    for side, sign in ((e.debit, 1), (e.credit, -1)):
        for account, total in session.execute(
            select(side, func.sum(e.amount))
            .where(e.posted_date <= end, side.in_([A.CASH, A.UNDISTRIBUTED]))
            .group_by(side)
        ):
            balance[account] = balance.get(account, ZERO) + sign * Decimal(total or 0)
    out.held = -balance.get(A.UNDISTRIBUTED, ZERO)
    out.awaiting = balance.get(A.CASH, ZERO) + balance.get(A.UNDISTRIBUTED, ZERO)
    return out
