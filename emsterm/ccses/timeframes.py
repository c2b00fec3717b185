"""The federal timeframes of a support case as clocks: each one's start, deadline, days left on a
date and whether it was met, missed or is still open. Pure: the case's dates and the
parameters in, clocks out (the case summary's timeframe clocks, `ems ccses show`, the TIMEFRAM
step's alerts and the compliance report all call `clocks`).

    OPEN  45 CFR 303.2(b)     referral_date    + OPEN_DAYS       met by initiated_date
    LOCT  45 CFR 303.3(b)(3)  locate_date      + LOCATE_DAYS     met by located_date
    ESTB  45 CFR 303.4(d)     located_date     + ESTABLISH_DAYS  met by established_date
    ENFC  45 CFR 303.6(c)(1)  delinquency_date + ENFORCE_DAYS (ENFORCE_SERVICE_DAYS when service
                              of process is needed)          met by enforcement_date
    REVW  45 CFR 303.8(b)     last_review_date (else established_date) + REVIEW_MONTHS, for
                              current-assistance cases; a review starts the next clock

A clock whose start date is not set has not started and is not returned. A date that meets a
clock counts only on or after its start (an enforcement before the delinquency does not meet
it). The locate clock is met when the parent is located (the sources have all been asked by
then; the stream asks them every night the case is in locate).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from emsterm.model.codes import ClockState, SupportAlertType, SupportCaseType


@dataclass(frozen=True)
class TimeframeParameters:
    """The timeframes' days (cycle parameters of stream CCSES in force on a date)."""

    open_days: int = 20
    locate_days: int = 75
    establish_days: int = 90
    enforce_days: int = 30
    enforce_service_days: int = 60
    review_months: int = 36
    alert_lead_days: int = 5
    """Days before a deadline that the worker is alerted."""
    verify_days: int = 10
    """Days the worker has to verify a locate hit."""


class CaseDates(Protocol):
    """What the clocks read of a support case (a `SupportCase` has all of it)."""

    @property
    def case_type(self) -> str:
        """The support case type."""

    @property
    def referral_date(self) -> dt.date:
        """The day of the first referral."""

    @property
    def initiated_date(self) -> dt.date | None:
        """The day the case left intake."""

    @property
    def locate_date(self) -> dt.date | None:
        """The day locate was found necessary."""

    @property
    def located_date(self) -> dt.date | None:
        """The day the parent was located."""

    @property
    def established_date(self) -> dt.date | None:
        """The day of the order or the service of process."""

    @property
    def service_needed(self) -> bool:
        """Enforcement needs service of process."""

    @property
    def delinquency_date(self) -> dt.date | None:
        """The day of the last delinquency."""

    @property
    def enforcement_date(self) -> dt.date | None:
        """The day of the last enforcement action."""

    @property
    def last_review_date(self) -> dt.date | None:
        """The day of the last review and adjustment."""


@dataclass(frozen=True)
class Clock:
    """One timeframe of one case: from `start`, due by `deadline`, done on `done` (or not)."""

    timeframe: SupportAlertType
    start: dt.date
    deadline: dt.date
    done: dt.date | None

    def days_left(self, on: dt.date) -> int:
        """Days from `on` to the deadline (0 on the deadline, negative after it)."""
        return (self.deadline - on).days

    def state(self, on: dt.date) -> ClockState:
        """Met (done by the deadline), missed (done late, or not done and past it) or open, as
        things stood on `on` (a date done after `on` is not done yet)."""
        if self.done is not None and self.done <= on:
            return ClockState.MET if self.done <= self.deadline else ClockState.MISSED
        return ClockState.OPEN if on <= self.deadline else ClockState.MISSED

    def alert_date(self, lead_days: int) -> dt.date:
        """The day the worker is alerted: `lead_days` before the deadline."""
        return self.deadline - dt.timedelta(days=lead_days)

    def alert_due(self, on: dt.date, lead_days: int) -> bool:
        """Whether an alert is due on `on`: the clock is not done and its alert date has come."""
        return (self.done is None or self.done > on) and on >= self.alert_date(lead_days)

    def as_dict(self, on: dt.date) -> dict[str, Any]:
        """The clock as `ems ccses show` prints it, on `on`."""
        return {
            "timeframe": str(self.timeframe),
            "start": self.start.isoformat(),
            "deadline": self.deadline.isoformat(),
            "done": self.done.isoformat() if self.done else None,
            "days_left": self.days_left(on),
            "state": str(self.state(on)),
        }


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _after(done: dt.date | None, start: dt.date) -> dt.date | None:
    return done if done is not None and done >= start else None


def clocks(case: CaseDates, parameters: TimeframeParameters) -> list[Clock]:
    """The case's started clocks, in the order of the timeframes."""
    p = parameters
    days = dt.timedelta
    found = [Clock(SupportAlertType.OPEN, case.referral_date, case.referral_date + days(p.open_days),
                   _after(case.initiated_date, case.referral_date))]  # fmt: skip
    if case.locate_date is not None:
        start = case.locate_date
        found.append(
            Clock(SupportAlertType.LOCATE, start, start + days(p.locate_days), _after(case.located_date, start))
        )
    if case.located_date is not None:
        start = case.located_date
        found.append(
            Clock(
                SupportAlertType.ESTABLISH, start, start + days(p.establish_days), _after(case.established_date, start)
            )
        )
    if case.delinquency_date is not None:
        start = case.delinquency_date
        allowed = p.enforce_service_days if case.service_needed else p.enforce_days
        found.append(
            Clock(SupportAlertType.ENFORCE, start, start + days(allowed), _after(case.enforcement_date, start))
        )
    reviewed = case.last_review_date or case.established_date
    if reviewed is not None and case.case_type == SupportCaseType.CURRENT_ASSISTANCE:
        found.append(Clock(SupportAlertType.REVIEW, reviewed, add_months(reviewed, p.review_months), None))
    return found
