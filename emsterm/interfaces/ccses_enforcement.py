"""The four CCSES enforcement files: income withholding orders (to employers), the federal tax
refund offset certification (to OCSE), the credit bureau report (to the consumer reporting
agencies) and the license suspension candidate list. Writer and reader, pure (records in, bytes
out and back), in the match-file envelope (`emsterm.interfaces.match_file`):

    H|INTERFACE|file date YYYYMMDD|CTDSS
    D|support number|NCP SSN|NCP last name|NCP first name|arrears type|amount|action date YYYYMMDD|employer
    T|detail record count|total amount

Arrears type: A assigned to the state, N owed to the family (a tax offset certifies each that
reaches its threshold as its own record, 45 CFR 303.72(a)), T all the arrears (the other
files). The employer is filled for income withholding only; the SSN may be blank there (the
employer knows its employee), never in the other files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.match_file import MatchFileError
from emsterm.model.codes import EnforcementType

SENDER = "CTDSS"
LAYOUT = "D|support number|NCP SSN|last name|first name|arrears type|amount|action date|employer"
ARREARS_TYPES = ("A", "N", "T")


@dataclass(frozen=True)
class Format:
    """One of the four files: its interface log name and its file name."""

    interface: str
    file_name: str
    """With `{date:%Y%m%d}` for the business date."""


FORMATS = {
    EnforcementType.INCOME_WITHHOLDING: Format("CS-IWO", "cs-income-withholding-{date:%Y%m%d}.txt"),
    EnforcementType.TAX_OFFSET: Format("CS-TAXOFFSET", "cs-tax-offset-{date:%Y%m%d}.txt"),
    EnforcementType.CREDIT_BUREAU: Format("CS-CREDIT", "cs-credit-bureau-{date:%Y%m%d}.txt"),
    EnforcementType.LICENSE_SUSPENSION: Format("CS-LICENSE", "cs-license-suspension-{date:%Y%m%d}.txt"),
}
"""Each action type's file."""


@dataclass(frozen=True)
class EnforcementRecord:
    """One detail record: a parent, what they owe and the action."""

    support_number: str
    ssn: str
    last_name: str
    first_name: str
    arrears_type: str
    amount: Decimal
    action_date: dt.date
    employer: str = ""


def build(kind: EnforcementType, file_date: dt.date, records: Iterable[EnforcementRecord]) -> bytes:
    """The file of `kind` holding the records."""
    rows = list(records)
    details = [
        "|".join(
            (
                r.support_number,
                r.ssn,
                plain(r.last_name),
                plain(r.first_name),
                r.arrears_type,
                f"{r.amount:.2f}",
                f"{r.action_date:%Y%m%d}",
                plain(r.employer),
            )
        )
        for r in rows
    ]
    total = sum((r.amount for r in rows), Decimal("0.00"))
    return match_file.write(FORMATS[kind].interface, file_date, SENDER, details, total)


def parse(kind: EnforcementType, data: bytes) -> match_file.MatchFile[EnforcementRecord]:
    """Read a file of `kind` back (MatchFileError names the line when it is not whole and right)."""

    def detail(number: int, fields: list[str]) -> EnforcementRecord:
        support, ssn, last, first, arrears_type, amount, day, employer = fields
        if not (support.isdigit() and len(support) == 10):
            raise MatchFileError(f"line {number}: support number {support!r} is not ten digits")
        if ssn or kind != EnforcementType.INCOME_WITHHOLDING:
            match_file.ssn_field(number, ssn)
        if kind == EnforcementType.INCOME_WITHHOLDING and not employer:
            raise MatchFileError(f"line {number}: an income withholding order names the employer")
        return EnforcementRecord(
            support,
            ssn,
            last,
            first,
            match_file.code_field(number, arrears_type, "arrears type", ARREARS_TYPES),
            match_file.money_field(number, amount, "amount"),
            match_file.date_field(number, day, "action date"),
            employer,
        )

    return match_file.read(data, FORMATS[kind].interface, LAYOUT, detail, lambda r: r.amount)
