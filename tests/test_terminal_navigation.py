"""Navigation: menus, =n.n jumps, transaction codes, PF3/PF4, PF1 help, keys, access control."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from emsterm.database.engine import make_engine, transaction
from emsterm.model import Case, Client, Member
from emsterm.model.numbers import client_number
from emsterm.model.soundex import soundex
from emsterm.terminal.screen import HelpScreen
from tests.pilot import SIZE, audit_actions, make_app, row, settle, shown, sign_on, type_command


def _a_case(url: str, members: int = 1) -> tuple[str, str]:
    """The number and head's last name of an active case with at least `members` members."""
    engine = make_engine(url)
    with transaction(engine) as session:
        counts = select(Member.case_id, func.count().label("n")).group_by(Member.case_id).subquery()
        case = session.scalars(
            select(Case)
            .join(counts, counts.c.case_id == Case.id)
            .where(Case.status == "AC", counts.c.n >= members)
            .order_by(Case.id)
        ).first()
        assert case is not None
        head = session.scalars(
            select(Client)
            .join(Member, Member.client_id == Client.id)
            .where(Member.case_id == case.id, Member.relationship_code == "HH")
        ).one()
        result = (case.case_number, head.last_name.upper())
    engine.dispose()
    return result


async def test_menu_digits_walk_down_and_pf3_walks_back_three_levels(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "1")
        assert row(app, 1).startswith("EMS0110") and "INQUIRY MENU" in row(app, 1)
        await type_command(pilot, "2")
        assert row(app, 1).startswith("EMS0210") and "TRAN: EM21" in row(app, 3)
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0110")
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100")
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0001")
    assert audit_actions(terminal_db)[-1][:2] == ("SIGNOFF", "DEMO")


async def test_jump_and_transaction_code_with_argument_and_current_case(terminal_db: str) -> None:
    number, last_name = _a_case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM21 {number}")
        screen = shown(app)
        assert row(app, 1).startswith("EMS0210")
        assert f"CASE NUMBER . . . {number}" in screen and "STATUS: ACTIVE" in screen
        assert last_name in row(app, 5)
        assert row(app, 23) == f"EMS042I CASE {number} DISPLAYED"
        assert "ROW 1 TO" in row(app, 21)
        assert f"CASE: {number}" in row(app, 3)
        # The current case follows the worker: away and back by =1.2, it is shown at once.
        await type_command(pilot, "=6")
        assert row(app, 1).startswith("EMS0160")
        await type_command(pilot, "=1.2")
        assert row(app, 1).startswith("EMS0210")
        assert last_name in row(app, 5) and number in row(app, 4)
        # PF3 after a jump goes back up the menu path of the screen.
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0110")


async def test_stacked_commands_and_pf4_return(terminal_db: str) -> None:
    number, _ = _a_case(terminal_db)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"=3;EM21 {number}")
        assert row(app, 1).startswith("EMS0210") and number in row(app, 4)
        await pilot.press("f4")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100")


async def test_paging_a_long_household(terminal_db: str) -> None:
    number, _ = _a_case(terminal_db)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        case = session.scalars(select(Case).where(Case.case_number == number)).one()
        start = session.scalar(select(func.max(Member.seq)).where(Member.case_id == case.id)) or 0
        base = (session.scalar(select(func.max(Client.id))) or 0) + 1
        for k in range(14):
            client = Client(
                client_number=client_number(base + k),
                last_name=f"Extra{k:02d}",
                first_name="Kid",
                last_name_soundex=soundex("Extra"),
                birth_date=dt.date(2015, 1, 1),
                sex="F",
                citizenship="US",
            )
            session.add(client)
            session.flush()
            session.add(
                Member(
                    case_id=case.id,
                    seq=start + k + 1,
                    client_id=client.id,
                    relationship_code="CH",
                    role="MB",
                    start_date=dt.date(2025, 1, 1),
                )
            )
    engine.dispose()
    total = start + 14
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, f"EM21 {number}")
        assert row(app, 21).strip() == f"ROW 1 TO 10 OF {total}"
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 21).strip() == f"ROW 11 TO {min(20, total)} OF {total}"
        assert f"{11:02d}   EXTRA" in shown(app) or "EXTRA" in row(app, 11)
        await pilot.press("f7")
        await settle(pilot)
        assert row(app, 21).strip() == f"ROW 1 TO 10 OF {total}"
        await pilot.press("f7")
        await settle(pilot)
        assert row(app, 23) == "EMS041I TOP OF LIST"


async def test_unaccepted_key_leaves_the_cursor(terminal_db: str) -> None:
    app = make_app(terminal_db)
    bells: list[None] = []
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        before = app.focused
        await pilot.press("f8")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100")
        assert row(app, 23) == "EMS010E INVALID KEY FOR THIS SCREEN"
        assert app.focused is before and bells


async def test_pf1_field_help_then_message_help(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1.2")
        assert app.map_screen.focused_spec().name == "case_no"  # type: ignore[union-attr]
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "the last digit is a check digit" in str(app.screen.query_one("#help-text").render())
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0210")
        await pilot.press(*list("1234567890"), "enter")
        await settle(pilot)
        assert row(app, 23).startswith("EMS031E CASE NUMBER 1234567890 - CHECK DIGIT")
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "computed from the other nine" in str(app.screen.query_one("#help-text").render())
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0210")


async def test_forbidden_items_are_hidden_and_refused_by_fast_path(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        menu = shown(app)
        assert "INQUIRY" in menu and "TABLES AND PARAMETERS" not in menu and "TRAINING" not in menu
        await type_command(pilot, "=7.1")
        assert row(app, 1).startswith("EMS0100")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
        await type_command(pilot, "TR01")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
        await type_command(pilot, "7")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
    denied = [(a, key) for a, key, _ in audit_actions(terminal_db) if a == "DENIED"]
    assert denied == [("DENIED", "=7.1"), ("DENIED", "TR01"), ("DENIED", "7")]


async def test_other_roles_see_their_areas(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, user="OPER")
        menu = shown(app)
        assert "BATCH AND OPERATIONS" in menu and "INQUIRY" not in menu
        await type_command(pilot, "8")
        assert row(app, 1).startswith("EMS0180")
        await type_command(pilot, "4")
        assert row(app, 1).startswith("EMS0960") and row(app, 23) == "EMS089I NO INTERFACE FILES"
        await type_command(pilot, "=8.1")
        assert row(app, 1).startswith("EMS0930")


async def test_every_menu_item_is_a_screen_and_bad_commands_say_so(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot, "CSDEMO")
        await type_command(pilot, "=9.8")
        assert row(app, 1).startswith("CS0080")
        await type_command(pilot, "CS13")
        assert row(app, 1).startswith("CS0130")
        await type_command(pilot, "ZZ99")
        assert row(app, 23) == "EMS014E TRANSACTION ZZ99 IS NOT DEFINED"
        await type_command(pilot, "=9")
        await type_command(pilot, "42")
        assert row(app, 23) == "EMS016E OPTION 42 IS NOT ON THIS MENU"
        await type_command(pilot, "HELLO THERE")
        assert row(app, 23) == "EMS011E INVALID COMMAND"


async def test_command_words_match_the_pf_keys(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1")
        await type_command(pilot, "END")
        assert row(app, 1).startswith("EMS0100")
        await type_command(pilot, "=1.2")
        await type_command(pilot, "RETURN")
        assert row(app, 1).startswith("EMS0100")
        await type_command(pilot, "HELP")
        assert isinstance(app.screen, HelpScreen)


async def test_menu_transaction_codes_and_pf3_from_them(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM10")
        assert row(app, 1).startswith("EMS0110")
        await pilot.press("f3")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100")
        await type_command(pilot, "EM80")
        assert row(app, 23) == "EMS012E NOT AUTHORIZED FOR THIS FUNCTION"
