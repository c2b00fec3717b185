"""What a referral record from EMS does to the support cases: it makes one (intake), or
updates its parties, addresses and type; closing TFA turns a current-assistance case into a
former-assistance case, it does not close it.

A support case is one EMS case and one absent parent (the referral's parent key); each child of
theirs on the case is a party. An E record ends the child's participation (their party row
gets an end date); the case stays as it is for the worker to review (closure under 45 CFR
303.11 is a worker's decision, made with its reason).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from emsterm.interfaces.ccses_referral import Referral
from emsterm.model import (
    ReferralAction,
    SupportCase,
    SupportCaseType,
    SupportParty,
    SupportRole,
    SupportStatus,
    SupportStatusHistory,
)

ASSISTANCE_TYPE = {"CA": SupportCaseType.CURRENT_ASSISTANCE, "MO": SupportCaseType.MEDICAID_ONLY}
"""The referral's assistance -> the type of a new support case."""


def apply_referral(session: Session, referral: Referral, on: dt.date, counts: Counter[str]) -> SupportCase | None:
    """Make or update the support case the referral is about (None for an E or a non-assistance
    record about a case CCSES does not have)."""
    case = session.scalars(
        select(SupportCase).where(
            SupportCase.ems_case_number == referral.case_number, SupportCase.referral_key == referral.parent_key
        )
    ).first()
    if case is None:
        if referral.action == ReferralAction.END or referral.assistance not in ASSISTANCE_TYPE:
            counts["not_found"] += 1
            return None
        case = _open(session, referral, on)
        counts["opened"] += 1
    else:
        counts["updated"] += 1
        _retype(session, case, referral, on, counts)
        if case.status == SupportStatus.CLOSED and referral.action == ReferralAction.NEW:
            case.status, case.status_date, case.closure_reason = SupportStatus.INTAKE, on, None
            add_history(session, case, on, "REFERRED AGAIN")
            counts["reopened"] += 1
    _parties(session, case, referral, on, counts)
    session.flush()
    return case


def _open(session: Session, referral: Referral, on: dt.date) -> SupportCase:
    """A new support case at intake."""
    case = SupportCase(
        support_number=next_support_number(session),
        ems_case_number=referral.case_number,
        referral_key=referral.parent_key,
        case_type=ASSISTANCE_TYPE[referral.assistance],
        status=SupportStatus.INTAKE,
        status_date=on,
        referral_date=on,
        opened_date=on,
    )
    session.add(case)
    session.flush()
    add_history(session, case, on, "REFERRAL FROM EMS")
    return case


def next_support_number(session: Session) -> str:
    """The support number a new case takes: one after the highest."""
    last = session.scalar(select(func.max(SupportCase.support_number)))
    return f"{int(last or 0) + 1:010d}"


def _retype(session: Session, case: SupportCase, referral: Referral, on: dt.date, counts: Counter[str]) -> None:
    """The case type the referral's assistance calls for: TFA open is current assistance; a
    current-assistance case whose TFA closed is former assistance."""
    new = case.case_type
    if referral.assistance == "CA":
        new = SupportCaseType.CURRENT_ASSISTANCE
    elif case.case_type == SupportCaseType.CURRENT_ASSISTANCE:
        new = SupportCaseType.FORMER_ASSISTANCE
    if new != case.case_type:
        case.case_type = new
        counts[f"type_{case.case_type}"] += 1
        add_history(session, case, on, "TFA OPENED" if new == SupportCaseType.CURRENT_ASSISTANCE else "TFA CLOSED")


def add_history(session: Session, case: SupportCase, on: dt.date, reason: str) -> None:
    """A status history row for the case as it now stands."""
    seq = 1 + max(
        session.scalars(select(SupportStatusHistory.seq).where(SupportStatusHistory.support_case_id == case.id)),
        default=0,
    )
    session.add(
        SupportStatusHistory(
            support_case_id=case.id,
            seq=seq,
            status=case.status,
            case_type=case.case_type,
            effective_date=on,
            reason=reason[:60],
        )
    )
    session.flush()


def _parties(session: Session, case: SupportCase, referral: Referral, on: dt.date, counts: Counter[str]) -> None:
    """The custodial party, the non-custodial parent and the child as the referral gives them."""
    parties = list(
        session.scalars(select(SupportParty).where(SupportParty.support_case_id == case.id).order_by(SupportParty.seq))
    )
    seq = max((p.seq for p in parties), default=0)

    def current(role: SupportRole, number: str | None = None) -> SupportParty | None:
        for party in parties:
            if party.role == role and party.end_date is None and (number is None or party.ems_client_number == number):
                return party
        return None

    def add(role: SupportRole, **facts: object) -> SupportParty:
        nonlocal seq
        seq += 1
        party = SupportParty(support_case_id=case.id, seq=seq, role=role, start_date=on, **facts)
        session.add(party)
        parties.append(party)
        counts[f"party_{role}"] += 1
        return party

    custodial = current(SupportRole.CUSTODIAL)
    if custodial is None or custodial.ems_client_number != referral.payee_number:
        if custodial is not None:
            custodial.end_date = on
        custodial = add(SupportRole.CUSTODIAL, ems_client_number=referral.payee_number or None)
    _set(custodial, on, counts, last_name=referral.payee_last, first_name=referral.payee_first,
         ssn=referral.payee_ssn or None, birth_date=referral.payee_birth, street=referral.street,
         city=referral.city, state=referral.state, zip=referral.zip)  # fmt: skip
    parent = current(SupportRole.NON_CUSTODIAL) or add(SupportRole.NON_CUSTODIAL)
    _set(parent, on, counts, last_name=referral.parent_last, first_name=referral.parent_first,
         ssn=referral.parent_ssn or None, birth_date=referral.parent_birth, street=referral.parent_street,
         city=referral.parent_city, state=referral.parent_state, zip=referral.parent_zip,
         employer=referral.parent_employer)  # fmt: skip
    child = current(SupportRole.CHILD, referral.child_number)
    if referral.action == ReferralAction.END:
        if child is not None:
            child.end_date = on
            counts["children_ended"] += 1
        return
    if child is None:
        child = add(SupportRole.CHILD, ems_client_number=referral.child_number)
    _set(child, on, counts, last_name=referral.child_last, first_name=referral.child_first,
         birth_date=referral.child_birth)  # fmt: skip


ADDRESS = ("street", "city", "state", "zip", "employer")
"""The columns whose change is a new address (or employer) for the participant history."""


def _set(party: SupportParty, on: dt.date, counts: Counter[str], **facts: object) -> None:
    """Take the referral's facts; a changed address or employer is dated."""
    moved = False
    for name, value in facts.items():
        if value is None and name not in ("ssn", "birth_date"):
            continue
        if getattr(party, name) != value:
            if name in ADDRESS and party.id is not None and getattr(party, name):
                moved = True
            setattr(party, name, value)
    if moved:
        party.address_date = on
        counts["addresses_changed"] += 1
    elif party.address_date is None and any(facts.get(n) for n in ADDRESS):
        party.address_date = on
