"""An order's obligation schedule: what falls due when, between two dates (pure: no database).

Each version of a support order (`emsterm.model.SupportOrder`, or any `Terms`) falls due from its
effective date to its end date (open-ended when it has none):

- weekly: on the effective date and every 7 days after (so on the effective date's weekday);
- biweekly: on the effective date and every 14 days after;
- monthly: on the effective date's day of each month, or the month's last day when the month is
  shorter (an order effective on January 31 falls due February 28, or 29 in a leap year, then
  March 31).

A modification ends the old version the day before the new one begins, and the new version
runs on its own effective date: a monthly order of the 1st modified from the 15th falls due on
the 1st (old amount) and the 15th (new amount) of that month, then on each 15th. Nothing is
prorated; the amounts are the order's own. Part 2 (issue 24) charges the ledger from these.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from emsterm.model.codes import OrderFrequency, OrderType

HORIZON_DAYS = 400
"""How far ahead `upcoming` looks for the next obligations (a little over a year)."""


class Terms(Protocol):
    """What the schedule needs of one version of an order (a `SupportOrder` row has it)."""

    @property
    def order_no(self) -> int:
        """Which order of the case."""

    @property
    def modification(self) -> int:
        """Which version of the order (0 as first made)."""

    @property
    def order_type(self) -> OrderType:
        """Current support, medical support or arrears payment."""

    @property
    def amount(self) -> Decimal:
        """The amount due each time."""

    @property
    def frequency(self) -> OrderFrequency:
        """Weekly, biweekly or monthly."""

    @property
    def effective_date(self) -> dt.date:
        """The first day the version is in force (its first due date)."""

    @property
    def end_date(self) -> dt.date | None:
        """The last day it is in force (None: open-ended)."""


@dataclass(frozen=True)
class OrderTerms:
    """The terms of one version of an order, free of the database (for tests and what-ifs)."""

    amount: Decimal
    frequency: OrderFrequency
    effective_date: dt.date
    end_date: dt.date | None = None
    order_type: OrderType = OrderType.CURRENT_SUPPORT
    order_no: int = 1
    modification: int = 0


@dataclass(frozen=True)
class Obligation:
    """One amount falling due on one day under one version of an order."""

    due_date: dt.date
    amount: Decimal
    order_type: OrderType
    order_no: int
    modification: int


def due_dates(terms: Terms, start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """The days between `start` and `end` (both included) on which the version falls due."""
    first = max(start, terms.effective_date)
    last = end if terms.end_date is None else min(end, terms.end_date)
    if first > last:
        return
    anchor = terms.effective_date
    if terms.frequency in (OrderFrequency.WEEKLY, OrderFrequency.BIWEEKLY):
        step = 7 if terms.frequency == OrderFrequency.WEEKLY else 14
        day = anchor + dt.timedelta(days=-(-(first - anchor).days // step) * step)
        while day <= last:
            yield day
            day += dt.timedelta(days=step)
        return
    year, month = first.year, first.month
    while True:
        day = dt.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))
        if day > last:
            return
        if day >= first:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def schedule(orders: Iterable[Terms], start: dt.date, end: dt.date) -> list[Obligation]:
    """Every obligation of the orders (all their versions) due from `start` to `end`, by date,
    then order and version."""
    found = [
        Obligation(day, terms.amount, terms.order_type, terms.order_no, terms.modification)
        for terms in orders
        for day in due_dates(terms, start, end)
    ]
    return sorted(found, key=lambda o: (o.due_date, o.order_no, o.modification))


def upcoming(orders: Iterable[Terms], on: dt.date, count: int) -> list[Obligation]:
    """The next `count` obligations due on or after `on` (within `HORIZON_DAYS`)."""
    return schedule(orders, on, on + dt.timedelta(days=HORIZON_DAYS))[:count]


def total_due(orders: Iterable[Terms], start: dt.date, end: dt.date) -> Decimal:
    """What the orders charge from `start` to `end` (both included)."""
    return sum((o.amount for o in schedule(orders, start, end)), Decimal("0.00"))
