"""What of a dated income, expense or asset counts in a benefit month.

A case records each income, expense and asset from a start date to an end date (open when it
goes on); a change ends one row the day before it takes effect and starts another. For every
program the month's countable amount is what is actually in force in that month, never the old
and the new row both in full:

- **Income and expenses count for the days they are in force.** An income that ends on 12/14
  counts 14/31 of its monthly amount in December, one that starts on 12/15 counts 17/31.
  SNAP: income is counted in the month it is received (7 CFR 273.10(c)(1)(ii)) and a reported
  change takes effect by the month after the notice period (273.12(c)): an increase at once, a
  decrease after advance notice (the change engine holds it). TFA and the other cash programs:
  the income anticipated for the month (CT UPM 5000.01, "anticipated income ... expected to
  exist during a projected period of eligibility"). Medical Assistance: current monthly income
  (42 CFR 435.603(h)(1)). A row in force the whole month counts in full.
- **Assets count at their value on the first day of the month** (20 CFR 416.1207(a): resources
  are determined as of the first moment of the month), so a value that changes on the 15th
  counts from the month after and an account closed on the 14th still counts that month.

Pure: dates and Decimals in, Decimals out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal

from emsterm.rules.determination import cents


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the date's month."""
    return month.replace(day=1), month.replace(day=calendar.monthrange(month.year, month.month)[1])


def days_in_force(start: dt.date | None, end: dt.date | None, month: dt.date) -> int:
    """How many days of the month a row from `start` to `end` (both included; None: open) is in force."""
    first, last = month_bounds(month)
    begins = first if start is None or start < first else start
    ends = last if end is None or end > last else end
    return max(0, (ends - begins).days + 1)


def amount_for_month(monthly: Decimal, start: dt.date | None, end: dt.date | None, month: dt.date) -> Decimal:
    """An income's or expense's countable amount in the month: in full when it is in force
    every day, else its share by days, to the cent; zero when it is not in force at all."""
    days = days_in_force(start, end, month)
    total = calendar.monthrange(month.year, month.month)[1]
    if days >= total:
        return monthly
    if days == 0:
        return Decimal("0")
    return cents(monthly * days / total)


def asset_counts(start: dt.date | None, end: dt.date | None, month: dt.date) -> bool:
    """Whether an asset counts in the month: it is held on the month's first day."""
    first = month.replace(day=1)
    return (start is None or start <= first) and (end is None or end >= first)
