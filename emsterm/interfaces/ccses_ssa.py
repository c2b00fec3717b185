"""The Social Security Administration's locate response for child support: for each SSN CCSES
asked about, whether SSA verified it, the address SSA has and the monthly Title II benefit
(45 CFR 303.3(b)(1)). Reader and writer, pure.

    H|CS-SSA|file date YYYYMMDD|SSA
    D|SSN|last name|first name|birth date YYYYMMDD|verified (Y or N)|street|city|state|zip|
      monthly benefit
    T|detail record count|total monthly benefits

(each D record is one line). A record SSA did not verify (N) finds nothing. The envelope and
its controls are `emsterm.interfaces.match_file`: a file that is not whole and right is refused
whole (`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.locate_files import Located, address_fields, name_field, optional_date, text
from emsterm.interfaces.match_file import code_field, money_field, ssn_field

INTERFACE = "CS-SSA"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "cs-ssa*.txt"
"""The inbox files the LOCATE step reads, in name order."""
SENDER = "SSA"
LAYOUT = "D|SSN|last|first|birth|verified|street|city|state|zip|benefit"


@dataclass(frozen=True)
class SsaResponse:
    """SSA's answer about one SSN."""

    located: Located
    verified: bool
    benefit: Decimal


def parse(data: bytes) -> match_file.MatchFile[SsaResponse]:
    """Read an SSA response file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.benefit)


def _detail(number: int, fields: list[str]) -> SsaResponse:
    ssn, last, first, birth, verified, street, city, state, zip_code, benefit = fields
    ok = code_field(number, verified, "verified", ("Y", "N")) == "Y"
    address = address_fields(number, street, city, state, zip_code) if ok else ("", "", "", "")
    located = Located(
        ssn_field(number, ssn),
        name_field(number, last, "last name", 30),
        name_field(number, first, "first name", 20),
        optional_date(number, birth, "birth date"),
        *address,
    )
    return SsaResponse(located, ok, money_field(number, benefit, "monthly benefit"))


def build(file_date: dt.date, responses: Iterable[SsaResponse]) -> bytes:
    """The file as SSA writes it (for drills, demos and tests)."""
    rows = list(responses)
    details = []
    for r in rows:
        p = r.located
        values = (p.ssn, p.last_name, p.first_name, p.birth_date, "Y" if r.verified else "N", p.street, p.city,
                  p.state, p.zip, f"{r.benefit:.2f}")  # fmt: skip
        details.append("|".join(text(v) for v in values))
    return match_file.write(INTERFACE, file_date, SENDER, details, sum((r.benefit for r in rows), Decimal("0.00")))
