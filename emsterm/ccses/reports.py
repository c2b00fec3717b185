"""CCSES's reports, first part: the support caseload by status and type at each month's end
(`caseload_by_month`) and the federal timeframe compliance report (`timeframe_compliance`), as
CSV and PNG like EMS's participation report (`emsterm.reports`).

A case counts in a month in the status and type its dated history (SUPSTAT) gives it on the
month's last day (on the business date for the month in progress); a case referred after that
day is not counted yet, and a closed case counts as closed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.timeframes import clocks
from emsterm.model import SupportAlertType, SupportCase, SupportCaseType, SupportStatus, SupportStatusHistory

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


def status_on(session: Session, day: dt.date) -> list[tuple[int, SupportCaseType, SupportStatus]]:
    """Each support case referred by `day` with the type and status its dated history gives it
    that day (as the caseload report counts it)."""
    found: dict[int, tuple[SupportCaseType, SupportStatus]] = {}
    for case_id, status, case_type in session.execute(
        select(SupportStatusHistory.support_case_id, SupportStatusHistory.status, SupportStatusHistory.case_type)
        .where(SupportStatusHistory.effective_date <= day)
        .order_by(SupportStatusHistory.support_case_id, SupportStatusHistory.seq)
    ):
        found[case_id] = (SupportCaseType(case_type), SupportStatus(status))
    return [(cid, t, s) for cid, (t, s) in found.items()]


COMPLIANCE_HEADER = ["Month", "Timeframe", "Source", "Due", "Met", "Missed", "Percent Met"]
"""The timeframe compliance report's published columns."""
TIMEFRAME_SOURCES = {
    SupportAlertType.OPEN: "45 CFR 303.2(b)",
    SupportAlertType.LOCATE: "45 CFR 303.3(b)(3)",
    SupportAlertType.ESTABLISH: "45 CFR 303.4(d)",
    SupportAlertType.ENFORCE: "45 CFR 303.6(c)(1)",
    SupportAlertType.REVIEW: "45 CFR 303.8(b)",
}
"""The federal timeframes the report measures, with their sources."""


@dataclass(frozen=True)
class ComplianceRow:
    """How the clocks of one timeframe that were decided in one month came out: met when done
    by the deadline (counted in the month it was done), missed when the deadline passed first
    (counted in the month after the deadline, when it was missed)."""

    month: dt.date
    timeframe: SupportAlertType
    met: int
    missed: int

    @property
    def due(self) -> int:
        """The clocks decided in the month."""
        return self.met + self.missed

    @property
    def percent(self) -> Decimal | None:
        """The share met, in percent to one decimal (None when none was due)."""
        if not self.due:
            return None
        return (Decimal(100 * self.met) / self.due).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def program(self) -> str:
        """The series the chart draws it in: its timeframe."""
        return str(self.timeframe)

    @property
    def count(self) -> int:
        """What the chart draws: the percentage met, rounded (0 when none was due)."""
        return int(self.percent or 0)

    def record(self) -> list[object]:
        """The row as published."""
        return [f"{self.month:%Y-%m}", str(self.timeframe), TIMEFRAME_SOURCES[self.timeframe], self.due, self.met,
                self.missed, "" if self.percent is None else f"{self.percent}"]  # fmt: skip


def timeframe_compliance(session: Session, first: dt.date, last: dt.date, today: dt.date) -> list[ComplianceRow]:
    """Each timeframe in each month from `first` to `last` (no month after `today`'s): the
    clocks of every support case (`timeframes.clocks`, with the parameters in force on
    `today`) decided in the month, met and missed."""
    months = [m for m in months_between(first, last) if m <= today]
    index = {(m.year, m.month): i for i, m in enumerate(months)}
    counts: Counter[tuple[int, SupportAlertType, bool]] = Counter()
    parameters = timeframe_parameters(session, today)
    for case in session.scalars(select(SupportCase).execution_options(yield_per=5000)):
        for clock in clocks(case, parameters):
            if clock.done is not None and clock.done <= clock.deadline:
                on, met = clock.done, True
            else:
                on, met = clock.deadline + dt.timedelta(days=1), False
            if on > today:
                continue
            at = index.get((on.year, on.month))
            if at is not None:
                counts[at, clock.timeframe, met] += 1
    return [
        ComplianceRow(month, timeframe, counts[i, timeframe, True], counts[i, timeframe, False])
        for i, month in enumerate(months)
        for timeframe in TIMEFRAME_SOURCES
    ]
