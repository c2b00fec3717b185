"""The obligation schedule of support orders (emsterm.ccses.obligations): weekly on the
effective date's weekday, biweekly from it, monthly on its day clamped to the month's end
(leap years too), a modification mid-month, an end date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from emsterm.ccses.obligations import OrderTerms, due_dates, schedule, total_due, upcoming
from emsterm.model import OrderFrequency, OrderType

D = dt.date


def _monthly(day: dt.date, amount: str = "400.00", **more: object) -> OrderTerms:
    return OrderTerms(Decimal(amount), OrderFrequency.MONTHLY, day, **more)  # type: ignore[arg-type]


def test_weekly_falls_due_on_the_weekday_of_the_effective_date() -> None:
    terms = OrderTerms(Decimal("85.00"), OrderFrequency.WEEKLY, D(2025, 3, 5))  # a Wednesday
    days = list(due_dates(terms, D(2025, 3, 1), D(2025, 3, 31)))
    assert days == [D(2025, 3, 5), D(2025, 3, 12), D(2025, 3, 19), D(2025, 3, 26)]
    assert {d.weekday() for d in days} == {2}
    # a window starting mid-way picks up the same weekday, not the window's first day
    assert list(due_dates(terms, D(2025, 3, 13), D(2025, 3, 20))) == [D(2025, 3, 19)]


def test_biweekly_runs_every_fourteen_days_from_the_effective_date() -> None:
    terms = OrderTerms(Decimal("170.00"), OrderFrequency.BIWEEKLY, D(2025, 1, 3))
    assert list(due_dates(terms, D(2025, 1, 10), D(2025, 2, 28))) == [
        D(2025, 1, 17),
        D(2025, 1, 31),
        D(2025, 2, 14),
        D(2025, 2, 28),
    ]


def test_monthly_on_the_31st_is_clamped_to_each_month_end() -> None:
    terms = _monthly(D(2025, 1, 31))
    assert list(due_dates(terms, D(2025, 1, 1), D(2025, 5, 31))) == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
    ]


def test_a_leap_february_falls_due_on_the_29th() -> None:
    terms = _monthly(D(2023, 11, 30))
    assert list(due_dates(terms, D(2024, 2, 1), D(2024, 3, 31))) == [D(2024, 2, 29), D(2024, 3, 30)]
    on_the_29th = _monthly(D(2024, 1, 29))
    assert list(due_dates(on_the_29th, D(2025, 2, 1), D(2025, 3, 31))) == [D(2025, 2, 28), D(2025, 3, 29)]


def test_a_modification_mid_month_ends_the_old_version_and_starts_the_new() -> None:
    old = _monthly(D(2025, 1, 1), "400.00", end_date=D(2025, 3, 14))
    new = _monthly(D(2025, 3, 15), "475.50", modification=1)
    due = schedule([new, old], D(2025, 1, 1), D(2025, 4, 30))
    assert [(o.due_date, o.amount, o.modification) for o in due] == [
        (D(2025, 1, 1), Decimal("400.00"), 0),
        (D(2025, 2, 1), Decimal("400.00"), 0),
        (D(2025, 3, 1), Decimal("400.00"), 0),
        (D(2025, 3, 15), Decimal("475.50"), 1),
        (D(2025, 4, 15), Decimal("475.50"), 1),
    ]
    assert total_due([old, new], D(2025, 3, 1), D(2025, 3, 31)) == Decimal("875.50")


def test_nothing_falls_due_after_the_end_date_or_before_the_effective_date() -> None:
    terms = OrderTerms(Decimal("25.00"), OrderFrequency.WEEKLY, D(2025, 3, 3), end_date=D(2025, 3, 17))
    assert list(due_dates(terms, D(2025, 1, 1), D(2025, 12, 31))) == [D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 17)]
    assert list(due_dates(terms, D(2025, 3, 18), D(2025, 12, 31))) == []
    assert list(due_dates(terms, D(2025, 1, 1), D(2025, 3, 2))) == []
    assert total_due([terms], D(2025, 1, 1), D(2025, 12, 31)) == Decimal("75.00")


def test_several_orders_come_by_date_then_order_and_upcoming_takes_the_next() -> None:
    support = _monthly(D(2025, 1, 15))
    medical = OrderTerms(
        Decimal("50.00"), OrderFrequency.MONTHLY, D(2025, 2, 15), order_type=OrderType.MEDICAL_SUPPORT, order_no=2
    )
    arrears = OrderTerms(
        Decimal("20.00"), OrderFrequency.WEEKLY, D(2025, 3, 7), order_type=OrderType.ARREARS, order_no=3
    )
    nxt = upcoming([arrears, medical, support], D(2025, 3, 8), 4)
    assert [(o.due_date, o.order_no) for o in nxt] == [
        (D(2025, 3, 14), 3),
        (D(2025, 3, 15), 1),
        (D(2025, 3, 15), 2),
        (D(2025, 3, 21), 3),
    ]
    assert upcoming([_monthly(D(2025, 1, 1), end_date=D(2025, 1, 31))], D(2025, 2, 1), 3) == []
