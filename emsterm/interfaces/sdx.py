"""SDX, the State Data Exchange: the federal SSI payment SSA makes to each person in the state
for a month.

    H|SDX|file date YYYYMMDD|SSA
    D|SSN|payment month YYYYMM|federal SSI payment|payment status
    T|detail record count|total payments

Payment status: C01 current pay; N01 non-pay (excess income), N04 non-pay (excess resources),
T01 terminated (an SSI payment not in current pay is 0.00 for the month) (verify the codes
against SSA's SDX record layout). The envelope is `emsterm.interfaces.match_file`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.match_file import code_field, money_field, month_field, ssn_field

INTERFACE = "SDX"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "sdx*.txt"
"""The inbox files the match step reads, in name order."""
LAYOUT = "D|SSN|YYYYMM|payment|status"
STATUSES = ("C01", "N01", "N04", "T01")
"""The payment status codes; C01 is current pay."""


@dataclass(frozen=True)
class SsiRecord:
    """One person's SSI payment for one month."""

    ssn: str
    month: dt.date
    payment: Decimal
    status: str

    @property
    def paid(self) -> Decimal:
        """What SSA pays for the month: the payment when in current pay, else nothing."""
        return self.payment if self.status == "C01" else Decimal("0.00")


def parse(data: bytes) -> match_file.MatchFile[SsiRecord]:
    """Read an SDX file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.payment)


def _detail(number: int, fields: list[str]) -> SsiRecord:
    ssn, month, payment, status = fields
    return SsiRecord(
        ssn_field(number, ssn),
        month_field(number, month, "payment month"),
        money_field(number, payment, "payment"),
        code_field(number, status, "payment status", STATUSES),
    )


def build(records: Iterable[SsiRecord], file_date: dt.date, sender: str = "SSA") -> bytes:
    """An SDX file as SSA sends it (for drills, demos and tests)."""
    rows = list(records)
    details = [f"{r.ssn}|{r.month:%Y%m}|{r.payment:.2f}|{r.status}" for r in rows]
    return match_file.write(INTERFACE, file_date, sender, details, sum((r.payment for r in rows), Decimal("0.00")))
