"""Column types for exact values: money as integer cents, decimals as text.

Money is never a float. In Python it is a `Decimal` with two places; in the database it is a
BIGINT of cents, which every database compares and sums exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_money(value: Any) -> Decimal:
    """Turn a Decimal, int or numeric string into money with two places.

    Raises ValueError for floats, non-numbers and fractions of a cent.
    """
    if isinstance(value, float):
        raise ValueError(f"money must not be a float: {value!r}")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {value!r}") from None
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    if amount != amount.quantize(CENT):
        raise ValueError(f"money has fractions of a cent: {value!r}")
    return amount.quantize(CENT)


class Money(TypeDecorator[Decimal]):
    """A Decimal amount stored as integer cents."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        """Decimal dollars to integer cents."""
        if value is None:
            return None
        return int(to_money(value) * 100)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Integer cents to Decimal dollars."""
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(CENT)


class DecimalText(TypeDecorator[Decimal]):
    """An exact Decimal (a rate, a percentage, an amount) stored as its text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Decimal to canonical text."""
        if value is None:
            return None
        if isinstance(value, float):
            raise ValueError(f"decimal must not be a float: {value!r}")
        return str(Decimal(str(value)))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        """Text back to Decimal."""
        return None if value is None else Decimal(value)
