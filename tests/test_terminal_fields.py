"""Fields that edit like a 3270: overwrite and insert, erase keys, Tab to a field's start,
autoskip only where the map says, and a full last field that locks the keyboard, never the app."""

from __future__ import annotations

from emsterm.terminal.widgets import FieldInput
from tests.pilot import SIZE, make_app, row, settle, sign_on


def _field(app, name: str) -> FieldInput:  # type: ignore[no-untyped-def]
    widget = app.map_screen.field(name)
    assert widget is not None
    return widget


def _status(app) -> str:  # type: ignore[no-untyped-def]
    """The keyboard status at the right of row 24 (columns 73-80)."""
    return f"{row(app, 24):<80}"[72:].rstrip()


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
