"""Business days for CCSES's timeframes counted in them (disbursement within two business days
of receipt, 42 USC 654b(c)(1)): not a Saturday or Sunday, and not a holiday EMS knows (the
BANKHOL significant dates: the days the disbursing bank does not settle)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy.orm import Session

from emsterm.services.parameters import significant_dates

HOLIDAYS = "BANKHOL"
"""The significant-date type of the holidays that are not business days."""


def holidays(session: Session, on: dt.date) -> frozenset[dt.date]:
    """The holidays in force on `on`."""
    return frozenset(dt.date.fromisoformat(v) for v in significant_dates(session, HOLIDAYS, on).values())


def is_business_day(day: dt.date, closed: Iterable[dt.date]) -> bool:
    """Whether `day` is a weekday and not a holiday."""
    return day.weekday() < 5 and day not in set(closed)


def add_business_days(start: dt.date, days: int, closed: Iterable[dt.date]) -> dt.date:
    """The day `days` business days after `start` (Friday plus 2 is Tuesday)."""
    off = set(closed)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            left -= 1
    return day
