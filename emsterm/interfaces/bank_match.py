"""The bank asset match (the Asset Verification System, 42 USC 1396w): balances financial
institutions report for the accounts of the people EMS asked about.

    H|BANKMATCH|file date YYYYMMDD|sender
    D|SSN|institution|account (last 4 digits)|account type C/S|balance|as of YYYYMMDD
    T|detail record count|total balances

The envelope is `emsterm.interfaces.match_file`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces import match_file
from emsterm.interfaces.benefit_files import plain
from emsterm.interfaces.match_file import MatchFileError, code_field, date_field, money_field, ssn_field

INTERFACE = "BANKMATCH"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
PATTERN = "bank-match*.txt"
"""The inbox files the match step reads, in name order."""
LAYOUT = "D|SSN|institution|account|type|balance|YYYYMMDD"


@dataclass(frozen=True)
class BalanceRecord:
    """One account's balance on a date."""

    ssn: str
    institution: str
    account: str
    """The account number's last four digits."""
    account_type: str
    """C checking, S savings."""
    balance: Decimal
    as_of: dt.date


def parse(data: bytes) -> match_file.MatchFile[BalanceRecord]:
    """Read a bank match file; MatchFileError naming the line if it is not whole and right."""
    return match_file.read(data, INTERFACE, LAYOUT, _detail, lambda r: r.balance)


def _detail(number: int, fields: list[str]) -> BalanceRecord:
    ssn, institution, account, kind, balance, as_of = fields
    if not (len(account) == 4 and account.isdigit()):
        raise MatchFileError(f"line {number}: account {account!r} is not the last four digits")
    return BalanceRecord(
        ssn_field(number, ssn),
        institution.strip(),
        account,
        code_field(number, kind, "account type", ("C", "S")),
        money_field(number, balance, "balance"),
        date_field(number, as_of, "as-of date"),
    )


def build(records: Iterable[BalanceRecord], file_date: dt.date, sender: str = "AVS") -> bytes:
    """A bank match file as the asset verification vendor sends it (for drills, demos and tests)."""
    rows = list(records)
    details = [
        f"{r.ssn}|{plain(r.institution)}|{r.account}|{r.account_type}|{r.balance:.2f}|{r.as_of:%Y%m%d}" for r in rows
    ]
    return match_file.write(INTERFACE, file_date, sender, details, sum((r.balance for r in rows), Decimal("0.00")))
