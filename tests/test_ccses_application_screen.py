"""CS09 APPLICATION FOR SERVICES in Pilot: a CCSES worker takes a never-assistance application;
the fee line shows the fees in force on the business date; a wrong field is marked and nothing
is stored; the case opens at intake as NA and CS02 shows it; an EMS worker cannot reach CS09."""

from __future__ import annotations

from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import SupportApplication, SupportCase, SupportCaseType, SupportParty, SupportRole
from tests.pilot import SIZE, fill, make_app, row, shown, sign_on, type_command

CCSES_USER = "CSDEMO"
APPLICANT = {
    "applied": "02/24/2025",
    "cp_last": "OKAFOR",
    "cp_first": "DANA",
    "cp_street": "9 ELM ST",
    "cp_city": "NEW HAVEN",
    "cp_state": "CT",
    "cp_zip": "06511",
    "np_first": "MARCUS",
    "np_employer": "YALE NEW HAVEN",
    "child1_last": "OKAFOR",
    "child1_first": "ZOE",
    "child1_birth": "06/15/2019",
}


def _never_assistance(url: str) -> tuple[int, int]:
    """How many never-assistance cases and applications the database holds."""
    engine = make_engine(url)
    with transaction(engine) as session:
        cases = session.scalar(select(func.count()).where(SupportCase.case_type == SupportCaseType.NEVER_ASSISTANCE))
        applications = session.scalar(select(func.count()).select_from(SupportApplication))
    engine.dispose()
    return cases or 0, applications or 0


def _marked(app: object) -> list[str]:
    screen = app.map_screen  # type: ignore[attr-defined]
    return [w.spec.name for w in screen.inputs() if w.has_class("-error")]


async def test_a_ccses_worker_takes_an_application_and_bad_fields_are_marked(terminal_db: str) -> None:
    before = _never_assistance(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, "=9.9")
        assert row(app, 1).startswith("CS0090"), shown(app)
        assert row(app, 23) == "EMS260I TYPE THE APPLICATION FOR SERVICES AND PRESS ENTER", shown(app)
        assert "03/01/2025" in row(app, 4), shown(app)
        fees = "0.00 - ANNUAL FEE 35.00 ONCE 550.00 IS PAID OUT IN A YEAR"
        assert row(app, 20).strip() == f"APPLICATION FEE . : {fees}", shown(app)
        await fill(pilot, APPLICANT)
        assert row(app, 23) == "EMS225E THE NON-CUSTODIAL PARENT NEEDS A LAST NAME OR AN SSN", shown(app)
        assert _marked(app) == ["np_last"]
        await fill(pilot, {"np_last": "BELL", "child1_birth": "02/30/2019"})
        assert row(app, 23).startswith("EMS022E CHILD 1 BIRTH DATE IS NOT A VALID DATE"), shown(app)
        assert _marked(app) == ["child1_birth"]
        await fill(pilot, {"child1_birth": "06/15/2019", "fee_paid_by": "S"})
        assert row(app, 23) == ("EMS225E NO APPLICATION FEE IS CHARGED ON 02/24/2025: LEAVE FEE PAID BY BLANK"), shown(
            app
        )
        assert _marked(app) == ["fee_paid_by"]
        assert _never_assistance(terminal_db) == before  # nothing half-written
        await fill(pilot, {"fee_paid_by": ""})
        number = row(app, 4).split()[-1]
        assert row(app, 23) == f"EMS261I SUPPORT CASE {number} OPENED FROM THE APPLICATION OF 02/24/2025", shown(app)
        assert app.map_screen is not None and app.map_screen.field("cp_last").value == "", shown(app)  # type: ignore[union-attr]
        await type_command(pilot, "=9.2")
        assert row(app, 1).startswith("CS0020") and number in row(app, 4), shown(app)
        assert "NA NEVER ASSISTANCE" in row(app, 5) and "APPLICATION FOR SERVICES" in row(app, 15), shown(app)
        assert "NONE: NOT REFERRED BY EMS" in row(app, 18), shown(app)
        assert [row(app, n).split()[:2] for n in (9, 10, 11)] == [["CP", "OKAFOR,"], ["NP", "BELL,"], ["CH", "OKAFOR,"]]
    assert _never_assistance(terminal_db) == (before[0] + 1, before[1] + 1)


async def test_an_ems_worker_cannot_take_an_application(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "CS09")
        assert not row(app, 1).startswith("CS0090"), shown(app)
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION", shown(app)


def _custodial_bank(url: str, number: str) -> tuple[str | None, str | None]:
    """The routing and account numbers on the custodial party of support case `number`."""
    engine = make_engine(url)
    with transaction(engine) as session:
        party = session.scalars(
            select(SupportParty)
            .join(SupportCase, SupportCase.id == SupportParty.support_case_id)
            .where(SupportCase.support_number == number, SupportParty.role == SupportRole.CUSTODIAL)
        ).one()
        found = (party.bank_routing, party.bank_account)
    engine.dispose()
    return found


async def test_the_applicants_bank_account_is_checked_and_stored(terminal_db: str) -> None:
    # 011000029 fails the ABA check (0*3+1*7+1*1+0+0+0+0*3+2*7+9*1 = 31, not a multiple of
    # 10); 011000028 passes (30). A routing number without its account is refused too.
    before = _never_assistance(terminal_db)
    app = make_app(terminal_db)
    complete = {**APPLICANT, "np_last": "BELL"}
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, CCSES_USER)
        await type_command(pilot, "=9.9")
        await fill(pilot, {**complete, "cp_routing": "011000029", "cp_account": "4455667788"})
        assert row(app, 23) == "EMS225E ROUTING NUMBER 011000029 FAILS THE ABA CHECK DIGIT", shown(app)
        assert _marked(app) == ["cp_routing"]
        await fill(pilot, {"cp_routing": "011000028", "cp_account": ""})
        assert row(app, 23) == ("EMS225E THE BANK ACCOUNT NEEDS ITS ACCOUNT NUMBER WITH THE ROUTING NUMBER"), shown(app)
        assert _marked(app) == ["cp_account"]
        assert _never_assistance(terminal_db) == before  # nothing written
        await fill(pilot, {"cp_account": "4455667788"})
        number = row(app, 4).split()[-1]
        assert row(app, 23).startswith(f"EMS261I SUPPORT CASE {number} OPENED"), shown(app)
    assert _custodial_bank(terminal_db, number) == ("011000028", "4455667788")
    assert _never_assistance(terminal_db) == (before[0] + 1, before[1] + 1)
