"""The reports' published columns, shared by `ems report` and the monthly stream's outbox."""

from __future__ import annotations

from typing import Any

from emsterm.reports.financial import IssuedRow, ReconciledRow
from emsterm.reports.participation import Row

PARTICIPATION_HEADER = {
    False: ["Calendar Year", "Month", "Program Name", "Medical Benefit Plan", "Recipient Count"],
    True: ["Calendar Year", "Month", "Town", "Program Name", "Medical Benefit Plan", "Recipient Count"],
}
"""The participation report's columns, without and with the town."""

ISSUED_HEADER = ["Benefit Month", "Program", "Method", "Issuances", "Dollars"]
RECONCILED_HEADER = [
    "Run",
    "Stream",
    "Business Date",
    "Method",
    "File Records",
    "File Dollars",
    "Issued Records",
    "Issued Dollars",
    "Check",
]


def participation_record(row: Row, by_town: bool) -> list[Any]:
    """A participation row as published."""
    return [str(row.year), row.month_name, *([row.town] if by_town else []), row.program, row.plan, row.count]


def issued_record(row: IssuedRow) -> list[Any]:
    """An issuance total as published (dollars without separators, for spreadsheets)."""
    return [f"{row.benefit_month:%Y-%m}", row.program, row.method, row.issuances, f"{row.dollars:.2f}"]


def reconciled_record(row: ReconciledRow) -> list[Any]:
    """A run's file beside its recorded issuances, as published."""
    return [
        row.run_id,
        row.stream,
        row.business_date.isoformat(),
        row.method,
        row.file_records,
        f"{row.file_dollars:.2f}",
        row.issued_records,
        f"{row.issued_dollars:.2f}",
        "OK" if row.agrees else "DIFFERS",
    ]
