"""`ems seed`'s child support side: absent parents on the EMS cases and the CCSES support cases
they were referred into, about one support case per two EMS cases."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from itertools import pairwise

from sqlalchemy import func, select

from emsterm.database.engine import transaction
from emsterm.model import (
    AbsentParent,
    Case,
    GoodCause,
    OrderType,
    Program,
    SupportApplication,
    SupportCase,
    SupportCaseType,
    SupportOrder,
    SupportParty,
    SupportPaternity,
    SupportRole,
    SupportStatus,
    SupportStatusHistory,
)
from emsterm.model.numbers import valid_account_number, valid_routing_number
from emsterm.seed.writer import seed_caseload
from tests.conftest import BUSINESS_DATE, migrated


def test_the_support_side_is_in_proportion_and_consistent(db_url: str) -> None:
    engine = migrated(db_url)
    seed_caseload(engine, 1200, 4, BUSINESS_DATE, history_months=0)
    with transaction(engine) as session:
        cases = list(session.scalars(select(SupportCase)))
        assert 0.45 <= len(cases) / 1200 <= 0.55, len(cases)
        types = Counter(c.case_type for c in cases)
        assert all(types[t] > 0 for t in SupportCaseType), types
        statuses = Counter(c.status for c in cases)
        assert all(statuses[s] > 0 for s in SupportStatus if s != SupportStatus.CLOSED), statuses
        parties = Counter((p.support_case_id, p.role) for p in session.scalars(select(SupportParty)))
        for case in cases:
            assert parties[case.id, SupportRole.CUSTODIAL] == 1
            assert parties[case.id, SupportRole.NON_CUSTODIAL] == 1
            assert parties[case.id, SupportRole.CHILD] >= 1
        # each case's history starts at its referral and ends in its status
        history: dict[int, list[SupportStatusHistory]] = {}
        for row in session.scalars(select(SupportStatusHistory).order_by(SupportStatusHistory.seq)):
            history.setdefault(row.support_case_id, []).append(row)
        for case in cases:
            steps = history[case.id]
            assert steps[0].status == SupportStatus.INTAKE and steps[0].effective_date == case.referral_date
            assert steps[-1].status == case.status and steps[-1].effective_date == case.status_date
            assert all(a.effective_date <= b.effective_date for a, b in pairwise(steps))
            assert case.referral_date <= BUSINESS_DATE
        # a referred case names its EMS case, whose programs make its type; a good-cause claim
        # stopped the others' referral
        referred = {c.ems_case_number: c for c in cases if c.ems_case_number}
        assert referred and all(c.case_type == SupportCaseType.NEVER_ASSISTANCE for c in cases if not c.ems_case_number)
        # each never-assistance case has its application for services, on its referral date, with no fee
        applications = {a.support_case_id: a for a in session.scalars(select(SupportApplication))}
        never = [c for c in cases if c.case_type == SupportCaseType.NEVER_ASSISTANCE]
        assert never and set(applications) == {c.id for c in never}
        assert all(applications[c.id].application_date == c.referral_date for c in never)
        assert {(a.fee, a.fee_paid_by) for a in applications.values()} == {(Decimal("0.00"), None)}
        open_tfa = set(
            session.scalars(
                select(Case.case_number).join(Program).where(Program.program_code == "TFA", Program.status == "AC")
            )
        )
        for number, case in referred.items():
            assert (case.case_type == SupportCaseType.CURRENT_ASSISTANCE) == (number in open_tfa), number
        parents = list(session.scalars(select(AbsentParent)))
        stopped = [p for p in parents if p.good_cause in (GoodCause.PENDING, GoodCause.GRANTED)]
        assert all(p.referred_digest is None for p in stopped)
        assert all(p.referred_digest for p in parents if p.good_cause is None)
        ncp_ssns = {p.ssn for p in session.scalars(select(SupportParty).where(SupportParty.role == "NP")) if p.ssn}
        assert ncp_ssns and all(s.startswith("8") for s in ncp_ssns)
        assert session.scalar(select(func.count()).select_from(AbsentParent)) == len(parents)
        # a case that reached enforcement has its current support order from the day it got
        # there, and each child's paternity settled by then
        orders = {o.support_case_id: o for o in session.scalars(select(SupportOrder))}
        paternity = Counter(p.support_case_id for p in session.scalars(select(SupportPaternity)))
        for case in cases:
            if case.status == SupportStatus.ENFORCEMENT:
                order = orders[case.id]
                assert order.effective_date == case.established_date == case.status_date
                assert order.order_type == OrderType.CURRENT_SUPPORT and order.amount > 0
                assert paternity[case.id] == parties[case.id, SupportRole.CHILD]
            assert case.initiated_date is None or case.referral_date <= case.initiated_date
    engine.dispose()


def test_most_never_assistance_parents_gave_a_bank_account(db_url: str) -> None:
    # BANKED_SHARE 0.7 of the never-assistance custodial parties, each routing number passing
    # the ABA check; no other party has one
    engine = migrated(db_url)
    seed_caseload(engine, 600, 4, BUSINESS_DATE, history_months=0)
    with transaction(engine) as session:
        rows = session.execute(
            select(SupportParty, SupportCase.case_type).join(
                SupportCase, SupportCase.id == SupportParty.support_case_id
            )
        ).all()
    engine.dispose()
    never = [p for p, kind in rows if kind == SupportCaseType.NEVER_ASSISTANCE and p.role == SupportRole.CUSTODIAL]
    banked = [p for p, _ in rows if p.bank_routing or p.bank_account]
    assert {p.id for p in banked} <= {p.id for p in never}
    assert len(never) >= 20 and 0.5 <= len(banked) / len(never) <= 0.9, (len(never), len(banked))
    assert all(valid_routing_number(p.bank_routing or "") for p in banked)
    assert all(valid_account_number(p.bank_account or "") for p in banked)
