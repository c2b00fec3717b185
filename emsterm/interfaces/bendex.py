"""BENDEX, the Beneficiary Data Exchange: the Social Security benefit (RSDI) SSA pays each
person EMS asked about, for a month.

    H|BENDEX|file date YYYYMMDD|SSA
    D|SSN|claim number|benefit month YYYYMM|monthly benefit (gross)|payment status
    T|detail record count|total benefits

Payment status: C current pay, S suspended, T terminated (a suspended or terminated benefit is
0.00 for the month). The envelope is `emsterm.interfaces.match_file`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.match_file import code_field, money_field, month_field, ssn_field

INTERFACE = "BENDEX"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "bendex*.txt"
"""The inbox files the match step reads, in name order."""
LAYOUT = "D|SSN|claim number|YYYYMM|benefit|status"
PAYING = "C"
"""The payment status of a benefit being paid."""


@dataclass(frozen=True)
class BenefitRecord:
    """One person's Social Security benefit for one month."""

    ssn: str
    claim: str
    month: dt.date
    benefit: Decimal
    status: str

    @property
    def paid(self) -> Decimal:
        """What SSA pays for the month: the benefit when in current pay, else nothing."""
        return self.benefit if self.status == PAYING else Decimal("0.00")


def parse(data: bytes) -> match_file.MatchFile[BenefitRecord]:
    """Read a BENDEX file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.benefit)


def _detail(number: int, fields: list[str]) -> BenefitRecord:
    ssn, claim, month, benefit, status = fields
    return BenefitRecord(
        ssn_field(number, ssn),
        claim.strip(),
        month_field(number, month, "benefit month"),
        money_field(number, benefit, "benefit"),
        code_field(number, status, "payment status", ("C", "S", "T")),
    )


def build(records: Iterable[BenefitRecord], file_date: dt.date, sender: str = "SSA") -> bytes:
    """A BENDEX file as SSA sends it (for drills, demos and tests)."""
    rows = list(records)
    details = [f"{r.ssn}|{r.claim}|{r.month:%Y%m}|{r.benefit:.2f}|{r.status}" for r in rows]
    return match_file.write(INTERFACE, file_date, sender, details, sum((r.benefit for r in rows), Decimal("0.00")))
