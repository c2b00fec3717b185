"""Screens a new user can read: EM33's amounts say what they are and keep every description,
PF1 beside an EM35 result explains its reason codes, a first name alone finds clients, a new
intake starts blank, and a case outside the office scope is refused when it is chosen."""

from __future__ import annotations

from sqlalchemy import select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, Client, Expense
from emsterm.terminal.screen import HelpScreen
from tests.pilot import SIZE, add_worker, fill, make_app, row, settle, shown, sign_on, type_command

APPLICANT = {
    "last_name": "ZABRISKIE",
    "first_name": "MARTA",
    "dob": "07/14/1994",
    "sex": "F",
    "ssn": "912-44-1234",
    "cit": "US",
    "street": "77 PARK ST APT 2",
    "town_name": "HARTFORD",
    "zip": "06106",
    "id_ver": "Y",
    "res_ver": "Y",
}


def _a_case(url: str, *, hartford: bool) -> str:
    engine = make_engine(url)
    with transaction(engine) as session:
        office = Case.office_code == "HFD" if hartford else Case.office_code != "HFD"
        number = session.scalars(select(Case.case_number).where(office, Case.status == "AC").order_by(Case.id)).first()
    engine.dispose()
    assert number is not None
    return number


async def test_intake_starts_blank_and_em33_says_what_each_amount_is(terminal_db: str) -> None:
    seen = _a_case(terminal_db, hartford=True)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM21 {seen}")
        assert f"CASE: {seen}" in row(app, 3)
        await type_command(pilot, "=2.1")
        assert row(app, 1).startswith("EMS0310") and "CASE:" not in row(app, 3), row(app, 3)
        assert app.context.case_number == ""
        await fill(pilot, APPLICANT)
        number = app.context.case_number
        assert f"CASE: {number}" in row(app, 3)
        await type_command(pilot, "EM33")
        heading = row(app, 5)
        await fill(
            pilot,
            {
                "member": "01",
                "kind": "I",
                "type": "WAGE",
                "freq": "W",
                "amount": "350.00",
                "detail": "STOP AND SHOP",
                "verified": "Y",
            },
        )
        # 350 a week is 1,505.00 a month (4.3 weeks): said, and listed under MONTHLY with its frequency
        assert row(app, 23) == "EMS079I INCOME ADDED FOR MEMBER 01: 350.00 WEEKLY = 1,505.00 A MONTH", shown(app)
        await fill(
            pilot,
            {
                "member": "01",
                "kind": "E",
                "type": "RENT",
                "amount": "1000",
                "detail": "LANDLORD SMITH",
                "verified": "Y",
            },
        )
        await fill(
            pilot,
            {
                "member": "01",
                "kind": "A",
                "type": "BANK",
                "amount": "200",
                "detail": "WEBSTER CHECKING",
                "verified": "Y",
            },
        )
        lines = {row(app, n).split()[2]: row(app, n) for n in range(6, 9)}
        wage, rent, bank = lines["WAGE"], lines["RENT"], lines["BANK"]
        monthly_end, value_end = heading.index("MONTHLY") + len("MONTHLY"), heading.index("VALUE") + len("VALUE")
        assert wage[:monthly_end].endswith("1,505.00") and wage[heading.index("F")] == "W"
        assert rent[:monthly_end].endswith("1,000.00") and bank[:value_end].endswith("200.00")
        assert bank[:monthly_end].strip().endswith("BANK")  # an asset has a value, not a monthly amount
        description = heading.index("DESCRIPTION")
        assert [line[description:].strip() for line in (wage, rent, bank)] == [
            "STOP AND SHOP",
            "LANDLORD SMITH",
            "WEBSTER CHECKING",
        ]
        assert "AST" in bank.split()
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        assert session.scalars(select(Expense.description).order_by(Expense.id.desc())).first() == "LANDLORD SMITH"
    engine.dispose()


async def test_pf1_beside_a_result_explains_its_reason_codes(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=2.1")
        await fill(pilot, APPLICANT)
        await type_command(pilot, "EM33")
        await fill(
            pilot,
            {
                "member": "01",
                "kind": "I",
                "type": "WAGE",
                "freq": "M",
                "amount": "9000.00",
                "detail": "ACME",
                "verified": "Y",
            },
        )
        await type_command(pilot, "EM34")
        await fill(pilot, {"p_snap": "Y", "p_tfa": "Y"})
        assert row(app, 1).startswith("EMS0350"), shown(app)
        index = next(n for n in range(8, 16) if row(app, n)[3:8].strip() == "TFA")
        reasons = row(app, index)[49:61].split()
        assert reasons, shown(app)
        app.map_screen.field(f"results.sel.{index - 8}").focus()  # type: ignore[union-attr]
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen), shown(app)
        text = app.screen.help_text
        for code in reasons:
            assert f"{code}  " in text
        assert "GROSS INCOME OVER LIMIT" in text
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0350")


async def test_a_first_name_alone_finds_clients(terminal_db: str) -> None:
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        first = session.scalars(select(Client.first_name).order_by(Client.id)).first()
        assert first is not None
        expected = len(session.scalars(select(Client).where(Client.first_name.startswith(first))).all())
    engine.dispose()
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM11")
        await fill(pilot, {"first_name": first.upper()})
        assert row(app, 23) == f"EMS043I {expected} CLIENTS FOUND - TYPE S NEXT TO ONE TO SEE THE CASE", shown(app)
        heading = next(line for line in shown(app).splitlines() if "CLIENT ID" in line and "NAME" in line)
        at = heading.index("NAME")
        names = [line[at : at + 25].strip() for line in shown(app).splitlines() if line[at : at + 25].count(", ") == 1]
        assert len(names) == min(expected, 10) and all(
            name.split(", ")[1].startswith(first.upper()) for name in names
        ), names
        await fill(pilot, {"first_name": ""})
        assert row(app, 23) == "EMS045E TYPE A NAME, SSN, CLIENT ID OR CASE NUMBER"


async def test_a_case_outside_the_office_scope_is_refused_when_chosen(terminal_db: str) -> None:
    elsewhere = _a_case(terminal_db, hartford=False)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user=add_worker(terminal_db))
        for code in ("EM43", "EM45", "EM46"):
            await type_command(pilot, f"{code} {elsewhere}")
            # before anything is typed, not after the whole change
            assert row(app, 23) == "EMS033E CASE IS OUTSIDE YOUR OFFICE SCOPE", (code, shown(app))
        await type_command(pilot, f"EM43 {_a_case(terminal_db, hartford=True)}")
        assert row(app, 23).startswith("EMS065I"), shown(app)
