"""A case's facts as the rules see them: rent in subsidized housing, and the TFA months the
case has been issued (the time limit counts them), read the same way by the screens' path
(`household_from_case`) and the batch path (`load_facts`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import Expense, Issuance, Member
from emsterm.services.caseload import load_facts
from emsterm.services.edbc import decide_case, household_from_case
from tests.households import family_of_three_case

APRIL = dt.date(2025, 4, 1)


def _months(first: dt.date, count: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1) for n in range(count)]


def test_rent_in_subsidized_housing_pays_92_percent_of_the_tfa_standard(engine: Engine) -> None:
    """The family of three moves into subsidized housing on April 1: rent 1,000 ends, SUBR 300
    begins. TFA for April: 863.8941.. x .92 = 794.78 (her 800 of earnings are disregarded);
    SNAP counts the 300 as shelter cost."""
    with transaction(engine) as session:
        case = family_of_three_case(session)
        head = session.scalars(select(Member).where(Member.case_id == case.id, Member.seq == 1)).one()
        rent = session.scalars(
            select(Expense).where(Expense.member_id == head.id, Expense.expense_type == "RENT")
        ).one()
        rent.end_date = dt.date(2025, 3, 31)
        session.add(
            Expense(member_id=head.id, seq=3, expense_type="SUBR", monthly_amount=Decimal("300.00"), start_date=APRIL)
        )
        session.flush()
        march = household_from_case(session, case, dt.date(2025, 3, 1))
        april = household_from_case(session, case, APRIL)
        assert (march.shelter.rent_or_mortgage, march.shelter.housing_subsidy) == (Decimal("1000.00"), False)
        assert (april.shelter.rent_or_mortgage, april.shelter.housing_subsidy) == (Decimal("300.00"), True)
        tfa = next(d for d in decide_case(session, case, APRIL) if d.program == "TFA")
        assert (tfa.eligible, tfa.amount) == (True, Decimal("794.78"))
        assert any(line.label == "Payment standard in subsidized housing (92%)" for line in tfa.budget)
        batch = load_facts(session, [case.id])[case.id].household(APRIL)
        assert batch.shelter == april.shelter


def test_tfa_months_issued_count_towards_the_time_limit(engine: Engine) -> None:
    """36 months of TFA issued (April 2022 to March 2025) reach the 36-month limit for April
    2025; a cancelled issuance does not count, so March 2025 has 35 behind it."""
    with transaction(engine) as session:
        case = family_of_three_case(session)
        for seq, month in enumerate(_months(dt.date(2022, 4, 1), 36), start=1):
            session.add(
                Issuance(
                    case_id=case.id,
                    seq=seq,
                    program_code="TFA",
                    benefit_month=month,
                    kind="R",
                    amount=Decimal("863.89"),
                    method="DD",
                    issue_date=month,
                    available_date=month,
                    status="I",
                )
            )
        session.add(
            Issuance(
                case_id=case.id,
                seq=37,
                program_code="TFA",
                benefit_month=dt.date(2022, 1, 1),
                kind="R",
                amount=Decimal("863.89"),
                method="DD",
                issue_date=dt.date(2022, 1, 1),
                available_date=dt.date(2022, 1, 1),
                status="C",
            )
        )
        session.add(
            Issuance(
                case_id=case.id,
                seq=38,
                program_code="SNAP",
                benefit_month=dt.date(2022, 2, 1),
                kind="R",
                amount=Decimal("500.00"),
                method="EBT",
                issue_date=dt.date(2022, 2, 1),
                available_date=dt.date(2022, 2, 1),
                status="I",
            )
        )
        session.flush()
        assert household_from_case(session, case, dt.date(2025, 3, 1)).tfa_months_used == 35
        assert household_from_case(session, case, APRIL).tfa_months_used == 36
        assert load_facts(session, [case.id])[case.id].household(APRIL).tfa_months_used == 36
        tfa = {d.program: d for d in decide_case(session, case, APRIL)}["TFA"]
        assert (tfa.eligible, tfa.reasons) == (False, ["T01"])
        march = {d.program: d for d in decide_case(session, case, dt.date(2025, 3, 1))}["TFA"]
        assert march.eligible and march.amount == Decimal("863.89")
