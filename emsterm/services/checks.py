"""Voiding a benefit check: the check is marked void with the day and the reason, the next
positive pay file tells the bank not to pay it, and a lost or stolen check is replaced by the
next issuance run (a new check, a new number; the month paid once)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AuditAction, Case, Issuance, IssuanceStatus, PaymentMethod, VoidReason
from emsterm.services import audit


class VoidRefused(ValueError):
    """A check that cannot be voided; the message says why."""


def check_of(session: Session, number: str) -> Issuance | None:
    """The issuance paid by a check number, if any."""
    return session.scalars(select(Issuance).where(Issuance.check_number == number)).first()


def void_check(session: Session, number: str, reason: VoidReason, on: dt.date, user_id: str) -> Issuance:
    """Void a check (refused for an unknown number, a check not standing, or one voided
    already); audited."""
    issuance = check_of(session, number)
    if issuance is None or issuance.method != PaymentMethod.CHECK:
        raise VoidRefused(f"no check {number}")
    if issuance.status == IssuanceStatus.VOIDED:
        raise VoidRefused(f"check {number} was voided on {issuance.voided_on:%m/%d/%Y}")
    if issuance.status != IssuanceStatus.ISSUED:
        raise VoidRefused(f"check {number} does not stand (status {issuance.status})")
    if on < issuance.issue_date:
        raise VoidRefused(f"check {number} was issued on {issuance.issue_date:%m/%d/%Y}, after {on:%m/%d/%Y}")
    issuance.status = IssuanceStatus.VOIDED
    issuance.voided_on = on
    issuance.void_reason = reason
    case_number = session.scalar(select(Case.case_number).where(Case.id == issuance.case_id))
    audit.record(
        session,
        AuditAction.REPLACE,
        "ISSUANCE",
        f"{case_number}:{issuance.seq}",
        before={"status": IssuanceStatus.ISSUED},
        after={"status": IssuanceStatus.VOIDED, "check": number, "reason": reason, "on": on.isoformat()},
        user_id=user_id,
    )
    return issuance
