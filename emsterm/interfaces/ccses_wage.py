"""The DOL quarterly wage file for child support locate: the wages employers reported for a
quarter (42 USC 653(i), 654a(g)), one record per employee and employer, with the employer's
address. It gives an employer, never a home address. Reader and writer, pure.

    H|CS-WAGE|file date YYYYMMDD|CTDOL
    D|SSN|last name|first name|quarter YYYYQn|employer name|employer FEIN (9 digits)|
      employer street|employer city|employer state|employer zip|wages for the quarter
    T|detail record count|total wages

(each D record is one line). The envelope and its controls are `emsterm.interfaces.match_file`:
a file that is not whole and right is refused whole (`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.locate_files import Located, address_fields, name_field, text
from emsterm.interfaces.match_file import MatchFileError, money_field, ssn_field

INTERFACE = "CS-WAGE"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "cs-wages*.txt"
"""The inbox files the LOCATE step reads, in name order."""
SENDER = "CTDOL"
LAYOUT = "D|SSN|last|first|YYYYQn|employer|FEIN|street|city|state|zip|wages"
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


@dataclass(frozen=True)
class QuarterWage:
    """One employee's wages from one employer in one quarter."""

    located: Located
    """The employee, with the employer found (no home address)."""
    quarter: str
    fein: str
    employer_address: tuple[str, str, str, str]
    wages: Decimal


def parse(data: bytes) -> match_file.MatchFile[QuarterWage]:
    """Read a wage file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.wages)


def _detail(number: int, fields: list[str]) -> QuarterWage:
    ssn, last, first, quarter, employer, fein, street, city, state, zip_code, wages = fields
    if not _QUARTER.match(quarter):
        raise MatchFileError(f"line {number}: quarter {quarter!r} is not YYYYQn")
    if not (len(fein) == 9 and fein.isdigit()):
        raise MatchFileError(f"line {number}: employer FEIN {fein!r} is not nine digits")
    located = Located(
        ssn_field(number, ssn),
        name_field(number, last, "last name", 30),
        name_field(number, first, "first name", 20),
        None,
        employer=name_field(number, employer, "employer name", 40),
    )
    address = address_fields(number, street, city, state, zip_code)
    return QuarterWage(located, quarter, fein, address, money_field(number, wages, "wages"))


def build(file_date: dt.date, wages: Iterable[QuarterWage]) -> bytes:
    """The file as DOL writes it (for drills, demos and tests)."""
    rows = list(wages)
    details = []
    for w in rows:
        p = w.located
        values = (p.ssn, p.last_name, p.first_name, w.quarter, p.employer, w.fein, *w.employer_address,
                  f"{w.wages:.2f}")  # fmt: skip
        details.append("|".join(text(v) for v in values))
    return match_file.write(INTERFACE, file_date, SENDER, details, sum((w.wages for w in rows), Decimal("0.00")))
