"""TIMEFRAM (stream ccses): automated case processing on the federal timeframes, a chunk of
open support cases at a time.

An intake case is opened (45 CFR 303.2(b)) unless nothing is known of its non-custodial parent
(no name, no SSN: the worker has to ask the custodial party first, and the 20-day alert reminds
them); when its non-custodial parent's address or employer
is known it goes to establishment (located that day), otherwise to locate (locate needed from
that day); each move has a status history row. Then each case's clocks
(`emsterm.ccses.timeframes`) are read on the business date: an alert is raised for every clock
not done whose alert date (the deadline less ALERT_LEAD_DAYS) has come, once per occurrence; an
open timeframe alert whose clock is now met is closed (disposition DN).

Counts: records (cases read), intake_held, opened_locate, opened_establishment, alerts_<type>, alerts_closed.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.alerts import NewAlert, alert_text, close_met, raise_alerts
from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.status import StatusMover
from emsterm.ccses.timeframes import Clock, clocks
from emsterm.cycles.job import StepJob
from emsterm.model import (
    AlertStatus,
    SupportAlert,
    SupportAlertType,
    SupportCase,
    SupportParty,
    SupportRole,
    SupportStatus,
)

TIMEFRAME_ALERTS = frozenset(SupportAlertType) - {SupportAlertType.LOCATE_HIT}
"""The alert types that are clocks."""


def run(job: StepJob) -> int:
    """Open the intake cases and raise the timeframe alerts due, a chunk of cases at a time."""
    bd = job.business_date
    with job.session() as session:
        parameters = timeframe_parameters(session, bd)
        keys = list(
            session.scalars(
                select(SupportCase.id).where(SupportCase.status != SupportStatus.CLOSED).order_by(SupportCase.id)
            )
        )

    def work(session: Session, ids: list[int]) -> None:
        cases = list(session.scalars(select(SupportCase).where(SupportCase.id.in_(ids)).order_by(SupportCase.id)))
        known = set(
            session.scalars(
                select(SupportParty.support_case_id).where(
                    SupportParty.support_case_id.in_(ids),
                    SupportParty.role == SupportRole.NON_CUSTODIAL,
                    SupportParty.end_date.is_(None),
                    (SupportParty.street != "") | (SupportParty.employer != ""),
                )
            )
        )
        named = set(
            session.scalars(
                select(SupportParty.support_case_id).where(
                    SupportParty.support_case_id.in_(ids),
                    SupportParty.role == SupportRole.NON_CUSTODIAL,
                    SupportParty.end_date.is_(None),
                    (SupportParty.last_name != "") | SupportParty.ssn.is_not(None),
                )
            )
        )
        mover = StatusMover(session, ids)
        for case in cases:
            if case.status != SupportStatus.INTAKE:
                continue
            if case.id not in named:
                job.counts["intake_held"] += 1
                continue
            case.initiated_date = bd
            if case.id in known:
                case.located_date = bd
                mover.move(case, SupportStatus.ESTABLISHMENT, bd, "OPENED: PARENT'S ADDRESS OR EMPLOYER KNOWN")
                job.counts["opened_establishment"] += 1
            else:
                case.locate_date = bd
                mover.move(case, SupportStatus.LOCATE, bd, "OPENED: LOCATE NEEDED")
                job.counts["opened_locate"] += 1
        session.flush()
        wanted = []
        running: dict[tuple[int, SupportAlertType, dt.date], Clock] = {}
        for case in cases:
            for clock in clocks(case, parameters):
                running[(case.id, clock.timeframe, clock.start)] = clock
                if clock.alert_due(bd, parameters.alert_lead_days):
                    text = alert_text(clock.timeframe, clock.deadline)
                    wanted.append(NewAlert(case.id, clock.timeframe, clock.start, clock.deadline, text))
        for open_alert in session.scalars(
            select(SupportAlert).where(
                SupportAlert.support_case_id.in_(ids),
                SupportAlert.status == AlertStatus.OPEN,
                SupportAlert.alert_type.in_(TIMEFRAME_ALERTS),
            )
        ):
            met = running.get((open_alert.support_case_id, open_alert.alert_type, open_alert.occurrence))
            if met is not None and met.done is not None and met.done <= bd:
                close_met(session, open_alert, bd)
                job.counts["alerts_closed"] += 1
        for added in raise_alerts(session, wanted, bd):
            job.counts[f"alerts_{added.alert_type}"] += 1

    job.in_chunks(keys, work)
    return 0
