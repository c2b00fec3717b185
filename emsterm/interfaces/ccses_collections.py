"""The collections file: the child support payments the payment processing unit (the State
Disbursement Unit, 42 USC 654b) received, for CCSES to post and distribute. Reader and writer, pure.

    H|COLLECTIONS|file date YYYYMMDD|SMI
    D|support case id|non-custodial parent's SSN (9 digits, or blank)|amount|received YYYYMMDD|source
    T|detail record count|total amount

SOURCE is WAGE (income withholding), DIRECT, TAXOFFSET (a federal tax refund offset), UI
(unemployment compensation) or OTHER. The case id may be blank or wrong: such a payment goes to
the unidentified-payments suspense. The envelope and its controls are
`emsterm.interfaces.match_file`: a file whose trailer disagrees, or with any bad line, is refused
whole (`MatchFileError` names the line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.match_file import MatchFileError, code_field, date_field, money_field
from emsterm.model.codes import PaymentSource

INTERFACE = "COLLECTIONS"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "collections*.txt"
"""The inbox files the POSTPAY step reads, in name order."""
SENDER = "SMI"
LAYOUT = "D|support case id|NCP SSN|amount|received|source"
SOURCES = {
    "WAGE": PaymentSource.WAGE,
    "DIRECT": PaymentSource.DIRECT,
    "TAXOFFSET": PaymentSource.TAX_OFFSET,
    "UI": PaymentSource.UNEMPLOYMENT,
    "OTHER": PaymentSource.OTHER,
}
"""The file's SOURCE words -> the collection source codes."""
WORDS = {code: word for word, code in SOURCES.items()}

__all__ = ["INTERFACE", "PATTERN", "Collection", "MatchFileError", "build", "parse"]


@dataclass(frozen=True)
class Collection:
    """One payment received."""

    support_case: str
    """The case id as given (blank when the payer gave none)."""
    ncp_ssn: str
    """Blank when not given."""
    amount: Decimal
    received: dt.date
    source: PaymentSource
    line: int = 0
    """The line of the file it was on."""


def parse(data: bytes) -> match_file.MatchFile[Collection]:
    """Read a collections file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.amount)


def _detail(number: int, fields: list[str]) -> Collection:
    case_id, ssn, amount, received, source = (f.strip() for f in fields)
    if len(case_id) > 10 or (case_id and not case_id.isalnum()):
        raise MatchFileError(f"line {number}: support case id {case_id!r} is not up to ten letters and digits")
    if ssn and not (len(ssn) == 9 and ssn.isdigit()):
        raise MatchFileError(f"line {number}: NCP SSN {ssn!r} is not nine digits")
    value = money_field(number, amount, "amount")
    if value <= 0:
        raise MatchFileError(f"line {number}: amount {amount!r} must be more than zero")
    word = code_field(number, source, "source", SOURCES)
    return Collection(case_id, ssn, value, date_field(number, received, "received date"), SOURCES[word], number)


def build(collections: Iterable[Collection], file_date: dt.date, sender: str = SENDER) -> bytes:
    """A collections file as the payment processing unit writes it (for drills, demos, tests)."""
    rows = list(collections)
    details = (f"{c.support_case}|{c.ncp_ssn}|{c.amount:.2f}|{c.received:%Y%m%d}|{WORDS[c.source]}" for c in rows)
    return match_file.write(INTERFACE, file_date, sender, details, sum((c.amount for c in rows), Decimal("0.00")))
