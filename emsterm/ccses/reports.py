"""CCSES's reports, first part: the support caseload by status and type at each month's end
(`caseload_by_month`), as CSV and PNG like EMS's participation report (`emsterm.reports`).

A case counts in a month in the status and type its dated history (SUPSTAT) gives it on the
month's last day (on the business date for the month in progress); a case referred after that
day is not counted yet, and a closed case counts as closed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import SupportCaseType, SupportStatus, SupportStatusHistory

CASELOAD_HEADER = ["Month", "Case Type", "Status", "Cases"]
"""The caseload report's published columns."""
TYPE_NAMES = {
    SupportCaseType.CURRENT_ASSISTANCE: "Current assistance",
    SupportCaseType.FORMER_ASSISTANCE: "Former assistance",
    SupportCaseType.MEDICAID_ONLY: "Medicaid only",
    SupportCaseType.NEVER_ASSISTANCE: "Never assistance",
}
"""The case types as the report names them (the federal OCSE-157 categories, with Medicaid
only apart)."""
STATUS_NAMES = {
    SupportStatus.INTAKE: "Intake",
    SupportStatus.LOCATE: "Locate",
    SupportStatus.ESTABLISHMENT: "Establishment",
    SupportStatus.ENFORCEMENT: "Enforcement",
    SupportStatus.CLOSED: "Closed",
}
"""The statuses as the report names them."""


@dataclass(frozen=True)
class CaseloadRow:
    """The support cases of one type in one status at one month's end."""

    month: dt.date
    """The month (its first day)."""
    case_type: SupportCaseType
    status: SupportStatus
    cases: int

    @property
    def program(self) -> str:
        """The series the chart draws it in: its status."""
        return STATUS_NAMES[self.status]

    @property
    def count(self) -> int:
        """What the chart draws."""
        return self.cases

    def record(self) -> list[object]:
        """The row as published."""
        return [f"{self.month:%Y-%m}", TYPE_NAMES[self.case_type], STATUS_NAMES[self.status], self.cases]


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def month_end(month: dt.date, today: dt.date) -> dt.date:
    """The day a month's count is taken: its last day, or today for the month in progress."""
    last = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return min(last, today)


def caseload_by_month(session: Session, first: dt.date, last: dt.date, today: dt.date) -> list[CaseloadRow]:
    """Every type and status in every month from `first` to `last` (zeros too), by month,
    type and status; no month after `today`'s."""
    months = [m for m in months_between(first, last) if m <= today]
    ends = [month_end(m, today) for m in months]
    counts: Counter[tuple[int, SupportCaseType, SupportStatus]] = Counter()
    query = select(
        SupportStatusHistory.support_case_id,
        SupportStatusHistory.effective_date,
        SupportStatusHistory.status,
        SupportStatusHistory.case_type,
    ).order_by(SupportStatusHistory.support_case_id, SupportStatusHistory.seq)
    current: int | None = None
    steps: list[tuple[dt.date, SupportStatus, SupportCaseType]] = []

    def count(steps: list[tuple[dt.date, SupportStatus, SupportCaseType]]) -> None:
        at = 0
        for index, end in enumerate(ends):
            while at < len(steps) and steps[at][0] <= end:
                at += 1
            if at:
                _, status, case_type = steps[at - 1]
                counts[index, case_type, status] += 1

    for case_id, on, status, case_type in session.execute(query):
        if case_id != current:
            if steps:
                count(steps)
            current, steps = case_id, []
        steps.append((on, SupportStatus(status), SupportCaseType(case_type)))
    if steps:
        count(steps)
    return [
        CaseloadRow(month, case_type, status, counts[index, case_type, status])
        for index, month in enumerate(months)
        for case_type in SupportCaseType
        for status in SupportStatus
    ]
