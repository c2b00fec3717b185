"""The support collections file, CCSES to EMS: per EMS case and month whose collections changed
since the last file, what was collected, what was passed through to the family and what current
support the state retained. Reader and writer, pure (records in, bytes out and back).

    H|CCSES-SUPP|file date YYYYMMDD|CCSES
    D|EMS case number|payee client number|month YYYYMM|collected|passed through|retained current
    T|detail record count|total collected

Each record gives the month's figures as they stand (not a change since the last file), so a
month sent again replaces what EMS had. The payee is the custodial party, an EMS client. The
envelope and its controls are `emsterm.interfaces.match_file`: a file whose trailer disagrees,
or with any bad line, is refused whole (`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.match_file import MatchFileError, money_field, month_field

INTERFACE = "CCSES-SUPP"
"""The interface name on the header and the sender's INTERFACE_FILE rows."""
RECEIVED_INTERFACE = "CCSES-SUPIN"
"""The interface log name of the same file as EMS receives it."""
FILE_NAME = "ccses-support-{date:%Y%m%d}.txt"
"""The file's name in CCSES's outbox (and EMS's inbox)."""
PATTERN = "ccses-support-*.txt"
"""The inbox files the EMS step reads, in name order."""
SENDER = "CCSES"
LAYOUT = "D|EMS case|payee client|month|collected|passed through|retained current"

__all__ = ["INTERFACE", "PATTERN", "MatchFileError", "SupportMonth", "build", "parse"]


@dataclass(frozen=True)
class SupportMonth:
    """One EMS case's child support in one month."""

    case_number: str
    payee_client_number: str
    month: dt.date
    """The first of the month."""
    collected: Decimal
    passed_through: Decimal
    retained_current: Decimal


def parse(data: bytes) -> match_file.MatchFile[SupportMonth]:
    """Read a support collections file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.collected)


def _detail(number: int, fields: list[str]) -> SupportMonth:
    case_number, payee, month, collected, passed, retained = (f.strip() for f in fields)
    if not (len(case_number) == 10 and case_number.isdigit()):
        raise MatchFileError(f"line {number}: EMS case number {case_number!r} is not ten digits")
    if not (len(payee) == 9 and payee.isdigit()):
        raise MatchFileError(f"line {number}: payee client number {payee!r} is not nine digits")
    record = SupportMonth(
        case_number,
        payee,
        month_field(number, month, "month"),
        money_field(number, collected, "collected"),
        money_field(number, passed, "passed through"),
        money_field(number, retained, "retained current"),
    )
    if record.passed_through + record.retained_current > record.collected:
        raise MatchFileError(
            f"line {number}: passed through {passed} and retained {retained} are more than collected {collected}"
        )
    return record


def build(months: Iterable[SupportMonth], file_date: dt.date, sender: str = SENDER) -> bytes:
    """The file's bytes."""
    rows = list(months)
    details = [
        f"{r.case_number}|{r.payee_client_number}|{r.month:%Y%m}|{r.collected:.2f}|{r.passed_through:.2f}|"
        f"{r.retained_current:.2f}"
        for r in rows
    ]
    return match_file.write(INTERFACE, file_date, sender, details, sum((r.collected for r in rows), Decimal("0.00")))
