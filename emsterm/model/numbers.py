"""Case and client numbers with a check digit (Luhn, mod 10), as EMS keyed its roots, and the
lock under which a next number (a serial, a twin's sequence) is taken."""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session


def hold_numbering(session: Session, series: str, key: int = 0) -> None:
    """Serialize taking the next number of a series (and, for twins, of one parent) until the
    transaction ends, so two users never take the same one. On PostgreSQL a transaction-level
    advisory lock; SQLite's transactions begin IMMEDIATE and already write one at a time."""
    if session.get_bind().dialect.name == "postgresql":
        series_number = zlib.crc32(series.encode()) - 2**31
        session.execute(
            text("SELECT pg_advisory_xact_lock(CAST(:series AS integer), CAST(:key AS integer))"),
            {"series": series_number, "key": key},
        )


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def case_number(serial: int) -> str:
    """The 10-character case number for a serial: nine digits and a check digit."""
    base = f"{serial:09d}"
    return base + luhn_digit(base)


def client_number(serial: int) -> str:
    """The 9-character client number for a serial: eight digits and a check digit."""
    base = f"{serial:08d}"
    return base + luhn_digit(base)


def valid_check_digit(number: str) -> bool:
    """Whether a case or client number is all digits and its last digit checks."""
    return len(number) >= 2 and number.isdigit() and luhn_digit(number[:-1]) == number[-1]


ABA_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7, 1)
"""The weights of the ABA routing number check: the weighted sum of the nine digits is a
multiple of ten."""


def aba_check_digit(first_eight: str) -> str:
    """The ninth digit that makes eight routing digits a valid ABA routing number."""
    total = sum(int(d) * w for d, w in zip(first_eight, ABA_WEIGHTS))
    return str((10 - total % 10) % 10)


def valid_account_number(number: str) -> bool:
    """Whether `number` is 1-17 ASCII letters and digits (the NACHA entry's account field).
    The one check of an account number, wherever one enters EMS."""
    return 0 < len(number) <= 17 and number.isascii() and number.isalnum()


def valid_routing_number(routing: str) -> bool:
    """Whether `routing` is nine ASCII digits whose ABA check (weights 3,7,1 repeating) holds.
    The one check of a routing number, wherever one enters EMS."""
    if len(routing) != 9 or not routing.isascii() or not routing.isdigit():
        return False
    return sum(int(d) * w for d, w in zip(routing, ABA_WEIGHTS)) % 10 == 0
