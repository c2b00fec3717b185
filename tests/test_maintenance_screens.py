"""Case maintenance on the terminal: an income change that lowers SNAP and schedules the notice,
and a concurrent update refused with the message; then the notice on EM27 and the items on EM23."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Action, AuditEntry, Case, Eligibility, Income, Issuance, Member, Notice
from emsterm.screens import maintenance
from emsterm.screens.kit.cases import LOOKS
from emsterm.services.edbc import determine_case
from tests.households import one_earner_case
from tests.pilot import SIZE, fill, make_app, row, settle, shown, sign_on, type_command
from tests.test_case_changes import Screen

MARCH, APRIL = dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def _case(url: str) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        case = one_earner_case(session, 95001)
        determine_case(session, case, MARCH)
        number = case.case_number
    engine.dispose()
    return number


async def test_an_income_change_lowers_snap_and_schedules_the_notice(terminal_db: str) -> None:
    number = _case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM43 {number}")
        assert (
            row(app, 1).startswith("EMS0430")
            and row(app, 23) == f"EMS065I CASE {number} - TYPE THE CHANGE AND PRESS ENTER"
        )
        assert row(app, 6).split() == ["01", "01", "WAGE", "M", "1,200.00", "01/01/2024"]
        await fill(
            pilot,
            {"action": "C", "member": "01", "item": "01", "freq": "M", "amount": "1500.00", "effective": "03/01/2025"},
        )
        assert row(app, 23) == "EMS060I REVIEW THE NEW AMOUNTS - ENTER CONFIRMS, PF12 CANCELS", shown(app)
        assert row(app, 15).split() == [
            "SNAP",
            "03/2025",
            "Y",
            "278.00",
            "Y",
            "206.00",
            "04/01/2025",
            "AFTER",
            "NOTICE",
        ]
        assert row(app, 16).split() == [
            "MA",
            "03/2025",
            "Y",
            "1",
            "COVERED",
            "Y",
            "1",
            "COVERED",
            "HUSD",
            "NO",
            "CHANGE",
        ]
        assert row(app, 17).split() == ["SNAP", "04/2025", "Y", "278.00", "Y", "206.00", "AT", "ONCE"]
        await fill(pilot, {})  # ENTER again with the same fields: confirm
        assert row(app, 23) == "EMS061I CHANGE SAVED: 3 DETERMINED, 1 HELD, 1 NOTICES", shown(app)
        assert row(app, 15).split()[-2:] == ["AFTER", "NOTICE"] and row(app, 17).split()[-1] == "SAVED"
        assert app.map_screen.field("amount").value == ""  # type: ignore[union-attr]
        assert row(app, 6).split() == ["01", "02", "WAGE", "M", "1,500.00", "03/01/2025"]
        await type_command(pilot, "EM27")
        assert row(app, 8).split() == ["03/01/2025", "ADVR", "SNAP", "04/01/2025", "278.00", "206.00", "B01", "P"], (
            shown(app)
        )
        await type_command(pilot, "EM23")
        assert row(app, 8).split()[:5] == ["01", "INC", "01", "WAGE", "1,200.00"]
        assert row(app, 9).split()[:5] == ["01", "INC", "02", "WAGE", "1,500.00"]
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        action = session.scalars(select(Action).where(Action.case_id == case.id)).one()
        assert (action.status, action.effective_date, action.new_amount) == ("S", APRIL, Decimal("206.00"))
        snap = {
            e.benefit_month: e.amount
            for e in session.scalars(
                select(Eligibility).where(
                    Eligibility.case_id == case.id, Eligibility.program_code == "SNAP", Eligibility.current.is_(True)
                )
            )
        }
        assert snap == {MARCH: Decimal("278.00"), APRIL: Decimal("206.00")}
        assert session.scalars(select(Notice).where(Notice.case_id == case.id)).one().notice_type == "ADVR"
        entries = [
            (a.action, a.segment)
            for a in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.user_id == "DEMO", AuditEntry.action.not_in(LOOKS))
                .order_by(AuditEntry.id)
            )
        ]
        assert (
            entries[1:3] == [("REPL", "INCOME"), ("ISRT", "INCOME")] and ("ISRT", "NOTICE") in entries
        )  # after SIGNON
    engine.dispose()


async def test_a_concurrent_update_is_refused_with_the_fresh_data(terminal_db: str) -> None:
    number = _case(terminal_db)
    engine = make_engine(terminal_db)
    other = Screen(engine, maintenance.income_change)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM43 {number}")
        await fill(
            pilot,
            {"action": "C", "member": "01", "item": "01", "freq": "M", "amount": "1500.00", "effective": "03/01/2025"},
        )
        assert row(app, 23).startswith("EMS060I")
        # meanwhile another worker ends the wage
        other.send("ENTER", case_no=number)
        other.send("ENTER", action="E", member="01", item="01", effective="03/01/2025")
        assert other.send("ENTER").message.id == "EMS061I"  # type: ignore[union-attr]
        await fill(pilot, {})
        assert row(app, 23) == "EMS032E RECORD CHANGED BY ANOTHER USER - REVIEW AND RETRY", shown(app)
        assert row(app, 6).strip() == ""  # the fresh data: the wage has ended, no income is listed any more
        assert row(app, 15).strip() == ""
    with transaction(engine) as session:
        incomes = session.scalars(
            select(Income).join(Member).join(Case).where(Case.case_number == number).order_by(Income.seq)
        ).all()
        assert [(i.monthly_amount, i.end_date) for i in incomes] == [(Decimal("1200.00"), dt.date(2025, 2, 28))]
        assert not session.scalars(
            select(AuditEntry).where(AuditEntry.user_id == "DEMO", AuditEntry.segment == "INCOME")
        ).all()
    engine.dispose()


async def test_issuance_history_pages(terminal_db: str) -> None:
    number = _case(terminal_db)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        month = dt.date(2024, 1, 1)
        for seq in range(1, 16):
            session.add(
                Issuance(
                    case_id=case.id,
                    seq=seq,
                    program_code="SNAP",
                    benefit_month=month,
                    kind="R",
                    amount=Decimal("278.00") + seq,
                    method="EBT",
                    issue_date=month - dt.timedelta(days=2),
                    available_date=month,
                    status="I",
                )
            )
            month = (month + dt.timedelta(days=32)).replace(day=1)
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM26 {number}")
        assert row(app, 1).startswith("EMS0260")
        assert row(app, 8).split() == ["03/2025", "SNAP", "R", "293.00", "EBT", "02/27/2025", "03/01/2025", "I"], shown(
            app
        )
        assert "ROW 1 TO 13 OF 15" in shown(app)
        await pilot.press("f8")
        await settle(pilot)
        assert "ROW 14 TO 15 OF 15" in shown(app) and row(app, 9).split()[0] == "01/2024"
