"""Support orders of a support case (SUPORDER): add an order, modify one (the version in force
ends the day before the new version begins; nothing is overwritten), end one, and the orders in
force on a date. Each change is checked, audited and locks the support case (`locking.hold`); what falls
due when is `emsterm.ccses.obligations`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.ccses.locking import EstablishmentRefused, check_docket, hold
from emsterm.model import AuditAction, OrderAuthority, OrderFrequency, OrderType, SupportCase, SupportOrder
from emsterm.services import audit

SEGMENT = "SUPORDER"
"""The segment name on audit entries."""
MAXIMUM = Decimal("99999.99")
"""The largest amount an order may charge each time it falls due."""
COURTS = (OrderAuthority.SUPERIOR_COURT, OrderAuthority.MAGISTRATE)
"""The authorities whose orders carry a docket number."""


@dataclass(frozen=True)
class NewTerms:
    """What a worker types for an order or its modification."""

    amount: Decimal
    frequency: OrderFrequency
    effective_date: dt.date
    end_date: dt.date | None = None


def orders_of(session: Session, case: SupportCase) -> list[SupportOrder]:
    """Every version of every order of the case, by order then version."""
    return list(
        session.scalars(
            select(SupportOrder)
            .where(SupportOrder.support_case_id == case.id)
            .order_by(SupportOrder.order_no, SupportOrder.modification)
        )
    )


def latest_versions(session: Session, case: SupportCase) -> list[SupportOrder]:
    """The latest version of each order (the one no modification replaced)."""
    return [o for o in orders_of(session, case) if o.superseded_by is None]


def in_force(session: Session, case: SupportCase, on: dt.date) -> list[SupportOrder]:
    """The versions in force on `on`."""
    return [o for o in orders_of(session, case) if o.effective_date <= on and (o.end_date is None or o.end_date >= on)]


def add_order(
    session: Session,
    case: SupportCase,
    authority: OrderAuthority,
    docket: str,
    order_type: OrderType,
    terms: NewTerms,
    seen_version: int | None = None,
) -> SupportOrder:
    """A new order of the case (version 0)."""
    if authority in COURTS and not docket:
        raise EstablishmentRefused("a court or magistrate order needs its docket number", "docket")
    if docket:
        check_docket(docket)
    _check(terms)
    hold(case, seen_version)
    number = 1 + (
        session.scalar(select(func.max(SupportOrder.order_no)).where(SupportOrder.support_case_id == case.id)) or 0
    )
    order = SupportOrder(
        support_case_id=case.id,
        seq=SupportOrder.next_seq(session, case.id),
        order_no=number,
        modification=0,
        authority=authority,
        docket=docket,
        order_type=order_type,
        amount=terms.amount,
        frequency=terms.frequency,
        effective_date=terms.effective_date,
        end_date=terms.end_date,
    )
    session.add(order)
    session.flush()
    audit.record(session, AuditAction.INSERT, SEGMENT, f"{case.support_number}:{order.seq}", after=_facts(order))
    return order


def modify_order(
    session: Session, case: SupportCase, order_no: int, terms: NewTerms, seen_version: int | None = None
) -> SupportOrder:
    """A modification of the order from `terms.effective_date`: its latest version ends the day
    before (and names the new one); the new version keeps the order's authority, docket and
    type."""
    latest = next((o for o in latest_versions(session, case) if o.order_no == order_no), None)
    if latest is None:
        raise EstablishmentRefused(f"the case has no order {order_no}", "order")
    _check(terms)
    if terms.effective_date <= latest.effective_date:
        raise EstablishmentRefused(f"a modification must begin after {latest.effective_date:%m/%d/%Y}", "effective")
    if latest.end_date is not None and latest.end_date < terms.effective_date - dt.timedelta(days=1):
        raise EstablishmentRefused(f"order {order_no} ended {latest.end_date:%m/%d/%Y}", "effective")
    hold(case, seen_version)
    before = _facts(latest)
    new = SupportOrder(
        support_case_id=case.id,
        seq=SupportOrder.next_seq(session, case.id),
        order_no=order_no,
        modification=latest.modification + 1,
        authority=latest.authority,
        docket=latest.docket,
        order_type=latest.order_type,
        amount=terms.amount,
        frequency=terms.frequency,
        effective_date=terms.effective_date,
        end_date=terms.end_date,
    )
    session.add(new)
    session.flush()
    latest.end_date = terms.effective_date - dt.timedelta(days=1)
    latest.superseded_by = new.seq
    session.flush()
    key = f"{case.support_number}:{latest.seq}"
    audit.record(session, AuditAction.REPLACE, SEGMENT, key, before=before, after=_facts(latest))
    audit.record(session, AuditAction.INSERT, SEGMENT, f"{case.support_number}:{new.seq}", after=_facts(new))
    return new


def end_order(
    session: Session, case: SupportCase, order_no: int, end: dt.date, seen_version: int | None = None
) -> SupportOrder:
    """End the order on `end` without modifying it (emancipation, an order vacated, a new order
    elsewhere): its latest version takes the end date, or an earlier one than it had; nothing
    else changes, and the obligations stop after it."""
    latest = next((o for o in latest_versions(session, case) if o.order_no == order_no), None)
    if latest is None:
        raise EstablishmentRefused(f"the case has no order {order_no}", "order")
    if end < latest.effective_date:
        raise EstablishmentRefused(
            f"order {order_no} cannot end before its version {latest.modification} began on "
            f"{latest.effective_date:%m/%d/%Y}",
            "end",
        )
    if latest.end_date is not None and latest.end_date < end:
        raise EstablishmentRefused(f"order {order_no} ended {latest.end_date:%m/%d/%Y} already", "end")
    hold(case, seen_version)
    before = _facts(latest)
    latest.end_date = end
    session.flush()
    key = f"{case.support_number}:{latest.seq}"
    audit.record(session, AuditAction.REPLACE, SEGMENT, key, before=before, after=_facts(latest))
    return latest


def _check(terms: NewTerms) -> None:
    if terms.amount <= 0 or terms.amount > MAXIMUM:
        raise EstablishmentRefused(f"amount must be more than 0.00 and at most {MAXIMUM:,}", "amount")
    if terms.end_date is not None and terms.end_date < terms.effective_date:
        raise EstablishmentRefused("end date cannot be before the effective date", "end")


def _facts(order: SupportOrder) -> dict[str, str | int | None]:
    return {
        "order": order.order_no,
        "modification": order.modification,
        "authority": str(order.authority),
        "docket": order.docket,
        "type": str(order.order_type),
        "amount": f"{order.amount:.2f}",
        "frequency": str(order.frequency),
        "from": order.effective_date.isoformat(),
        "to": order.end_date.isoformat() if order.end_date else None,
        "superseded_by": order.superseded_by,
    }
