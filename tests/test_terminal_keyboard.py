"""3270 keyboard and screen behaviour: fields, autoskip, validation, lock, errors, size."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from emsterm.screens import inquiry
from emsterm.terminal.widgets import FieldInput
from tests.pilot import SIZE, make_app, row, settle, shown, sign_on, type_ahead, type_command


def _field(app, name: str) -> FieldInput:  # type: ignore[no-untyped-def]
    widget = app.map_screen.field(name)
    assert widget is not None
    return widget


async def _practice(pilot) -> None:  # type: ignore[no-untyped-def]
    await sign_on(pilot, user="TRAIN")
    await type_command(pilot, "TR01")


async def test_tab_backtab_home_erase_eof_and_autoskip(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        assert row(app, 1).startswith("EMS0910")
        assert _field(app, "name").has_focus
        await pilot.press("tab")
        assert _field(app, "case_no").has_focus
        await pilot.press("shift+tab")
        assert _field(app, "name").has_focus
        await pilot.press("tab", *list("0000000018"))
        assert _field(app, "case_no").value == "0000000018"
        assert _field(app, "birth_date").has_focus, "a full field skips to the next"
        await pilot.press("home")
        assert app.focused is _field(app, "command"), "HOME goes to the first input field"
        await pilot.press("tab", *list("doe, jane"))
        assert _field(app, "name").value == "DOE, JANE"
        for _ in range(4):
            await pilot.press("left")
        await pilot.press("ctrl+k")
        assert _field(app, "name").value == "DOE, "


async def test_numeric_field_refuses_letters_and_protected_fields_take_nothing(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1.2")
        await pilot.press(*list("12AB34"))
        assert _field(app, "case_no").value == "1234"
        assert app.map_screen.field("status") is None, "protected fields are not input fields"
        assert all(not w.spec.protected for w in app.map_screen.inputs())
        focusable = list(app.screen.focus_chain)
        assert all(isinstance(w, FieldInput) for w in focusable)


async def test_enter_validates_every_field_and_highlights_the_bad_ones(terminal_db: str) -> None:
    app = make_app(terminal_db)
    bells: list[None] = []
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        # Full fields skip on by themselves: no TAB after the date or the SSN.
        await pilot.press(
            "tab", *list("12"), "tab", *list("02/30/2020"), *list("666-12-3456"), *list("12.345"), "enter"
        )
        await settle(pilot)
        bad = [w.spec.name for w in app.map_screen.inputs() if w.has_class("-error")]
        assert bad == ["name", "birth_date", "ssn", "income"]
        assert _field(app, "name").has_focus
        assert row(app, 23) == "EMS020E NAME IS REQUIRED"
        assert bells
        await pilot.press(*list("DOE, JANE"), "enter")
        await settle(pilot)
        assert row(app, 23) == "EMS022E BIRTH DATE IS NOT A VALID DATE (MM/DD/YYYY)"
        assert _field(app, "birth_date").has_focus
        await pilot.press("ctrl+a", "ctrl+k", *list("03/12/1958"))
        await pilot.press("ctrl+a", "ctrl+k", *list("900-12-3456"), "ctrl+a", "ctrl+k", *list("1250.00"), "enter")
        await settle(pilot)
        assert [w.spec.name for w in app.map_screen.inputs() if w.has_class("-error")] == []
        assert row(app, 23) == "EMS050I ALL FIELDS ARE VALID - PRACTICE COMPLETE"


async def test_keyboard_locks_with_x_system_while_a_transaction_runs(
    terminal_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = inquiry.case_summary

    def slow(session, request):  # type: ignore[no-untyped-def]
        if request.aid == "ENTER":
            release.wait(10)
        return real(session, request)

    monkeypatch.setattr(inquiry, "case_summary", slow)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1.2")
        await pilot.press(*list("0000000018"), "enter")
        await pilot.pause()
        assert app.busy and row(app, 1).endswith("X SYSTEM")
        await pilot.press("home", *list("99"), "f3")
        await pilot.pause()
        assert _field(app, "command").value == "" and row(app, 1).startswith("EMS0210")
        release.set()
        await settle(pilot)
        assert not app.busy and row(app, 1).endswith("09:30:00")
        assert "X SYSTEM" not in shown(app)


async def test_unexpected_error_shows_ems999s_and_logs_the_incident(
    terminal_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EMS_LOG_DIR", str(tmp_path / "logs"))

    def broken(session, request):  # type: ignore[no-untyped-def]
        if request.aid == "ENTER":
            raise ZeroDivisionError("a bug")
        return inquiry.Reply(request.context)

    monkeypatch.setattr(inquiry, "case_summary", broken)
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "=1.2")
        await pilot.press(*list("0000000018"), "enter")
        await settle(pilot)
        message = row(app, 23)
        assert message.startswith("EMS999S SYSTEM ERROR - INCIDENT ")
        incident = message.split("INCIDENT ")[1].split()[0]
        assert "Traceback" not in shown(app)
        assert app.is_running and row(app, 1).startswith("EMS0210")
    log = (tmp_path / "logs" / "incidents.log").read_text()
    assert f"incident {incident}" in log and "ZeroDivisionError: a bug" in log


async def test_a_small_terminal_says_what_it_needs(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        notice = app.screen.query_one("#too-small")
        assert notice.display and "AT LEAST 80 X 24; THIS ONE IS 70 X 20" in str(notice.render())
        assert not app.screen.query_one("#grid").display


async def test_a_large_terminal_centres_the_grid(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        grid = app.screen.query_one("#grid").region
        assert (grid.width, grid.height) == (80, 24)
        assert grid.x == 20 and grid.y == 8


async def test_keys_typed_ahead_are_processed_in_order(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        type_ahead(app, [*"DEMO", "tab", *"EMSDEMO1", "enter"])
        await settle(pilot)
        assert row(app, 1).startswith("EMS0100"), row(app, 23)
        type_ahead(app, [*"=1.2", "enter"])
        await settle(pilot)
        assert row(app, 1).startswith("EMS0210")


async def test_typed_ahead_characters_skip_on_from_a_full_field(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        type_ahead(app, ["tab", *"000000001803/12/1958"])
        await settle(pilot)
        assert _field(app, "case_no").value == "0000000018"
        assert _field(app, "birth_date").value == "03/12/1958"


async def test_a_tab_typed_ahead_after_an_autoskip_field_moves_on_from_where_typing_ended(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await _practice(pilot)
        # CASE NUMBER is autoskip: full, it skips to BIRTH DATE, and the TAB after it goes on to SSN
        type_ahead(app, ["tab", *"0000000018", "tab", *"900-12-3456"])
        await settle(pilot)
        assert _field(app, "case_no").value == "0000000018"
        assert (_field(app, "birth_date").value, _field(app, "ssn").value) == ("", "900-12-3456")


async def test_a_full_field_not_marked_autoskip_keeps_the_cursor_so_a_habitual_tab_lands_next(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        await type_command(pilot, "EM31")
        # LAST NAME (20) typed past its end refuses the rest (X -f); the TAB then goes to FIRST NAME
        type_ahead(app, [*"ABCDEFGHIJKLMNOPQRSTUV", "tab", *"JANE"])
        await settle(pilot)
        assert _field(app, "last_name").value == "ABCDEFGHIJKLMNOPQRST"
        assert _field(app, "first_name").value == "JANE" and _field(app, "first_name").has_focus
        assert (_field(app, "mi").value, _field(app, "dob").value) == ("", "")


async def test_editing_keys_typed_ahead_act_in_the_order_typed(terminal_db: str) -> None:
    app = make_app(terminal_db)
    async with app.run_test(size=SIZE) as pilot:
        await sign_on(pilot)
        type_ahead(app, ["home", *"XYZ", "backspace", "A", "left", "left", "delete"])
        await settle(pilot)
        assert _field(app, "command").value == "XA", "BACKSPACE and DELETE act before the keys typed after them"
        # HOME, ERASE EOF and a command typed ahead with ENTER: the command runs, not the old text
        type_ahead(app, ["home", "ctrl+k", *"=1.2", "enter"])
        await settle(pilot)
        assert row(app, 1).startswith("EMS0210"), row(app, 23)
