"""What of a dated row counts in a benefit month (`rules/budget_month.py`), at its edges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from emsterm.rules.budget_month import amount_for_month, asset_counts, days_in_force

D = dt.date
DECEMBER = D(2026, 12, 1)


@pytest.mark.parametrize(
    ("start", "end", "month", "days"),
    [
        (None, None, DECEMBER, 31),
        (D(2021, 10, 6), D(2026, 12, 14), DECEMBER, 14),  # ends on the 14th
        (D(2026, 12, 15), None, DECEMBER, 17),  # starts on the 15th
        (D(2026, 12, 1), D(2026, 12, 31), DECEMBER, 31),
        (D(2026, 12, 31), None, DECEMBER, 1),
        (D(2027, 1, 1), None, DECEMBER, 0),  # not yet
        (None, D(2026, 11, 30), DECEMBER, 0),  # ended before
        (D(2028, 2, 10), None, D(2028, 2, 1), 20),  # a leap February: 29 days
    ],
)
def test_days_in_force(start: dt.date | None, end: dt.date | None, month: dt.date, days: int) -> None:
    assert days_in_force(start, end, month) == days


def test_the_old_and_the_new_income_each_count_for_their_days() -> None:
    old = amount_for_month(Decimal("2451.77"), D(2021, 10, 6), D(2026, 12, 14), DECEMBER)
    new = amount_for_month(Decimal("3010.00"), D(2026, 12, 15), None, DECEMBER)
    assert (old, new, old + new) == (Decimal("1107.25"), Decimal("1650.65"), Decimal("2757.90"))
    assert amount_for_month(Decimal("3010.00"), D(2026, 12, 15), None, D(2027, 1, 1)) == Decimal("3010.00")
    assert amount_for_month(Decimal("100.00"), D(2027, 1, 1), None, DECEMBER) == Decimal("0")


def test_an_asset_counts_at_its_value_on_the_first_of_the_month() -> None:
    assert asset_counts(D(2026, 12, 1), None, DECEMBER)
    assert not asset_counts(D(2026, 12, 15), None, DECEMBER)  # from January
    assert asset_counts(D(2026, 12, 15), None, D(2027, 1, 1))
    assert asset_counts(None, D(2026, 12, 14), DECEMBER)  # closed on the 14th: still December's
    assert not asset_counts(None, D(2026, 11, 30), DECEMBER)
