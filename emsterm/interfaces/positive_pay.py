"""The positive pay file: the checks drawn on the State's disbursement account that the bank
may pay (issued) and may not (voided), so a forged, altered or voided check is refused at the
counter. The bank matches each presented check's number and amount against it.

Records are `|`-separated:

    H|POSPAY|file date YYYYMMDD|disbursement account|run
    D|I|check number|amount|issue date YYYYMMDD|payee       an issued check
    D|V|check number|amount|issue date YYYYMMDD|payee       a voided check: do not pay
    T|issued count|issued dollars|voided count|voided dollars
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.interfaces.benefit_files import plain

INTERFACE = "POSPAY"
"""The interface name on the file's header and its INTERFACE_FILE rows."""
FILE = "positive-pay.txt"
ISSUED, VOIDED = "I", "V"
"""The record actions."""


@dataclass(frozen=True)
class Check:
    """One check on the file."""

    action: str
    """I issued or V voided."""
    number: str
    amount: Decimal
    issued: dt.date
    payee: str


@dataclass(frozen=True)
class PositivePay:
    """The file's bytes and its control totals."""

    data: bytes
    issued: int
    issued_dollars: Decimal
    voided: int
    voided_dollars: Decimal


def build(checks: Iterable[Check], file_date: dt.date, account: str, run_id: int) -> PositivePay:
    """The positive pay file of a run: issued checks in number order, then voids."""
    rows = sorted(checks, key=lambda c: (c.action != ISSUED, c.number))
    lines = [f"H|{INTERFACE}|{file_date:%Y%m%d}|{account}|{run_id:06d}"]
    lines += [f"D|{c.action}|{c.number}|{c.amount:.2f}|{c.issued:%Y%m%d}|{plain(c.payee)[:30]}" for c in rows]
    issued = [c.amount for c in rows if c.action == ISSUED]
    voided = [c.amount for c in rows if c.action == VOIDED]
    totals = (len(issued), sum(issued, Decimal("0.00")), len(voided), sum(voided, Decimal("0.00")))
    lines.append(f"T|{totals[0]}|{totals[1]:.2f}|{totals[2]}|{totals[3]:.2f}")
    return PositivePay(("\n".join(lines) + "\n").encode("ascii"), *totals)


def parse(data: bytes) -> list[Check]:
    """Read a positive pay file back (the bank's side, for the tests); ValueError when its
    trailer disagrees with its records."""
    lines = data.decode("ascii").splitlines()
    if not lines or not lines[0].startswith(f"H|{INTERFACE}|") or not lines[-1].startswith("T|"):
        raise ValueError("not a positive pay file: no header or trailer")
    checks = []
    for line in lines[1:-1]:
        _, action, number, amount, issued, payee = line.split("|")
        checks.append(Check(action, number, Decimal(amount), dt.datetime.strptime(issued, "%Y%m%d").date(), payee))
    paid = [c.amount for c in checks if c.action == ISSUED]
    stopped = [c.amount for c in checks if c.action == VOIDED]
    made = f"T|{len(paid)}|{sum(paid, Decimal('0.00')):.2f}|{len(stopped)}|{sum(stopped, Decimal('0.00')):.2f}"
    if made != lines[-1]:
        raise ValueError(f"the trailer says {lines[-1]}, the records make {made}")
    return checks
