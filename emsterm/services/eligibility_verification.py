"""Answering a real-time eligibility inquiry (a 270's subscriber): find the client, check the
date of service, and say whether Medical Assistance covers them on it, under which plan.

The client is found by the member id (the client number, with its check digit), else by SSN,
else by last name, first name and birth date together (one client must match). A name or birth
date sent beside an id or SSN must agree with EMS's. The date of service (the day asked when the
inquiry gives none) must lie within the inquiry period: from the first day of the month
`EVS_PAST_MONTHS` before the business date's month to the last day of the month
`EVS_FUTURE_MONTHS` after it (cycle parameters, CAQH CORE's eligibility data content rule).
Coverage is `emsterm.services.medical_coverage`'s rule, the plan its cycle parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from threading import Lock

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from emsterm.interfaces.evs_x12 import Answer, Subscriber
from emsterm.interfaces.x12 import text
from emsterm.model import Client
from emsterm.model.codes import EvsAnswer, FollowUpAction, RejectReason, Sex, X12Gender
from emsterm.model.numbers import valid_check_digit
from emsterm.model.soundex import soundex
from emsterm.services.changes import month_of, next_month
from emsterm.services.medical_coverage import benefit_plan, coverage_on, last_day, managed_care_plan, plan_name
from emsterm.services.parameters import cycle_parameter

GENDER = {Sex.FEMALE: X12Gender.FEMALE, Sex.MALE: X12Gender.MALE}
"""EMS's sex -> DMG03."""


def _add_months(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class InquiryPeriod:
    """The dates of service EMS answers about."""

    first: dt.date
    last: dt.date

    @classmethod
    def on(cls, session: Session, business_date: dt.date) -> InquiryPeriod:
        """The period in force on the business date (cycle parameters EVS_PAST_MONTHS and EVS_FUTURE_MONTHS)."""
        past = int(cycle_parameter(session, "ALL", "EVS_PAST_MONTHS", business_date))
        future = int(cycle_parameter(session, "ALL", "EVS_FUTURE_MONTHS", business_date))
        month = month_of(business_date)
        return cls(_add_months(month, -past), last_day(_add_months(month, future)))


@dataclass
class PlanCache:
    """Coverage group -> (MMIS benefit plan, the plan's name), per month: read once, kept (the
    server asks thousands of times a minute for the same six groups)."""

    _plans: dict[tuple[str, dt.date], tuple[str, str]] = field(default_factory=dict)
    _lock: Lock = field(default_factory=Lock)

    def plan(self, session: Session, group: str, day: dt.date) -> tuple[str, str]:
        """The group's benefit plan and name in force on the day's month."""
        key = (group, month_of(day))
        found = self._plans.get(key)
        if found is None:
            found = (benefit_plan(session, group, day), plan_name(session, group, day))
            with self._lock:
                self._plans[key] = found
        return found


def _reject(subscriber: Subscriber, reason: RejectReason, client: Client | None = None) -> Answer:
    follow_up = FollowUpAction.CORRECT_AND_RESUBMIT
    return Answer(subscriber, EvsAnswer.REJECTED, reason, follow_up, member_id=client.client_number if client else None)


_BY_NUMBER = select(Client).where(Client.client_number == bindparam("number"))
_BY_SSN = select(Client).where(Client.ssn == bindparam("ssn"))


def find_client(session: Session, subscriber: Subscriber) -> Client | RejectReason:
    """The client the subscriber loop names, or why none can be said to be the one."""
    if subscriber.member_id:
        number = subscriber.member_id.strip()
        if len(number) != 9 or not number.isdigit() or not valid_check_digit(number):
            return RejectReason.INVALID_MEMBER_ID
        client = session.scalars(_BY_NUMBER, {"number": number}).first()
    elif subscriber.ssn:
        ssn = subscriber.ssn.strip().replace("-", "")
        if len(ssn) != 9 or not ssn.isdigit():
            return RejectReason.INVALID_MEMBER_ID
        client = session.scalars(_BY_SSN, {"ssn": ssn}).first()
    else:
        if not subscriber.last_name or not subscriber.first_name:
            return RejectReason.INVALID_NAME
        if subscriber.birth_date is None:
            return RejectReason.BIRTH_DATE_INVALID
        candidates = [
            c
            for c in session.scalars(
                select(Client).where(
                    Client.last_name_soundex == soundex(subscriber.last_name),
                    Client.birth_date == subscriber.birth_date,
                )
            )
            if text(c.last_name) == text(subscriber.last_name) and text(c.first_name) == text(subscriber.first_name)
        ]
        return candidates[0] if len(candidates) == 1 else RejectReason.SUBSCRIBER_NOT_FOUND
    if client is None:
        return RejectReason.SUBSCRIBER_NOT_FOUND
    if subscriber.last_name and text(subscriber.last_name) != text(client.last_name):
        return RejectReason.INVALID_NAME
    if subscriber.birth_date is not None and subscriber.birth_date != client.birth_date:
        return RejectReason.BIRTH_DATE_MISMATCH
    return client


def answer(
    session: Session,
    subscriber: Subscriber,
    business_date: dt.date,
    period: InquiryPeriod,
    plans: PlanCache,
    managed_care: Callable[[Session, int, dt.date], str | None] = managed_care_plan,
) -> tuple[Answer, Client | None, dt.date | None]:
    """The answer about one subscriber, the client found and the date of service asked about."""
    if subscriber.service_date_invalid:
        return _reject(subscriber, RejectReason.INVALID_DATE_OF_SERVICE), None, None
    day = subscriber.service_date or business_date
    if day < period.first:
        return _reject(subscriber, RejectReason.OUTSIDE_INQUIRY_PERIOD), None, day
    if day > period.last:
        return _reject(subscriber, RejectReason.DATE_IN_FUTURE), None, day
    if subscriber.birth_date_invalid:
        return _reject(subscriber, RejectReason.BIRTH_DATE_INVALID), None, day
    found = find_client(session, subscriber)
    if isinstance(found, RejectReason):
        return _reject(subscriber, found), None, day
    client = found
    person = {
        "member_id": client.client_number,
        "last_name": client.last_name,
        "first_name": client.first_name,
        "middle_initial": client.middle_initial,
        "birth_date": client.birth_date,
        "gender": GENDER.get(client.sex, X12Gender.UNKNOWN),
    }
    coverage = coverage_on(session, client.id, day)
    if coverage is None:
        return Answer(subscriber, EvsAnswer.INACTIVE, **person), client, day  # type: ignore[arg-type]
    plan, name = plans.plan(session, coverage.coverage_group, day)
    return (
        Answer(
            subscriber,
            EvsAnswer.ACTIVE,
            plan_name=name,
            benefit_plan=plan,
            period=(coverage.month, next_month(coverage.month) - dt.timedelta(days=1)),
            managed_care_plan=managed_care(session, client.id, day),
            **person,  # type: ignore[arg-type]
        ),
        client,
        day,
    )
