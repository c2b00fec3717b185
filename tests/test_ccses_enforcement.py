"""CCSES automated enforcement through its services, on SQLite and PostgreSQL: a case whose
month of current support went unpaid becomes delinquent (and not before); the tax offset
thresholds crossed exactly; each action noticed first and taken NOTICE_DAYS later; a stay stops
it; a second run the same night writes nothing twice. Figures are worked by hand in the comments."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from emsterm.ccses import enforcement, orders
from emsterm.ccses.enforcement import delinquency_start, enforce_cases, stay_action
from emsterm.ccses.ledger import load_books, orders_of, write_entries
from emsterm.ccses.locking import EstablishmentRefused
from emsterm.ccses.orders import NewTerms
from emsterm.ccses.parameters import enforcement_parameters
from emsterm.database.engine import transaction
from emsterm.interfaces import ccses_enforcement
from emsterm.model import (
    AuditEntry,
    EnforcementStatus,
    EnforcementType,
    InterfaceFile,
    OrderAuthority,
    OrderFrequency,
    OrderType,
    SupportCase,
    SupportCaseType,
    SupportEnforcement,
    SupportStatus,
)
from tests.conftest import Ems
from tests.support_cases import support_case
from tests.table_schemas import CS_CREDIT, CS_IWO, CS_TAX_OFFSET, frictionless_errors

D = Decimal
K = EnforcementType
S = EnforcementStatus
MARCH = dt.date(2025, 3, 1)
APRIL = dt.date(2025, 4, 1)


def _case(session: Session, case_type: SupportCaseType, monthly: str, employer: str = "") -> SupportCase:
    """A support case with a monthly current support order from March 1, 2025; the parent's
    employer as given (the referral's is cleared unless one is given)."""
    case = support_case(session, status=SupportStatus.ENFORCEMENT)
    case.case_type = case_type
    if case_type == SupportCaseType.NEVER_ASSISTANCE:
        case.ems_case_number = None
    for party in case.parties:
        party.employer = employer
    orders.add_order(
        session,
        case,
        OrderAuthority.MAGISTRATE,
        "HFD-FA25-6000001-S",
        OrderType.CURRENT_SUPPORT,
        NewTerms(D(monthly), OrderFrequency.MONTHLY, MARCH),
    )
    session.flush()
    return case


def _charge(session: Session, case: SupportCase, through: dt.date) -> None:
    books = load_books(session, [case])
    for book in books.values():
        book.charge(orders_of(session, [case.id]).get(case.id, []), through)
    write_entries(session, books.values(), through)


def _enforce(session: Session, case: SupportCase, on: dt.date) -> list[SupportEnforcement]:
    enforce_cases(session, [case.id], on, enforcement_parameters(session, on), Counter())
    return list(
        session.scalars(
            select(SupportEnforcement)
            .where(SupportEnforcement.support_case_id == case.id)
            .order_by(SupportEnforcement.seq)
        )
    )


def _kinds(actions: list[SupportEnforcement]) -> list[tuple[str, str]]:
    return [(a.action_type.name, a.status.name) for a in actions]


def test_delinquency_starts_after_the_first_month_of_the_latest_unpaid_run() -> None:
    # Jan and Feb unpaid, March paid in full, May and June unpaid: the latest run began with May,
    # so the delinquency is from June 1.
    ends = [dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 5, 31), dt.date(2025, 6, 30)]
    assert delinquency_start(ends) == dt.date(2025, 6, 1)
    assert delinquency_start(ends[:2]) == dt.date(2025, 2, 1)
    assert delinquency_start([]) is None


def test_a_month_unpaid_makes_the_case_delinquent_and_not_before(engine: Engine) -> None:
    # $300 a month from March 1. Charged through March 31, March's $300 is owed but the month
    # has not ended unpaid yet: not delinquent. When April is first charged, March's $300 rolls
    # to arrears (dated March 31): delinquent from April 1.
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "300.00")
        _charge(session, case, dt.date(2025, 3, 31))
        assert _enforce(session, case, dt.date(2025, 3, 31)) == []
        assert case.delinquency_date is None
        _charge(session, case, APRIL)
        _enforce(session, case, APRIL)
        assert case.delinquency_date == APRIL
        assert case.enforcement_date == APRIL


@pytest.mark.parametrize(
    ("case_type", "monthly", "certified"),
    [
        # Current assistance: March's unpaid support is assigned to the state (42 USC 608(a)(3)).
        (SupportCaseType.CURRENT_ASSISTANCE, "149.99", False),  # $149.99 < $150.00
        (SupportCaseType.CURRENT_ASSISTANCE, "150.00", True),  # $150.00 is "not less than $150"
        # Never assistance: the family's arrears; $500 is the threshold (45 CFR 303.72(a)(3)(ii)).
        (SupportCaseType.NEVER_ASSISTANCE, "499.99", False),
        (SupportCaseType.NEVER_ASSISTANCE, "500.00", True),
    ],
)
def test_tax_offset_thresholds_exactly(
    engine: Engine, case_type: SupportCaseType, monthly: str, certified: bool
) -> None:
    with transaction(engine) as session:
        case = _case(session, case_type, monthly)
        _charge(session, case, APRIL)
        actions = _enforce(session, case, APRIL)
        offsets = [a for a in actions if a.action_type == K.TAX_OFFSET]
        assert bool(offsets) is certified
        if certified:
            (offset,) = offsets
            assert offset.arrears == D(monthly)
            expected_assigned = D(monthly) if case_type == SupportCaseType.CURRENT_ASSISTANCE else D("0.00")
            assert offset.assigned_arrears == expected_assigned


def test_notice_first_then_the_action_notice_days_later(engine: Engine) -> None:
    # $1,200 a month unpaid in March: on April 1 the case owes $1,200 assigned arrears. Notices
    # go on April 1 for the tax offset ($1,200 >= $150), the credit bureau ($1,200 >= $1,000) and
    # license suspension ($1,200 > the $2,400 charged in the 90 days to April 1? no: March 1 and
    # April 1 charged $2,400, so no license suspension). NOTICE_DAYS is 60: April 1 + 60 days is
    # May 31 (29 days left of April, 31 of May). On May 30 nothing is taken; on May 31 both are.
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "1200.00")
        _charge(session, case, APRIL)
        actions = _enforce(session, case, APRIL)
        assert _kinds(actions) == [("TAX_OFFSET", "NOTICED"), ("CREDIT_BUREAU", "NOTICED")]
        assert {a.notice_date for a in actions} == {APRIL}
        assert {a.action_due for a in actions} == {dt.date(2025, 5, 31)}
        assert "$1,200.00" in actions[0].notice_text and "ON OR AFTER 05/31/2025" in actions[0].notice_text
        assert _kinds(_enforce(session, case, dt.date(2025, 5, 30))) == [
            ("TAX_OFFSET", "NOTICED"),
            ("CREDIT_BUREAU", "NOTICED"),
        ]
        actions = _enforce(session, case, dt.date(2025, 5, 31))
        assert _kinds(actions) == [("TAX_OFFSET", "TAKEN"), ("CREDIT_BUREAU", "TAKEN")]
        assert actions[0].action_date == dt.date(2025, 5, 31)
        assert actions[0].outcome == "CERTIFIED 1,200.00 FOR TAX REFUND OFFSET"


def test_income_withholding_goes_the_day_of_the_notice_to_the_known_employer(engine: Engine) -> None:
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "100.00", employer="ACME TOOL")
        _charge(session, case, APRIL)
        (withholding,) = _enforce(session, case, APRIL)
        assert (withholding.action_type, withholding.status) == (K.INCOME_WITHHOLDING, S.TAKEN)
        assert (withholding.notice_date, withholding.action_date) == (APRIL, APRIL)
        assert withholding.employer == "ACME TOOL"
        assert "YOUR EMPLOYER ACME TOOL" in withholding.notice_text
        assert withholding.outcome == "ORDER SENT TO ACME TOOL"


def test_a_stay_stops_the_action_and_it_is_not_proposed_again(engine: Engine) -> None:
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "300.00", employer="ACME TOOL")
        _charge(session, case, APRIL)
        actions = _enforce(session, case, APRIL)
        assert _kinds(actions) == [("INCOME_WITHHOLDING", "TAKEN"), ("TAX_OFFSET", "NOTICED")]
        offset = actions[1]
        with pytest.raises(EstablishmentRefused, match="was taken 04/01/2025: it cannot be stayed"):
            stay_action(session, case, actions[0].seq, "BANKRUPTCY", "CSW0001", dt.date(2025, 4, 2))
        with pytest.raises(EstablishmentRefused, match="type the reason"):
            stay_action(session, case, offset.seq, "  ", "CSW0001", dt.date(2025, 4, 2))
        stay_action(session, case, offset.seq, "bankruptcy stay", "CSW0001", dt.date(2025, 4, 2))
        assert (offset.status, offset.stay_reason, offset.stayed_by) == (S.STAYED, "BANKRUPTCY STAY", "CSW0001")
        with pytest.raises(EstablishmentRefused, match="stayed already on 04/02/2025"):
            stay_action(session, case, offset.seq, "AGAIN", "CSW0001", dt.date(2025, 4, 3))
        audited = session.scalars(select(AuditEntry).where(AuditEntry.segment == enforcement.SEGMENT)).all()
        assert [(a.segment_key, a.user_id) for a in audited] == [(f"{case.support_number}:{offset.seq}", "CSW0001")]
        # May 31, the day it would have been taken, and later: still stayed, none proposed again.
        _charge(session, case, dt.date(2025, 6, 1))
        assert _kinds(_enforce(session, case, dt.date(2025, 6, 1))) == [
            ("INCOME_WITHHOLDING", "TAKEN"),
            ("TAX_OFFSET", "STAYED"),
        ]


def test_the_same_night_twice_writes_nothing_twice(engine: Engine) -> None:
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "1200.00", employer="ACME TOOL")
        _charge(session, case, APRIL)
        first = [(a.seq, a.action_type, a.status) for a in _enforce(session, case, APRIL)]
        again = [(a.seq, a.action_type, a.status) for a in _enforce(session, case, APRIL)]
        assert first == again
        assert len(first) == 3
        # Still delinquent in May (April unpaid too): the same delinquency, nothing new.
        _charge(session, case, dt.date(2025, 5, 1))
        later = _enforce(session, case, dt.date(2025, 5, 1))
        assert case.delinquency_date == APRIL
        assert len(later) == 3


def test_license_suspension_when_arrears_exceed_90_days_of_payments(engine: Engine) -> None:
    # $100 a month, unpaid March through June: by July 1 the arrears are $400 (Mar-Jun). The 90
    # days to July 1 (after April 2) charged May 1, June 1 and July 1: $300. $400 > $300: a
    # candidate. The delinquency began April 1 (after March, the first of the run).
    with transaction(engine) as session:
        case = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "100.00")
        july = dt.date(2025, 7, 1)
        _charge(session, case, july)
        actions = _enforce(session, case, july)
        assert case.delinquency_date == APRIL
        assert _kinds(actions) == [("TAX_OFFSET", "NOTICED"), ("LICENSE_SUSPENSION", "NOTICED")]
        assert actions[1].arrears == D("400.00")


def _run(ems: Ems, inbox: Path, outbox: Path, day: dt.date) -> dict[str, Any]:
    result = ems("batch", "ccses", "--force", "--date", day.isoformat(), "--inbox", str(inbox), "--outbox", str(outbox))
    assert result.exit_code in (0, 4), result.output
    run = sorted(outbox.glob(f"ccses-{day.isoformat()}-*"))[-1]
    summary = json.loads((run / "summary.json").read_text())
    return next(s for s in summary["steps"] if s["step"] == "ENFORCE")


def test_the_stream_writes_each_action_in_its_file_once(engine: Engine, ems: Ems, tmp_path: Path) -> None:
    # $1,200 a month from March 1 with the parent's employer known (ACME TOOL, the referral's).
    # April 1: March rolled unpaid; the withholding order goes to ACME TOOL that night; the tax
    # offset ($1,200 assigned >= $150) and the credit bureau report ($1,200 >= $1,000) are noticed
    # for May 31. May 31: April rolled too ($2,400 owed): both are taken and filed.
    with transaction(engine) as session:
        number = _case(session, SupportCaseType.CURRENT_ASSISTANCE, "1200.00", employer="ACME TOOL").support_number
    inbox, outbox = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    _run(ems, inbox, outbox, dt.date(2025, 3, 10))
    april = _run(ems, inbox, outbox, APRIL)["counts"]
    assert (april["delinquent"], april["taken_IW"], april["noticed_TO"], april["noticed_CB"]) == (1, 1, 1, 1)
    (iwo,) = outbox.rglob("cs-income-withholding-20250401.txt")
    assert frictionless_errors(iwo, CS_IWO) == []
    (order,) = ccses_enforcement.parse(K.INCOME_WITHHOLDING, iwo.read_bytes()).records
    assert (order.support_number, order.employer, order.amount) == (number, "ACME TOOL", D("1200.00"))
    may = _run(ems, inbox, outbox, dt.date(2025, 5, 31))["counts"]
    assert (may["taken_TO"], may["taken_CB"], may.get("taken_IW", 0)) == (1, 1, 0)
    (offset,) = outbox.rglob("cs-tax-offset-20250531.txt")
    (credit,) = outbox.rglob("cs-credit-bureau-20250531.txt")
    assert frictionless_errors(offset, CS_TAX_OFFSET) == [] and frictionless_errors(credit, CS_CREDIT) == []
    (certified,) = ccses_enforcement.parse(K.TAX_OFFSET, offset.read_bytes()).records
    assert (certified.arrears_type, certified.amount, certified.ssn) == ("A", D("2400.00"), "333445555")
    _run(ems, inbox, outbox, dt.date(2025, 5, 31))  # the night again: nothing taken or filed twice
    with transaction(engine) as session:
        logged = session.scalars(select(InterfaceFile.interface).where(InterfaceFile.step_name == "ENFORCE")).all()
        assert sorted(logged) == ["CS-CREDIT", "CS-IWO", "CS-TAXOFFSET"]
        filed = session.scalars(select(SupportEnforcement.file_name).order_by(SupportEnforcement.seq)).all()
        assert filed == [iwo.name, offset.name, credit.name]
        case = session.scalars(select(SupportCase).where(SupportCase.support_number == number)).one()
        assert (case.delinquency_date, case.enforcement_date) == (APRIL, APRIL)
