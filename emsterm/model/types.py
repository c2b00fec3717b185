"""Column types for exact values: money as integer cents, decimals as text.

Money is never a float. In Python it is a `Decimal` with two places; in the database it is a
BIGINT of cents, which every database compares and sums exactly.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

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


CodeSet = TypeVar("CodeSet", bound=StrEnum)
"""The enum of one code set (`emsterm.model.codes`)."""


class CodeString(TypeDecorator[CodeSet]):
    """A code of one code set, stored as the mainframe's string in a VARCHAR of the column's
    width: the same DDL as `String(length)`, no constraint, so the schema does not change.

    Written, a member (or the plain code) goes to the database as the plain string. Read, the
    code comes back as its member; a code the enum does not know (one an administrator added to
    a code table since) comes back as the plain string, as before codes had names.
    """

    impl = String
    cache_ok = True

    def __init__(self, codes: type[CodeSet], length: int) -> None:
        longest = max(len(member.value) for member in codes)
        if longest > length:
            raise ValueError(f"{codes.__name__} has a code of {longest} characters, more than {length}")
        super().__init__(length)
        self.codes = codes
        self.length = length
        self._members: dict[str, CodeSet] = {member.value: member for member in codes}

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        """A member as its plain code (drivers have their own ideas about enums); anything else
        as it is."""
        return value.value if isinstance(value, StrEnum) else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        """The stored code as its member, or as it is when the code set has no such member."""
        return self._members.get(value, value) if value is not None else None

    def __repr__(self) -> str:
        return f"CodeString({self.codes.__name__}, {self.length})"


def text_type(column_type: Any) -> Any:
    """The type a column's text is kept in: a code's String, else the type itself (for code
    that looks at a column's String and its length)."""
    return column_type.impl_instance if isinstance(column_type, CodeString) else column_type
