"""Support cases for the CCSES tests, made the way the stream makes them: referral records from
EMS applied to an empty CCSES (`emsterm.ccses.cases.apply_referral`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy.orm import Session

from emsterm.ccses.cases import apply_referral
from emsterm.interfaces.ccses_referral import Referral
from emsterm.model import ReferralAction, SupportCase, SupportStatus

REFERRED = dt.date(2025, 1, 6)
"""The business date of the referrals."""
CHILDREN = (("000900022", "LEO", dt.date(2018, 5, 1)), ("000900033", "ANA", dt.date(2020, 9, 12)))


def referral(child: tuple[str, str, dt.date], case_number: str = "0000090002", **changes: object) -> Referral:
    """A referral of Marta Zabriskie's child, whose father Carlos Rivera lives in Bridgeport."""
    number, first, birth = child
    facts: dict[str, object] = {
        "action": ReferralAction.NEW,
        "case_number": case_number,
        "assistance": "CA",
        "payee_number": "000900021",
        "payee_last": "ZABRISKIE",
        "payee_first": "MARTA",
        "payee_ssn": "",
        "payee_birth": dt.date(1994, 7, 14),
        "street": "77 PARK ST APT 2",
        "city": "HARTFORD",
        "state": "CT",
        "zip": "06106",
        "child_number": number,
        "child_last": "ZABRISKIE",
        "child_first": first,
        "child_birth": birth,
        "parent_key": "K001",
        "parent_last": "RIVERA",
        "parent_first": "CARLOS",
        "parent_ssn": "333445555",
        "parent_birth": dt.date(1990, 2, 3),
        "parent_street": "12 MAIN ST",
        "parent_city": "BRIDGEPORT",
        "parent_state": "CT",
        "parent_zip": "06604",
        "parent_employer": "ACME TOOL",
    }
    facts.update(changes)
    return Referral(**facts)  # type: ignore[arg-type]


def support_case(
    session: Session, case_number: str = "0000090002", status: SupportStatus = SupportStatus.ESTABLISHMENT
) -> SupportCase:
    """A support case of two children (party 3 Leo, party 4 Ana) from the EMS case, in `status`."""
    counts: Counter[str] = Counter()
    case = None
    for child in CHILDREN:
        case = apply_referral(session, referral(child, case_number), REFERRED, counts)
    assert case is not None
    case.status = status
    session.flush()
    return case


def support_case_in(
    url: str, status: SupportStatus = SupportStatus.ESTABLISHMENT, **changes: object
) -> tuple[str, str]:
    """A support case (as `support_case`) referred by the first Hartford case of a seeded
    database; (support number, EMS case number)."""
    from sqlalchemy import select

    from emsterm.database.engine import make_engine, transaction
    from emsterm.model import Case

    engine = make_engine(url)
    with transaction(engine) as session:
        ems_case = session.scalars(select(Case.case_number).where(Case.office_code == "HFD").order_by(Case.id)).first()
        assert ems_case is not None
        counts: Counter[str] = Counter()
        case = None
        for child in CHILDREN:
            case = apply_referral(session, referral(child, ems_case, **changes), REFERRED, counts)
        assert case is not None
        case.status = status
        result = (case.support_number, ems_case)
    engine.dispose()
    return result
