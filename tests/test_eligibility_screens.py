"""EDBC from the database: a case's determinations stored by month (EM25) and their budgets (EM52)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Engine, select

from emsterm.database.engine import transaction
from emsterm.model import AuditEntry, Case, Client, Eligibility, Expense, Income, Member, Program
from emsterm.model.numbers import case_number, client_number
from emsterm.model.soundex import soundex
from emsterm.transactions.edbc import determine_case, household_from_case
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_command

MONTH = dt.date(2025, 3, 1)


def _one_earner_case(session, serial: int = 90001) -> Case:  # type: ignore[no-untyped-def]
    """The README's one-earner household as a case: SNAP 278 in March 2025, HUSKY D."""
    case = Case(case_number=case_number(serial), office_code="HFD", status="AC", street="1 Main St",
                town_code="064", zip="06103", application_date=dt.date(2024, 1, 10))
    client = Client(client_number=client_number(serial), last_name="Doe", first_name="Jane",
                    last_name_soundex=soundex("Doe"), birth_date=dt.date(1990, 6, 1), sex="F", citizenship="US")
    session.add_all([case, client])
    session.flush()
    member = Member(case_id=case.id, seq=1, client_id=client.id, relationship_code="HH", role="HH", start_date=dt.date(2024, 1, 10))
    session.add(member)
    session.flush()
    session.add_all([
        Income(member_id=member.id, seq=1, income_type="WAGE", monthly_amount=Decimal("1200.00"), frequency="M", start_date=dt.date(2024, 1, 1)),
        Expense(member_id=member.id, seq=1, expense_type="RENT", monthly_amount=Decimal("900.00"), start_date=dt.date(2024, 1, 1)),
        Expense(member_id=member.id, seq=2, expense_type="HEAT", monthly_amount=Decimal("120.00"), start_date=dt.date(2024, 1, 1)),
        Program(case_id=case.id, seq=1, program_code="SNAP", status="AC", status_date=dt.date(2024, 2, 1), application_date=dt.date(2024, 1, 10)),
        Program(case_id=case.id, seq=2, program_code="MA", status="AC", status_date=dt.date(2024, 2, 1), application_date=dt.date(2024, 1, 10)),
    ])
    session.flush()
    return case


def test_a_case_is_determined_and_stored(engine: Engine) -> None:
    with transaction(engine) as session:
        case = _one_earner_case(session)
        household = household_from_case(session, case, MONTH)
        assert household.programs == ("SNAP", "MA") and household.shelter.utilities == "heating"
        first = determine_case(session, case, MONTH)
        assert [(e.program_code, e.eligible, e.amount, e.coverage_group) for e in first] == [
            ("SNAP", True, Decimal("278.00"), None), ("MA", True, Decimal("0.00"), "HUSD"),
        ]
        again = determine_case(session, case, MONTH)
        number = case.case_number
    with transaction(engine) as session:
        rows = session.scalars(select(Eligibility).order_by(Eligibility.seq)).all()
        assert [(r.seq, r.current) for r in rows] == [(1, False), (2, False), (3, True), (4, True)]
        snap = rows[2]
        assert snap.budget[-1].label == "Monthly allotment" and snap.budget[-1].amount == Decimal("278.00")
        cap = next(line for line in snap.budget if line.label.startswith("Excess shelter cap"))
        assert "SNAP.SHELTER_CAP=712 (from 2024-10-01)" in cap.parameter and cap.source
        audit = [(a.action, a.segment_key) for a in session.scalars(select(AuditEntry))]
        assert (("ISRT", f"{number}:SNAP:2025-03") in audit) and len(again) == 2


async def test_history_runs_edbc_and_s_shows_the_budget(terminal_db: str) -> None:
    from emsterm.database.engine import make_engine

    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        number = _one_earner_case(session).case_number
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM25 {number}")
        assert row(app, 1).startswith("EMS0250")
        assert row(app, 23).startswith("EMS048I NO DETERMINATIONS YET")
        app.map_screen.field("month").focus()  # type: ignore[union-attr]
        await pilot.press(*"03/2025", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS047I EDBC RUN FOR 03/2025: 2 PROGRAMS DETERMINED"
        screen = shown(app)
        snap_line = next(text for text in screen.splitlines() if " SNAP " in text)
        assert snap_line.split()[:4] == ["03/2025", "SNAP", "Y", "278.00"] and snap_line.rstrip().endswith("C")
        assert "HUSD" in screen
        line = next(n for n, text in enumerate(screen.splitlines(), start=1) if "SNAP" in text and "03/2025" in text)
        app.map_screen.field(f"history.sel.{line - 8}").focus()  # type: ignore[union-attr]
        await pilot.press("s", "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0252")
        assert "ELIGIBLE" in row(app, 5) and "278.00" in row(app, 5)
        assert "Gross earned income" in shown(app) and "1,200.00" in shown(app)
        assert row(app, 23) == "EMS051I BUDGET OF SNAP FOR 03/2025"
        await pilot.press("f8")
        await settle(pilot)
        assert "Monthly allotment" in shown(app)
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0250")
        app.map_screen.field("month").focus()  # type: ignore[union-attr]
        await pilot.press(*"13/2025", "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS027E MONTH IS NOT A VALID MONTH (MM/YYYY)"
