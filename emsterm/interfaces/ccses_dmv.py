"""The Department of Motor Vehicles' address file for child support locate: licensed drivers
and registered owners with the address DMV has (45 CFR 303.3(b)(1)); DMV may not know the SSN,
so CCSES matches those by name and birth date. Reader and writer, pure.

    H|CS-DMV|file date YYYYMMDD|CTDMV
    D|license number|SSN (blank when unknown)|last name|first name|birth date YYYYMMDD|
      street|city|state|zip
    T|detail record count|0.00

(each D record is one line; the file carries no dollars). The envelope and its controls are
`emsterm.interfaces.match_file`: a file that is not whole and right is refused whole
(`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.locate_files import Located, address_fields, name_field, optional_ssn, text
from emsterm.interfaces.match_file import MatchFileError, date_field

INTERFACE = "CS-DMV"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "cs-dmv*.txt"
"""The inbox files the LOCATE step reads, in name order."""
SENDER = "CTDMV"
LAYOUT = "D|license|SSN|last|first|birth|street|city|state|zip"


@dataclass(frozen=True)
class MotorVehicle:
    """One driver or owner DMV knows."""

    license: str
    located: Located


def parse(data: bytes) -> match_file.MatchFile[MotorVehicle]:
    """Read a DMV file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda _r: Decimal("0.00"))


def _detail(number: int, fields: list[str]) -> MotorVehicle:
    license_number, ssn, last, first, birth, street, city, state, zip_code = fields
    if not (license_number.isalnum() and len(license_number) <= 12):
        raise MatchFileError(f"line {number}: license number {license_number!r} is not 1-12 letters and digits")
    located = Located(
        optional_ssn(number, ssn),
        name_field(number, last, "last name", 30),
        name_field(number, first, "first name", 20),
        date_field(number, birth, "birth date"),
        *address_fields(number, street, city, state, zip_code),
    )
    return MotorVehicle(license_number.upper(), located)


def build(file_date: dt.date, drivers: Iterable[MotorVehicle]) -> bytes:
    """The file as DMV writes it (for drills, demos and tests)."""
    details = []
    for d in drivers:
        p = d.located
        values = (d.license, p.ssn, p.last_name, p.first_name, p.birth_date, p.street, p.city, p.state, p.zip)
        details.append("|".join(text(v) for v in values))
    return match_file.write(INTERFACE, file_date, SENDER, details, Decimal("0.00"))
