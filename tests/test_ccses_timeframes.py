"""The federal timeframe clocks of a support case (emsterm.ccses.timeframes), each on its
boundary days: the alert date (deadline - lead), the day before the deadline, the deadline and
the day after; and the parameters read from the reference table."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import pytest
from sqlalchemy import Engine

from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.timeframes import Clock, TimeframeParameters, add_months, clocks
from emsterm.database.engine import transaction
from emsterm.model import ClockState, SupportAlertType, SupportCaseType
from emsterm.services.parameters import ParameterMissing

P = TimeframeParameters()
START = dt.date(2025, 3, 10)


@dataclass(frozen=True)
class Dates:
    """A support case's dates."""

    case_type: str = SupportCaseType.CURRENT_ASSISTANCE
    referral_date: dt.date = START
    initiated_date: dt.date | None = None
    locate_date: dt.date | None = None
    located_date: dt.date | None = None
    established_date: dt.date | None = None
    service_needed: bool = False
    delinquency_date: dt.date | None = None
    enforcement_date: dt.date | None = None
    last_review_date: dt.date | None = None


def _clock(case: Dates, timeframe: SupportAlertType) -> Clock:
    (found,) = [c for c in clocks(case, P) if c.timeframe == timeframe]
    return found


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


CASES = [
    (SupportAlertType.OPEN, Dates(), "initiated_date", 20),
    (SupportAlertType.LOCATE, Dates(initiated_date=START, locate_date=START), "located_date", 75),
    (SupportAlertType.ESTABLISH, Dates(initiated_date=START, located_date=START), "established_date", 90),
    (SupportAlertType.ENFORCE, Dates(delinquency_date=START), "enforcement_date", 30),
    (SupportAlertType.ENFORCE, Dates(delinquency_date=START, service_needed=True), "enforcement_date", 60),
]


@pytest.mark.parametrize(("timeframe", "case", "done_by", "days"), CASES)
def test_each_clock_on_its_boundary_days(timeframe: SupportAlertType, case: Dates, done_by: str, days: int) -> None:
    clock = _clock(case, timeframe)
    deadline = START + _days(days)
    assert (clock.start, clock.deadline, clock.done) == (START, deadline, None)
    lead = deadline - _days(P.alert_lead_days)
    assert clock.alert_date(P.alert_lead_days) == lead
    assert not clock.alert_due(lead - _days(1), P.alert_lead_days)
    for day, left, state in [
        (lead - _days(1), P.alert_lead_days + 1, ClockState.OPEN),
        (lead, P.alert_lead_days, ClockState.OPEN),
        (deadline - _days(1), 1, ClockState.OPEN),
        (deadline, 0, ClockState.OPEN),
        (deadline + _days(1), -1, ClockState.MISSED),
    ]:
        assert (clock.days_left(day), clock.state(day)) == (left, state), day
        assert clock.alert_due(day, P.alert_lead_days) == (day >= lead), day
    on_time = _clock(replace(case, **{done_by: deadline}), timeframe)
    assert on_time.state(deadline - _days(1)) == ClockState.OPEN  # not done yet that day
    assert on_time.state(deadline) == ClockState.MET
    assert not on_time.alert_due(deadline, P.alert_lead_days)
    late = _clock(replace(case, **{done_by: deadline + _days(1)}), timeframe)
    assert late.state(deadline + _days(1)) == ClockState.MISSED
    assert late.as_dict(deadline)["state"] == "O" and late.as_dict(deadline)["days_left"] == 0


def test_the_review_clock_runs_36_months_for_current_assistance_only() -> None:
    order = dt.date(2022, 2, 28)
    case = Dates(established_date=order)
    review = _clock(case, SupportAlertType.REVIEW)
    assert (review.start, review.deadline) == (order, dt.date(2025, 2, 28))
    assert review.state(dt.date(2025, 2, 28)) == ClockState.OPEN
    assert review.state(dt.date(2025, 3, 1)) == ClockState.MISSED
    assert review.alert_due(dt.date(2025, 2, 23), 5) and not review.alert_due(dt.date(2025, 2, 22), 5)
    again = _clock(replace(case, last_review_date=dt.date(2024, 5, 1)), SupportAlertType.REVIEW)
    assert again.deadline == dt.date(2027, 5, 1)
    former = replace(case, case_type=SupportCaseType.FORMER_ASSISTANCE)
    assert SupportAlertType.REVIEW not in {c.timeframe for c in clocks(former, P)}


def test_clocks_not_started_are_not_returned_and_a_date_before_the_start_does_not_meet_one() -> None:
    assert [c.timeframe for c in clocks(Dates(), P)] == [SupportAlertType.OPEN]
    early = _clock(Dates(delinquency_date=START, enforcement_date=START - _days(3)), SupportAlertType.ENFORCE)
    assert early.done is None
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_the_parameters_come_from_the_reference_table_on_the_business_date(engine: Engine) -> None:
    with transaction(engine) as session:
        assert timeframe_parameters(session, START) == TimeframeParameters()
        with pytest.raises(ParameterMissing, match=r"CCSES\.OPEN_DAYS"):
            timeframe_parameters(session, dt.date(1980, 1, 1))
