"""The end of establishment: when the paternity of every current child of a support case is
settled (established, or not needed: the legal parent is known) and a current-support order is
in force, the case moves from establishment to enforcement (45 CFR 303.4, 303.5, 303.6). The
stream calls `move_to_enforcement` for the cases in establishment; nothing here asks a worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from emsterm.ccses.orders import in_force
from emsterm.ccses.paternity import SETTLED, children_of, status_of
from emsterm.model import OrderType, SupportCase, SupportOrder, SupportStatus, SupportStatusHistory
from emsterm.model.base import utcnow

REASON = "PATERNITY AND ORDER ESTABLISHED"
"""The status history reason of the move."""


def ready_for_enforcement(session: Session, case: SupportCase, on: dt.date) -> bool:
    """Whether every current child's paternity is settled and a current-support order is in
    force on `on`."""
    current = [p for child, p in children_of(session, case) if child.end_date is None or child.end_date >= on]
    if not current or any(status_of(p) not in SETTLED for p in current):
        return False
    return any(o.order_type == OrderType.CURRENT_SUPPORT for o in in_force(session, case, on))


def move_to_enforcement(session: Session, case: SupportCase, on: dt.date) -> bool:
    """Move a case in establishment that is ready to enforcement on `on`, with a status
    history row; whether it moved."""
    if case.status != SupportStatus.ESTABLISHMENT or not ready_for_enforcement(session, case, on):
        return False
    case.status, case.status_date, case.updated_at = SupportStatus.ENFORCEMENT, on, utcnow()
    session.add(
        SupportStatusHistory(
            support_case_id=case.id,
            seq=SupportStatusHistory.next_seq(session, case.id),
            status=case.status,
            case_type=case.case_type,
            effective_date=on,
            reason=REASON,
        )
    )
    session.flush()
    return True


def move_ready_cases(session: Session, on: dt.date) -> int:
    """Move every case in establishment that is ready on `on` to enforcement (for the stream);
    how many moved. Only the cases with a current-support order in force are looked at, found
    in one query."""
    in_force_now = exists().where(
        SupportOrder.support_case_id == SupportCase.id,
        SupportOrder.order_type == OrderType.CURRENT_SUPPORT,
        SupportOrder.effective_date <= on,
        (SupportOrder.end_date.is_(None)) | (SupportOrder.end_date >= on),
    )
    candidates = session.scalars(
        select(SupportCase)
        .where(SupportCase.status == SupportStatus.ESTABLISHMENT, in_force_now)
        .order_by(SupportCase.support_number)
    ).all()
    return sum(1 for case in candidates if move_to_enforcement(session, case, on))
