"""The quarterly wage match file (IEVS): wages employers reported to the state wage agency for
the SSNs EMS sent it, one detail record per person, employer and quarter.

Records are `|`-separated, like the issuance files:

    H|WAGEMATCH|file date YYYYMMDD|sender
    D|SSN (9 digits)|quarter YYYYQn|employer name|wages (dollars and cents)
    T|detail record count|total wages

A file whose records do not parse, or whose trailer does not agree with its details, is
refused whole (`MatchFileError`, naming the line): a match is acted on only when the sender's
control totals prove it arrived complete.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces.benefit_files import plain

INTERFACE = "WAGEMATCH"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "wage-match*.txt"
"""The inbox files the match step reads, in name order."""

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONEY = re.compile(r"^\d{1,9}\.\d{2}$")


class MatchFileError(ValueError):
    """The file cannot be used; the message names the line and what is wrong."""


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


@dataclass(frozen=True)
class MatchFile:
    """A wage match file that passed its controls."""

    file_date: dt.date
    sender: str
    records: tuple[WageRecord, ...]

    @property
    def total(self) -> Decimal:
        """The wages of all detail records."""
        return sum((r.wages for r in self.records), Decimal("0.00"))


def parse(data: bytes) -> MatchFile:
    """Read a wage match file; MatchFileError naming the line if it is not whole and right."""
    try:
        lines = data.decode("ascii").splitlines()
    except UnicodeDecodeError:
        raise MatchFileError("line 1: the file is not plain ASCII text") from None
    lines = [line for line in lines if line.strip()]
    if not lines or not lines[0].startswith("H|"):
        raise MatchFileError("line 1: the file does not start with a header record (H|WAGEMATCH|...)")
    header = lines[0].split("|")
    if len(header) != 4 or header[1] != INTERFACE:
        raise MatchFileError(f"line 1: the header must be H|{INTERFACE}|YYYYMMDD|sender")
    try:
        file_date = dt.datetime.strptime(header[2], "%Y%m%d").date()
    except ValueError:
        raise MatchFileError(f"line 1: file date {header[2]!r} is not a date in YYYYMMDD form") from None
    if len(lines) < 2 or not lines[-1].startswith("T|"):
        raise MatchFileError(f"line {len(lines)}: the file does not end with a trailer record (T|count|wages)")
    records = tuple(_detail(number, line) for number, line in enumerate(lines[1:-1], start=2))
    trailer = lines[-1].split("|")
    if len(trailer) != 3 or not trailer[1].isdigit() or not _MONEY.match(trailer[2]):
        raise MatchFileError(f"line {len(lines)}: the trailer must be T|count|wages")
    match = MatchFile(file_date, header[3].strip(), records)
    if int(trailer[1]) != len(records) or Decimal(trailer[2]) != match.total:
        raise MatchFileError(
            f"line {len(lines)}: the trailer says {int(trailer[1])} records and {trailer[2]}, "
            f"the file holds {len(records)} records and {match.total}"
        )
    return match


def _detail(number: int, line: str) -> WageRecord:
    fields = line.split("|")
    if len(fields) != 5 or fields[0] != "D":
        raise MatchFileError(f"line {number}: a detail record must be D|SSN|YYYYQn|employer|wages")
    _, ssn, quarter, employer, wages = fields
    if not (len(ssn) == 9 and ssn.isdigit()):
        raise MatchFileError(f"line {number}: SSN {ssn!r} is not nine digits")
    try:
        when = Quarter.parse(quarter)
    except ValueError as err:
        raise MatchFileError(f"line {number}: {err}") from None
    if not _MONEY.match(wages):
        raise MatchFileError(f"line {number}: wages {wages!r} are not dollars and cents (e.g. 3600.00)")
    return WageRecord(ssn, when, employer.strip(), Decimal(wages))


def build(records: Iterable[WageRecord], file_date: dt.date, sender: str = "CTDOL") -> bytes:
    """A wage match file as the wage agency sends it (for drills, demos and tests)."""
    rows = list(records)
    total = sum((r.wages for r in rows), Decimal("0.00"))
    lines = [f"H|{INTERFACE}|{file_date:%Y%m%d}|{plain(sender)}"]
    lines += [f"D|{r.ssn}|{r.quarter}|{plain(r.employer)}|{r.wages:.2f}" for r in rows]
    lines.append(f"T|{len(rows)}|{total:.2f}")
    return ("\n".join(lines) + "\n").encode("ascii")
