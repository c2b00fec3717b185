"""The quarterly wage match file (IEVS): wages employers reported to the state wage agency for
the SSNs EMS sent it, one detail record per person, employer and quarter.

Records are `|`-separated, like the issuance files:

    H|WAGEMATCH|file date YYYYMMDD|sender
    D|SSN (9 digits)|quarter YYYYQn|employer name|wages (dollars and cents)
    T|detail record count|total wages

The envelope (header, trailer, refusal of a file that is not whole) is the one every match
file shares: `emsterm.interfaces.match_file`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.match_file import MatchFileError, money_field, ssn_field

INTERFACE = "WAGEMATCH"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "wage-match*.txt"
"""The inbox files the match step reads, in name order."""

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")

__all__ = ["INTERFACE", "PATTERN", "MatchFile", "MatchFileError", "Quarter", "WageRecord", "build", "parse"]


@dataclass(frozen=True)
class Quarter:
    """A calendar quarter of wages."""

    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """`2025Q1` -> Quarter(2025, 1); ValueError for anything else."""
        found = _QUARTER.match(text)
        if found is None:
            raise ValueError(f"{text!r} is not a quarter in YYYYQn form")
        return cls(int(found[1]), int(found[2]))

    @property
    def months(self) -> tuple[dt.date, dt.date, dt.date]:
        """The first days of the quarter's three months."""
        first = 3 * self.number - 2
        return tuple(dt.date(self.year, first + k, 1) for k in range(3))  # type: ignore[return-value]

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"


@dataclass(frozen=True)
class WageRecord:
    """Wages one employer reported for one person in one quarter."""

    ssn: str
    quarter: Quarter
    employer: str
    wages: Decimal


MatchFile = match_file.MatchFile[WageRecord]
"""A wage match file that passed its controls."""


def parse(data: bytes) -> MatchFile:
    """Read a wage match file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, "D|SSN|YYYYQn|employer|wages", _detail, lambda r: r.wages)


def _detail(number: int, fields: list[str]) -> WageRecord:
    ssn, quarter, employer, wages = fields
    try:
        when = Quarter.parse(quarter)
    except ValueError as err:
        raise MatchFileError(f"line {number}: {err}") from None
    return WageRecord(ssn_field(number, ssn), when, employer.strip(), money_field(number, wages, "wages"))


def build(records: Iterable[WageRecord], file_date: dt.date, sender: str = "CTDOL") -> bytes:
    """A wage match file as the wage agency sends it (for drills, demos and tests)."""
    rows = list(records)
    total = sum((r.wages for r in rows), Decimal("0.00"))
    details = [f"{r.ssn}|{r.quarter}|{plain(r.employer)}|{r.wages:.2f}" for r in rows]
    return match_file.write(INTERFACE, file_date, sender, details, total)
