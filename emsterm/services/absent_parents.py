"""The absent-parent facts of an EMS case: record a parent of a child of the unit who lives
elsewhere (or is unknown), and the client's cooperation and good-cause claim. The nightly's
CCSESREF step (`emsterm.cycles.ccses_referral`) refers what qualifies to CCSES."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from emsterm.model import AbsentParent, AuditAction, Case, CooperationStatus, GoodCause, Member
from emsterm.services import audit

SEGMENT = "ABSPRNT"
"""The segment the audit trail names."""


class AbsentParentError(ValueError):
    """The facts cannot be recorded: the message says why, in a worker's words."""


def record_absent_parent(
    session: Session,
    case_id: int,
    child_seq: int,
    *,
    last_name: str = "",
    first_name: str = "",
    ssn: str | None = None,
    birth_date: dt.date | None = None,
    street: str = "",
    city: str = "",
    state: str = "",
    zip: str = "",
    employer: str = "",
    cooperation: CooperationStatus = CooperationStatus.NOT_DECIDED,
) -> AbsentParent:
    """Add an absent parent for the case's member `child_seq` (blank names: the parent is
    unknown)."""
    child = session.scalars(select(Member).where(Member.case_id == case_id, Member.seq == child_seq)).first()
    if child is None:
        raise AbsentParentError(f"case has no member {child_seq}")
    if ssn is not None and (len(ssn) != 9 or not ssn.isdigit()):
        raise AbsentParentError(f"SSN {ssn!r} is not nine digits")
    if zip and (len(zip) != 5 or not zip.isdigit()):
        raise AbsentParentError(f"ZIP {zip!r} is not five digits")
    seq = 1 + max(session.scalars(select(AbsentParent.seq).where(AbsentParent.case_id == case_id)), default=0)
    row = AbsentParent(
        case_id=case_id,
        seq=seq,
        child_member_id=child.id,
        last_name=last_name.upper(),
        first_name=first_name.upper(),
        ssn=ssn,
        birth_date=birth_date,
        street=street.upper(),
        city=city.upper(),
        state=state.upper(),
        zip=zip,
        employer=employer.upper(),
        cooperation=cooperation,
    )
    session.add(row)
    session.flush()
    after = {"child": child_seq, "known": bool(last_name or first_name), "cooperation": str(cooperation)}
    audit.record(session, AuditAction.INSERT, SEGMENT, _key(session, row), after=after)
    return row


def _key(session: Session, absent_parent: AbsentParent) -> str:
    """The audit key of an absent parent: case number and seq."""
    case = session.get(Case, absent_parent.case_id)
    return f"{case.case_number if case else absent_parent.case_id}:{absent_parent.seq}"


def _replaced(session: Session, absent_parent: AbsentParent, before: dict[str, Any], after: dict[str, Any]) -> None:
    session.flush()
    audit.record(session, AuditAction.REPLACE, SEGMENT, _key(session, absent_parent), before=before, after=after)


def set_cooperation(session: Session, absent_parent: AbsentParent, cooperation: CooperationStatus) -> None:
    """Record whether the client cooperates with child support about this parent."""
    before = str(absent_parent.cooperation)
    absent_parent.cooperation = cooperation
    _replaced(session, absent_parent, {"cooperation": before}, {"cooperation": str(cooperation)})


def claim_good_cause(session: Session, absent_parent: AbsentParent, claim: GoodCause, on: dt.date) -> None:
    """Record a good-cause claim (pending) or its decision (granted, denied) on `on`; a pending
    or granted claim stops the referral."""
    before = None if absent_parent.good_cause is None else str(absent_parent.good_cause)
    absent_parent.good_cause = claim
    absent_parent.good_cause_date = on
    _replaced(session, absent_parent, {"good_cause": before}, {"good_cause": str(claim), "date": on.isoformat()})


def move_absent_parent(
    session: Session,
    absent_parent: AbsentParent,
    street: str,
    city: str,
    state: str,
    zip: str,
    employer: str | None = None,
) -> None:
    """A new last-known address (and employer, when given) for the parent (the nightly sends it
    on as a change)."""
    if zip and (len(zip) != 5 or not zip.isdigit()):
        raise AbsentParentError(f"ZIP {zip!r} is not five digits")
    before = {"street": absent_parent.street, "city": absent_parent.city, "state": absent_parent.state,
              "zip": absent_parent.zip, "employer": absent_parent.employer}  # fmt: skip
    absent_parent.street, absent_parent.city = street.upper(), city.upper()
    absent_parent.state, absent_parent.zip = state.upper(), zip
    if employer is not None:
        absent_parent.employer = employer.upper()
    after = {"street": absent_parent.street, "city": absent_parent.city, "state": absent_parent.state,
             "zip": absent_parent.zip, "employer": absent_parent.employer}  # fmt: skip
    _replaced(session, absent_parent, before, after)


def absent_parents_of(session: Session, case: Case) -> list[AbsentParent]:
    """The case's absent parents, by seq."""
    return list(session.scalars(select(AbsentParent).where(AbsentParent.case_id == case.id).order_by(AbsentParent.seq)))
