"""A support case as operators and scripts see it (`ems ccses list` and `show`): plain dicts,
ready for JSON: the case, its parties, status history, the paternity of each child and the
orders with every version (history)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.ccses.orders import orders_of
from emsterm.ccses.parameters import timeframe_parameters
from emsterm.ccses.paternity import children_of, status_of
from emsterm.ccses.timeframes import clocks
from emsterm.model import (
    SupportApplication,
    SupportCase,
    SupportCaseType,
    SupportLocate,
    SupportParty,
    SupportStatus,
    SupportStatusHistory,
)


def list_cases(
    session: Session, status: SupportStatus | None = None, case_type: SupportCaseType | None = None
) -> list[dict[str, Any]]:
    """The support cases (of a status, of a type), by number."""
    query = select(SupportCase).order_by(SupportCase.support_number)
    if status is not None:
        query = query.where(SupportCase.status == status)
    if case_type is not None:
        query = query.where(SupportCase.case_type == case_type)
    return [_summary(c) for c in session.scalars(query)]


def find_case(session: Session, number: str) -> SupportCase | None:
    """The support case of a support number (leading zeros optional), or None."""
    if not number.isdigit() or len(number) > 10:
        return None
    return session.scalars(select(SupportCase).where(SupportCase.support_number == number.zfill(10))).first()


def show_case(session: Session, case: SupportCase, on: dt.date | None = None) -> dict[str, Any]:
    """The case with its parties (with their SSNs), its status history, the paternity of each
    child, its orders (each version, oldest first), the application for services (a
    never-assistance case), its timeframe clocks on `on` (the business
    date; none without one) and its Locate History."""
    parties = session.scalars(
        select(SupportParty).where(SupportParty.support_case_id == case.id).order_by(SupportParty.seq)
    )
    history = session.scalars(
        select(SupportStatusHistory)
        .where(SupportStatusHistory.support_case_id == case.id)
        .order_by(SupportStatusHistory.seq)
    )
    return {
        **_summary(case),
        "referral_date": case.referral_date.isoformat(),
        "opened_date": case.opened_date.isoformat(),
        "closure_reason": case.closure_reason,
        "parties": [
            {
                "seq": p.seq,
                "role": str(p.role),
                "ems_client_number": p.ems_client_number,
                "name": f"{p.first_name} {p.last_name}".strip(),
                "ssn": p.ssn,
                "birth_date": p.birth_date.isoformat() if p.birth_date else None,
                "address": ", ".join(x for x in (p.street, p.city, f"{p.state} {p.zip}".strip()) if x),
                "employer": p.employer,
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date.isoformat() if p.end_date else None,
            }
            for p in parties
        ],
        "history": [
            {
                "seq": h.seq,
                "date": h.effective_date.isoformat(),
                "status": str(h.status),
                "type": str(h.case_type),
                "reason": h.reason,
            }
            for h in history
        ],
        "paternity": [
            {
                "child_seq": child.seq,
                "child": f"{child.first_name} {child.last_name}".strip(),
                "status": str(status_of(p)),
                "method": str(p.method) if p and p.method else None,
                "established_date": _iso(p.established_date if p else None),
                "registry_number": p.registry_number if p else "",
                "acknowledged_date": _iso(p.acknowledged_date if p else None),
                "test_ordered_date": _iso(p.test_ordered_date if p else None),
                "test_result_date": _iso(p.test_result_date if p else None),
                "test_result": str(p.test_result) if p and p.test_result else None,
                "docket": p.docket if p else "",
                "adjudicated_date": _iso(p.adjudicated_date if p else None),
            }
            for child, p in children_of(session, case)
        ],
        "orders": [
            {
                "seq": o.seq,
                "order_no": o.order_no,
                "modification": o.modification,
                "authority": str(o.authority),
                "docket": o.docket,
                "type": str(o.order_type),
                "amount": f"{o.amount:.2f}",
                "frequency": str(o.frequency),
                "effective_date": o.effective_date.isoformat(),
                "end_date": _iso(o.end_date),
                "superseded_by": o.superseded_by,
            }
            for o in orders_of(session, case)
        ],
        "application": application(session, case),
        "timeframes": timeframes(session, case, on) if on is not None else [],
        "locate_history": locate_history(session, case),
    }


def application(session: Session, case: SupportCase) -> dict[str, Any] | None:
    """The application for services that opened a never-assistance case, with its fee (None
    for a referred case)."""
    row = session.scalars(select(SupportApplication).where(SupportApplication.support_case_id == case.id)).first()
    if row is None:
        return None
    return {
        "date": row.application_date.isoformat(),
        "taken_by": row.taken_by,
        "fee": f"{row.fee:.2f}",
        "fee_paid_by": str(row.fee_paid_by) if row.fee_paid_by else None,
    }


def timeframes(session: Session, case: SupportCase, on: dt.date) -> list[dict[str, Any]]:
    """The case's federal timeframe clocks on `on`: start, deadline, done, days left, state."""
    return [clock.as_dict(on) for clock in clocks(case, timeframe_parameters(session, on))]


def locate_history(session: Session, case: SupportCase) -> list[dict[str, Any]]:
    """The case's Locate History, newest first."""
    rows = session.scalars(
        select(SupportLocate).where(SupportLocate.support_case_id == case.id).order_by(SupportLocate.seq.desc())
    )
    return [
        {
            "seq": r.seq,
            "party_seq": r.party_seq,
            "date": r.locate_date.isoformat(),
            "source": str(r.source),
            "confidence": str(r.confidence),
            "address": ", ".join(x for x in (r.street, r.city, f"{r.state} {r.zip}".strip()) if x),
            "employer": r.employer,
            "file": r.file_name,
            "applied": r.applied,
        }
        for r in rows
    ]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _summary(case: SupportCase) -> dict[str, Any]:
    return {
        "support_number": case.support_number,
        "ems_case_number": case.ems_case_number,
        "type": str(case.case_type),
        "status": str(case.status),
        "status_date": case.status_date.isoformat(),
    }
