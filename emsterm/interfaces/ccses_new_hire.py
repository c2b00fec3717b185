"""The DOL new-hire file for child support locate: the employees employers reported to the
Connecticut Department of Labor's State Directory of New Hires (42 USC 653a), with the home
address the W-4 gives. Reader and writer, pure.

    H|CS-NEWHIRE|file date YYYYMMDD|CTDOL
    D|SSN|last name|first name|birth date YYYYMMDD|street|city|state|zip|hire date YYYYMMDD|
      employer name|employer FEIN (9 digits)|starting wage a month (0.00 when not given)
    T|detail record count|total starting wages

(each D record is one line). The birth date and the address may be blank. The envelope and its
controls are `emsterm.interfaces.match_file`: a file that is not whole and right is refused
whole (`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.locate_files import Located, address_fields, name_field, optional_date, text
from emsterm.interfaces.match_file import MatchFileError, date_field, money_field, ssn_field

INTERFACE = "CS-NEWHIRE"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "cs-new-hire*.txt"
"""The inbox files the LOCATE step reads, in name order."""
SENDER = "CTDOL"
LAYOUT = "D|SSN|last|first|birth|street|city|state|zip|hired|employer|FEIN|wage"


@dataclass(frozen=True)
class NewHire:
    """One reported hire."""

    located: Located
    hired: dt.date
    fein: str
    wage: Decimal


def parse(data: bytes) -> match_file.MatchFile[NewHire]:
    """Read a new-hire file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.wage)


def _detail(number: int, fields: list[str]) -> NewHire:
    ssn, last, first, birth, street, city, state, zip_code, hired, employer, fein, wage = fields
    if not (len(fein) == 9 and fein.isdigit()):
        raise MatchFileError(f"line {number}: employer FEIN {fein!r} is not nine digits")
    address = address_fields(number, street, city, state, zip_code)
    located = Located(
        ssn_field(number, ssn),
        name_field(number, last, "last name", 30),
        name_field(number, first, "first name", 20),
        optional_date(number, birth, "birth date"),
        *address,
        employer=name_field(number, employer, "employer name", 40),
    )
    return NewHire(located, date_field(number, hired, "hire date"), fein, money_field(number, wage, "starting wage"))


def build(file_date: dt.date, hires: Iterable[NewHire]) -> bytes:
    """The file as DOL writes it (for drills, demos and tests)."""
    rows = list(hires)
    details = []
    for h in rows:
        p = h.located
        values = (p.ssn, p.last_name, p.first_name, p.birth_date, p.street, p.city, p.state, p.zip, h.hired,
                  p.employer, h.fein, f"{h.wage:.2f}")  # fmt: skip
        details.append("|".join(text(v) for v in values))
    return match_file.write(INTERFACE, file_date, SENDER, details, sum((h.wage for h in rows), Decimal("0.00")))
