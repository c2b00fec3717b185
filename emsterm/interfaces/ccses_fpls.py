"""The Federal Parent Locator Service response file (45 CFR 303.70): for each parent CCSES
submitted, what a federal source found (the agency: IRS, SSA, NDNH, VA, DOD, FBI), an address,
an employer or both. Reader and writer, pure.

    H|CS-FPLS|file date YYYYMMDD|OCSE
    D|SSN|last name|first name|birth date YYYYMMDD|agency|street|city|state|zip|employer
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
from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.locate_files import Located, address_fields, name_field, optional_date, text
from emsterm.interfaces.match_file import code_field, ssn_field

INTERFACE = "CS-FPLS"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "cs-fpls*.txt"
"""The inbox files the LOCATE step reads, in name order."""
SENDER = "OCSE"
LAYOUT = "D|SSN|last|first|birth|agency|street|city|state|zip|employer"
AGENCIES = ("IRS", "SSA", "NDNH", "VA", "DOD", "FBI")
"""The federal sources FPLS answers from."""


@dataclass(frozen=True)
class FplsResponse:
    """What one federal source found of a parent."""

    located: Located
    agency: str


def parse(data: bytes) -> match_file.MatchFile[FplsResponse]:
    """Read an FPLS response file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda _r: Decimal("0.00"))


def _detail(number: int, fields: list[str]) -> FplsResponse:
    ssn, last, first, birth, agency, street, city, state, zip_code, employer = fields
    located = Located(
        ssn_field(number, ssn),
        name_field(number, last, "last name", 30),
        name_field(number, first, "first name", 20),
        optional_date(number, birth, "birth date"),
        *address_fields(number, street, city, state, zip_code),
        employer=plain(employer).strip()[:40],
    )
    return FplsResponse(located, code_field(number, agency, "agency", AGENCIES))


def build(file_date: dt.date, responses: Iterable[FplsResponse]) -> bytes:
    """The file as OCSE writes it (for drills, demos and tests)."""
    details = []
    for r in responses:
        p = r.located
        values = (p.ssn, p.last_name, p.first_name, p.birth_date, r.agency, p.street, p.city, p.state, p.zip,
                  p.employer)  # fmt: skip
        details.append("|".join(text(v) for v in values))
    return match_file.write(INTERFACE, file_date, SENDER, details, Decimal("0.00"))
