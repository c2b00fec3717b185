"""Fields that edit like a 3270: overwrite and insert, erase keys, Tab to a field's start,
autoskip only where the map says, and a full last field that locks the keyboard, never the app."""

from __future__ import annotations

from emsterm.database.engine import make_engine, transaction
from emsterm.model import User
from emsterm.seed.demo import DEMO_PASSWORD
from emsterm.terminal.screen import HelpScreen
from emsterm.terminal.widgets import FieldInput
from tests.pilot import SIZE, audit_actions, make_app, row, settle, sign_on


def _field(app, name: str) -> FieldInput:  # type: ignore[no-untyped-def]
    widget = app.map_screen.field(name)
    assert widget is not None
    return widget


def _status(app) -> str:  # type: ignore[no-untyped-def]
    """The keyboard status at the right of row 24 (columns 73-80)."""
    return f"{row(app, 24):<80}"[72:].strip()


async def _practice(pilot) -> None:  # type: ignore[no-untyped-def]
    await sign_on(pilot, user="TRAIN")
    await pilot.press("home", *"TR01", "enter")
    await settle(pilot)
    assert row(pilot.app, 1).startswith("EMS0910")


async def test_typing_past_a_full_command_line_locks_the_keyboard_not_the_app(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        assert row(app, 1).startswith("EMS0100")
        await pilot.press("home", *("A" * 48), "B", "C")
        await settle(pilot)
        command = _field(app, "command")
        assert app.is_running and command.has_focus
        assert command.value == "A" * 48 and command.cursor_position == 48
        assert _status(app) == "X -f"
        await pilot.press("backspace")
        assert _status(app) == "" and command.value == "A" * 47
        await pilot.press("A", "B")
        assert _status(app) == "X -f"
        await pilot.press("ctrl+r")
        assert _status(app) == ""


async def test_typing_overwrites_and_insert_toggles_insert_mode(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        name = _field(app, "name")
        await pilot.press(*"DOE, JOHN", "shift+tab")
        assert name.has_focus and name.cursor_position == 0, "SHIFT+TAB inside a field goes to its start"
        await pilot.press(*"ROE")
        assert name.value == "ROE, JOHN" and name.cursor_position == 3, "typing overwrites"
        await pilot.press("insert")
        assert app.insert_mode and _status(app) == "INS"
        await pilot.press(*"MAN")
        assert name.value == "ROEMAN, JOHN", "insert mode pushes the rest right"
        await pilot.press("insert")
        assert not app.insert_mode and _status(app) == ""
        await pilot.press("z")
        assert name.value == "ROEMANZ JOHN"
        await pilot.press("insert", "enter")
        await settle(pilot)
        assert not app.insert_mode and "INS" not in row(app, 24), "ENTER ends insert mode, as on a 3278"


async def test_insert_mode_refuses_a_character_in_a_full_field(terminal_db: str) -> None:
    app = make_app(terminal_db)
    bells: list[None] = []
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        case_no = _field(app, "case_no")
        await pilot.press("tab", *"0000000018")
        assert _field(app, "birth_date").has_focus
        await pilot.press("shift+tab", "insert", "1")
        assert case_no.has_focus and case_no.value == "0000000018"
        assert _status(app) == "X >  INS" and bells
        await pilot.press("delete")
        assert _status(app) == "INS" and case_no.value == "000000018"
        await pilot.press("1")
        assert case_no.value == "1000000018" and case_no.has_focus and case_no.cursor_position == 1


async def test_erase_eof_and_erase_input(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        name = _field(app, "name")
        await pilot.press(*"DOE, JANE", "shift+tab", "right", "right", "right", "ctrl+k")
        assert name.value == "DOE" and name.modified, "CTRL+K erases from the cursor to the end of the field"
        await pilot.press("tab", *"0000000018", *"03/12/1958", "home", *"TR01")
        assert _field(app, "command").value == "TR01"
        await pilot.press("shift+delete")
        assert [w.value for w in app.map_screen.inputs()] == [""] * 6, "ERASE INPUT empties every input field"
        command = _field(app, "command")
        assert command.has_focus and command.cursor_position == 0
        assert not any(w.modified for w in app.map_screen.inputs())


async def test_tab_backtab_and_home_go_to_the_start_of_a_field(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        await pilot.press(*"DOE, JANE", "tab", *"00000", "tab")
        birth_date = _field(app, "birth_date")
        assert birth_date.has_focus and birth_date.cursor_position == 0
        await pilot.press("shift+tab")
        case_no = _field(app, "case_no")
        assert case_no.has_focus and case_no.cursor_position == 0, (
            "at a field's start, SHIFT+TAB goes to the previous one"
        )
        await pilot.press("shift+tab")
        name = _field(app, "name")
        assert name.has_focus and name.cursor_position == 0
        await pilot.press("tab")
        assert case_no.has_focus and case_no.cursor_position == 0
        await pilot.press(*"12")
        assert case_no.value == "12000", "typed at the start, over what was there"
        await pilot.press("home", *"=1", "home")
        command = _field(app, "command")
        assert command.has_focus and command.cursor_position == 0 and command.value == "=1"
        await pilot.press("end")
        assert command.cursor_position == 2, "END goes to the end of the field's text"


async def test_only_fields_marked_autoskip_skip_on_and_a_full_last_field_locks(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        name = _field(app, "name")
        await pilot.press(*("N" * 30), "X")
        assert name.has_focus and name.value == "N" * 30 and _status(app) == "X -f", "NAME is not autoskip"
        await pilot.press("tab", *"0000000018")
        assert _field(app, "birth_date").has_focus and _status(app) == "", "CASE NUMBER is autoskip"
        await pilot.press(*"03/12/1958", *"900-12-3456")
        income = _field(app, "income")
        assert income.has_focus and income.cursor_position == 0
        await pilot.press(*"1234567.89", *"12345")
        assert app.is_running and income.has_focus and income.value == "1234567.89"
        assert _status(app) == "X -f", "the last field keeps the cursor"
        await pilot.press("ctrl+r")
        assert _status(app) == ""
        await pilot.press("a")
        assert _field(app, "case_no").value == "0000000018" and _status(app) == "X -f", (
            "typing never wraps to the first field"
        )


async def test_numeric_field_refusal_shows_x_and_the_next_key_clears_it(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        await pilot.press("tab", "1", "A")
        assert _field(app, "case_no").value == "1" and _status(app) == "X -f"
        await pilot.press("2")
        assert _field(app, "case_no").value == "12" and _status(app) == ""


async def test_esc_is_pa1_cancel_without_reading_the_fields(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.is_running and row(app, 1).startswith("EMS0001"), "sign-on takes no CANCEL: PA1 does not leave"
        assert row(app, 23).startswith("EMS010E")
        await _practice(pilot)
        await pilot.press("tab", *"12", "tab", *"02/30/2020", "escape")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0195"), "PA1 leaves like CANCEL, with no field checked"
        assert not row(app, 23).startswith("EMS02")


async def test_pf1_in_a_help_window_shows_the_keys_and_esc_closes_it(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "PF1 FOR THE KEYS" in str(app.screen.query_one("#help-keys").render())
        await pilot.press("f1")
        await settle(pilot)
        text = str(app.screen.query_one("#help-text").render())
        assert "ERASE EOF" in text and "ERASE INPUT" in text and "INSERT" in text and "RESET" in text
        await pilot.press("escape")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0910")


async def test_typing_the_user_id_over_a_pre_filled_one_signs_on(terminal_db: str) -> None:
    """The near-revocation: the id typed after the one already there, the password in NEW PASSWORD."""
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"DEMP", "tab", *"WRONGPW1", "enter")
        await settle(pilot)
        assert row(app, 23).startswith("EMS002E")
        userid = _field(app, "userid")
        assert userid.has_focus and userid.value == "DEMP" and userid.cursor_position == 0
        await pilot.press(*"DEMO", "tab", *DEMO_PASSWORD)
        assert userid.value == "DEMO"
        assert _field(app, "password").value == DEMO_PASSWORD
        assert _field(app, "new_password").value == "" and _field(app, "new_password2").value == ""
        await pilot.press("enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100"), row(app, 23)
    actions = [a for a, _, user in audit_actions(terminal_db) if user == "DEMO"]
    assert "SIGNON" in actions and "SIGNFAIL" not in actions and "PASSWORD" not in actions, actions


async def test_home_to_a_pre_filled_user_id_after_a_wrong_password_then_sign_on(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*"DEMO", "tab", *"WRONGPW1", "enter")
        await settle(pilot)
        assert _field(app, "userid").has_focus and _field(app, "userid").value == "DEMO"  # as for an unknown id
        await pilot.press("home", *"DEMO", "tab", *DEMO_PASSWORD, "enter")
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100"), row(app, 23)
    engine = make_engine(terminal_db)
    with transaction(engine) as session:
        demo = session.get(User, "DEMO")
        assert demo is not None and demo.failed_attempts == 0 and not demo.revoked
    engine.dispose()
    actions = [a for a, _, user in audit_actions(terminal_db) if user == "DEMO"]
    assert actions.count("SIGNFAIL") == 1 and "SIGNON" in actions and "PASSWORD" not in actions, actions
