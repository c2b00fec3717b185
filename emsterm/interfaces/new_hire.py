"""The new hire match: employees employers reported to the Connecticut Department of Labor's
new hire directory (42 USC 653a), matched against the SSNs of EMS's clients. Child support
locate reads the same records.

    H|NEWHIRE|file date YYYYMMDD|CTDOL
    D|SSN|hire date YYYYMMDD|employer name|employer FEIN (9 digits)|starting wage a month
    T|detail record count|total starting wages

A new hire record carries the starting monthly wage where the employer gave it (0.00 when not).
The envelope is `emsterm.interfaces.match_file`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.match_file import MatchFileError, date_field, money_field, ssn_field

INTERFACE = "NEWHIRE"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "new-hire*.txt"
"""The inbox files the match step reads, in name order."""
LAYOUT = "D|SSN|YYYYMMDD|employer|FEIN|wage"


@dataclass(frozen=True)
class HireRecord:
    """One reported hire."""

    ssn: str
    hired: dt.date
    employer: str
    fein: str
    wage: Decimal
    """The starting monthly wage, 0.00 when the employer did not give it."""


def parse(data: bytes) -> match_file.MatchFile[HireRecord]:
    """Read a new hire file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.wage)


def _detail(number: int, fields: list[str]) -> HireRecord:
    ssn, hired, employer, fein, wage = fields
    if not (len(fein) == 9 and fein.isdigit()):
        raise MatchFileError(f"line {number}: employer FEIN {fein!r} is not nine digits")
    return HireRecord(
        ssn_field(number, ssn),
        date_field(number, hired, "hire date"),
        employer.strip(),
        fein,
        money_field(number, wage, "starting wage"),
    )


def build(records: Iterable[HireRecord], file_date: dt.date, sender: str = "CTDOL") -> bytes:
    """A new hire file as the Department of Labor sends it (for drills, demos and tests)."""
    rows = list(records)
    details = [f"{r.ssn}|{r.hired:%Y%m%d}|{plain(r.employer)}|{r.fein}|{r.wage:.2f}" for r in rows]
    return match_file.write(INTERFACE, file_date, sender, details, sum((r.wage for r in rows), Decimal("0.00")))
