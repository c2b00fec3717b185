"""The issuance files of a run, by payment method: the check register is written here (the EBT
file is the processor's authorization layout, `emsterm.interfaces.ebt`; the direct-deposit file
a NACHA ACH file, `emsterm.interfaces.nacha`). The check register is a header record, a detail
record per benefit, and a trailer with the record count and dollars, so the receiver can
reconcile.

Records are `|`-separated: `H|file|file date|run`, `D|check number|case|name|purse|program|
benefit month|amount|available|kind`, `T|count|dollars|...` (the check register; its checks are
numbered from the controlled range and listed for the bank on the positive pay file,
`emsterm.interfaces.positive_pay`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from emsterm.model.codes import IssuanceKind, PaymentMethod

FILES = {
    PaymentMethod.EBT: ("ebt-benefits.txt", "EBT"),
    PaymentMethod.DIRECT_DEPOSIT: ("direct-deposit.ach", "ACH"),
    PaymentMethod.CHECK: ("check-register.txt", "CHECKS"),
}
"""Payment method -> (file name, interface name)."""


@dataclass(frozen=True)
class Benefit:
    """One issued benefit as the files show it."""

    case_number: str
    name: str
    program: str
    benefit_type: str
    """SNAP or CASH (the EBT card's two purses)."""
    benefit_month: dt.date
    amount: Decimal
    available: dt.date
    kind: IssuanceKind
    check_number: str = ""
    """The check's number (checks only)."""


@dataclass(frozen=True)
class BenefitFile:
    """A file's bytes and its control totals."""

    name: str
    interface: str
    data: bytes
    records: int
    dollars: Decimal
    totals: dict[str, dict[str, str | int]]


def plain(text: str) -> str:
    """Text as the receiver's fixed character set takes it: capitals, no accents, no `|`."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return flat.upper().replace("|", " ")


def build(method: PaymentMethod, benefits: Iterable[Benefit], file_date: dt.date, run_id: int) -> BenefitFile:
    """The file for one payment method."""
    name, interface = FILES[method]
    lines = [f"H|{interface}|{file_date:%Y%m%d}|{run_id:06d}"]
    count, dollars = 0, Decimal("0.00")
    by_type: dict[str, list[Decimal]] = {}
    for b in benefits:
        number = f"{b.check_number}|" if method == PaymentMethod.CHECK else ""
        lines.append(
            f"D|{number}{b.case_number}|{plain(b.name)[:30]}|{b.benefit_type}|{b.program}|{b.benefit_month:%Y%m}|"
            f"{b.amount:.2f}|{b.available:%Y%m%d}|{b.kind}"
        )
        count += 1
        dollars += b.amount
        by_type.setdefault(b.benefit_type, []).append(b.amount)
    totals: dict[str, dict[str, str | int]] = {
        kind: {"records": len(v), "dollars": f"{sum(v, Decimal('0')):.2f}"} for kind, v in sorted(by_type.items())
    }
    trailer = "|".join(f"{kind}|{t['records']}|{t['dollars']}" for kind, t in totals.items())
    lines.append(f"T|{count}|{dollars:.2f}" + (f"|{trailer}" if trailer else ""))
    return BenefitFile(name, interface, ("\n".join(lines) + "\n").encode("ascii"), count, dollars, totals)
